"""The extractors on short Dutch texts of our own (a council paper, a news item), for the
kinds of fact the five sources lack: memberships with dates, meetings with date and
place, agreements, people with role and organisation, former municipalities with lineage.
Each test also says what must NOT be proposed."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingest import build_extractor
from graph.ingest.extract import split_sentences
from graph.ingest.readers import read_path

DOCS = Path(__file__).parent / "ingest_docs"
GM = "https://w3id.org/regiokg/id/gemeente/"


@pytest.fixture(scope="module")
def seeds_kg(tmp_path_factory):
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    kg = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("extract") / "store"))
    yield kg
    kg.close()


def run(kg, text: str, date: str | None = None):
    return build_extractor(kg).run(text, doc_date=date)


def of(proposals, kind):
    return [p for p in proposals if p.kind == kind]


def test_council_paper_membership_meeting_agreement_people(seeds_kg):
    doc = read_path(DOCS / "raadsvoorstel_foodvalley.txt")
    assert (doc.title, doc.date) == ("Raadsvoorstel: toetreding tot Regio FoodValley", "2025-11-03")
    found = run(seeds_kg, doc.text, doc.date)
    [membership] = of(found, "membership")
    assert membership.data["member"] == GM + "GM0339" and membership.data["edge"] == "begin"
    assert membership.data["organisation_label"] in ("Regio FoodValley", "FoodValley")
    assert membership.data["date"] == "2025-12-01"   # "per 1 december": the document's year
    assert doc.text[membership.sentence[0]:membership.sentence[1]].startswith("De gemeente Renswoude treedt")
    [meeting] = of(found, "meeting")
    assert meeting.data["date"] == "2025-11-20" and meeting.data["places"] == [GM + "GM0339"]
    assert set(meeting.data["attendees"]) == {GM + "GM0228", GM + "GM0289", GM + "GM0339"}   # Ede, Wageningen
    assert "https://w3id.org/regiokg/id/onderwerp/energietransitie" in meeting.data["topics"]
    agreements = {(p.data["form"], tuple(p.data["party_labels"])) for p in of(found, "agreement")}
    assert ("convenant", ("Renswoude", "Veenendaal")) in agreements
    assert ("samenwerking", ("Renswoude", "Utrecht")) in agreements
    posts = {(p.data["name"], p.data["role_label"], p.data["organisation_label"]) for p in of(found, "post")}
    assert posts == {("Koos Janssen", "voorzitter", "Platform Middelgrote Gemeenten")}
    # no experience: the paper states no one's experience ("heeft geadviseerd" is about the college)
    assert not [p for p in of(found, "experience") if p.data["experience_kind"] == "heeft-gedaan"]


def test_news_item_people_and_compounds(seeds_kg):
    doc = read_path(DOCS / "nieuws_windpark_zeewolde.txt")
    found = run(seeds_kg, doc.text, doc.date)
    posts = {(p.data["name"], p.data["role_label"], p.data["organisation_label"]) for p in of(found, "post")}
    assert ("Jan de Vries", "wethouder", "Zeewolde") in posts
    assert not any(name.startswith("Wethouder") for name, _, _ in posts)
    topics = {p.data["label"]: doc.text[p.start:p.end] for p in of(found, "topic")}
    assert "windturbines" in topics
    hits = [s for s in split_sentences(doc.text) if "windturbinepark" in s.text]
    assert hits   # the compound is in the text ...
    extractor = build_extractor(seeds_kg)
    sentence = hits[0]
    compound = [t for t in extractor.topics(doc.text, sentence, extractor.mentions(doc.text, sentence))
                if t.text == "windturbinepark"]
    assert [t.concept.rsplit("/", 1)[-1] for t in compound] == ["windturbines"] and compound[0].method == "compound"
    kinds = {(p.data["actor_label"], p.data["experience_kind"]) for p in of(found, "experience")}
    assert kinds == {("Zeewolde", "heeft-gedaan"), ("Lelystad", "vraagt-hulp")}


def test_former_names_carry_their_lineage(seeds_kg):
    text = "Nieuws\n\nDe voormalige gemeente Akersloot had een windmolen. Gemeente Castricum bouwde er meer."
    actors = {p.data["label"]: p for p in of(run(seeds_kg, text), "actor")}
    assert actors["Castricum"].data["lineage"] == "Akersloot merged into Castricum (2002-01-01)"


def test_dissolved_municipality_from_the_boundaries_import(tmp_path, shared_dir):
    from graph.importers import import_boundaries
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    with KnowledgeGraph.open(Settings(store=tmp_path / "store")) as kg:
        import_boundaries(kg, shared_dir / "data" / "geo")
        found = run(kg, "Verslag\n\nDe gemeente Bedum heeft in 2017 een windpark gebouwd.", "2017-06-01")
    [bedum] = [p for p in of(found, "actor") if p.data["label"] == "Bedum"]
    assert bedum.data["actor"] == GM + "GM0005"   # the fact stays with Bedum ...
    assert "successor Het Hogeland" in bedum.data["lineage"]   # ... and says where it went
    [built] = of(found, "experience")
    assert built.data["actor"] == GM + "GM0005" and built.data["experience_kind"] == "heeft-gedaan"


def test_names_that_are_not_the_actor(seeds_kg):
    text = ("Verslag\n\nBijv. de Economic Board Utrecht is bij veel gemeenteraden langsgegaan.\n"
            "Platform31: Joost van Hoorn\nDe regio Assen-Groningen 2030 werkt aan wonen.\n"
            "Zorgen voor goed onderwijs in Best is lastig.")
    found = run(seeds_kg, text)
    labels = {p.data["label"] for p in of(found, "actor")}
    assert "Utrecht" not in labels and "Hoorn" not in labels and "Assen" not in labels and "Groningen" not in labels
    assert "Economic Board Utrecht" in labels


def test_near_misses_are_resolved_with_a_lower_confidence(seeds_kg):
    text = "Verslag\n\nDe gemeente Haasbergen en de gemeente Papendrceht werken samen met de gemeente Zwolle."
    actors = {p.data["label"]: p for p in of(run(seeds_kg, text), "actor")}
    assert actors["Haaksbergen"].method.startswith("resolver:spelling")        # one letter off: the resolver
    assert actors["Papendrecht"].method.startswith("fuzzy:")                   # letters swapped: rapidfuzz
    assert actors["Haaksbergen"].confidence < actors["Zwolle"].confidence
    assert actors["Papendrecht"].confidence < actors["Haaksbergen"].confidence


def test_water_boards_and_abbreviations_from_the_graph(tmp_path):
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    trig = tmp_path / "waterschap.trig"
    trig.write_text("""
