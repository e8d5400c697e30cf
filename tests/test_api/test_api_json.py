"""The JSON API under /api over real HTTP, on the seeds plus tests/test_api/fixture.trig."""

from __future__ import annotations

import pytest

from graph.labels import RDFS_LABEL, best_label

# The seeds label it "Regio FoodValley", the test fixture "Regio Foodvalley": every surface
# and every engine shows the one graph/labels.py picks.
FOODVALLEY_LABEL = best_label([(RDFS_LABEL, None, "Regio FoodValley"), (RDFS_LABEL, None, "Regio Foodvalley")])
BARNEVELD = "https://w3id.org/regiokg/id/gemeente/GM0203"
VEENENDAAL = "https://w3id.org/regiokg/id/gemeente/GM0345"
FOODVALLEY = "https://w3id.org/regiokg/id/samenwerking/regio-foodvalley"
TEST_GRAPH = "https://w3id.org/regiokg/graph/reference/api-test"
SEED_GRAPH = "https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b"


def test_get_municipality_describes_barneveld(client):
    resp = client.get("/api/municipalities/GM0203")
    assert resp.status_code == 200
    body = resp.json()
    assert body["iri"] == BARNEVELD
    assert body["name"] == "Barneveld"
    assert body["cbs_code"] == "GM0203"
    assert body["province"]["label"] == "Gelderland"
    assert body["page"] == "/id/gemeente/GM0203"
    assert [a["arrangement"]["label"] for a in body["arrangements"]] == [FOODVALLEY_LABEL]
    assert body["arrangements"][0]["begin"] == "2011-01-01"
    assert body["arrangements"][0]["source"] == TEST_GRAPH
    assert [r["region"]["label"] for r in body["regions"]] == ["Food Valley"]
    # source 000 names Hans van Daalen of Barneveld without his post: "role unknown", said so
    assert [(p["person"]["label"], p["role"]["iri"].rsplit("/", 1)[-1]) for p in body["people"]] == \
        [("Hans van Daalen", "onbekend"), ("Test Wethouder", "wethouder")]
    assert any(e["topic"] and e["topic"]["iri"].endswith("/onderwerp/windturbines") for e in body["experience"])
    graphs = {s["graph"] for s in body["sources"]}
    assert {TEST_GRAPH, SEED_GRAPH} <= graphs
    seed = next(s for s in body["sources"] if s["graph"] == SEED_GRAPH)
    assert seed["date"] == "2017-09-29" and seed["title"]


def test_get_municipality_by_slug(client):
    assert client.get("/api/municipalities/barneveld").json()["iri"] == BARNEVELD


def test_get_municipality_explain_shows_sparql(client):
    body = client.get("/api/municipalities/GM0203", params={"explain": "true"}).json()
    by_name = {q["name"]: q for q in body["query"]}
    assert "SELECT" in by_name["api_actor_arrangements"]["sparql"]
    assert by_name["api_actor_arrangements"]["params"]["member"] == BARNEVELD
    plain = client.get("/api/municipalities/GM0203").json()
    assert all(q["sparql"] is None for q in plain["query"])


