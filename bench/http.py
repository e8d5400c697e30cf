"""HTTP latency and throughput of the mission queries: regiokg on its embedded Oxigraph store,
against the Oxigraph server on the same data and against rdflib in memory.

  oxigraph   regiokg (``api.app.create_app``) on the embedded store (``regiokg restore`` of
             the data), as ``regiokg serve`` runs
  server     the Oxigraph server (``oxigraph serve-read-only``, the ``oxigraph`` package on
             PyPI, the same Oxigraph version as pyoxigraph) on a checkpoint of that very
             store, asked the equivalent SPARQL straight over HTTP: for an ``/api`` request
             the queries regiokg ran for it (recorded in regiokg's process during the
             sequential phase, replayed one after the other); for ``/sparql`` the same text
  rdflib     the same FastAPI app over a plain in-memory ``rdflib.Dataset`` (union default
             graph) behind the same ``KnowledgeGraph``, routes and named queries (answers
             are handed to the routes as pyoxigraph results, a small cost on the rdflib side)

Data: at the Dutch scale the real data (seeds + every import of ../shared/data, ~130k
triples; requests cycle through its arrangements, municipalities and topics), and synthetic
data from ``graph/synthetic.py`` at ~3.5 million triples. Each server runs in its own
process; this process is the client (httpx). Mission queries:

  members       GET /api/arrangements/<slug>          members of an arrangement
  arrangements  GET /api/municipalities/<GM code>     a municipality with its arrangements
  experts       GET /api/experts?topic=...            ranked actors for a topic
  aggregation   GET /api/arrangements?limit=20        every arrangement with its member count
  lookup        GET /sparql?query=SELECT ?label WHERE { <municipality> rdfs:label ?label }
  ask           GET /sparql?query=ASK { <municipality> a rk:Municipality }

Latency: sequential requests (p50, p99); throughput: 8 concurrent clients. Both stop at a
time budget per query, so slow baselines report fewer samples (shown as n). regiokg and the
server are measured back to back for each query (same minute, same machine load).

    python bench/http.py                 # both scales, writes ## HTTP in bench/RESULTS.md
    python bench/http.py --scales dutch  # quick run
    python bench/http.py --rdflib-queries aggregation   # the rdflib baseline for the aggregation only
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
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph.synthetic import Scale, generate, scale_for_triples  # noqa: E402

SCALES = ["dutch", "3.5M"]
CONCURRENCY = 8
API_QUERIES = ["members", "arrangements", "experts", "aggregation"]
SPARQL_QUERIES = ["lookup", "ask"]
QUERIES = API_QUERIES + SPARQL_QUERIES
RESULTS_JSON = "application/sparql-results+json"
RECORD_HEADER = "x-bench-record"  # regiokg records the store queries of requests that carry it (query_recorder)
RK_MUNICIPALITY = "https://w3id.org/regiokg/def#Municipality"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


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
                        max_rows=100_000, query_timeout=600, query_memory_mb=8192)
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

    api.routes.ui._warm = lambda *args, **kwargs: None
    app: Any = create_app(kg, settings)
    if os.environ.get("BENCH_RECORD"):  # the store queries are recorded (bench/query_recorder.py)
        from bench import query_recorder

        app = query_recorder.asgi(app)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# -- the client side -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A regiokg server process for one backend (oxigraph or rdflib)."""

    def __init__(self, backend: str, data: Path, *, record: Path | None = None):
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        if record is not None:  # every process of this server records (bench/query_recorder.py)
            from bench.query_recorder import SITECUSTOMIZE

            hook = record.parent / "record-hook"
            hook.mkdir(exist_ok=True)
            (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
            env.update(BENCH_RECORD=str(record), PYTHONPATH=f"{hook}{os.pathsep}{ROOT}")
        self.proc = subprocess.Popen([sys.executable, __file__, "--child", backend, str(data), str(self.port)],
                                     stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
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


def oxigraph_cli() -> str:
    """The ``oxigraph`` command (``pip install oxigraph``), next to this Python or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the Oxigraph server is missing: pip install oxigraph (it gives the `oxigraph` command)")
    return found


class OxigraphServer:
    """``oxigraph serve-read-only`` on a store directory, on loopback."""

    backend = "server"

    def __init__(self, location: Path):
        exe = oxigraph_cli()
        self.version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location),
                                      "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the Oxigraph server stopped (exit code {self.proc.returncode})")
            try:
                if httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("the Oxigraph server did not answer")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Catalog:
    """What the mission requests ask about: arrangement slugs, municipality codes and IRIs, topics."""

    def __init__(self, arrangements: list[str], municipalities: list[str], topics: list[str],
                 municipality_iris: list[str]):
        self.arrangements, self.municipalities, self.topics = arrangements, municipalities, topics
        self.municipality_iris = municipality_iris

    @classmethod
    def synthetic(cls, scale: Scale) -> Catalog:
        from graph.namespaces import RKID

        codes = [f"GM{m:04d}" for m in range(1, scale.municipalities + 1)]
        return cls([f"synthetisch-{a}" for a in range(scale.arrangements)], codes,
                   [f"synthetisch onderwerp {t}" for t in range(scale.topics)],
                   [f"{RKID}gemeente/{code}" for code in codes])

    @classmethod
    def from_api(cls, url: str) -> Catalog:
        """The real data's arrangements, current municipalities and topic labels, read from
        the (Oxigraph) server itself."""
        with httpx.Client(base_url=url, timeout=120) as client:
            arrangements = [item["api"].rsplit("/", 1)[-1]
                            for item in client.get("/api/arrangements", params={"limit": 1000}).json()["items"]]
            items = client.get("/api/municipalities", params={"limit": 1000, "current": "true"}).json()["items"]
            topics = [label for item in client.get("/api/topics", params={"limit": 1000}).json()["items"]
                      for label in (item["label_nl"], item["label_en"]) if label]
        return cls(arrangements, [item["cbs_code"] for item in items], topics, [item["iri"] for item in items])


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
        "lookup": "/sparql?" + urlencode({"query": sparql_text(catalog, "lookup", i)}),
        "ask": "/sparql?" + urlencode({"query": sparql_text(catalog, "ask", i)}),
    }


def sparql_text(catalog: Catalog, name: str, i: int) -> str:
    """The SPARQL of the trivial lookups (the same text to regiokg's /sparql and the server's /query)."""
    iri = catalog.municipality_iris[(i * 37) % len(catalog.municipality_iris)]
    if name == "lookup":
        return f"SELECT ?label WHERE {{ <{iri}> <{RDFS_LABEL}> ?label }}"
    return f"ASK {{ <{iri}> a <{RK_MUNICIPALITY}> }}"


# A request: fetch(client, i, record) sends the i-th request of one query and reads the answer.
Fetch = Callable[[httpx.Client, int, bool], None]


def regiokg_fetch(catalog: Catalog, name: str) -> Fetch:
    def fetch(client: httpx.Client, i: int, record: bool) -> None:
        path = mission_paths(catalog, i)[name]
        headers = {"accept": RESULTS_JSON} if name in SPARQL_QUERIES else {}
        if record:
            headers[RECORD_HEADER] = f"{name}:{i}"
        resp = client.get(path, headers=headers)
        if resp.status_code != 200:
            raise SystemExit(f"{client.base_url}{path}: {resp.status_code} {resp.text[:300]}")
        resp.json()
    return fetch


def server_fetch(catalog: Catalog, name: str, recorded: list[list[dict[str, Any]]]) -> Fetch:
    """The Oxigraph server asked what regiokg asked its store for the same request."""
    def fetch(client: httpx.Client, i: int, record: bool) -> None:
        if name in SPARQL_QUERIES:
            resp = client.get("/query", params={"query": sparql_text(catalog, name, i)},
                              headers={"accept": RESULTS_JSON})
            if resp.status_code != 200:
                raise SystemExit(f"server: {resp.status_code} {resp.text[:300]}")
            resp.json()
            return
        for q in recorded[i % len(recorded)]:
            params = [("default-graph-uri", g) for g in q["default_graph"] or []]
            params += [("named-graph-uri", g) for g in q["named_graphs"] or []]
            resp = client.post("/query", content=q["query"].encode("utf-8"), params=params,
                               headers={"content-type": "application/sparql-query",
                                        "accept": f"{RESULTS_JSON}, application/n-triples;q=0.9"})
            if resp.status_code != 200:
                raise SystemExit(f"server: {resp.status_code} {resp.text[:300]}\n{q['query'][:500]}")
            if resp.headers.get("content-type", "").startswith(RESULTS_JSON):
                resp.json()
            else:
                resp.read()
    return fetch


def read_recording(path: Path, name: str, n: int) -> list[list[dict[str, Any]]]:
    """The store queries regiokg ran for requests 0..n-1 of ``name``, in order."""
    per: dict[str, list[dict[str, Any]]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            per.setdefault(item["id"], []).append(item)
    recorded = [per.get(f"{name}:{i}", []) for i in range(max(1, n))]
    for queries in recorded:
        for q in queries:
            if q["substitutions"] or q["default_graph"] == []:
                raise SystemExit(f"{name}: a recorded query has substitutions or an empty default graph; "
                                 "the replay would not be the same query")
    if not any(recorded):
        raise SystemExit(f"{name}: no store query was recorded (is the recording hook installed?)")
    return recorded


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(url: str, fetch: Fetch, *, budget: float, max_requests: int, request_timeout: float = 300.0,
            record: bool = False) -> dict[str, Any]:
    """Sequential latency (p50/p99) then concurrent throughput, each within ``budget`` seconds.
    A request still unanswered after ``request_timeout`` seconds ends the measurement: it
    counts as taking ``request_timeout`` (a lower bound, reported with ">")."""
    latencies: list[float] = []
    timed_out = False
    with httpx.Client(base_url=url, timeout=request_timeout) as client:
        started = time.monotonic()
        i = 0
        while i < max_requests and (i == 0 or time.monotonic() - started < budget):
            t0 = time.perf_counter()
            try:
                fetch(client, i, record)
            except httpx.TimeoutException:
                latencies.append(request_timeout)
                timed_out = True
                break
            latencies.append(time.perf_counter() - t0)
            i += 1
    summary = {"n": len(latencies) - timed_out, "p50_ms": 1000 * statistics.median(latencies),
               "p99_ms": 1000 * percentile(latencies, 0.99), "throughput_rps": None, "timed_out": timed_out}
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
                fetch(client, j, False)
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


def show(label: str, backend: str, name: str, result: dict[str, Any]) -> None:
    print(f"{label:>5} {backend:>8} {name:<12} n={result['n']:<3} p50={ms(result, 'p50_ms'):>9} ms "
          f"p99={ms(result, 'p99_ms'):>9} ms  {rps(result['throughput_rps'])} req/s", flush=True)


def run_scale(label: str, tmp: Path, *, data_dir: Path, budget: float, max_requests: int,
              request_timeout: float, queries: list[str], rdflib_queries: list[str]) -> dict[str, Any]:
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
    from graph.store import bulk_restore, open_store

    t0 = time.perf_counter()
    bulk_restore(store, data)
    restore_seconds = time.perf_counter() - t0
    # The Oxigraph server reads a checkpoint of regiokg's own store (hard links): the same
    # quads, the same stored default graph (the set union of the named graphs).
    checkpoint = tmp / f"{label}-server"
    opened = open_store(store)
    opened.snapshot(checkpoint)
    opened.close()
    out: dict[str, Any] = {"triples": triples, "municipalities": municipalities, "results": {},
                           "oxigraph_open_seconds": restore_seconds}
    recording = tmp / f"{label}-recorded.jsonl"
    child = Child("oxigraph", store, record=recording)
    server = OxigraphServer(checkpoint)
    out["server_version"] = server.version
    if catalog is None:
        catalog = Catalog.from_api(child.url)
    try:
        for name in queries:
            result = measure(child.url, regiokg_fetch(catalog, name), budget=budget, max_requests=max_requests,
                             request_timeout=request_timeout, record=name in API_QUERIES)
            result["path"] = mission_paths(catalog, 0)[name]
            out["results"].setdefault(name, {})["oxigraph"] = result
            show(label, "oxigraph", name, result)
            recorded = read_recording(recording, name, result["n"]) if name in API_QUERIES else []
            result["store_queries"] = sum(len(r) for r in recorded) / max(1, len(recorded)) if recorded else 1
            result = measure(server.url, server_fetch(catalog, name, recorded), budget=budget,
                             max_requests=max_requests, request_timeout=request_timeout)
            out["results"][name]["server"] = result
            show(label, "server", name, result)
    finally:
        child.stop()
        server.stop()
    shutil.rmtree(checkpoint, ignore_errors=True)
    if rdflib_queries:
        child = Child("rdflib", data)
        out["rdflib_open_seconds"] = child.open_seconds
        try:
            for name in rdflib_queries:
                result = measure(child.url, regiokg_fetch(catalog, name), budget=budget, max_requests=max_requests,
                                 request_timeout=request_timeout)
                out["results"][name]["rdflib"] = result
                show(label, "rdflib", name, result)
                if result["timed_out"]:  # the server is still at it and would slow the next row: restart
                    child.stop()
                    child = Child("rdflib", data)
        finally:
            child.stop()
    shutil.rmtree(store, ignore_errors=True)
    return out


BACKEND_NAMES = {"oxigraph": "regiokg (embedded)", "server": "Oxigraph server", "rdflib": "rdflib"}


def ratios(per: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """regiokg p50 / server p50, regiokg req/s / server req/s, rdflib p50 / regiokg p50."""
    ox_, sv, rd = per.get("oxigraph"), per.get("server"), per.get("rdflib")
    out: dict[str, float | None] = {"latency": None, "throughput": None, "speedup": None}
    if ox_ and sv and sv["p50_ms"]:
        out["latency"] = ox_["p50_ms"] / sv["p50_ms"]
        if ox_["throughput_rps"] and sv["throughput_rps"]:
            out["throughput"] = ox_["throughput_rps"] / sv["throughput_rps"]
    if ox_ and rd and ox_["p50_ms"]:
        out["speedup"] = rd["p50_ms"] / ox_["p50_ms"]
    return out


def report(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    version = next((r.get("server_version") for r in runs.values() if r.get("server_version")), "oxigraph")
    lines = [
        "## HTTP",
        "",
        f"`python bench/http.py` on {platform.machine()} with {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end. Dutch scale: the real "
        "data (seeds + every import of ../shared/data); 3.5M: synthetic data (graph/synthetic.py). Backends: "
        "regiokg on its embedded Oxigraph store (as `regiokg serve` runs); "
        f"the Oxigraph server ({version}, `oxigraph serve-read-only`) on a checkpoint of the same store, "
        "sent the equivalent SPARQL straight over HTTP (for an `/api` request, the store queries regiokg ran "
        "for that same request, recorded in regiokg's process and replayed one after the other; for `/sparql` "
        "the same text); the same FastAPI app over an in-memory rdflib Dataset. Latency: sequential requests "
        f"(n of them, at most {args.max_requests} or {args.budget:g} s per query); throughput: {CONCURRENCY} "
        "concurrent clients (\"-\" where one request takes over a third of the budget). A request unanswered "
        f"after {args.request_timeout:g} s ends its row (\">\": a lower bound). regiokg and the server are "
        "measured back to back for each query. Ratios: regiokg ÷ server (p50: target ≤ 1.5; req/s: target "
        "≥ 0.7), and the speed-up of regiokg over rdflib (rdflib p50 ÷ regiokg p50).",
        "",
    ]
    targets = []
    for label, run in runs.items():
        opening = f"Opening: Oxigraph restore {run['oxigraph_open_seconds']:.1f} s"
        if "rdflib_open_seconds" in run:
            opening += f", rdflib parse into memory {run['rdflib_open_seconds']:.1f} s"
        lines += [
            f"### {label}: {run['triples']:,} triples, {run['municipalities']} municipalities",
            "",
            opening + ".",
            "",
            "| query | first path | backend | n | p50 ms | p99 ms | req/s | regiokg ÷ server p50 | "
            "regiokg ÷ server req/s | speed-up over rdflib |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, per in run["results"].items():
            r = ratios(per)
            for backend in ("oxigraph", "server", "rdflib"):
                if backend not in per:
                    continue
                res = per[backend]
                lat = thr = speed = ""
                if backend == "server":
                    lat = f"{r['latency']:.2f}" if r["latency"] is not None else ""
                    thr = f"{r['throughput']:.2f}" if r["throughput"] is not None else "-"
                if backend == "rdflib" and r["speedup"] is not None:
                    speed = (">" if ms(res, "p50_ms").startswith(">") else "") + f"{r['speedup']:.1f}x"
                path = f"`{res['path']}`" if backend == "oxigraph" else ""
                if backend == "oxigraph" and name in API_QUERIES:
                    path += f" ({res['store_queries']:.1f} store queries)"
                lines.append(f"| {name} | {path} | {BACKEND_NAMES[backend]} | {res['n']} | {ms(res, 'p50_ms')} | "
                             f"{ms(res, 'p99_ms')} | {rps(res['throughput_rps'])} | {lat} | {thr} | {speed} |")
        lines.append("")
        look, agg = ratios(run["results"].get("lookup", {})), ratios(run["results"].get("aggregation", {}))
        if look["latency"] is not None:
            targets.append(f"{label}: lookup p50 {look['latency']:.2f}x the server's "
                           f"({'met' if look['latency'] <= 1.5 else 'NOT met'}, target ≤ 1.5x)")
        if look["throughput"] is not None:
            targets.append(f"{label}: lookup throughput ({CONCURRENCY} clients) {look['throughput']:.2f}x the "
                           f"server's ({'met' if look['throughput'] >= 0.7 else 'NOT met'}, target ≥ 0.7x)")
        if agg["speedup"] is not None:
            targets.append(f"{label}: aggregation {agg['speedup']:.0f}x faster than rdflib "
                           f"({'met' if agg['speedup'] >= 50 else 'NOT met'}, target ≥ 50x)")
    if targets:
        lines += ["Targets, from the ratios above (same run):", ""] + [f"- {t}" for t in targets] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", default=SCALES, choices=SCALES)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="open data for the Dutch scale")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per query and backend (per phase)")
    ap.add_argument("--max-requests", type=int, default=50, help="most sequential requests per query")
    ap.add_argument("--request-timeout", type=float, default=300.0,
                    help="seconds after which one request ends its row (reported as a lower bound)")
    ap.add_argument("--queries", nargs="+", default=QUERIES, choices=QUERIES, help="which queries to measure")
    # The other mission pages cite analysis runs that the first request computes and writes
    # back through the write path (graph/write.py), which the rdflib stand-in does not have.
    ap.add_argument("--rdflib-queries", nargs="*", default=["aggregation"], choices=API_QUERIES,
                    help="mission queries also measured on the rdflib baseline (default: the aggregation; "
                         "none: skip it)")
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
                                    max_requests=args.max_requests, request_timeout=args.request_timeout,
                                    queries=args.queries, rdflib_queries=[q for q in args.rdflib_queries
                                                                          if q in args.queries])
            if args.write:  # after each scale, so a later failure keeps what was measured
                write_section(report(runs, args))
    print(report(runs, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
