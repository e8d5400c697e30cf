"""/api/documents over real HTTP: the write token, hostile or bad input (4xx in the one error
shape, nothing queued or written), and the same proposals as the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest
from cli_helpers import run_cli

sys.path.insert(0, str(Path(__file__).parent / "test_api"))
from apiserver import Server, make_settings  # noqa: E402

NEWS = Path(__file__).parent / "ingest_docs" / "nieuws_windpark_zeewolde.txt"
AUTH = {"Authorization": "Bearer secret-token"}


@pytest.fixture
def server(tmp_path):
    with Server(make_settings(tmp_path, token="secret-token", max_request_bytes=200_000)) as srv:
        srv.store = tmp_path / "store"
        yield srv


def test_documents_api_and_cli_agree_and_bad_input_writes_nothing(server, tmp_path):
    url = f"{server.url}/api/documents"
    bad = [
        ({}, NEWS.read_bytes(), {"filename": "n.txt"}, 401, "unauthorized"),
        ({"Authorization": "Bearer wrong"}, NEWS.read_bytes(), {"filename": "n.txt"}, 403, "forbidden"),
        (AUTH, b"", {"filename": "n.txt"}, 400, "empty_document"),
        (AUTH, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, {"filename": "foto.png"}, 400, "unsupported_type"),
        (AUTH, b"%PDF-1.4 not really", {"filename": "x.pdf"}, 400, "unreadable_document"),
        (AUTH, b"x" * 300_000, {"filename": "groot.txt"}, 413, "payload_too_large"),
        (AUTH, NEWS.read_bytes(), {"filename": "n.txt", "date": "gisteren"}, 400, "bad_input"),
        (AUTH, NEWS.read_bytes(), {}, 422, None),
    ]
    for headers, body, params, status, code in bad:
        r = httpx.post(url, params=params, content=body, headers=headers, timeout=60)
        assert r.status_code == status, (params, r.text)
        error = r.json()["error"]
        assert set(error) == {"status", "code", "message", "details"} and error["message"]
        if code:
            assert error["code"] == code, (params, error)
    assert httpx.get(url, timeout=30).json() == []

    r = httpx.post(url, params={"filename": NEWS.name, "publisher": "Gemeente Zeewolde"}, content=NEWS.read_bytes(),
                   headers=AUTH, timeout=60)
    assert r.status_code == 201
    doc = r.json()
    assert "".join(s["text"] for s in doc["segments"]) == doc["text"]
    for p in doc["proposals"]:
        assert p["text"] == doc["text"][p["start"]:p["end"]]
    # decisions: unknown ids and kinds are refused, nothing changes
    for body in ({"accept": ["ffff-000000"]}, {"accept_kind": "unicorn"}, {}):
        r = httpx.post(f"{url}/{doc['doc_id']}/decisions", json=body, headers=AUTH, timeout=60)
        assert r.status_code == 400, body
    assert httpx.post(f"{url}/{doc['doc_id']}/decisions", json={"accept_kind": "topic"}, timeout=60).status_code == 401
    assert httpx.get(f"{url}/not-hex", timeout=30).status_code == 400
    assert httpx.get(f"{url}/abcdef12", timeout=30).status_code == 404
    assert {p["status"] for p in httpx.get(f"{url}/{doc['doc_id']}", timeout=30).json()["proposals"]} == {"pending"}
    r = httpx.post(f"{url}/{doc['doc_id']}/decisions", json={"accept_kind": "topic"}, headers=AUTH, timeout=60)
    assert r.status_code == 200 and r.json()["counts"]["topic"]["accepted"] >= 1

    # the CLI reads the same queue and proposes the same facts for the same file
    listed = json.loads(run_cli("review", "list", "--json", store=server.store, check=True).stdout)
    assert [e["doc_id"] for e in listed] == [doc["doc_id"]]
    assert {p["id"]: p["status"] for p in listed[0]["proposals"]} == \
        {p["id"]: p["status"] for p in httpx.get(f"{url}/{doc['doc_id']}", timeout=30).json()["proposals"]}
