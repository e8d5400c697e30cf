"""Import time for all of ../shared/data into a fresh store (seeds loaded first, not timed).

Runs ``graph.importers.import_all`` twice on a fresh on-disk store: the first run writes
every import graph, the second is the idempotent re-run (nothing changes). Prints seconds
per import, triples and the totals as a Markdown table for bench/RESULTS.md.

    python bench/imports.py [--data ../shared/data]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.importers import import_all  # noqa: E402
from graph.kg import KnowledgeGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="the open-data folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        kg = KnowledgeGraph.open(Settings(store=Path(tmp) / "store"))
        seeds = time.perf_counter() - started
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            reports = import_all(kg, args.data)
            runs.append((time.perf_counter() - started, reports))
        total_triples = kg.store.count()
        kg.close()
    first, second = runs
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; data: {args.data}; "
          f"seeds bootstrap {seeds:.1f} s (not counted); store triples after import: {total_triples}")
    print()
    print("| import | rows read | triples | first run s | re-run s |")
    print("|---|---:|---:|---:|---:|")
    for a, b in zip(first[1], second[1], strict=True):
        print(f"| {a.dataset} | {a.rows_read} | {a.triples} | {a.seconds:.1f} | {b.seconds:.1f} |")
    print(f"| **all** | {sum(r.rows_read for r in first[1])} | {sum(r.triples for r in first[1])} | "
          f"{first[0]:.1f} | {second[0]:.1f} |")


if __name__ == "__main__":
    main()
