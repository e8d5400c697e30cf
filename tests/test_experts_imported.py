"""The experts answer on seeds + ``regiokg import all ../shared/data`` equals the answer on
the seeds alone, except for membership interest (the imports add arrangements and their
members, never experience)."""

from __future__ import annotations

import pytest

from graph import analysis
from graph.kg import KnowledgeGraph
from graph.settings import Settings

DATE = "2025-06-01"
TOPICS = ["windmolens", "wind turbines", "windpark", "regionale samenwerking", "economie", "sociaal domein"]


@pytest.fixture(scope="module")
def seeded_kg(tmp_path_factory):
    graph = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("seeds-only") / "store"))
    yield graph
    graph.close()


@pytest.mark.parametrize("topic", TOPICS)
def test_imports_change_only_membership_interest(seeded_kg, imported_kg, topic):
    seeds = analysis.rank_experts(seeded_kg, topic, limit=None, date=DATE)
    both = analysis.rank_experts(imported_kg, topic, limit=None, date=DATE)
    assert both["experts"] == seeds["experts"]
    assert both["asking"] == seeds["asking"]
    before = {e["actor"]: e for e in seeds["interested"]}
    for entry in both["interested"]:
        old = {(i["kind"], i["statement"], i["via"]) for i in before.get(entry["actor"], {"evidence": []})["evidence"]}
        added = [i for i in entry["evidence"] if (i["kind"], i["statement"], i["via"]) not in old]
        assert all(i["kind"] == "lid-van-samenwerking" for i in added), (entry["label"], added)
    assert set(before) <= {e["actor"] for e in both["interested"]}


def test_wind_turbine_experts_on_all_data_are_dronten_and_waalwijk_only(imported_kg):
    for topic in ("windmolens", "wind turbines", "windpark"):
        result = analysis.rank_experts(imported_kg, topic, limit=None, date=DATE)
        assert [e["label"] for e in result["experts"]] == ["Dronten", "Waalwijk"]
        assert [e["label"] for e in result["asking"]] == ["Barneveld"]


def test_membership_interest_is_counted_for_everyone_but_fetched_for_the_shown(imported_kg):
    full = analysis.rank_experts(imported_kg, "economie", limit=None)
    head = analysis.rank_experts(imported_kg, "economie", limit=5)
    assert full["counts"] == head["counts"] and full["counts"]["interested"] > 5
    assert [e["actor"] for e in head["interested"]] == [e["actor"] for e in full["interested"][:5]]
    assert all(not e["expertise"] for e in full["interested"])
