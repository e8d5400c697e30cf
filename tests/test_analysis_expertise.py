"""Expertise: topic text → thesaurus concepts → actors with evidence, on the real seeds."""

from __future__ import annotations

import datetime as dt

import pytest

from graph import analysis
from graph.analysis.textmatch import LabelIndex, fold, phrase_keys
from graph.kg import KnowledgeGraph
from graph.settings import Settings

ID = "https://w3id.org/regiokg/id/"
WIND = f"{ID}onderwerp/windturbines"
REPORT = "https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b"


@pytest.fixture(scope="module")
def seeded_kg(tmp_path_factory):
    """Ontology and seeds only (bootstrapped like a fresh installation)."""
    graph = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("seeds") / "store"))
    yield graph
    graph.close()


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


@pytest.mark.parametrize("text", ["Windturbines", "windmolens", "wind turbine", "WINDMOLENS", "windenergie",
                                  "wind turbines", "windmolen", "Wind Turbines"])
def test_phrasings_map_to_the_wind_turbine_concept(seeded_kg, text):
    result = analysis.rank_experts(seeded_kg, text)
    assert WIND in [c["concept"] for c in result["concepts"]]
    assert result["match"] == "exact"


def test_broader_term_expands_to_narrower_concepts(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "windenergie")
    depth = {c["concept"]: c["depth"] for c in result["concepts"]}
    assert depth[f"{ID}onderwerp/windenergie"] == 0
    assert depth[WIND] == 1


@pytest.mark.parametrize("text", ["wind turbines", "windmolens", "Windturbines", "windenergie"])
def test_dronten_and_waalwijk_rank_first_with_the_2017_report(seeded_kg, text):
    result = analysis.rank_experts(seeded_kg, text, as_of=dt.date(2025, 1, 1))
    top_two = result["experts"][:2]
    assert sorted(e["label"] for e in top_two) == ["Dronten", "Waalwijk"]
    for expert in top_two:
        evidence = expert["evidence"][0]
        assert evidence["kind"] == "adviseert"
        assert evidence["source"] == REPORT
        assert evidence["date"] == "2017-09-29"
        assert evidence["source_title"]
        assert "advises on it" in expert["explanation"]
    assert all(e["score"] < top_two[1]["score"] for e in result["experts"][2:])


def test_questions_are_not_ranked_as_expertise(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "windmolens", limit=100)
    barneveld = next(e for e in result["experts"] if e["label"] == "Barneveld")
    kinds = {item["kind"] for item in barneveld["evidence"]}
    assert "vraagt-hulp" in kinds  # Barneveld asked who had been through it
    assert barneveld["strongest_kind"] != "vraagt-hulp" or barneveld["expertise"] is False
    assert barneveld["score"] < 2


def test_unknown_topic_gives_no_experts(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "ruimtevaart op Mars")
    assert result["match"] == "none"
    assert result["experts"] == []


def test_near_orders_equal_scores_by_distance(seeded_kg):
    result = analysis.rank_experts(seeded_kg, "windmolens", near="Barneveld")
    assert result["near"].endswith("GM0203")
    assert all("from the asker" in e["explanation"] for e in result["experts"])
