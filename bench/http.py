"""HTTP latency and throughput of the mission queries: Oxigraph store vs. rdflib in memory.

The same FastAPI app (``api.app.create_app``) serves both sides; only the knowledge
graph's store differs:

  oxigraph   the embedded store (``regiokg restore`` of the data), as ``regiokg serve`` runs
  rdflib     a plain in-memory ``rdflib.Dataset`` (union default graph) behind the same
             ``KnowledgeGraph`` and the same routes and named queries (answers are handed
             to the routes as pyoxigraph results, a small cost on the rdflib side)

Data: at the Dutch scale the real data (seeds + every import of ../shared/data, ~130k
triples; requests cycle through its arrangements, municipalities and topics), and synthetic
data from ``graph/synthetic.py`` at ~3.5 million triples. Each server runs in its own
process; this process is the client (httpx). Mission queries:

  members       GET /api/arrangements/<slug>          members of an arrangement
  arrangements  GET /api/municipalities/<GM code>     a municipality with its arrangements
  experts       GET /api/experts?topic=...            ranked actors for a topic
  aggregation   GET /api/arrangements?limit=20        every arrangement with its member count

Latency: sequential requests (p50, p99); throughput: 4 concurrent clients. Both stop at a
time budget per query, so slow baselines report fewer samples (shown as n).

    python bench/http.py                 # both scales, writes ## HTTP in bench/RESULTS.md
    python bench/http.py --scales dutch  # quick run
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is bench/http.py: run as a script, its folder would shadow the standard
# library's ``http`` package, so it leaves sys.path before anything imports ``http``.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph.synthetic import Scale, generate, scale_for_triples  # noqa: E402

SCALES = ["dutch", "3.5M"]
CONCURRENCY = 4


# -- the server side (runs in a child process) ---------------------------------------------------
class Solutions(list):
    """SELECT results as the routes read them: iterable rows indexable by variable name."""

    def __init__(self, variables: list, rows: list[dict]):
        super().__init__(rows)
        self.variables = variables


class RdflibStore:
    """The read side of ``graph.store.Store`` over an in-memory rdflib Dataset."""

    generation = 0

    def __init__(self, dataset: Any):
        self.ds = dataset

    def query(self, sparql: str, *, substitutions: dict | None = None, union_default_graph: bool = True,
              default_graph: Any = None, named_graphs: Any = None) -> Any:
        import pyoxigraph as ox

        from graph.terms import to_rdflib, to_term

        bindings = {k: to_rdflib(v) for k, v in (substitutions or {}).items()}
        result = self.ds.query(sparql, initBindings=bindings)
        if result.type == "ASK":
            return bool(result.askAnswer)
        # hand the routes solutions like the embedded store's, as plain Python objects (no
        # pyoxigraph QuerySolutions: they may not be dropped on another thread)
        variables = [ox.Variable(str(v)) for v in result.vars]
        rows = [{str(v): (to_term(row[v]) if row[v] is not None else None) for v in result.vars} for row in result]
        # rdflib answers a GROUP BY query without solutions with one row of nothing (Oxigraph
        # with none); such rows carry no answer, so they are dropped
        return Solutions(variables, [row for row in rows if any(v is not None for v in row.values())])

    def named_graphs(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.ds.graphs() if str(g.identifier) != "urn:x-rdflib:default")

    def count(self, graph: str | None = None) -> int:
        return len(self.ds)

    def change_marker(self) -> str:
        return f"rdflib:{self.generation}"

    def close(self) -> None:
        pass


def serve_child(backend: str, data: str, port: int) -> None:
    """Run one server until killed: ``backend`` is oxigraph (data = store dir) or rdflib (data = .nq)."""
    import uvicorn

    from api.app import create_app
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    settings = Settings(store=data if backend == "oxigraph" else tempfile.mkdtemp(), bootstrap=False,
                        query_workers=1, max_rows=100_000, query_timeout=600)
    started = time.perf_counter()
    if backend == "oxigraph":
        kg = KnowledgeGraph.open(settings)
    else:
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        ds.parse(data, format="nquads")
        kg = KnowledgeGraph(RdflibStore(ds), settings)
    print(json.dumps({"ready": True, "open_seconds": time.perf_counter() - started}), flush=True)
    # The web UI computes its whole-graph views in a background thread at start-up; here it
    # would compete with the measured requests (for minutes over rdflib), so it is skipped.
    import api.routes.ui

    api.routes.ui._warm = lambda data: None
    uvicorn.run(create_app(kg, settings), host="127.0.0.1", port=port, log_level="warning")


# -- the client side -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A server process for one backend."""

    def __init__(self, backend: str, data: Path):
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, __file__, "--child", backend, str(data), str(self.port)],
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                     env=dict(os.environ, PYTHONPATH=str(ROOT)))
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {backend} server did not start")
        self.open_seconds = json.loads(line)["open_seconds"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"the {backend} server did not answer /health")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Catalog:
    """What the mission requests ask about: arrangement slugs, municipality codes, topics."""

    def __init__(self, arrangements: list[str], municipalities: list[str], topics: list[str]):
        self.arrangements, self.municipalities, self.topics = arrangements, municipalities, topics

    @classmethod
    def synthetic(cls, scale: Scale) -> Catalog:
        return cls([f"synthetisch-{a}" for a in range(scale.arrangements)],
                   [f"GM{m:04d}" for m in range(1, scale.municipalities + 1)],
                   [f"synthetisch onderwerp {t}" for t in range(scale.topics)])

    @classmethod
    def from_api(cls, url: str) -> Catalog:
        """The real data's arrangements, current municipalities and topic labels, read from
        the (Oxigraph) server itself."""
        with httpx.Client(base_url=url, timeout=120) as client:
            arrangements = [item["api"].rsplit("/", 1)[-1]
                            for item in client.get("/api/arrangements", params={"limit": 1000}).json()["items"]]
            municipalities = [item["cbs_code"] for item in client.get(
                "/api/municipalities", params={"limit": 1000, "current": "true"}).json()["items"]]
            topics = [label for item in client.get("/api/topics", params={"limit": 1000}).json()["items"]
                      for label in (item["label_nl"], item["label_en"]) if label]
        return cls(arrangements, municipalities, topics)


