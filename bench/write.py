"""Write path costs: validation by what changes, and the set default graph.

Measured in one run on a fresh store on disk:

  validate   a write of 50 triples into a described synthetic graph of --graph-triples
             (60,000) triples through the one write path (graph/write.py: SHACL on the
             changed focus nodes with their descriptions), against the baseline of
             validating the whole resulting graph (what every write did before:
             graph.validation.validate_quads over the graph's content plus the 50 triples)
  default    the cost of keeping the default graph a set (graph/store.py): applying the
             graph's quads alone versus the quads plus their default-graph copies, each
             on a fresh store (seconds, quads stored, size on disk)
  real       with --store DIR (e.g. seeds + `regiokg import all ../shared/data`): quads in
             the named graphs versus in the default graph, and the Drechtsteden member count

Writes the ``## Write path`` section of bench/RESULTS.md (--no-write to skip).

    python bench/write.py [--graph-triples 60000] [--store data/store]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph import write  # noqa: E402
from graph.kg import KnowledgeGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import DEFAULT, Change, open_store  # noqa: E402
from graph.synthetic import GRAPH, generate, scale_for_triples  # noqa: E402
from graph.validation import validate_quads  # noqa: E402

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
ORG = ox.NamedNode("http://www.w3.org/ns/org#Organization")
DRECHTSTEDEN = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(?m) AS ?n) WHERE { <https://w3id.org/regiokg/id/samenwerking/drechtsteden> org:hasMember ?m .
  ?m a rk:Municipality ; rdfs:label ?l }"""


def fifty(round_: int) -> list[ox.Quad]:
    """50 valid triples: 10 organisations with a type, a label and three alternative labels."""
    g = ox.NamedNode(GRAPH)
    out = []
    for i in range(10):
        node = ox.NamedNode(f"https://w3id.org/regiokg/id/organisatie/bench-{round_}-{i}")
        out += [ox.Quad(node, RDF_TYPE, ORG, g), ox.Quad(node, LABEL, ox.Literal(f"Bench {round_} {i}"), g)]
        out += [ox.Quad(node, ALT, ox.Literal(f"B{round_}-{i}-{k}"), g) for k in range(3)]
    return out


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph-triples", type=int, default=60_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--store", type=Path, default=None, help="a store with seeds + imports to report on")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="regiokg-bench-write-"))
    data = work / "graph.nq"
    n = generate(data, scale_for_triples(args.graph_triples))
    if n < 0.95 * args.graph_triples:  # the scale is approximate: aim again with the ratio seen
        n = generate(data, scale_for_triples(int(args.graph_triples * args.graph_triples / n)))
    quads = list(ox.parse(path=str(data)))
    lines = []

    # -- validation by what changes vs the whole graph -------------------------------------
    kg = KnowledgeGraph.open(Settings(store=work / "store"), bootstrap=False)
    kg.load_files([data], validate=False)
    size = kg.store.count(GRAPH)
    new_path, old_path, unvalidated = [], [], []
    for r in range(args.rounds):
        batch = fifty(r)
        t = time.perf_counter()
        validate_quads(list(kg.store.quads(GRAPH)) + batch)  # the baseline: the whole resulting graph
        old_path.append(time.perf_counter() - t)
        t = time.perf_counter()
        write.add(kg, batch, validate=True)
        new_path.append(time.perf_counter() - t)
        t = time.perf_counter()
        write.add(kg, fifty(1000 + r), validate=False)
        unvalidated.append(time.perf_counter() - t)
    kg.close()
    new_p50, old_p50, raw_p50 = (statistics.median(x) for x in (new_path, old_path, unvalidated))
    lines += [
        f"A write of 50 triples into a graph of {size:,} triples (median of {args.rounds}):",
        "",
        "| path | seconds | vs baseline |",
        "|---|---:|---:|",
        f"| baseline: SHACL over the whole resulting graph (before) | {old_p50:.3f} | 1.00 |",
        f"| write path, validated (changed focus nodes only) | {new_p50:.3f} | {old_p50 / new_p50:.1f}x faster |",
        f"| write path, not validated | {raw_p50:.3f} | |",
        "",
    ]

    # -- the cost of the set default graph ---------------------------------------------------
    named = [q for q in quads if isinstance(q.graph_name, ox.NamedNode)]
    copies = list({ox.Quad(q.subject, q.predicate, q.object, DEFAULT) for q in named})
    results = {}
    for label, change in (("named graphs only", Change(add=named)),
                          ("named graphs + default graph (the set)", Change(add=named + copies))):
        path = work / ("store-" + str(len(results)))
        store = open_store(path)
        t = time.perf_counter()
        store.apply(change)
        seconds = time.perf_counter() - t
        stored = len(change.add)
        store.close()
        results[label] = (seconds, stored, du(path))
    base = results["named graphs only"]
    lines += [f"The cost of the set default graph, one load of the {len(named):,}-quad graph into a fresh store:", "",
              "| stored | seconds | quads | MB on disk |", "|---|---:|---:|---:|"]
    for label, (seconds, stored, disk) in results.items():
        lines.append(f"| {label} | {seconds:.2f} ({seconds / base[0]:.2f}x) | {stored:,} | "
                     f"{disk / 1e6:.1f} ({disk / base[2]:.2f}x) |")
    lines.append("")

    if args.store:
        with KnowledgeGraph.open(Settings(store=args.store), bootstrap=False) as real:
            members = real.select_text(DRECHTSTEDEN)[0]["n"].value
            lines += [f"Seeds + imports ({args.store.name}): {real.store.count():,} quads in "
                      f"{len(real.store.named_graphs())} named graphs, {real.store.count(''):,} triples in the "
                      f"default graph (+{real.store.count('') / real.store.count():.0%} quads); the Drechtsteden "
                      f"member count over the default graph: {members}.", ""]

    header = (f"## Write path\n\n`python bench/write.py --graph-triples {args.graph_triples}` "
              f"({platform.python_version()}, {os.cpu_count()} cores, pyoxigraph {ox.__version__}; "
              f"{n:,} synthetic triples)\n\n")
    text = header + "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
