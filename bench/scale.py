"""Growth curves: load and request times from 10^5 to 10^7 triples, embedded store and Virtuoso.

Data: the seeds plus a synthetic network with realistic arrangement sizes
(``graph.synthetic.generate_network``: median 5 members, largest ~100; ~1000 triples per
municipality, up to 9,999 municipalities, their council documents filling the rest).

Backends, each with ``regiokg`` served over HTTP exactly as users run it (the web UI's
start-up views are skipped: the analysis is measured as a request instead):

  embedded  ``regiokg restore`` of the N-Quads into the embedded Oxigraph store
  virtuoso  Virtuoso Open-Source (Debian's ``virtuoso-t``, started here on loopback with its
            own ini in a temp dir), bulk-loaded with its loader (``ld_dir`` + ``rdf_loader_run``)
            in the layout of ``graph/store_remote.py`` (named graphs, their set union in
            ``urn:regiokg:union``, the registry graph); regiokg on it through
            ``REGIOKG_STORE=http://.../sparql`` (graph/store_remote.py)

Requests (sequential; p50/p99 of up to ``--max-requests`` or ``--budget`` seconds each):

  lookup        GET /sparql: the label of one municipality
  members       GET /api/arrangements/<largest arrangement>
  municipality  GET /api/municipalities/GM0001 (with its arrangements)
  aggregation   GET /api/arrangements?limit=20 (every arrangement with its member count)
  matrix        GET /api/membership-matrix (the whole matrix page)
  analysis      GET /api/analysis/load (first request: computed; the later ones read the stored run)

A step that takes longer than ``--step-budget`` seconds (the load, or a first request), a
request that fails otherwise than with the request timeout's 503 (a 500, no answer), or
processes using more than ``--memory-gb`` end that backend's curve: the larger sizes are
not run and the table says so. A request answered with the timeout's 503 is recorded as
such (its column says 503) and the larger sizes are still run. Ratios: each size against the
smallest size of the same backend (measured in the same run), and Virtuoso against the
embedded store at the same size.

    python bench/scale.py                                   # 1e5 1e6 3e6 1e7, both backends
    python bench/scale.py --sizes 100000 1000000 --backends embedded
    python bench/scale.py --backends virtuoso               # the embedded rows of bench/scale.json stay

The rows of backends and sizes not run stay in ``bench/scale.json`` and the table (``--report-only``
redraws both from it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
import psutil

from bench.results import write_section
from graph.synthetic import generate_network, network_scale_for_triples

SIZES = [100_000, 1_000_000, 3_000_000, 10_000_000]
BACKENDS = ["embedded", "virtuoso"]
REQUESTS = ["lookup", "members", "municipality", "aggregation", "matrix", "analysis"]
PLOT = Path(__file__).resolve().parent / "scale.png"
META, UNION = "urn:regiokg:meta", "urn:regiokg:union"
NAMED_GRAPH, VERSION = "urn:regiokg:NamedGraph", "urn:regiokg:version"

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 20
CheckpointInterval       = 0
CaseMode                 = 2
DirsAllowed              = {dir}, {data}
ThreadsPerQuery          = 2
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}
MaxQueryMem              = 2G
[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 20
ServerThreads               = 20
Charset                     = UTF-8
EnabledGzipContent          = 0
[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = {timeout}
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# -- data ------------------------------------------------------------------------------------------
def make_data(tmp: Path, triples: int) -> dict[str, Any]:
    """seeds + network as one N-Quads file; the counts of the network."""
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    seeds = tmp / "seeds.nq"
    kg = KnowledgeGraph.open(Settings(store=tmp / "seeds-store"))
    seed_quads = kg.dump(seeds)
    kg.close()
    shutil.rmtree(tmp / "seeds-store", ignore_errors=True)
    network = tmp / "network.nq"
    info = generate_network(network, network_scale_for_triples(triples - seed_quads))
    data = tmp / "data.nq"
    with data.open("wb") as out:
        for part in (seeds, network):
            with part.open("rb") as f:
                shutil.copyfileobj(f, out)
            part.unlink()
    return dict(info, quads=info["quads"] + seed_quads, path=data)


# -- the regiokg server (a child process) -----------------------------------------------------
def serve_child(store: str, port: int) -> None:
    import uvicorn

    import api.routes.ui
    from api.app import create_app
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    settings = Settings(store=store, bootstrap=False, query_timeout=float(os.environ.get("BENCH_TIMEOUT", "600")),
                        max_rows=1_000_000, query_memory_mb=int(os.environ.get("BENCH_MEMORY_MB", "6144")),
                        store_update=os.environ.get("BENCH_STORE_UPDATE") or None,
                        store_user=os.environ.get("BENCH_STORE_USER") or None,
                        store_password=os.environ.get("BENCH_STORE_PASSWORD") or None)
    kg = KnowledgeGraph.open(settings)
    api.routes.ui._warm = lambda *args, **kwargs: None  # the analysis is measured as a request
    uvicorn.run(create_app(kg, settings), host="127.0.0.1", port=port, log_level="warning")


class Regiokg:
    def __init__(self, store: str, timeout: float, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, __file__, "--child", store, str(self.port)], cwd=ROOT,
                                     env=dict(os.environ, PYTHONPATH=str(ROOT), BENCH_TIMEOUT=str(timeout), **(env or {})))
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"regiokg stopped (exit code {self.proc.returncode})")
            try:
                if httpx.get(self.url + "/health", timeout=60).status_code == 200:
                    self.open_seconds = time.perf_counter() - t0
                    return
            except httpx.HTTPError:
                time.sleep(0.5)
        raise RuntimeError("regiokg did not answer /health")

    def rss_mb(self) -> float:
        try:
            return sum(p.memory_info().rss for p in [self.ps, *self.ps.children(recursive=True)]) / 1e6
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- Virtuoso ------------------------------------------------------------------------------------
class Virtuoso:
    """virtuoso-t on loopback in ``directory`` (its own ini), dba/dba of a fresh database."""

    def __init__(self, directory: Path, data_dir: Path, *, timeout: int, buffers: int):
        exe = shutil.which("virtuoso-t")
        self.isql = shutil.which("isql-vt") or shutil.which("isql")
        if not exe or not self.isql:
            raise SystemExit("Virtuoso is missing: apt-get install -y virtuoso-opensource (virtuoso-t, isql-vt)")
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.sql_port, http_port = free_port(), free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, data=data_dir, sql_port=self.sql_port, http_port=http_port,
                                           timeout=timeout, buffers=buffers, dirty=buffers * 3 // 4), encoding="utf-8")
        self.query_url = f"http://127.0.0.1:{http_port}/sparql"
        self.update_url = f"http://127.0.0.1:{http_port}/sparql-auth"
        self.proc = subprocess.Popen([exe, "-c", str(ini), "+foreground"], cwd=directory, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {self.log_tail()}")
            try:
                if httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"virtuoso-t did not answer: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.directory / "virtuoso.log"
        return log.read_text(errors="replace")[-800:] if log.exists() else "(no log)"

    def sql(self, statements: str, timeout: float = 7200) -> str:
        done = subprocess.run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql: {done.stdout[-600:]} {done.stderr[-600:]}")
        return done.stdout

    def bulk_load(self, data: Path, work: Path) -> float:
        """Load ``data`` (N-Quads, named graphs) as graph/store_remote.py lays it out: the
        quads, their triples in the union graph (the engine keeps a graph a set), the registry
        of named graphs and a version; with Virtuoso's bulk loader, then a checkpoint."""
        work.mkdir(parents=True, exist_ok=True)
        graphs: set[str] = set()
        union = work / "union.nt"
        with data.open(encoding="utf-8") as src, union.open("w", encoding="utf-8") as out:
            for line in src:
                line = line.rstrip()
                if not line or line.startswith("#"):
                    continue
                cut = line.rfind(" <")  # the graph: the last term of a named-graph quad
                graphs.add(line[cut + 2:line.rfind(">")])
                out.write(line[:cut] + " .\n")
        meta = work / "meta.nt"
        meta.write_text("".join(f"<{g}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{NAMED_GRAPH}> .\n"
                                for g in sorted(graphs))
                        + f'<{META}> <{VERSION}> "bulk-{time.time_ns()}" .\n', encoding="utf-8")
        shutil.copy(data, work / "data.nq")
        t0 = time.perf_counter()
        self.sql(f"ld_dir('{work}', 'data.nq', 'urn:regiokg:unused'); "
                 f"ld_dir('{work}', 'union.nt', '{UNION}'); ld_dir('{work}', 'meta.nt', '{META}'); "
                 "rdf_loader_run(); checkpoint;")
        seconds = time.perf_counter() - t0
        errors = self.sql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"the Virtuoso loader reported errors: {errors[-800:]}")
        shutil.rmtree(work, ignore_errors=True)
        return seconds

    def rss_mb(self) -> float:
        try:
            return self.ps.memory_info().rss / 1e6
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.sql("checkpoint; shutdown;", timeout=120)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# -- requests ------------------------------------------------------------------------------------
def paths(info: dict[str, Any]) -> dict[str, str]:
    from urllib.parse import urlencode

    label = "http://www.w3.org/2000/01/rdf-schema#label"
    lookup = f"SELECT ?label WHERE {{ <https://w3id.org/regiokg/id/gemeente/GM0001> <{label}> ?label }}"
    return {
        "lookup": "/sparql?" + urlencode({"query": lookup}),
        "members": f"/api/arrangements/synthetisch-{info['largest_arrangement']}",
        "municipality": "/api/municipalities/GM0001",
        "aggregation": "/api/arrangements?limit=20",
        "matrix": "/api/membership-matrix",
        "analysis": "/api/analysis/load",
    }


