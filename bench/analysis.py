"""Analysis timings: every analysis on seeds + all imports, and centrality at ~3.5 million
synthetic triples (with the sampled betweenness), plus how close the sampled betweenness
comes to the exact one on a smaller synthetic graph.

    python bench/analysis.py [--data ../shared/data] [--triples 3500000] [--skip-synthetic]

Prints Markdown and writes it as the ``## Analysis`` section of bench/RESULTS.md
(``--no-write`` to skip).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import functools  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph import analysis  # noqa: E402
from graph.analysis import measures, views  # noqa: E402
from graph.importers import import_all  # noqa: E402
from graph.kg import KnowledgeGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.synthetic import Scale, generate, scale_for_triples  # noqa: E402


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def real_data(data: str, tmp: Path) -> tuple[list[tuple[str, float, float, str]], nx.Graph]:
    """(analysis, first run s, reused s, what it found) on seeds + all imports, and the
    actor-arrangement graph of that data."""
    kg = KnowledgeGraph.open(Settings(store=tmp / "real"))
    import_all(kg, data)
    rows = []
    runs = [
        ("load", lambda reuse: analysis.administrative_load(kg, reuse=reuse),
         lambda r: "top: " + ", ".join(f"{x['label']} {x['count']}" for x in r["ranking"][:3])),
        ("centrality", lambda reuse: analysis.centrality(kg, reuse=reuse),
         lambda r: f"{r['nodes']} nodes, {r['edges']} edges, exact={r['method']['betweenness']['exact']}; "
                   "top broker " + r["ranking"][0]["label"]),
        ("overlap", lambda reuse: analysis.overlap(kg, reuse=reuse),
         lambda r: f"{r['overlapping_pairs']} overlapping pairs, {len(r['candidates'])} candidates"),
        ("communities", lambda reuse: analysis.communities(kg, reuse=reuse),
         lambda r: f"{len(r['communities'])} communities, modularity {r['modularity']:.3f}"),
        ("congruence", lambda reuse: analysis.congruence(kg, reuse=reuse),
         lambda r: f"{len(r['divisions'])} divisions; best {r['divisions'][0]['label']} "
                   f"(ARI {r['divisions'][0]['ari']:.2f})"),
        ("experts \"wind turbines\"", lambda reuse: analysis.rank_experts(kg, "wind turbines"),
         lambda r: ", ".join(e["label"] for e in r["experts"][:2])),
        ("path Barneveld → Dronten", lambda reuse: analysis.path(kg, "Barneveld", "Dronten"),
         lambda r: f"{r['length']} steps"),
    ]
    for name, run, describe in runs:
        result, first = timed(functools.partial(run, False))
        _, again = timed(functools.partial(run, True))
        rows.append((name, first, again, describe(result)))
    graph = views.bipartite_view(kg)
    kg.close()
    return rows, graph


def synthetic_centrality(triples: int, tmp: Path) -> dict:
    """End-to-end centrality (SPARQL view → sampled betweenness → write-back) on a store
    holding ``triples`` synthetic triples."""
    path = tmp / "synthetic.nq"
    written = generate(path, scale_for_triples(triples))
    kg = KnowledgeGraph.open(Settings(store=tmp / "synthetic"), bootstrap=False)
    _, load_seconds = timed(lambda: kg.restore(path))
    bipartite, view_seconds = timed(lambda: views.bipartite_view(kg))
    result, seconds = timed(lambda: analysis.centrality(kg, reuse=False))
    _, reused = timed(lambda: analysis.centrality(kg))
    kg.close()
    return {"triples": written, "load": load_seconds, "view": view_seconds, "seconds": seconds, "reused": reused,
            "nodes": result["nodes"], "edges": result["edges"], "method": result["method"], "graph": result["graph"],
            "bipartite": (bipartite.number_of_nodes(), bipartite.number_of_edges())}


def synthetic_bipartite(municipalities: int = 1500) -> nx.Graph:
    """The actor-arrangement graph of a smaller synthetic data set (read from its N-Quads)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "small.nq"
        generate(path, Scale(municipalities=municipalities))
        graph = nx.Graph()
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if "<http://www.w3.org/ns/org#hasMember>" in line:
                    arrangement, _, member, _ = line.split(" ", 3)
                    graph.add_node(arrangement, bipartite=1)
                    graph.add_node(member, bipartite=0)
                    graph.add_edge(arrangement, member)
    return graph


