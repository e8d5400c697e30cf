"""Analysis views, runs and write-back on a real store holding a small hand-made graph.

The graph (worked out by hand):
  municipalities A, B, C, D, F (current) and E (dissolved 2019, replaced by D)
  arrangements  X {A, B, C}   Y {A, B, C}   Z {C, E}   W {D, province P}
  division      div: r1 {A, B, C}, r2 {D, E, F}
  topics        energie > windenergie > windturbines (altLabel windmolens, wind turbines)
  evidence      B heeft-gedaan windturbines (2015), A adviseert windturbines (2017),
                C vraagt-hulp windturbines (2017), D attended a meeting about windenergie (2018)
  people        Piet holds a post (wethouder) in A
"""

from __future__ import annotations

import pytest

from graph import analysis
from graph.analysis import views
from graph.analysis.writeback import analysis_graph_iri

ID = "https://w3id.org/regiokg/id/"

TRIG = """
@prefix rk: <https://w3id.org/regiokg/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/regiokg/id/> .
@prefix g: <https://w3id.org/regiokg/graph/> .

g:test-facts {
  g:test-facts a rk:ReferenceData ; dcterms:title "Testfeiten" ; dcterms:publisher "tests" ;
      dcterms:date "2020-01-01"^^xsd:date .
  id:gemeente\\/GM0001 a rk:Municipality ; rdfs:label "Aa" ; rk:cbsCode "GM0001" ; rk:province id:provincie\\/PV20 .
  id:gemeente\\/GM0002 a rk:Municipality ; rdfs:label "Bee" ; rk:cbsCode "GM0002" ; rk:province id:provincie\\/PV20 .
  id:gemeente\\/GM0003 a rk:Municipality ; rdfs:label "Cee" ; rk:cbsCode "GM0003" ; rk:province id:provincie\\/PV20 .
  id:gemeente\\/GM0004 a rk:Municipality ; rdfs:label "Dee" ; rk:cbsCode "GM0004" ; rk:province id:provincie\\/PV21 .
  id:gemeente\\/GM0005 a rk:Municipality ; rdfs:label "Ee" ; rk:cbsCode "GM0005" ;
      rk:dissolvedOn "2019-01-01"^^xsd:date ; dcterms:isReplacedBy id:gemeente\\/GM0004 .
  id:gemeente\\/GM0006 a rk:Municipality ; rdfs:label "Ef" ; rk:cbsCode "GM0006" .
  id:provincie\\/PV20 a rk:Province ; rdfs:label "Provincie P" ; rk:cbsCode "PV20" .
  id:provincie\\/PV21 a rk:Province ; rdfs:label "Provincie Q" ; rk:cbsCode "PV21" .
  id:samenwerking\\/x a rk:CooperationArrangement ; rdfs:label "X" ;
      org:hasMember id:gemeente\\/GM0001, id:gemeente\\/GM0002, id:gemeente\\/GM0003 .
  id:samenwerking\\/y a rk:CooperationArrangement ; rdfs:label "Y" ;
      org:hasMember id:gemeente\\/GM0001, id:gemeente\\/GM0002, id:gemeente\\/GM0003 .
  id:samenwerking\\/z a rk:CooperationArrangement ; rdfs:label "Z" ;
      org:hasMember id:gemeente\\/GM0003, id:gemeente\\/GM0005 .
  id:samenwerking\\/w a rk:CooperationArrangement ; rdfs:label "W" ;
      org:hasMember id:gemeente\\/GM0004, id:provincie\\/PV20 .
  id:indeling\\/div a rk:RegionalDivision ; rdfs:label "Testindeling" .
  id:regio\\/div\\/r1 a rk:Region ; rk:division id:indeling\\/div .
  id:regio\\/div\\/r2 a rk:Region ; rk:division id:indeling\\/div .
  id:gemeente\\/GM0001 rk:inRegion id:regio\\/div\\/r1 .
  id:gemeente\\/GM0002 rk:inRegion id:regio\\/div\\/r1 .
  id:gemeente\\/GM0003 rk:inRegion id:regio\\/div\\/r1 .
  id:gemeente\\/GM0004 rk:inRegion id:regio\\/div\\/r2 .
  id:gemeente\\/GM0005 rk:inRegion id:regio\\/div\\/r2 .
  id:gemeente\\/GM0006 rk:inRegion id:regio\\/div\\/r2 .
  id:onderwerp\\/energie a skos:Concept ; skos:prefLabel "energie"@nl, "energy"@en ;
      skos:narrower id:onderwerp\\/windenergie .
  id:onderwerp\\/windenergie a skos:Concept ; skos:prefLabel "windenergie"@nl, "wind energy"@en .
  id:onderwerp\\/windturbines a skos:Concept ; skos:prefLabel "windturbines"@nl, "wind turbines"@en ;
      skos:altLabel "windmolens"@nl ; skos:broader id:onderwerp\\/windenergie .
  id:persoon\\/piet a foaf:Person ; foaf:name "Piet Test" ; org:holds id:functie\\/piet-wethouder-aa .
  id:functie\\/piet-wethouder-aa a org:Post ; org:heldBy id:persoon\\/piet ;
      org:postIn id:gemeente\\/GM0001 ; org:role id:rol\\/wethouder .
  id:bijeenkomst\\/2018-01-01-wind a schema:Event ; schema:startDate "2018-01-01"^^xsd:date ;
      schema:about id:onderwerp\\/windenergie ; schema:attendee id:gemeente\\/GM0004 .
}

g:source\\/test-report {
  g:source\\/test-report a rk:SourceDocument ; dcterms:title "Testverslag" ; dcterms:publisher "tests" ;
      dcterms:date "2017-09-29"^^xsd:date .
  id:ervaring\\/b a rk:Experience ; rk:actor id:gemeente\\/GM0002 ; rk:topic id:onderwerp\\/windturbines ;
      rk:experienceKind id:ervaringssoort\\/heeft-gedaan ; rk:attestedOn "2015-06-01"^^xsd:date ;
      dcterms:description "Bee built a wind farm" ; dcterms:source g:source\\/test-report .
  id:ervaring\\/a a rk:Experience ; rk:actor id:gemeente\\/GM0001 ; rk:topic id:onderwerp\\/windturbines ;
      rk:experienceKind id:ervaringssoort\\/adviseert ; rk:attestedOn "2017-09-29"^^xsd:date ;
      dcterms:description "Aa can advise" ; dcterms:source g:source\\/test-report .
  id:ervaring\\/c a rk:Experience ; rk:actor id:gemeente\\/GM0003 ; rk:topic id:onderwerp\\/windturbines ;
      rk:experienceKind id:ervaringssoort\\/vraagt-hulp ; rk:attestedOn "2017-09-29"^^xsd:date ;
      dcterms:description "Cee asks who has done it" ; dcterms:source g:source\\/test-report .
}
"""


