"""Expertise ranking when membership evidence is counted first and fetched only for the
actors shown (graph/analysis/expertise.py): the answer must equal the one computed from
every membership.

The graph (worked out by hand), topic bodem > bodemsanering (both also called 'grond'):
  arrangements  M1 {A, D, E} (2016)  M2 {A, D} (2018)  M3 {F} (2012), all about bodemsanering
  evidence      A heeft-gedaan (2015), B adviseert (2019), C portefeuille (2020)
  expected      A (5 + recency + 2 memberships), B (4), C (3), then the members only:
                D (latest membership 2018), E (2016), F (2012)
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

AS_OF = dt.date(2021, 1, 1)


@pytest.fixture(scope="module")
def soil_kg(trig_store):
    return trig_store("soil", TRIG)


def test_full_ranking_by_hand(soil_kg):
    result = analysis.rank_experts(soil_kg, "bodem", limit=None, as_of=AS_OF)
    ranked = [(e["label"], e["strongest_kind"]) for e in result["experts"]]
    assert ranked == [("Aa", "heeft-gedaan"), ("Bee", "adviseert"), ("Cee", "portefeuille"),
                      ("Dee", "lid-van-samenwerking"), ("Ee", "lid-van-samenwerking"),
                      ("Ef", "lid-van-samenwerking")]
    aa = result["experts"][0]
    assert sorted((i["kind"], i.get("via_label"), i["date"]) for i in aa["evidence"]) == [
        ("heeft-gedaan", None, "2015-06-01"), ("lid-van-samenwerking", "M1", "2016-01-01"),
        ("lid-van-samenwerking", "M2", "2018-01-01")]
    assert "2 more piece(s) of evidence (+0.02)" in aa["explanation"]
    dee = result["experts"][3]
    assert "latest such evidence 2018-01-01" in dee["explanation"]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 6])
def test_shown_actors_equal_the_full_ranking(soil_kg, limit):
    """With limit <= 3 only the shown actors' memberships are fetched (three actors have
    stronger evidence); above that every membership is. Both give the full ranking's head."""
    full = analysis.rank_experts(soil_kg, "bodemsanering", limit=None, as_of=AS_OF)["experts"]
    head = analysis.rank_experts(soil_kg, "bodemsanering", limit=limit, as_of=AS_OF)["experts"]
    assert head == full[:limit]


def test_overlapping_roots_count_memberships_once(soil_kg):
    """'grond' names both concepts, one narrower than the other: memberships count once."""
    result = analysis.rank_experts(soil_kg, "grond", limit=1, as_of=AS_OF)
    assert {c["label"] for c in result["concepts"]} == {"bodem", "bodemsanering"}
    assert "2 more piece(s) of evidence" in result["experts"][0]["explanation"]
