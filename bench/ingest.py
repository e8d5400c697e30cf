"""Ingestion measured on the five source documents: recall against their seed graphs and
precision of the proposals, per document and kind of fact (the table of
tests/test_ingest_sources.py), plus the time per document. Writes the ``## Ingestion``
section of bench/RESULTS.md (``--no-write`` to only print).

    .venv/bin/python bench/ingest.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_ingest_sources import STEMS, measure, table  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph.kg import KnowledgeGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kg = KnowledgeGraph.open(Settings(store=Path(tmp) / "store"))
        started = time.perf_counter()
        rows = measure(kg, args.shared / "sources")
        seconds = time.perf_counter() - started
        kg.close()
    text, summary = table(rows)
    section = "\n".join([
        "## Ingestion",
        "",
        "`bench/ingest.py`: each of the five sources ingested (`graph.ingest`, gazetteer without the",
        "source's own seed graph) and compared with its seed graph (`graph/ingest/evaluate.py`). Recall:",
        "share of the seed's facts proposed; precision: share of all proposals that the seed holds or a",
        "reviewer judged right (`tests/ingest_docs/judged.tsv`; unjudged count as wrong).",
        "",
        text,
        "",
        f"Targets: recall >= 70 % of actors ({summary['actors']:.0%}), topics ({summary['topics']:.0%}) and "
        f"experience statements ({summary['experience']:.0%}); precision >= 80 % ({summary['precision']:.0%}). "
        + ("All met." if min(summary['actors'], summary['topics'], summary['experience']) >= 0.7
           and summary['precision'] >= 0.8 else "Experience recall is below the target; see docs/ingest.md."),
        "",
        f"Time: {seconds:.1f} s for the {len(STEMS)} documents (gazetteer and thesaurus built per document, "
        "seeds-only store).",
    ])
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
