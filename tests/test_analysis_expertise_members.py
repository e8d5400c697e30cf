"""Expertise ranking when membership evidence (interest) is counted first and fetched only
for the actors shown (graph/analysis/expertise.py): the answer must equal the one computed
from every membership.

The graph (worked out by hand), topic bodem > bodemsanering (both also called 'grond'):
  arrangements  M1 {A, D, E} (2016)  M2 {A, D} (2018)  M3 {F} (2012), all about bodemsanering
  evidence      A heeft-gedaan (2015), B adviseert (2019), C portefeuille (2020)
  expected      experts A (3 + recency), B (2), C (1); interested (membership only,
                by number of memberships, then IRI): D (2), E (1), F (1)
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph import analysis

ID = "https://w3id.org/regiokg/id/"

TRIG = """
@prefix rk: <https://w3id.org/regiokg/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix gem: <https://w3id.org/regiokg/id/gemeente/> .
@prefix sw: <https://w3id.org/regiokg/id/samenwerking/> .
@prefix lid: <https://w3id.org/regiokg/id/lidmaatschap/> .
@prefix erv: <https://w3id.org/regiokg/id/ervaring/> .
@prefix soort: <https://w3id.org/regiokg/id/ervaringssoort/> .
@prefix ond: <https://w3id.org/regiokg/id/onderwerp/> .
@prefix g: <https://w3id.org/regiokg/graph/> .