@prefix rk: <https://w3id.org/regiokg/def#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/regiokg/graph/file/waterschap> {
  <https://w3id.org/regiokg/graph/file/waterschap> a rk:ReferenceData ; dcterms:title "Waterschap" ;
      dcterms:publisher "test" ; dcterms:date "2025-01-01"^^xsd:date .
  <https://w3id.org/regiokg/id/waterschap/vallei-en-veluwe> a rk:WaterBoard ;
      rdfs:label "Waterschap Vallei en Veluwe" ; skos:altLabel "WVV" .
}""", encoding="utf-8")
    with KnowledgeGraph.open(Settings(store=tmp_path / "store")) as kg:
        kg.load_files([trig])
        found = run(kg, "Nieuws\n\nHet WVV en de gemeente Ede sluiten een convenant over wateroverlast. "
                        "Waterschap Vallei en Veluwe is blij; wvv is hier een gewoon woord.")
    actors = {p.data["label"]: p for p in of(found, "actor")}
    board = actors["Waterschap Vallei en Veluwe"]
    assert board.data["actor_kind"] == "water-board" and "2 mention(s)" in board.method   # WVV, not "wvv"
    [agreement] = of(found, "agreement")
    assert set(agreement.data["party_labels"]) == {"Waterschap Vallei en Veluwe", "Ede"}