def gm(code: int) -> str:
    return f"{ID}gemeente/GM{code:04d}"


@pytest.fixture(scope="module")
def small_kg(trig_store):
    return trig_store("small", TRIG)


def test_memberships_map_dissolved_member_to_successor(small_kg):
    rows = views.memberships(small_kg)
    assert (f"{ID}samenwerking/z", gm(4), "municipality") in rows
    assert all(actor != gm(5) for _, actor, _ in rows)
    assert (f"{ID}samenwerking/w", f"{ID}provincie/PV20", "province") in rows


def test_membership_filter_by_province(small_kg):
    rows = views.memberships(small_kg, filters=views.Filters(province="PV21"))
    assert {actor for _, actor, _ in rows} == {gm(4)}


def test_load_counts_by_hand_including_zero(small_kg):
    result = analysis.administrative_load(small_kg, reuse=False)
    counts = {row["label"]: row["count"] for row in result["ranking"]}
    assert counts == {"Cee": 3, "Aa": 2, "Bee": 2, "Dee": 2, "Ef": 0}
    assert result["ranking"][0]["label"] == "Cee"
    assert result["distribution"]["histogram"] == {"0": 1, "2": 3, "3": 1}  # as JSON, first run and reuse alike


def test_load_is_written_back_and_reused(small_kg):
    first = analysis.administrative_load(small_kg, reuse=False)
    assert first["run"]["reused"] is False
    rows = small_kg.select_text(
        f"SELECT ?g ?n WHERE {{ GRAPH ?g {{ <{gm(3)}> <https://w3id.org/regiokg/def#arrangementCount> ?n }} }}")
    assert [(r["g"].value, int(r["n"].value)) for r in rows] == [(analysis_graph_iri("load"), 3)]
    assert small_kg.ask("ASK { GRAPH ?g { ?g a <http://www.w3.org/ns/prov#Activity> ; "
                        "<http://www.w3.org/ns/prov#startedAtTime> ?t } }",
                        g=__import__("pyoxigraph").NamedNode(analysis_graph_iri("load")))
    second = analysis.administrative_load(small_kg)
    assert second["run"]["reused"] is True
    assert second["ranking"] == first["ranking"]


def test_overlap_finds_identical_arrangements(small_kg):
    result = analysis.overlap(small_kg, reuse=False)
    pairs = [(c["label_a"], c["label_b"], c["jaccard"]) for c in result["candidates"]]
    assert pairs == [("X", "Y", 1.0)]