g:test-soil {
  g:test-soil a rk:ReferenceData ; dcterms:title "Bodemtest" ; dcterms:publisher "tests" ;
      dcterms:date "2020-01-01"^^xsd:date .
  ond:bodem a skos:Concept ; skos:prefLabel "bodem"@nl, "soil"@en ; skos:altLabel "grond"@nl .
  ond:bodemsanering a skos:Concept ; skos:prefLabel "bodemsanering"@nl, "soil remediation"@en ;
      skos:altLabel "grond"@nl ; skos:broader ond:bodem .
  gem:GM0001 a rk:Municipality ; rdfs:label "Aa" ; rk:cbsCode "GM0001" .
  gem:GM0002 a rk:Municipality ; rdfs:label "Bee" ; rk:cbsCode "GM0002" .
  gem:GM0003 a rk:Municipality ; rdfs:label "Cee" ; rk:cbsCode "GM0003" .
  gem:GM0004 a rk:Municipality ; rdfs:label "Dee" ; rk:cbsCode "GM0004" .
  gem:GM0005 a rk:Municipality ; rdfs:label "Ee" ; rk:cbsCode "GM0005" .
  gem:GM0006 a rk:Municipality ; rdfs:label "Ef" ; rk:cbsCode "GM0006" .
  sw:m1 a rk:CooperationArrangement ; rdfs:label "M1" ; dcterms:subject ond:bodemsanering ;
      org:hasMember gem:GM0001, gem:GM0004, gem:GM0005 .
  sw:m2 a rk:CooperationArrangement ; rdfs:label "M2" ; dcterms:subject ond:bodemsanering ;
      org:hasMember gem:GM0001, gem:GM0004 .
  sw:m3 a rk:CooperationArrangement ; rdfs:label "M3" ; dcterms:subject ond:bodemsanering ;
      org:hasMember gem:GM0006 .
  lid:m1-a a org:Membership ; org:organization sw:m1 ; org:member gem:GM0001 ; rk:attestedOn "2016-01-01"^^xsd:date .
  lid:m1-d a org:Membership ; org:organization sw:m1 ; org:member gem:GM0004 ; rk:attestedOn "2016-01-01"^^xsd:date .
  lid:m1-e a org:Membership ; org:organization sw:m1 ; org:member gem:GM0005 ; rk:attestedOn "2016-01-01"^^xsd:date .
  lid:m2-a a org:Membership ; org:organization sw:m2 ; org:member gem:GM0001 ; rk:attestedOn "2018-01-01"^^xsd:date .
  lid:m2-d a org:Membership ; org:organization sw:m2 ; org:member gem:GM0004 ; rk:attestedOn "2018-01-01"^^xsd:date .
  lid:m3-f a org:Membership ; org:organization sw:m3 ; org:member gem:GM0006 ; rk:attestedOn "2012-01-01"^^xsd:date .
  erv:a a rk:Experience ; rk:actor gem:GM0001 ; rk:topic ond:bodemsanering ;
      rk:experienceKind soort:heeft-gedaan ; rk:attestedOn "2015-06-01"^^xsd:date ; dcterms:description "sanered" .
  erv:b a rk:Experience ; rk:actor gem:GM0002 ; rk:topic ond:bodemsanering ;
      rk:experienceKind soort:adviseert ; rk:attestedOn "2019-06-01"^^xsd:date ; dcterms:description "advises" .
  erv:c a rk:Experience ; rk:actor gem:GM0003 ; rk:topic ond:bodemsanering ;
      rk:experienceKind soort:portefeuille ; rk:attestedOn "2020-06-01"^^xsd:date ; dcterms:description "portfolio" .
}
"""

AS_OF = "2021-01-01"


@pytest.fixture(scope="module")
def soil_kg(trig_store):
    return trig_store("soil", TRIG)


def test_full_ranking_by_hand(soil_kg):
    result = analysis.rank_experts(soil_kg, "bodem", limit=None, date=AS_OF)
    assert [(e["label"], e["strongest_kind"]) for e in result["experts"]] == [
        ("Aa", "heeft-gedaan"), ("Bee", "adviseert"), ("Cee", "portefeuille")]
    # membership is interest: never expertise, ordered by how many memberships
    assert [(e["label"], e["strongest_kind"], e["expertise"]) for e in result["interested"]] == [
        ("Dee", "lid-van-samenwerking", False), ("Ee", "lid-van-samenwerking", False),
        ("Ef", "lid-van-samenwerking", False)]
    assert "member of an arrangement on it (2)" in result["interested"][0]["explanation"]
    aa = result["experts"][0]
    assert [(i["kind"], i["class"], i.get("via_label"), i["date"]) for i in aa["evidence"]] == [
        ("heeft-gedaan", "experience", None, "2015-06-01"),
        ("lid-van-samenwerking", "interest", "M2", "2018-01-01"),
        ("lid-van-samenwerking", "interest", "M1", "2016-01-01")]
    assert "more piece" not in aa["explanation"]  # memberships do not add to an expert's score
    assert aa["score"] == round(3 + 0.9 * 0.5 ** ((dt.date(2021, 1, 1) - dt.date(2015, 6, 1)).days / 365.25 / 5), 4)


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 6])
def test_shown_actors_equal_the_full_ranking(soil_kg, limit):
    """Memberships are counted for everyone and fetched only for the actors shown: the head
    of every list equals the head of the full lists."""
    full = analysis.rank_experts(soil_kg, "bodemsanering", limit=None, date=AS_OF)
    head = analysis.rank_experts(soil_kg, "bodemsanering", limit=limit, date=None)
    for key in ("experts", "interested"):
        assert [e["label"] for e in head[key]] == [e["label"] for e in full[key][:limit]]
    assert head["counts"] == full["counts"] == {"experts": 3, "asking": 0, "interested": 3}


def test_date_keeps_only_memberships_and_evidence_known_then(soil_kg):
    result = analysis.rank_experts(soil_kg, "bodem", limit=None, date="2016-06-01")
    assert [e["label"] for e in result["experts"]] == ["Aa"]  # Bee (2019) and Cee (2020) said it later
    assert "Dee" in [e["label"] for e in result["interested"]]


def test_overlapping_roots_count_memberships_once(soil_kg):
    """'grond' names both concepts, one narrower than the other: memberships count once."""
    result = analysis.rank_experts(soil_kg, "grond", limit=1, date=AS_OF)
    assert {c["label"] for c in result["concepts"]} == {"bodem", "bodemsanering"}
    assert "member of an arrangement on it (2)" in result["interested"][0]["explanation"]
    assert len(result["experts"][0]["evidence"]) == 3