def approximation_quality(graph: nx.Graph, samples=(16, 32, 64, 128)) -> list[dict]:
    """Sampled vs exact betweenness of the actors of an actor-arrangement graph: rank
    correlation, how many of the exact top 20 the sample finds, and the mean absolute
    error relative to the largest exact score. ``spread`` is the coefficient of variation
    of the exact scores (near 0: every actor is about as central, ranks are noise)."""
    import statistics

    from scipy.stats import spearmanr

    actors = measures.actor_nodes(graph)
    (exact, _), exact_seconds = timed(lambda: measures.betweenness(graph, exact_max_nodes=10**9))
    values = [exact[a] for a in actors]
    spread = statistics.pstdev(values) / statistics.mean(values) if statistics.mean(values) else 0.0
    top = set(sorted(actors, key=lambda a: -exact[a])[:20])
    biggest = max(values) or 1.0
    base = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "spread": spread}
    rows = [{**base, "k": "exact", "seconds": exact_seconds, "spearman": 1.0, "top20": 20, "error": 0.0}]
    for k in samples:
        (approx, _), seconds = timed(functools.partial(measures.betweenness, graph, exact_max_nodes=0, sample_size=k, seed=42))
        rho = spearmanr([exact[a] for a in actors], [approx[a] for a in actors]).statistic
        found = set(sorted(actors, key=lambda a: -approx[a])[:20])
        error = sum(abs(approx[a] - exact[a]) for a in actors) / len(actors) / biggest
        rows.append({**base, "k": k, "seconds": seconds, "spearman": float(rho), "top20": len(top & found),
                     "error": error})
    return rows




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="the open-data folder")
    parser.add_argument("--triples", type=int, default=3_500_000, help="size of the synthetic store")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the real data")
    parser.add_argument("--no-write", dest="write", action="store_false", help="do not update bench/RESULTS.md")
    args = parser.parse_args()
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    def finish(args) -> None:
        if args.write:
            section = "## Analysis\n\n`python bench/analysis.py` on " + lines[0].removeprefix("machine: ") + ".\n" + \
                "\n".join(lines[1:]) + "\n"
            write_section(section)

    load = os.getloadavg()[0]
    say(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average at start {load:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        rows, real_graph = real_data(args.data, Path(tmp))
        say()
        say("| analysis (seeds + all imports) | first run s | reused s | result |")
        say("|---|---:|---:|---|")
        for name, first, again, text in rows:
            say(f"| {name} | {first:.2f} | {again:.2f} | {text} |")
        say(f"| **all** | {sum(r[1] for r in rows):.2f} | {sum(r[2] for r in rows):.2f} | |")
        if args.skip_synthetic:
            return finish(args)
        big = synthetic_centrality(args.triples, Path(tmp))
    b = big["method"]["betweenness"]
    say()
    say(f"Synthetic: {big['triples']} triples (graph.synthetic), restored in {big['load']:.1f} s (not counted); "
          f"actor-arrangement graph {big['bipartite'][0]} nodes / {big['bipartite'][1]} edges (view built in "
          f"{big['view']:.1f} s).")
    say(f"Centrality end to end (SPARQL view, {big['graph']}, betweenness exact={b['exact']} k={b['k']} "
          f"seed={b['seed']}, PageRank, write-back): **{big['seconds']:.1f} s**; reused run {big['reused']:.1f} s.")
    say()
    say("| sampled betweenness vs exact | k | nodes | edges | spread | s | Spearman | top-20 found | "
          "mean error / max |")
    say("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, graph in (("real data (seeds + imports)", real_graph), ("synthetic, 1,500 municipalities",
                                                                        synthetic_bipartite())):
        for row in approximation_quality(graph):
            say(f"| {label} | {row['k']} | {row['nodes']} | {row['edges']} | {row['spread']:.2f} | "
                  f"{row['seconds']:.1f} | {row['spearman']:.3f} | {row['top20']}/20 | {row['error']:.3f} |")

    finish(args)


if __name__ == "__main__":
    main()