def measure(url: str, path: str, *, budget: float, max_requests: int, timeout: float) -> dict[str, Any]:
    times: list[float] = []
    status = None
    with httpx.Client(base_url=url, timeout=timeout + 60) as client:
        started = time.monotonic()
        while len(times) < max_requests and (len(times) < 2 or time.monotonic() - started < budget):
            t0 = time.perf_counter()
            try:
                resp = client.get(path, headers={"accept": "application/sparql-results+json"}
                                  if path.startswith("/sparql") else {})
            except httpx.TimeoutException:
                return {"n": len(times), "status": "no answer", "first": None, "p50": None, "p99": None}
            times.append(time.perf_counter() - t0)
            status = resp.status_code
            if status != 200:
                break
    ordered = sorted(times)
    # p50 of the requests after the first: the first computes what later ones read (an
    # analysis run a page cites, a worker's caches); it is kept as "first"
    warm = times[1:] or times
    return {"n": len(times), "status": status, "first": times[0], "p50": statistics.median(warm),
            "p99": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]}


def run_backend(backend: str, info: dict[str, Any], tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    from graph.store import bulk_restore

    out: dict[str, Any] = {"requests": {}, "stopped": None}
    engine = None
    store_dir = tmp / f"{backend}-store"
    try:
        if backend == "embedded":
            t0 = time.perf_counter()
            bulk_restore(store_dir, info["path"])
            out["load_s"] = time.perf_counter() - t0
            out["disk_mb"] = dir_mb(store_dir)
            server = Regiokg(str(store_dir), args.request_timeout)
        else:
            engine = Virtuoso(store_dir, tmp, timeout=int(args.request_timeout), buffers=args.virtuoso_buffers)
            out["load_s"] = engine.bulk_load(info["path"], tmp / "virtuoso-load")
            out["disk_mb"] = dir_mb(store_dir)
            server = Regiokg(engine.query_url, args.request_timeout, env={
                "BENCH_STORE_UPDATE": engine.update_url, "BENCH_STORE_USER": "dba", "BENCH_STORE_PASSWORD": "dba"})
        out["open_s"] = server.open_seconds
        try:
            # the first /api request fills the server's caches (graph sizes and descriptions,
            # kept until the data changes): timed apart, as "first"
            t0 = time.perf_counter()
            httpx.get(server.url + "/api/sources", timeout=args.request_timeout + 60)
            out["first_s"] = time.perf_counter() - t0
            for name, path in paths(info).items():
                if name not in args.requests:
                    continue
                result = measure(server.url, path, budget=args.budget, max_requests=args.max_requests,
                                 timeout=args.request_timeout)
                out["requests"][name] = result
                p50 = f"{result['p50']:.3f}" if result["p50"] is not None else "-"
                print(f"{info['quads']:>10,} {backend:>9} {name:<12} n={result['n']:<3} status={result['status']} "
                      f"first={result['first'] if result['first'] is None else round(result['first'], 3)} s "
                      f"p50={p50} s", flush=True)
                # the timeout's 503 is that request's result (recorded as such); the curve goes on
                if result["status"] not in (200, 503) or (result["first"] or 0) > args.step_budget:
                    out["stopped"] = f"{name}: status {result['status']}, {result['first'] or 0:.0f} s"
            out["rss_mb"] = server.rss_mb() + (engine.rss_mb() if engine else 0.0)
            if out["rss_mb"] > args.memory_gb * 1000:
                out["stopped"] = f"memory {out['rss_mb'] / 1000:.1f} GB"
        finally:
            server.stop()
        if out["load_s"] > args.step_budget:
            out["stopped"] = f"load {out['load_s']:.0f} s"
    finally:
        if engine is not None:
            engine.stop()
        shutil.rmtree(store_dir, ignore_errors=True)
    return out


# -- report --------------------------------------------------------------------------------------
def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def report(runs: list[dict[str, Any]], stops: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        "## Scale",
        "",
        f"`python bench/scale.py` on {platform.machine()} with {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.1f} at the end. Data: seeds + `graph.synthetic.generate_network` (median 5 members "
        "per arrangement, largest ~100, ~1000 triples per municipality). regiokg over HTTP on the embedded "
        "store (`regiokg restore`) and on Virtuoso Open-Source "
        f"{virtuoso_version()} (bulk loader; `REGIOKG_STORE=http://.../sparql`, graph/store_remote.py). "
        f"Per request: p50 of the requests after the first (at least 2, up to {args.max_requests} sequential "
        f"requests within {args.budget:g} s; the first computes what the later ones read, such as the analysis "
        "run a page's figures cite); analysis: the first, computed, request. "
        "Load: embedded = bulk restore; Virtuoso = loader + checkpoint. "
        "first /api = the first /api request after the start (GET /api/sources: it fills the server's caches of "
        "graph sizes and descriptions, which every answer cites); the request columns are measured after it. "
        "Memory: RSS of regiokg (server + query workers) and of virtuoso-t at the end. "
        "\"x\" = against the smallest size of the same backend, same run. See the plot: "
        "[scale.png](scale.png).",
        "",
        "| triples | backend | load s | disk MB | open s | first /api s | " + " | ".join(REQUESTS) + " | memory MB |",
        "|---:|---|---:|---:|---:|---:|" + "---:|" * len(REQUESTS) + "---:|",
    ]
    base: dict[str, dict[str, Any]] = {}
    for run in runs:
        base.setdefault(run["backend"], run)
        b = base[run["backend"]]
        cells = []
        for name in REQUESTS:
            r = run["requests"].get(name)
            if not r:
                cells.append("-")
                continue
            value = r["first"] if name == "analysis" else r["p50"]
            ref = b["requests"].get(name)
            ref_value = (ref["first"] if name == "analysis" else ref["p50"]) if ref else None
            text = fmt(value) + ("" if r["status"] == 200 else f" ({r['status']})")
            if ref_value and value and run is not b and r["status"] == 200 and ref["status"] == 200:
                text += f" ({value / ref_value:.0f}x)"
            cells.append(text)
        load = f"{run['load_s']:.1f}" + (f" ({run['load_s'] / b['load_s']:.0f}x)" if run is not b else "")
        lines.append(f"| {run['quads']:,} | {run['backend']} | {load} | {run['disk_mb']:.0f} | {run['open_s']:.1f} | "
                     f"{run.get('first_s', 0):.1f} | "
                     + " | ".join(cells) + f" | {run.get('rss_mb', 0):.0f} |")
    lines.append("")
    by_size: dict[int, dict[str, Any]] = {}
    for run in runs:
        by_size.setdefault(run["size"], {})[run["backend"]] = run
    pairs = [(size, per["embedded"], per["virtuoso"]) for size, per in by_size.items()
             if "embedded" in per and "virtuoso" in per]
    if pairs:
        lines += ["Virtuoso ÷ embedded at the same size (p50; analysis: first request; > 1: Virtuoso slower):", "",
                  "| triples | load | " + " | ".join(REQUESTS) + " |", "|---:|---:|" + "---:|" * len(REQUESTS)]
        for _size, e, v in pairs:
            cells = []
            for name in REQUESTS:
                re_, rv = e["requests"].get(name), v["requests"].get(name)
                key = "first" if name == "analysis" else "p50"
                ok = re_ and rv and re_.get(key) and rv.get(key) and re_["status"] == 200 and rv["status"] == 200
                ratio = rv[key] / re_[key] if ok else None
                cells.append("-" if ratio is None else f"{ratio:.1f}" if ratio >= 0.1 else f"{ratio:.3f}")
            lines.append(f"| {e['quads']:,} | {v['load_s'] / e['load_s']:.1f} | " + " | ".join(cells) + " |")
        lines.append("")
    for backend, why in stops.items():
        lines.append(f"- {backend}: stopped after this step ({why}); larger sizes not run.")
    lines.append("")
    return "\n".join(lines)


def virtuoso_version() -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "virtuoso-opensource-7-bin"],
                             capture_output=True, text=True).stdout
        return out.split("+")[0] or "7"
    except OSError:
        return "7"


