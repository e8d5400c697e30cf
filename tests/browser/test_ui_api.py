"""Pages are views of their JSON twins, through the real app on seeds + every import
(no browser needed): each page links its twin and shows the same arrangements, regions,
people, members, figures and experts; the map, matrix CSV, network exports and search."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import networkx as nx
import pytest
from fastapi.testclient import TestClient

BASE = "https://w3id.org/regiokg/id/"
BARNEVELD = BASE + "gemeente/GM0203"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(ui_kg):
    from api.app import create_app

    app = create_app(ui_kg)
    with TestClient(app) as c:
        # the default analysis runs are made at start-up (as `regiokg serve` does)
        assert app.state.ui_warm.wait(timeout=180), "the default analysis runs were not ready within 180 s"
        yield c


def attrs(html: str, name: str) -> list[str]:
    """The values of a data attribute in a page, in page order."""
    return [unescape(v) for v in re.findall(rf'data-{name}="([^"]*)"', html)]


def twin_of(html: str) -> str:
    [href] = re.findall(r'<link rel="alternate" type="application/json" href="([^"]+)">', html)
    return unescape(href)


def test_municipality_page_and_twin_list_the_same(client):
    page = client.get("/id/gemeente/GM0203", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert twin_of(html) == "/api/municipalities/GM0203"
    twin = client.get(twin_of(html)).json()
    # each arrangement is listed twice on the page (by domain and by form), both times the twin's set
    shown = attrs(html, "arrangement")
    expected = sorted(a["arrangement"]["iri"] for a in twin["arrangements"])
    assert expected and sorted(shown) == sorted(expected * 2)
    assert sorted(attrs(html, "region")) == sorted(r["region"]["iri"] for r in twin["regions"])
    assert sorted(attrs(html, "person")) == sorted(p["person"]["iri"] for p in twin["people"])
    # Hans van Daalen is not one of Barneveld's people in the API, so not on the page either
    people_section = html.split('id="people"', 1)[1].split("</section>", 1)[0]
    assert ("Hans van Daalen" in people_section) == any(p["person"]["label"] == "Hans van Daalen" for p in twin["people"])
    # one analysis block, its figures those of the twin
    assert html.count("data-figures") == 1
    figures = dict(re.findall(r'data-figure="(\w+)"(?: data-value="([^"]*)")?', html))
    f = twin["analysis"]
    assert float(figures["betweenness"]) == pytest.approx(f["betweenness"])
    assert float(figures["pagerank"]) == pytest.approx(f["pagerank"])
    for key in ("arrangements", "rank", "degree", "community"):
        assert f'data-figure="{key}">{f[key]}' in html.replace(f'data-figure="{key}" ', f'data-figure="{key}"')


def test_figures_are_the_stored_default_runs(client):
    """The municipality's figures are those of /api/analysis/* without parameters (one set, computed once)."""
    f = client.get("/api/municipalities/GM0203").json()["analysis"]
    centrality = client.get("/api/analysis/centrality").json()
    [row] = [r for r in centrality["ranking"] if r["actor"] == BARNEVELD]
    assert f["betweenness"] == row["betweenness"] and f["pagerank"] == row["pagerank"] and f["degree"] == row["degree"]
    communities = client.get("/api/analysis/communities").json()["communities"]
    [index] = [i for i, c in enumerate(communities, start=1) if BARNEVELD in {m["actor"] for m in c["members"]}]
    assert f["community"] == index
    load = client.get("/api/analysis/load").json()["ranking"]
    assert f["arrangements"] == next(r["count"] for r in load if r["actor"] == BARNEVELD)
    assert {r["graph"] for r in f["runs"]} == {centrality["run"]["graph"], load and client.get(
        "/api/analysis/load").json()["run"]["graph"], client.get("/api/analysis/communities").json()["run"]["graph"]}


def test_arrangement_page_and_twin_list_the_same_members(client):
    listed = client.get("/api/arrangements", params={"limit": 1000}).json()["items"]
    biggest = max(listed, key=lambda a: (a["members"], a["iri"]))
    html = client.get(biggest["page"], headers=HTML).text
    assert twin_of(html) == biggest["api"]
    twin = client.get(biggest["api"]).json()
    assert sorted(attrs(html, "member")) == sorted(m["member"]["iri"] for m in twin["members"])
    assert sorted(attrs(html, "overlap")) == sorted(o["arrangement"]["iri"] for o in twin["analysis"]["overlap"])


def test_person_and_region_pages_are_views_of_their_twins(client):
    people = client.get("/api/people", params={"limit": 1000}).json()["items"]
    person = max(people, key=lambda p: (p["posts"], p["iri"]))
    html = client.get(person["page"], headers=HTML).text
    assert twin_of(html) == person["api"]
    twin = client.get(person["api"]).json()
    assert html.count("badge kind-person") == 1  # the kind is said once
    for e in twin["experience"]:
        if e["kind"]:
            assert e["kind"]["label"] in unescape(html)  # the kind's label, not its slug
    region = client.get("/api/regions", params={"limit": 1}).json()["items"][0]
    html = client.get(region["page"], headers=HTML).text
    assert twin_of(html) == region["api"]
    assert sorted(attrs(html, "member")) == sorted(m["member"]["iri"] for m in client.get(region["api"]).json()["members"])


