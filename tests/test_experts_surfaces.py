"""One experts answer on every surface: ``regiokg experts --json``, ``/api/experts`` and
the page ``/ervaring`` (real CLI subprocess, real HTTP server over the same store on disk)
give the same ranked lists (one function: graph.analysis.rank_experts)."""

from __future__ import annotations

import json
import re
import sys
from html import unescape
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
        pages = {text: client.get("/ervaring", params={"q": text, "date": DATE, "near": "GM0203"},
                                  headers={"Accept": "text/html"}) for text in PHRASINGS}
        errors = {"near": client.get("/api/experts", params={"topic": "windmolens", "near": "Atlantis"}),
                  "date": client.get("/api/experts", params={"topic": "windmolens", "date": "gisteren"}),
                  "old": client.get("/api/analysis/experts", params={"q": "windmolens", "limit": 3},
                                    follow_redirects=False),
                  "nothing": client.get("/api/experts", params={"topic": "ruimtevaart"})}
    return cli, api, errors, unknown_near, pages


@pytest.mark.parametrize("text", PHRASINGS)
def test_cli_and_api_give_the_same_ranked_lists(surfaces, text):
    cli, api, _, _, _ = surfaces
    assert api[text].status_code == 200
    body = api[text].json()
    for key in ("experts", "asking", "interested", "counts", "concepts", "near", "date"):
        assert body[key] == cli[text][key], key
    assert [e["label"] for e in body["experts"]] == ["Dronten", "Waalwijk"]
    assert [e["expertise"] for e in body["experts"]] == [True, True]
    assert [e["label"] for e in body["asking"]] == ["Barneveld"]
    assert "Papendrecht" not in [e["label"] for e in body["experts"]]
    assert {s["graph"] for s in body["sources"]} >= {"https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b"}


def _listed(html: str, key: str) -> list[tuple[str, str]]:
    """(actor IRI, data-expertise) of the entries of one list of the page, in page order."""
    if f'id="{key}"' not in html:
        return []
    section = html.split(f'id="{key}"', 1)[1].split("</ol>", 1)[0]
    return [(unescape(a), e) for a, e in re.findall(r'data-actor="([^"]*)" data-expertise="(true|false)"', section)]


@pytest.mark.parametrize("text", PHRASINGS)
def test_the_page_shows_the_cli_lists_in_their_order(surfaces, text):
    cli, _, _, _, pages = surfaces
    page = pages[text]
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    [twin] = re.findall(r'<link rel="alternate" type="application/json" href="([^"]+)">', page.text)
    assert unescape(twin).startswith("/api/experts?") and f"date={DATE}" in unescape(twin)
    for key in ("experts", "asking", "interested"):
        assert _listed(page.text, key) == [(e["actor"], "true" if e["expertise"] else "false") for e in cli[text][key]], key
    # exactly Dronten and Waalwijk are experts; Barneveld, who asked, is listed as asking only
    assert [a.rsplit("/", 1)[-1] for a, _ in _listed(page.text, "experts")] == ["GM0303", "GM0867"]
    assert [a.rsplit("/", 1)[-1] for a, e in _listed(page.text, "asking")] == ["GM0203"]
    assert all(e == "false" for key in ("asking", "interested") for _, e in _listed(page.text, key))


def test_the_three_phrasings_give_one_answer(surfaces):
    cli, _, _, _, _ = surfaces
    first = cli[PHRASINGS[0]]
    for text in PHRASINGS[1:]:
        assert cli[text]["experts"] == first["experts"] and cli[text]["asking"] == first["asking"]


def test_unknown_near_and_bad_date_are_errors_naming_them(surfaces):
    _, _, errors, unknown_near, _ = surfaces
    for key, named in (("near", "'Atlantis'"), ("date", "'gisteren'")):
        response = errors[key]
        assert response.status_code == 400, key
        error = response.json()["error"]
        assert set(error) == {"status", "code", "message", "details"} and named in error["message"]
    assert unknown_near.returncode != 0 and "'Atlantis'" in unknown_near.stderr


def test_unmatched_topic_is_an_empty_answer_that_says_so(surfaces):
    _, _, errors, _, _ = surfaces
    body = errors["nothing"].json()
    assert errors["nothing"].status_code == 200
    assert body["experts"] == body["asking"] == body["interested"] == [] and "'ruimtevaart'" in body["message"]


def test_the_old_analysis_endpoint_redirects_to_the_one_endpoint(surfaces):
    _, _, errors, _, _ = surfaces
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
