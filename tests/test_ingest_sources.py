"""Ingesting the five source documents recovers what their hand-made seed graphs hold.

Each source is ingested with a gazetteer that leaves its own seed graph out (so the names
the seed author typed in do not help), then compared with that seed graph per kind of fact
(graph/ingest/evaluate.py). The table is printed (pytest -s shows it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingest.evaluate import KINDS, evaluate, seed_facts
from graph.ingest.readers import read_path
from graph.ingest.review import ReviewQueue
from graph.namespaces import RKG

STEMS = ["000_90296d1bc9ec201b", "001_7caac940aba3b21f", "002_fac9fb6c79f0e752", "003_edc8197e25a54393",
         "004_876664bd19358e88"]
JUDGED = Path(__file__).parent / "ingest_docs" / "judged.tsv"


def judged() -> dict[str, str]:
    verdicts = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            pid, verdict, *_ = line.split("\t")
            assert verdict in ("right", "wrong"), line
            verdicts[pid] = verdict
    return verdicts


def measure(kg, sources: Path) -> list[dict]:
    queue = ReviewQueue(kg)
    rows = []
    for stem in STEMS:
        entry = queue.ingest(read_path(sources / f"{stem}.txt"), exclude_graphs=[f"{RKG}source/{stem}"])
        rows.append({"document": stem, **evaluate(seed_facts(kg, stem), entry["proposals"], judged()),
                     "proposals": entry["proposals"]})
    return rows


def table(rows: list[dict]) -> tuple[str, dict]:
    lines = ["| document | " + " | ".join(f"recall {k}" for k in KINDS) + " | precision (all proposals) |",
             "|---" * (len(KINDS) + 2) + "|"]
    total_r = {k: [0, 0] for k in KINDS}
    total_p = [0, 0]
    for row in rows:
        cells = []
        for k in KINDS:
            a, b = row["recall"][k]
            total_r[k][0] += a
            total_r[k][1] += b
            cells.append(f"{a}/{b}" if b else "-")
        ok = sum(a for a, _ in row["precision"].values())
        n = sum(b for _, b in row["precision"].values())
        total_p[0] += ok
        total_p[1] += n
        lines.append(f"| {row['document']} | " + " | ".join(cells) + f" | {ok}/{n} |")
    summary = {k: a / b for k, (a, b) in total_r.items() if b}
    summary["precision"] = total_p[0] / total_p[1]
    lines.append("| **all** | " + " | ".join(f"**{a}/{b} = {a / b:.0%}**" for a, b in total_r.values())
                 + f" | **{total_p[0]}/{total_p[1]} = {summary['precision']:.0%}** |")
    kinds = ["actor", "person", "post", "topic", "experience", "membership", "meeting", "agreement"]
    lines += ["", "| document | " + " | ".join(f"precision {k}" for k in kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
    per_kind = {k: [0, 0] for k in kinds}
    for row in rows:
        cells = []
        for k in kinds:
            a, b = row["precision"].get(k, (0, 0))
            per_kind[k][0] += a
            per_kind[k][1] += b
            cells.append(f"{a}/{b}" if b else "-")
        lines.append(f"| {row['document']} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(f"**{a}/{b}**" if b else "-" for a, b in per_kind.values()) + " |")
    summary.update({f"precision_{k}": a / b for k, (a, b) in per_kind.items() if b})
    return "\n".join(lines), summary


@pytest.fixture(scope="module")
def measured(tmp_path_factory, shared_dir):
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    kg = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("ingest-sources") / "store"))
    yield measure(kg, shared_dir / "sources")
    kg.close()


def test_recall_and_precision_on_the_five_sources(measured):
    text, summary = table(measured)
    print("\n" + text)
    assert summary["actors"] >= 0.70
    assert summary["topics"] >= 0.70
    assert summary["precision"] >= 0.80
    assert summary["experience"] >= 0.70
    for kind in ("actor", "topic", "experience", "person", "post", "meeting"):
        assert summary[f"precision_{kind}"] >= 0.80, kind
    for row in measured:   # proposals are right at least 80 % of the time per document too
        ok = sum(a for a, _ in row["precision"].values())
        assert ok / max(1, sum(b for _, b in row["precision"].values())) >= 0.80, row["document"]


def test_what_must_be_found_and_what_must_not(measured):
    by_doc = {row["document"]: row for row in measured}
    p000 = by_doc["000_90296d1bc9ec201b"]["proposals"]
    experiences = {(p["data"]["actor_label"], p["data"]["experience_kind"]) for p in p000 if p["kind"] == "experience"}
    assert ("Waalwijk", "adviseert") in experiences and ("Dronten", "adviseert") in experiences
    assert ("Barneveld", "vraagt-hulp") in experiences
    assert ("Barneveld", "adviseert") not in experiences and ("Barneveld", "heeft-gedaan") not in experiences
    # "Economic Board Utrecht" and "Joost van Hoorn" are not the municipalities Utrecht and Hoorn
    actors = {p["data"]["label"] for p in p000 if p["kind"] == "actor"}
    assert "Utrecht" not in actors and "Hoorn" not in actors
    posts = {(p["data"]["name"], p["data"]["role_label"], p["data"]["organisation_label"]) for p in p000
             if p["kind"] == "post"}
    assert ("Ton van Amerongen", "wethouder", "Dronten") in posts
    p003 = by_doc["003_edc8197e25a54393"]["proposals"]
    listed = {p["data"]["actor_label"] for p in p003 if p["kind"] == "experience"}
    assert {"MRA", "Drechtsteden", "Stedendriehoek"} <= listed
    assert not {"Groningen", "Limburg", "Oostzaan", "Wormerland"} & listed   # parts of longer names
    # every proposal's span lies inside its sentence
    for row in measured:
        for p in row["proposals"]:
            assert p["sentence"][0] <= p["start"] < p["end"] <= p["sentence"][1], (row["document"], p["summary"])
