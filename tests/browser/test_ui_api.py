"""The JSON, CSV and export endpoints behind the web UI pages, through the real app
(no browser needed): search, map GeoJSON, matrix filters and CSV, network exports,
expertise finder, language switch, static files."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

BASE = "https://w3id.org/regiokg/id/"


@pytest.fixture(scope="module")
def client(ui_kg):
    from api.app import create_app

    with TestClient(create_app(ui_kg)) as c:
        yield c


def test_search_finds_barneveld_first_by_prefix_and_folds_diacritics(client):
    r = client.get("/ui-api/search", params={"q": "barnev"})
    assert r.status_code == 200
    hits = r.json()
    assert hits[0]["label"] == "Barneveld"
    assert hits[0]["url"] == "/id/gemeente/GM0203"
    assert hits[0]["kind"] == "municipality"
    # "Fryslan" without the circumflex still finds Fryslân
    names = [h["label"] for h in client.get("/ui-api/search", params={"q": "fryslan"}).json()]
    assert any("Fryslân" in n for n in names)


def test_search_finds_topic_by_synonym(client):
    hits = client.get("/ui-api/search", params={"q": "windmolens"}).json()
    assert any(h["kind"] == "topic" and h["url"] == "/id/onderwerp/windturbines" for h in hits)


def test_geojson_has_one_feature_per_current_municipality(client):
    r = client.get("/ui-api/geo/municipalities.geojson")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    collection = r.json()
    codes = [f["properties"]["cbs"] for f in collection["features"]]
    assert len(codes) == len(set(codes))
    assert "GM0203" in codes
    barneveld = next(f for f in collection["features"] if f["properties"]["cbs"] == "GM0203")
    assert barneveld["properties"]["name"] == "Barneveld"
    assert barneveld["properties"]["url"] == "/id/gemeente/GM0203"
    if collection["kind"] == "polygons":
        assert len(codes) == 342  # the municipalities of 2025
        assert barneveld["geometry"]["type"] in ("Polygon", "MultiPolygon")
        lon, lat = barneveld["properties"]["centroid"]
        assert 5.4 < lon < 5.8 and 52.0 < lat < 52.3


def test_geojson_is_gzipped_when_accepted(client):
    r = client.get("/ui-api/geo/municipalities.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == "gzip"
    assert r.json()["type"] == "FeatureCollection"  # httpx decodes it


def test_matrix_province_filter_keeps_only_that_province(client, ui_kg):
    full = client.get("/ui-api/matrix").json()
    assert full["rows"], "the imported graph has municipality memberships"
    gelderland = BASE + "provincie/PV25"
    r = client.get("/ui-api/matrix", params={"province": gelderland, "order": "name"})
    assert r.status_code == 200
    part = r.json()
    assert 0 < len(part["rows"]) < len(full["rows"])
    in_province = {r["m"].value for r in ui_kg.select_text(
        "SELECT ?m ?p WHERE { ?m <https://w3id.org/regiokg/def#province> ?p }", p=NamedNode(gelderland))}
    assert in_province and {row["iri"] for row in part["rows"]} <= in_province
    # every cell points at a row, a column and a described source
    assert all(0 <= c[0] < len(part["rows"]) and 0 <= c[1] < len(part["cols"]) for c in part["cells"])
    assert all(s["title"] for s in part["sources"])
    # names order is alphabetical; similarity order is a permutation of the same rows
    labels = [row["label"].lower() for row in part["rows"]]
    assert labels == sorted(labels)
    similar = client.get("/ui-api/matrix", params={"province": gelderland}).json()
    assert sorted(r["iri"] for r in similar["rows"]) == sorted(r["iri"] for r in part["rows"])


def test_matrix_rejects_a_date_that_is_not_iso(client):
    r = client.get("/ui-api/matrix", params={"date": "1-2-2016"})
    assert r.status_code == 400
    assert "date" in r.json()["error"]["message"]


def test_matrix_csv_lists_memberships_with_sources(client):
    r = client.get("/ui-api/matrix.csv", params={"province": BASE + "provincie/PV25"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(r.text)))
    assert lines, "the imported graph has municipality memberships in Gelderland"
    barneveld = [line for line in lines if line["cbs_code"] == "GM0203"]
    assert barneveld and all(line["source_title"] and line["source_graph"] for line in barneveld)


def test_network_exports_read_back_in_networkx(client):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        r = client.get(f"/ui-api/network.{fmt}", params={"types": "municipality,arrangement"})
        assert r.status_code == 200
        graph = reader(io.BytesIO(r.content))
        kinds = {d["kind"] for _, d in graph.nodes(data=True)}
        assert kinds <= {"municipality", "arrangement"}
    assert client.get("/ui-api/network.svg").status_code == 404


def test_network_json_links_point_at_nodes(client):
    net = client.get("/ui-api/network").json()
    n = len(net["nodes"])
    assert all(0 <= a < n and 0 <= b < n for a, b in net["links"])
    assert all(node["url"].startswith("/id/") for node in net["nodes"])


def test_experts_for_wind_turbines_name_dronten_and_waalwijk_with_sources(client):
    r = client.get("/ui-api/experts", params={"topic": "wind turbines", "near": BASE + "gemeente/GM0203"})
    assert r.status_code == 200
    body = r.json()
    assert [t["url"] for t in body["topics"]][0] == "/id/onderwerp/windturbines"
    names = [e["label"] for e in body["results"]]
    assert "Dronten" in names and "Waalwijk" in names
    dronten = body["results"][names.index("Dronten")]
    assert all(item["source"]["title"] for item in dronten["evidence"])
    assert any(c["role"] for c in dronten["contacts"])


def test_language_cookie_switches_pages_to_english(client):
    r = client.get("/matrix", params={"lang": "en"})
    assert "<h1>Membership matrix</h1>" in r.text
    assert r.cookies.get("regiokg_lang") == "en" or "regiokg_lang=en" in r.headers.get("set-cookie", "")
    client.cookies.set("regiokg_lang", "en")
    assert "<h1>Membership matrix</h1>" in client.get("/matrix").text
    client.cookies.clear()
    assert "<h1>Deelnamematrix</h1>" in client.get("/matrix").text


def test_entity_pages_answer_html_and_unknown_ids_404(client):
    r = client.get("/id/gemeente/GM0203", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "<title>Barneveld" in r.text
    missing = client.get("/id/gemeente/GM9999", headers={"Accept": "text/html"})
    assert missing.status_code == 404


def test_static_files_are_served_and_paths_cannot_escape(client):
    r = client.get("/static/js/map.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "drawMap" in r.text
    assert r.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../routes/ui.py").status_code == 404
    assert client.get("/static/%2e%2e/routes/ui.py").status_code == 404
    assert client.get("/dist/nothing-here.js").status_code == 404