def test_list_municipalities_filters_and_paginates(client):
    everything = client.get("/api/municipalities", params={"limit": 1000}).json()
    codes = [m["cbs_code"] for m in everything["items"]]
    assert codes == sorted(codes)
    assert everything["total"] == len(codes) >= 5
    page = client.get("/api/municipalities", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == everything["total"] and page["limit"] == 2 and page["offset"] == 1
    assert [m["cbs_code"] for m in page["items"]] == codes[1:3]
    gelderland = client.get("/api/municipalities", params={"province": "PV25", "limit": 1000}).json()
    assert "Barneveld" in [m["name"] for m in gelderland["items"]]
    assert "Veenendaal" not in [m["name"] for m in gelderland["items"]]
    assert {m["province"]["label"] for m in gelderland["items"]} == {"Gelderland"}
    by_name = client.get("/api/municipalities", params={"name": "veen"}).json()
    assert "Veenendaal" in [m["name"] for m in by_name["items"]]
    assert all("veen" in m["name"].lower() for m in by_name["items"])


def test_list_arrangements_filters(client):
    def names(**params):
        return [a["name"] for a in client.get("/api/arrangements", params=params).json()["items"]]

    assert FOODVALLEY_LABEL in names()
    assert "Regio Foodvalley" not in names() or FOODVALLEY_LABEL == "Regio Foodvalley"  # one label, not both
    assert client.get("/api/arrangements/regio-foodvalley").json()["name"] == FOODVALLEY_LABEL
    assert names(member="GM0203") == [FOODVALLEY_LABEL]
    assert names(form="openbaar-lichaam", domain="economie") == [FOODVALLEY_LABEL]
    assert names(domain="afval") == []
    assert FOODVALLEY_LABEL in names(date="2015-06-01")
    assert FOODVALLEY_LABEL not in names(date="2000-01-01")


def test_get_arrangement_members_on_a_date(client):
    now = client.get("/api/arrangements/regio-foodvalley", params={"date": "2024-01-01"}).json()
    assert [m["member"]["iri"] for m in now["members"]] == [BARNEVELD]
    then = client.get("/api/arrangements/regio-foodvalley", params={"date": "2015-01-01"}).json()
    assert sorted(m["member"]["iri"] for m in then["members"]) == [BARNEVELD, VEENENDAAL]
    by_code = client.get("/api/arrangements/GR9001").json()   # no date: the members of today
    assert by_code["iri"] == FOODVALLEY and [m["member"]["iri"] for m in by_code["members"]] == [BARNEVELD]
    assert by_code["members_on"] == __import__("datetime").date.today().isoformat()


def test_people_and_person(client):
    people = client.get("/api/people", params={"name": "wethouder"}).json()
    assert [p["name"] for p in people["items"]] == ["Test Wethouder"]
    person = client.get("/api/people/test-wethouder").json()
    assert person["posts"][0]["organisation"]["label"] == "Barneveld"
    assert client.get("/api/people/nobody").status_code == 404


def test_organisations(client):
    orgs = client.get("/api/organisations", params={"limit": 1000}).json()
    names = [o["name"] for o in orgs["items"]]
    assert "Vereniging van Nederlandse Gemeenten" in names and "Gelderland" in names
    assert "Barneveld" not in names
    provinces = client.get("/api/organisations", params={"kind": "province"}).json()
    assert {"Gelderland", "Utrecht"} <= {o["name"] for o in provinces["items"]}
    assert {o["kind"] for o in provinces["items"]} == {"province"}
    vng = client.get("/api/organisations/vng").json()
    assert vng["name"] == "Vereniging van Nederlandse Gemeenten"


def test_regions(client):
    regions = client.get("/api/regions", params={"division": "arbeidsmarktregios"}).json()
    assert [(r["name"], r["members"]) for r in regions["items"]] == [("Food Valley", 1)]
    region = client.get("/api/regions/arbeidsmarktregios/food-valley").json()
    assert [m["member"]["iri"] for m in region["members"]] == [BARNEVELD]


def test_topics_thesaurus(client):
    topics = client.get("/api/topics", params={"limit": 1000}).json()
    assert topics["total"] == len(topics["items"]) > 10
    wind = client.get("/api/topics/windturbines").json()
    assert wind["label_nl"]
    found = client.get("/api/topics", params={"q": wind["label_nl"][:5]}).json()
    assert wind["iri"] in [t["iri"] for t in found["items"]]


def test_experts_on_a_topic(client):
    resp = client.get("/api/experts", params={"topic": "windturbines"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    actors = [e["actor"] for e in body["experts"]]
    assert "https://w3id.org/regiokg/id/gemeente/GM0867" in actors  # Waalwijk advises on wind turbines
    assert SEED_GRAPH in {s["graph"] for s in body["sources"]}


def test_membership_matrix(client):
    body = client.get("/api/membership-matrix").json()
    rows = [r["iri"] for r in body["rows"]]
    cols = [c["iri"] for c in body["columns"]]
    cells = {(rows[i], cols[j], body["graphs"][g]) for i, j, g in body["cells"]}
    assert (BARNEVELD, FOODVALLEY, TEST_GRAPH) in cells
    assert (VEENENDAAL, FOODVALLEY, TEST_GRAPH) in cells
    later = client.get("/api/membership-matrix", params={"date": "2022-01-01"}).json()
    later_cells = {(later["rows"][i]["iri"], later["columns"][j]["iri"]) for i, j, _ in later["cells"]}
    assert {r for r, c in later_cells if c == FOODVALLEY} == {BARNEVELD}   # Veenendaal's membership ended
    gelderland = client.get("/api/membership-matrix", params={"province": "PV25"}).json()
    assert "GM0203" in [r["cbs_code"] for r in gelderland["rows"]]
    assert "GM0345" not in [r["cbs_code"] for r in gelderland["rows"]]


def test_sources(client):
    body = client.get("/api/sources", params={"limit": 1000}).json()
    graphs = {s["graph"]: s for s in body["items"]}
    assert graphs[TEST_GRAPH]["title"] == "API test facts"
    assert graphs[TEST_GRAPH]["triples"] == 52
    assert graphs[SEED_GRAPH]["date"] == "2017-09-29"


@pytest.mark.parametrize("path", ["/api/municipalities", "/api/arrangements", "/api/people", "/api/organisations",
                                  "/api/regions", "/api/topics", "/api/sources"])
def test_every_list_has_the_page_shape(client, path):
    body = client.get(path, params={"limit": 3}).json()
    assert {"items", "total", "limit", "offset", "sources", "query"} <= set(body)
    assert body["limit"] == 3 and len(body["items"]) <= 3


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ["/api/municipalities", "/api/municipalities/{key}", "/api/arrangements", "/api/experts",
                 "/api/membership-matrix", "/api/sources", "/sparql", "/update", "/rdf-graph-store"]:
        assert path in spec["paths"], path
    assert spec["paths"]["/api/municipalities"]["get"]["summary"]


def test_the_arrangement_has_one_name_on_every_surface(client):
    """The API's lists, its detail answer and the page show the label graph/labels.py picks."""
    listed = [a["name"] for a in client.get("/api/arrangements", params={"member": "GM0203"}).json()["items"]]
    detail = client.get("/api/arrangements/regio-foodvalley").json()["name"]
    held = [a["arrangement"]["label"] for a in client.get("/api/municipalities/GM0203").json()["arrangements"]]
    page = client.get("/id/samenwerking/regio-foodvalley", headers={"Accept": "text/html"})
    assert listed == held == [detail] == [FOODVALLEY_LABEL]
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert FOODVALLEY_LABEL in title
    other = {"Regio FoodValley", "Regio Foodvalley"} - {FOODVALLEY_LABEL}
    assert not any(name in title for name in other)