def mission_paths(catalog: Catalog, i: int) -> dict[str, str]:
    """The i-th request of each mission query (varied so no answer is served twice in a row)."""
    m = catalog.municipalities[(i * 37) % len(catalog.municipalities)]
    a = catalog.arrangements[(i * 13) % len(catalog.arrangements)]
    t = catalog.topics[(i * 7) % len(catalog.topics)]
    return {
        "members": f"/api/arrangements/{a}",
        "arrangements": f"/api/municipalities/{m}",
        "experts": "/api/experts?" + urlencode({"topic": t, "limit": 10}),
        "aggregation": "/api/arrangements?limit=20",
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(url: str, catalog: Catalog, name: str, *, budget: float, max_requests: int,
            request_timeout: float = 300.0) -> dict[str, Any]:
    """Sequential latency (p50/p99) then concurrent throughput, each within ``budget`` seconds.
    A request still unanswered after ``request_timeout`` seconds ends the measurement: it
    counts as taking ``request_timeout`` (a lower bound, reported with ">")."""
    latencies: list[float] = []
    timed_out = False
    with httpx.Client(base_url=url, timeout=request_timeout) as client:
        started = time.monotonic()
        i = 0
        while i < max_requests and (i == 0 or time.monotonic() - started < budget):
            path = mission_paths(catalog, i)[name]
            t0 = time.perf_counter()
            try:
                resp = client.get(path)
            except httpx.TimeoutException:
                latencies.append(request_timeout)
                timed_out = True
                break
            latencies.append(time.perf_counter() - t0)
            if resp.status_code != 200:
                raise SystemExit(f"{url}{path}: {resp.status_code} {resp.text[:300]}")
            i += 1
    summary = {"n": len(latencies) - timed_out, "p50_ms": 1000 * statistics.median(latencies),
               "p99_ms": 1000 * percentile(latencies, 0.99), "throughput_rps": None, "timed_out": timed_out,
               "path": mission_paths(catalog, 0)[name]}
    if timed_out or statistics.median(latencies) > budget / 3:
        return summary  # too slow for a concurrent phase within the budget (reported as "-")
    done = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + min(budget, max(3 * statistics.median(latencies), 5.0))

    def worker(offset: int) -> None:
        nonlocal done
        with httpx.Client(base_url=url, timeout=900) as client:
            j = offset
            while time.monotonic() < stop_at:
                client.get(mission_paths(catalog, j)[name]).raise_for_status()
                with lock:
                    done += 1
                j += CONCURRENCY

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CONCURRENCY)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    summary["throughput_rps"] = done / elapsed if elapsed else 0.0
    return summary