def plot(runs: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    styles = {"embedded": "-", "virtuoso": "--"}
    for backend in BACKENDS:
        mine = [r for r in runs if r["backend"] == backend]
        if not mine:
            continue
        xs = [r["quads"] for r in mine]
        left.plot(xs, [r["load_s"] for r in mine], styles[backend], marker="o", label=f"load ({backend})")
        for i, name in enumerate(REQUESTS):
            color = f"C{i}"  # one colour per request, the line style tells the backend
            done = [r for r in mine if name in r["requests"] and r["requests"][name].get("p50") is not None]
            pts = [(r["quads"], (r["requests"][name]["first"] if name == "analysis" else r["requests"][name]["p50"]))
                   for r in done if r["requests"][name]["status"] == 200]
            if pts:
                right.plot([p[0] for p in pts], [p[1] for p in pts], styles[backend], marker="o", color=color,
                           label=f"{name} ({backend})")
            failed = [(r["quads"], r["requests"][name]["p50"]) for r in done if r["requests"][name]["status"] != 200]
            if failed:  # no answer: a cross where the request was given up (the timeout's 503)
                right.plot([p[0] for p in failed], [p[1] for p in failed], linestyle="none", marker="x",
                           markersize=10, color=color, label=f"{name} ({backend}): 503")
    for ax, title in ((left, "load (s)"), (right, "request p50 (s; analysis: first request; x: 503 at the timeout)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("regiokg: cost against size (solid: embedded Oxigraph, dashed: Virtuoso)")
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=SIZES)
    ap.add_argument("--backends", nargs="+", default=BACKENDS, choices=BACKENDS)
    ap.add_argument("--requests", nargs="+", default=REQUESTS, choices=REQUESTS)
    ap.add_argument("--budget", type=float, default=15.0, help="seconds of sequential requests per request kind")
    ap.add_argument("--max-requests", type=int, default=20)
    ap.add_argument("--request-timeout", type=float, default=300.0, help="REGIOKG_QUERY_TIMEOUT of the servers")
    ap.add_argument("--step-budget", type=float, default=900.0,
                    help="a load or a first request above this many seconds ends the backend's curve")
    ap.add_argument("--memory-gb", type=float, default=16.0, help="RSS above this ends the backend's curve")
    ap.add_argument("--virtuoso-buffers", type=int, default=340_000, help="NumberOfBuffers (8 KiB pages)")
    ap.add_argument("--no-write", dest="write", action="store_false")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the table and the plot from bench/scale.json (the last run) without measuring")
    ap.add_argument("--stopped", nargs="*", default=[], metavar="BACKEND=WHY",
                    help="with --report-only: backends whose curve was ended, and why")
    ap.add_argument("--child", nargs=2, metavar=("STORE", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        serve_child(args.child[0], int(args.child[1]))
        return 0
    runs: list[dict[str, Any]] = []
    stops: dict[str, str] = {}
    results_json = Path(__file__).resolve().parent / "scale.json"
    if args.report_only:
        runs = json.loads(results_json.read_text(encoding="utf-8"))
        stops = {r["backend"]: r["stopped"] for r in runs if r.get("stopped")}
        stops.update(dict(item.split("=", 1) for item in args.stopped))
        plot(runs)
        write_section(report(runs, stops, args))
        print(report(runs, stops, args))
        return 0
    kept: list[dict[str, Any]] = []
    if results_json.exists():  # the rows of backends and sizes not run now stay (and their reasons to stop)
        kept = [r for r in json.loads(results_json.read_text(encoding="utf-8"))
                if r["backend"] not in args.backends or r["size"] not in args.sizes]
        stops.update({r["backend"]: r["stopped"] for r in kept if r.get("stopped")})
    order = {b: i for i, b in enumerate(BACKENDS)}

    def table() -> list[dict[str, Any]]:
        return sorted(kept + runs, key=lambda r: (r["size"], order[r["backend"]]))

    for size in args.sizes:
        tmp = Path(tempfile.mkdtemp(prefix="regiokg-scale-"))
        try:
            info = make_data(tmp, size)
            print(f"data: {info['quads']:,} quads, {info['arrangements']} arrangements, "
                  f"median {info['median']} / largest {info['largest']} members", flush=True)
            for backend in args.backends:
                if backend in stops:
                    continue
                run = run_backend(backend, info, tmp, args)
                run.update(backend=backend, size=size, quads=info["quads"])
                runs.append(run)
                if run["stopped"]:
                    stops[backend] = run["stopped"]
                results_json.write_text(json.dumps(table(), indent=1, default=str), encoding="utf-8")
                if args.write:
                    plot(table())
                    write_section(report(table(), stops, args))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(report(table(), stops, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
