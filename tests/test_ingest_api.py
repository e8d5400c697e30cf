"""/api/documents over real HTTP: the write token, hostile or bad input (4xx in the one error
shape, nothing queued or written), and the same proposals as the CLI."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import httpx
import pytest
from cli_helpers import run_cli
from test_ingest_readers import make_pdf

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
    assert server.app.state.ui_warm.wait(120)   # the start-up analysis runs are written
    server.kg.dump(tmp_path / "before.nq")
    bad = [
        ({}, NEWS.read_bytes(), {"filename": "n.txt"}, 401, "unauthorized"),
        ({"Authorization": "Bearer wrong"}, NEWS.read_bytes(), {"filename": "n.txt"}, 403, "forbidden"),
        (AUTH, b"", {"filename": "n.txt"}, 400, "empty_document"),
        (AUTH, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, {"filename": "foto.png"}, 400, "unsupported_type"),
        (AUTH, b"%PDF-1.4 not really", {"filename": "x.pdf"}, 400, "unreadable_document"),
        (AUTH, make_pdf([], text=False), {"filename": "scan.pdf"}, 400, "no_text"),
        (AUTH, b"PK\x03\x04" + b"\0" * 64, {"filename": "tabel.xlsx"}, 400, "unsupported_type"),
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
    server.kg.dump(tmp_path / "after.nq")   # the graph too is untouched
    assert (tmp_path / "before.nq").read_bytes() == (tmp_path / "after.nq").read_bytes()

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


def _http_exchange(port: int, head: bytes, body_chunks=()) -> bytes:
    """Send a request head (and chunks) over a raw socket; the status line that comes back."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for chunk in body_chunks:
            sock.sendall(chunk)
        return sock.recv(65536).split(b"\r\n", 1)[0]


def test_a_100_mb_upload_is_refused_without_being_read(server, tmp_path):
    """Declared 100 MB: 413 from the Content-Length alone, before one byte of the body is sent
    (the client waits with Expect: 100-continue and gets the answer instead). Not declared
    (chunked): the server stops reading at the limit (200 kB here) and answers 413, although
    the client has not sent the rest."""
    head = (f"POST /api/documents?filename=groot.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer secret-token\r\nContent-Length: {100 * 1024 * 1024}\r\n"
            f"Expect: 100-continue\r\n\r\n").encode()
    assert _http_exchange(server.port, head) == b"HTTP/1.1 413 Request Entity Too Large"
    head = (b"POST /api/documents?filename=groot.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer secret-token\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b"a" * 65536)
    assert _http_exchange(server.port, head, [chunk] * 4) == b"HTTP/1.1 413 Request Entity Too Large"
    assert httpx.get(f"{server.url}/api/documents", timeout=30).json() == []