def test_centrality_and_congruence_by_hand(small_kg):
    result = analysis.centrality(small_kg, reuse=False)
    by_label = {row["label"]: row for row in result["ranking"]}
    # projection: A-B (2 shared), A-C (2), B-C (2), C-D (1 via Z); F is in no arrangement
    assert by_label["Cee"]["degree"] == 3 and by_label["Cee"]["weighted_degree"] == 5
    assert by_label["Cee"]["betweenness"] == pytest.approx(2 / 3)  # on paths A-D, B-D of 3 pairs
    assert result["method"]["betweenness"]["exact"] is True
    congruence = analysis.congruence(small_kg, reuse=False)
    [division] = congruence["divisions"]
    assert division["division"] == f"{ID}indeling/div"
    assert division["nodes"] == 4  # A, B, C, D are in both; F has no arrangement


def test_path_goes_through_post_and_arrangement(small_kg):
    result = analysis.path(small_kg, "Piet Test", "GM0002")
    labels = [step["label"] for step in result["steps"]]
    assert result["length"] == 3
    assert labels[0] == "Piet Test" and labels[1] == "Aa" and labels[-1] == "Bee"
    assert labels[2] in ("X", "Y")


@pytest.mark.parametrize("text", ["windmolens", "Windturbines", "wind turbine", "WINDMOLENS", "windenergie"])
def test_experts_ranked_by_kind(small_kg, text):
    result = analysis.rank_experts(small_kg, text, date="2020-01-01")
    assert f"{ID}onderwerp/windturbines" in [c["concept"] for c in result["concepts"]]
    assert [(e["label"], e["strongest_kind"]) for e in result["experts"]] == [("Bee", "heeft-gedaan"),
                                                                             ("Aa", "adviseert")]
    assert [(e["label"], e["expertise"]) for e in result["asking"]] == [("Cee", False)]
    # the broader term also finds the meeting about windenergie itself: attendance is interest
    assert [e["label"] for e in result["interested"]] == (["Dee"] if text == "windenergie" else [])
    top = result["experts"][0]
    assert top["evidence"][0]["source_title"] == "Testverslag"
    aa = result["experts"][1]
    assert aa["contacts"] == []  # Piet is wethouder of Aa, but the source does not tie him to the topic


def test_experts_near_shows_km_and_steps(small_kg):
    result = analysis.rank_experts(small_kg, "windenergie", near="GM0004", date="2020-01-01")
    assert result["near"]["actor"] == gm(4)
    assert [e["steps"] for e in result["experts"]] == [4, 4]  # Dee (Ee's successor) – Z – Cee – X – Bee or Aa
    assert all(e["distance_km"] is None for e in result["experts"])  # no centroids in this graph


@pytest.fixture(scope="module")
def client(small_kg):
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(small_kg)) as test_client:
        yield test_client


def test_api_load_answers_the_counts(client):
    response = client.get("/api/analysis/load", params={"top": 2})
    assert response.status_code == 200
    body = response.json()
    assert [(r["label"], r["count"]) for r in body["ranking"]] == [("Cee", 3), ("Aa", 2)]
    assert body["run"]["graph"] == analysis_graph_iri("load")


def test_api_centrality_filtered_by_province(client):
    response = client.get("/api/analysis/centrality", params={"province": "PV20"})
    assert response.status_code == 200
    assert sorted(r["label"] for r in response.json()["ranking"]) == ["Aa", "Bee", "Cee"]


def test_api_congruence_overlap_communities_path(client):
    assert client.get("/api/analysis/congruence").json()["divisions"][0]["nodes"] == 4
    assert client.get("/api/analysis/overlap").json()["candidates"][0]["jaccard"] == 1.0
    assert client.get("/api/analysis/communities").status_code == 200
    response = client.get("/api/analysis/path", params={"source": "Piet Test", "target": "Bee"})
    assert response.status_code == 200 and response.json()["length"] == 3


def test_api_bad_filter_is_a_clear_error(client):
    response = client.get("/api/analysis/load", params={"date": "29-09-2017"})
    assert response.status_code == 400
    assert "not an ISO date" in response.json()["error"]["message"]
    response = client.get("/api/analysis/path", params={"source": "Nowhere", "target": "Bee"})
    assert response.status_code == 404


def test_api_experts_ranked(client):
    response = client.get("/api/analysis/experts", params={"q": "Windmolens"})  # moved: followed
    assert response.status_code == 200 and response.history[0].status_code == 308
    assert [e["label"] for e in response.json()["experts"]] == ["Bee", "Aa"]
    assert [e["label"] for e in response.json()["asking"]] == ["Cee"]
