"""One experts answer on every surface: ``regiokg experts --json`` and ``/api/experts``
(real CLI subprocess, real HTTP server over the same store on disk) print the same lists.
The page /ervaring renders the same function (graph.analysis.rank_experts)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "test_api"))
from apiserver import Server, make_settings  # noqa: E402
from cli_helpers import run_cli  # noqa: E402

from graph.kg import KnowledgeGraph  # noqa: E402

PHRASINGS = ["windmolens", "wind turbines", "windpark"]
DATE = "2025-06-01"


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory):
    """``{phrasing: (cli_json, api_json)}`` over one seeded store: the CLI first (the
    server holds the store open), then the API."""
    settings = make_settings(tmp_path_factory.mktemp("experts-surfaces"))
    KnowledgeGraph.open(settings).close()
    cli = {}
    for text in PHRASINGS:
        proc = run_cli("experts", text, "--json", "--date", DATE, "--near", "GM0203", store=settings.store,
                       check=True)
        cli[text] = json.loads(proc.stdout)
    unknown_near = run_cli("experts", "windmolens", "--near", "Atlantis", store=settings.store)
    with Server(settings) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        api = {text: client.get("/api/experts", params={"topic": text, "date": DATE, "near": "GM0203"})
               for text in PHRASINGS}
        errors = {"near": client.get("/api/experts", params={"topic": "windmolens", "near": "Atlantis"}),
                  "date": client.get("/api/experts", params={"topic": "windmolens", "date": "gisteren"}),
                  "old": client.get("/api/analysis/experts", params={"q": "windmolens", "limit": 3},
                                    follow_redirects=False),
                  "nothing": client.get("/api/experts", params={"topic": "ruimtevaart"})}
    return cli, api, errors, unknown_near


@pytest.mark.parametrize("text", PHRASINGS)
def test_cli_and_api_give_the_same_ranked_lists(surfaces, text):
    cli, api, _, _ = surfaces
    assert api[text].status_code == 200
    body = api[text].json()
    for key in ("experts", "asking", "interested", "counts", "concepts", "near", "date"):
        assert body[key] == cli[text][key], key
    assert [e["label"] for e in body["experts"]] == ["Dronten", "Waalwijk"]
    assert [e["expertise"] for e in body["experts"]] == [True, True]
    assert [e["label"] for e in body["asking"]] == ["Barneveld"]
    assert "Papendrecht" not in [e["label"] for e in body["experts"]]
    assert {s["graph"] for s in body["sources"]} >= {"https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b"}


def test_the_three_phrasings_give_one_answer(surfaces):
    cli, _, _, _ = surfaces
    first = cli[PHRASINGS[0]]
    for text in PHRASINGS[1:]:
        assert cli[text]["experts"] == first["experts"] and cli[text]["asking"] == first["asking"]


def test_unknown_near_and_bad_date_are_errors_naming_them(surfaces):
    _, _, errors, unknown_near = surfaces
    for key, named in (("near", "'Atlantis'"), ("date", "'gisteren'")):
        response = errors[key]
        assert response.status_code == 400, key
        error = response.json()["error"]
        assert set(error) == {"status", "code", "message", "details"} and named in error["message"]
    assert unknown_near.returncode != 0 and "'Atlantis'" in unknown_near.stderr


def test_unmatched_topic_is_an_empty_answer_that_says_so(surfaces):
    _, _, errors, _ = surfaces
    body = errors["nothing"].json()
    assert errors["nothing"].status_code == 200
    assert body["experts"] == body["asking"] == body["interested"] == [] and "'ruimtevaart'" in body["message"]


def test_the_old_analysis_endpoint_redirects_to_the_one_endpoint(surfaces):
    _, _, errors, _ = surfaces
    old = errors["old"]
    assert old.status_code == 308
    assert old.headers["location"] == "/api/experts?topic=windmolens&limit=3"


def test_the_route_function_can_be_called_directly_with_its_defaults(tmp_path):
    """The page /ervaring calls list_experts as a function: its defaults are plain values."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from api.routes.experts import list_experts
    from graph.settings import Settings

    kg = KnowledgeGraph.open(Settings(store=tmp_path / "store"))
    try:
        # in a thread of its own: other tests (the browser's) may leave an event loop running here
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(asyncio.run, list_experts(topic="windpark", kg=kg)).result()
    finally:
        kg.close()
    assert [e["label"] for e in answer.experts] == ["Dronten", "Waalwijk"] and answer.limit == 10