@pytest.mark.parametrize("topic", ["windmolens", "wind turbines", "windpark"])
def test_expertise_page_lists_the_experts_of_the_api(client, topic):
    html = client.get("/ervaring", params={"q": topic, "near": "GM0203"}, headers=HTML).text
    assert twin_of(html).startswith("/api/experts?") and "near=GM0203" in twin_of(html)
    twin = client.get(twin_of(html)).json()
    assert twin["experts"], f"no experts for {topic!r}"
    # the three lists of the answer, each in its order: experience, asking, interest
    for key in ("experts", "asking", "interested"):
        section = html.split(f'id="{key}"', 1)[1].split("</ol>", 1)[0] if twin[key] else ""
        assert attrs(section, "actor") == [e["actor"] for e in twin[key]], key
    assert attrs(html, "actor") == [e["actor"] for key in ("experts", "asking", "interested") for e in twin[key]]
    assert set(attrs(html.split('id="experts"', 1)[1].split("</ol>", 1)[0], "expertise")) == {"true"}


def test_search_finds_cbs_codes_names_and_synonyms(client):
    hits = client.get("/api/search", params={"q": "GM0203"}).json()["items"]
    assert hits[0]["iri"] == BARNEVELD and hits[0]["label"] == "Barneveld" and hits[0]["page"] == "/id/gemeente/GM0203"
    hits = client.get("/api/search", params={"q": "barnev"}).json()["items"]
    assert hits[0]["label"] == "Barneveld" and hits[0]["kind"] == "municipality"
    assert any("Fryslân" in h["label"] for h in client.get("/api/search", params={"q": "fryslan"}).json()["items"])
    assert any(h["kind"] == "topic" and h["page"] == "/id/onderwerp/windturbines"
               for h in client.get("/api/search", params={"q": "windmolens"}).json()["items"])
    html = client.get("/", params={"q": "GM0203"}, headers=HTML).text
    assert attrs(html, "iri")[0] == BARNEVELD
    assert twin_of(html) == "/api/search?q=GM0203&limit=50"


def test_matrix_csv_by_accept_is_the_json_matrix(client):
    body = client.get("/api/membership-matrix").json()
    assert body["cells"]
    text = client.get("/api/membership-matrix", headers={"Accept": "text/csv"})
    assert text.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(text.text)))
    assert len(lines) == len(body["cells"])
    assert {(line["municipality_iri"], line["arrangement_iri"], line["source_graph"]) for line in lines} == {
        (body["rows"][i]["iri"], body["columns"][j]["iri"], body["graphs"][g]) for i, j, g in body["cells"]}
    part = client.get("/api/membership-matrix", params={"province": "PV25", "order": "similarity"}).json()
    assert 0 < len(part["rows"]) < len(body["rows"])
    assert sorted(part["cells"]) == part["cells"] and len({tuple(c[:2]) for c in part["cells"]}) == len(part["cells"])
    assert any(r["iri"] == BASE + "provincie/PV25" for r in body["filters"]["province"])


def test_network_exports_are_the_json_network(client):
    net = client.get("/api/network").json()
    assert net["nodes"] and net["links"]
    assert {n["kind"] for n in net["nodes"]} <= {"arrangement", "municipality", "province", "water-board"}
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        response = client.get("/api/network", params={"format": fmt})
        assert response.status_code == 200
        graph = reader(io.BytesIO(response.content))
        assert graph.number_of_nodes() == len(net["nodes"]) and graph.number_of_edges() == len(net["links"])
    communities = client.get("/api/analysis/communities").json()["communities"]
    index = {m["actor"]: i for i, c in enumerate(communities, start=1) for m in c["members"]}
    for n in net["nodes"]:
        if n["kind"] == "municipality":
            assert n["community"] == index.get(n["id"])


def test_geojson_counts_are_the_load_run(client):
    collection = client.get("/ui-api/geo/municipalities.geojson").json()
    codes = [f["properties"]["cbs"] for f in collection["features"]]
    assert len(codes) == len(set(codes)) and "GM0203" in codes
    load = {r["actor"]: r["count"] for r in client.get("/api/analysis/load").json()["ranking"]}
    for f in collection["features"]:
        assert f["properties"]["arrangements"] == load.get(f["properties"]["iri"], 0)


def test_sparql_answers_rk_without_prefix(client):
    r = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a rk:Municipality } LIMIT 1"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1


def test_every_page_links_its_twin(client):
    for path, twin in [("/id/gemeente/GM0203", "/api/municipalities/GM0203"), ("/matrix", "/api/membership-matrix"),
                       ("/netwerk", "/api/network"), ("/bronnen", "/api/sources?limit=1000"),
                       ("/id/provincie/PV25", None)]:
        html = client.get(path, headers=HTML).text
        if twin:
            assert twin_of(html) == twin
        else:
            assert client.get(twin_of(html)).status_code == 200
