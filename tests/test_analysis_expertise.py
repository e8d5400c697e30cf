"""Expertise: topic text → thesaurus concepts → experts (experience) kept apart from those
who asked or only showed interest, on the real seeds."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib

from graph import analysis
from graph.analysis import expertise
from graph.analysis.textmatch import LabelIndex, fold, phrase_keys
from graph.errors import BadInput
from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT, Settings

ID = "https://w3id.org/regiokg/id/"
WIND = f"{ID}onderwerp/windturbines"
REPORT = "https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b"
WIND_PHRASINGS = ["windmolens", "wind turbines", "windpark", "Wind-turbines", "Windturbines", "WINDMOLENS",
                  "wind turbine", "windmolen", "Wind Turbines"]
# Attended the Dronten meeting whose subjects include wind turbines, nothing more.
ATTENDEES = {"Papendrecht", "Woerden", "Rijssen-Holten", "Sociaal-Economische Raad", "Platform31",
             "Platform Middelgrote Gemeenten", "Ton van Amerongen", "Henriëtte ten Berge", "Koos Janssen",
             "Joost van Hoorn", "Hans van Daalen", "Yvo ten Hagen", "Arco Hofland", "Roelof van Netten"}


@pytest.fixture(scope="module")
def seeded_kg(tmp_path_factory):
    """Ontology and seeds only (bootstrapped like a fresh installation)."""
    graph = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("seeds") / "store"))
    yield graph
    graph.close()


def labels(entries):
    return [e["label"] for e in entries]


def test_fold_removes_case_diacritics_and_punctuation():
    assert fold("Fryslân") == "fryslan"
    assert fold("CoÖPERATIE") == "cooperatie"
    assert fold("auto's") == "autos"
    assert fold("wind-turbines!") == "wind turbines"


def test_phrase_keys_meet_across_spacing_and_plural():
    assert phrase_keys("wind turbines") & phrase_keys("Windturbine")
    assert phrase_keys("windmolens") & phrase_keys("windmolen")
    assert not phrase_keys("windmolens") & phrase_keys("windturbines")


def test_label_index_prefers_exact_over_partial():
    index = LabelIndex([("a", "windturbines"), ("b", "turbinebouw")])
    assert index.match("windturbine") == (["a"], "exact")
    assert index.match("turbine") == (["a", "b"], "partial")


@pytest.mark.parametrize("text", WIND_PHRASINGS + ["windenergie"])
def test_phrasings_map_to_the_wind_turbine_concept(seeded_kg, text):
    result = analysis.rank_experts(seeded_kg, text)
    assert WIND in [c["concept"] for c in result["concepts"]]
    assert result["match"] == "exact"


def test_broader_term_expands_to_narrower_concepts(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "windenergie")
    depth = {c["concept"]: c["depth"] for c in result["concepts"]}
    assert depth[f"{ID}onderwerp/windenergie"] == 0
    assert depth[WIND] == 1


@pytest.mark.parametrize("text", WIND_PHRASINGS + ["windenergie", "energietransitie"])
def test_experts_on_wind_turbines_are_exactly_dronten_and_waalwijk(seeded_kg, text):
    result = analysis.rank_experts(seeded_kg, text, limit=None, date="2025-01-01")
    assert labels(result["experts"]) == ["Dronten", "Waalwijk"]  # equal score: by IRI, GM0303 first
    for expert in result["experts"]:
        assert expert["expertise"] is True and expert["class"] == "experience"
        first = expert["evidence"][0]
        assert (first["kind"], first["class"], first["source"], first["date"]) == (
            "adviseert", "experience", REPORT, "2017-09-29")
        assert first["source_title"].startswith("Verslag van de ledenbijeenkomst")
        assert "can advise on it" in expert["explanation"]
        # the wethouder who welcomed the meeting spoke about infrastructure, not wind turbines
        assert expert["contacts"] == []
    assert result["experts"][0]["score"] == result["experts"][1]["score"]
    assert result["counts"]["experts"] == 2


@pytest.mark.parametrize("text", ["windmolens", "wind turbines", "windpark"])
def test_barneveld_asks_and_attendees_are_interest_only(seeded_kg, text):
    result = analysis.rank_experts(seeded_kg, text, limit=None)
    assert labels(result["asking"]) == ["Barneveld"]
    barneveld = result["asking"][0]
    assert barneveld["expertise"] is False and barneveld["class"] == "interest"
    assert barneveld["strongest_kind"] == "vraagt-hulp" and barneveld["score"] is None
    assert [c["name"] for c in barneveld["contacts"]] == ["Hans van Daalen"]  # he asked for Barneveld
    assert "windmolens" in barneveld["evidence"][0]["description"]
    experts = set(labels(result["experts"]))
    assert not experts & (ATTENDEES | {"Barneveld"})
    assert set(labels(result["interested"])) == ATTENDEES
    for entry in result["interested"]:
        assert entry["expertise"] is False
        assert {i["kind"] for i in entry["evidence"]} == {"bijeenkomst"}


def test_every_evidence_item_names_its_class(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "regionale samenwerking", limit=None)
    items = [i for key in ("experts", "asking", "interested") for e in result[key] for i in e["evidence"]]
    assert items and all(i["class"] == expertise.kind_class(i["kind"]) for i in items)
    for entry in result["experts"]:
        assert entry["evidence"][0]["class"] == "experience"
    for entry in result["asking"] + result["interested"]:
        assert all(i["class"] == "interest" for i in entry["evidence"])


def test_the_kind_classes_are_the_ontology_collections():
    graph = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "experience-kinds.ttl")

    def members(collection):
        return {str(k).rsplit("/", 1)[1] for k in graph.objects(rdflib.URIRef(ID + "ervaringssoort/" + collection),
                                                                 rdflib.namespace.SKOS.member)}
    assert members("toont-ervaring") == set(expertise.EXPERIENCE_WEIGHTS)
    assert members("toont-interesse") == set(expertise.INTEREST_WEIGHTS) | expertise.ASKING_KINDS


def test_social_domain_portfolio_is_gert_vos_and_hoogeveen_is_no_expert(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "transformatie sociaal domein", limit=None)
    assert labels(result["experts"]) == ["Gert Vos"]
    assert result["experts"][0]["contacts"][0]["name"] == "Gert Vos"
    assert labels(result["asking"]) == ["Papendrecht"]
    assert "Hoogeveen" not in labels(result["experts"] + result["asking"] + result["interested"])


def test_meet_up_municipalities_are_not_experienced_in_its_themes(seeded_kg):
    for topic in ("economie", "energietransitie", "sociale veerkracht", "omgevingswet"):
        result = analysis.rank_experts(seeded_kg, topic, limit=None)
        for municipality in ("Zeist", "Oss", "Veldhoven", "Lochem"):
            assert municipality not in labels(result["experts"]), (topic, municipality)
            assert municipality in labels(result["interested"]), (topic, municipality)


def test_contacts_only_where_the_source_ties_the_person(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "infrastructuur", limit=None)
    dronten = next(e for e in result["interested"] if e["label"] == "Dronten")
    assert [(c["name"], c["how"]) for c in dronten["contacts"]] == [("Ton van Amerongen", ["stated"])]
    assert result["experts"] == [] and "no source attributes experience" in result["message"]


def test_unknown_topic_is_an_empty_answer_that_says_so(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "ruimtevaart op Mars")
    assert result["match"] == "none"
    assert result["experts"] == result["asking"] == result["interested"] == []
    assert "'ruimtevaart op Mars'" in result["message"]


@pytest.mark.parametrize("near", ["Barneveld", "barneveld", "GM0203", f"{ID}gemeente/GM0203"])
def test_near_accepts_a_name_a_cbs_code_or_an_iri(seeded_kg, near):
    result = analysis.rank_experts(seeded_kg, "windmolens", near=near)
    assert result["near"]["actor"] == f"{ID}gemeente/GM0203" and result["near"]["cbs"] == "GM0203"
    km = {e["label"]: e["distance_km"] for e in result["experts"]}
    assert 30 < km["Dronten"] < 45 and 60 < km["Waalwijk"] < 75  # Barneveld's centroid to theirs
    assert [e["steps"] for e in result["experts"]] == [2, 4]  # via the Dronten meeting; Waalwijk via 004's
    assert result["asking"][0]["distance_km"] == 0.0 and result["asking"][0]["steps"] == 0


def test_near_orders_the_same_kind_by_kilometres(seeded_kg):
    without = analysis.rank_experts(seeded_kg, "windmolens")
    assert labels(without["experts"]) == ["Dronten", "Waalwijk"]
    near_waalwijk = analysis.rank_experts(seeded_kg, "windmolens", near="Waalwijk")
    assert labels(near_waalwijk["experts"]) == ["Waalwijk", "Dronten"]
    assert near_waalwijk["experts"][0]["distance_km"] == 0.0
    kms = [e["distance_km"] for e in near_waalwijk["interested"] if e["distance_km"] is not None]
    assert kms == sorted(kms) and len(kms) == 3  # Papendrecht, Woerden, Rijssen-Holten, nearest first


@pytest.mark.parametrize("near", ["Atlantis", "GM9999", f"{ID}gemeente/GM9999"])
def test_unknown_near_is_an_error_naming_it(seeded_kg, near):
    with pytest.raises(BadInput) as error:
        analysis.rank_experts(seeded_kg, "windmolens", near=near)
    assert repr(near) in error.value.message and error.value.code == "unknown_near"


def test_date_answers_as_known_on_that_day(seeded_kg):
    before = analysis.rank_experts(seeded_kg, "windmolens", date="2017-09-28")
    assert before["experts"] == [] and before["asking"] == [] and before["date"] == "2017-09-28"
    on = analysis.rank_experts(seeded_kg, "windmolens", date=dt.date(2017, 9, 29))
    assert labels(on["experts"]) == ["Dronten", "Waalwijk"]
    assert "0.0 years before 2017-09-29" in on["experts"][0]["explanation"]
    with pytest.raises(BadInput) as error:
        analysis.rank_experts(seeded_kg, "windmolens", date="29-09-2017")
    assert "'29-09-2017'" in error.value.message


def test_limit_applies_to_each_list_and_counts_say_how_many(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "windmolens", limit=1)
    assert len(result["experts"]) == 1 and len(result["interested"]) == 1
    assert result["counts"] == {"experts": 2, "asking": 1, "interested": len(ATTENDEES)}