def rps(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def ms(result: dict[str, Any], key: str) -> str:
    """A latency in ms; '>' when a request timed out and the figure is a lower bound."""
    lower_bound = result.get("timed_out") and (key == "p99_ms" or result["n"] == 0)
    return (">" if lower_bound else "") + f"{result[key]:.1f}"


def run_scale(label: str, tmp: Path, *, data_dir: Path, budget: float, max_requests: int,
              request_timeout: float) -> dict[str, Any]:
    data = tmp / f"{label}.nq"
    if label == "dutch":  # the real data: seeds + every import of ../shared/data
        from graph.importers import import_all
        from graph.kg import KnowledgeGraph
        from graph.settings import Settings

        kg = KnowledgeGraph.open(Settings(store=tmp / "dutch-build"))
        import_all(kg, data_dir)
        triples = kg.dump(data)
        kg.close()
        catalog, municipalities = None, 342
    else:
        scale = scale_for_triples(3_500_000)
        triples = generate(data, scale)
        catalog, municipalities = Catalog.synthetic(scale), scale.municipalities
    store = tmp / f"{label}-store"
    from graph.store import bulk_restore

    t0 = time.perf_counter()
    bulk_restore(store, data)
    restore_seconds = time.perf_counter() - t0
    out: dict[str, Any] = {"triples": triples, "municipalities": municipalities, "results": {}}
    for backend in ("oxigraph", "rdflib"):
        child = Child(backend, store if backend == "oxigraph" else data)
        out[f"{backend}_open_seconds"] = restore_seconds if backend == "oxigraph" else child.open_seconds
        if catalog is None:
            catalog = Catalog.from_api(child.url)
        try:
            for name in ("members", "arrangements", "experts", "aggregation"):
                result = measure(child.url, catalog, name, budget=budget, max_requests=max_requests,
                                 request_timeout=request_timeout)
                out["results"].setdefault(name, {})[backend] = result
                print(f"{label:>5} {backend:>8} {name:<12} n={result['n']:<3} p50={ms(result, 'p50_ms'):>9} ms "
                      f"p99={ms(result, 'p99_ms'):>9} ms  {rps(result['throughput_rps'])} req/s", flush=True)
                if result["timed_out"]:  # the server is still at it and would slow the next row: restart
                    child.stop()
                    child = Child(backend, store if backend == "oxigraph" else data)
        finally:
            child.stop()
    shutil.rmtree(store, ignore_errors=True)
    return out


def report(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "## HTTP",
        "",
        f"`python bench/http.py` on {platform.machine()} with {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Dutch scale: the real data (seeds + every import of ../shared/data); "
        "3.5M: synthetic data (graph/synthetic.py). Same FastAPI app and routes; "
        "the knowledge graph is the embedded Oxigraph store or a plain in-memory rdflib Dataset. Latency: "
        f"sequential requests (n of them, at most {args.max_requests} or {args.budget:g} s per query); "
        f"throughput: {CONCURRENCY} concurrent clients (\"-\" where one request takes over a third of the "
        f"budget). A request unanswered after {args.request_timeout:g} s ends its row (\">\": a lower bound). "
        "Speed-up = rdflib p50 / Oxigraph p50. The first request of each row (first path shown) is the "
        "same on both backends.",
        "",
    ]
    for label, run in runs.items():
        lines += [
            f"### {label}: {run['triples']:,} triples, {run['municipalities']} municipalities",
            "",
            f"Opening: Oxigraph restore {run['oxigraph_open_seconds']:.1f} s, "
            f"rdflib parse into memory {run['rdflib_open_seconds']:.1f} s.",
            "",
            "| query | first path | backend | n | p50 ms | p99 ms | req/s | speed-up |",
            "|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for name, per in run["results"].items():
            ox_p50 = per["oxigraph"]["p50_ms"]
            for backend in ("oxigraph", "rdflib"):
                r = per[backend]
                speed = ""
                if backend == "rdflib" and ox_p50:
                    speed = (">" if ms(r, "p50_ms").startswith(">") else "") + f"{r['p50_ms'] / ox_p50:.1f}x"
                path = f"`{r['path']}`" if backend == "oxigraph" else ""
                lines.append(f"| {name} | {path} | {backend} | {r['n']} | {ms(r, 'p50_ms')} | {ms(r, 'p99_ms')} | "
                             f"{rps(r['throughput_rps'])} | {speed} |")
        lines.append("")
    return "\n".join(lines)




def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", default=SCALES, choices=SCALES)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="open data for the Dutch scale")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per query and backend (per phase)")
    ap.add_argument("--max-requests", type=int, default=50, help="most sequential requests per query")
    ap.add_argument("--request-timeout", type=float, default=300.0,
                    help="seconds after which one request ends its row (reported as a lower bound)")
    ap.add_argument("--no-write", dest="write", action="store_false", help="do not update bench/RESULTS.md")
    ap.add_argument("--child", nargs=3, metavar=("BACKEND", "DATA", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        serve_child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.scales:
            runs[label] = run_scale(label, Path(tmp), data_dir=Path(args.data), budget=args.budget,
                                    max_requests=args.max_requests, request_timeout=args.request_timeout)
            if args.write:  # after each scale, so a later failure keeps what was measured
                write_section(report(runs, args))
    print(report(runs, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
