"""Every GET route of the API at ~3.4 million triples: an answer within the query timeout, or
the timeout's 503.

The routes come from the app's own OpenAPI spec (every ``GET`` under ``/api/`` and ``/id/``,
so a new route is measured without editing this file); each is called with representative
parameters (below; a path parameter without one is taken from the first item of the
matching list route) on seeds + synthetic data (graph/synthetic.py, ~3.5M triples), served
by regiokg as ``regiokg serve`` runs it (settings from the environment; the web UI's
start-up views skipped, see serve_child). Printed and written to bench/RESULTS.md
(``## API routes at scale``): status, seconds, and, after a 503, how long the server process
stayed busy (the work a deadline cannot stop: an in-process query runs to its end).

A route passes when it answers (2xx, or a 4xx for a parameter the data does not have)
within the timeout plus one second, or answers 503 ``query_timeout`` within that time.

    python bench/routes.py                      # REGIOKG_QUERY_TIMEOUT=10 (the default)
    python bench/routes.py --timeout 5 --only /api/membership-matrix
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import platform
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
import psutil

from bench.results import write_section
from graph.synthetic import generate, scale_for_triples

SLACK = 1.0  # seconds over the timeout still counted as "within" (HTTP, scheduling on a shared machine)

# Representative parameters on the synthetic data: its largest things (an arrangement of
# ~480 members, a municipality in 60 arrangements, the root of its thesaurus).
PATH_VALUES: dict[str, dict[str, str]] = {
    "/api/municipalities/{key}": {"key": "GM0001"},
    "/api/arrangements/{slug}": {"slug": "synthetisch-0"},
    "/api/topics/{slug}": {"slug": "synthetisch-0"},
    "/id/{path}": {"path": "gemeente/GM0001"},
}
QUERY_VALUES: dict[str, list[dict[str, Any]]] = {
    "/api/municipalities": [{}, {"name": "Gemeente 12"}, {"current": "true", "limit": 1000}],
    "/api/arrangements": [{}, {"member": "GM0001"}, {"date": "2020-01-01"}, {"name": "regeling 1"}],
    "/api/experts": [{"topic": "synthetisch onderwerp 0"}, {"topic": "synthetisch onderwerp 57"},
                     {"topic": "synthetisch onderwerp 57", "near": "GM0001"}],
    "/api/search": [{"q": "Gemeente 12"}, {"q": "Barneveld"}],
    "/api/membership-matrix": [{}, {"order": "similarity"}, {"order": "community"}, {"province": "PV25"}],
    "/api/network": [{}],
    "/api/analysis/path": [{"source": "GM0001", "target": "GM4000"}],
    "/api/topics": [{}, {"q": "onderwerp 1"}],
    "/api/municipalities/{key}": [{}, {"date": "2020-01-01"}],
    "/api/arrangements/{slug}": [{}, {"date": "2020-01-01"}],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(tmp: Path, triples: int) -> tuple[Path, int]:
    """Seeds and ontology (as a fresh store gets them) plus synthetic data, bulk-restored."""
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings
    from graph.store import bulk_restore

    seeds = tmp / "seeds.nq"
    kg = KnowledgeGraph.open(Settings(store=tmp / "seeds-store"))
    count = kg.dump(seeds)
    kg.close()
    shutil.rmtree(tmp / "seeds-store", ignore_errors=True)
    synthetic = tmp / "synthetic.nq"
    count += generate(synthetic, scale_for_triples(triples))
    data = tmp / "all.nq"
    with data.open("wb") as out:
        for part in (seeds, synthetic):
            with part.open("rb") as f:
                shutil.copyfileobj(f, out)
            part.unlink()
    store = tmp / "store"
    bulk_restore(store, data)
    data.unlink()
    return store, count


def serve_child(port: int) -> None:
    """What ``regiokg serve`` runs (settings from the environment), without the web UI's
    start-up views: at 3.4M they keep the server busy for many minutes (communities,
    centrality, overlap over the whole graph), which would blur every time measured here."""
    import uvicorn

    import api.routes.ui
    from api.app import create_app
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    api.routes.ui._warm = lambda *args, **kwargs: None
    settings = Settings()
    kg = KnowledgeGraph.open(settings)
    uvicorn.run(create_app(kg, settings), host="127.0.0.1", port=port, log_level="warning")


class Server:
    """regiokg on the store (as ``regiokg serve``, see serve_child), with the query timeout under test."""

    def __init__(self, store: Path, timeout: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, REGIOKG_STORE=str(store), REGIOKG_QUERY_TIMEOUT=str(timeout), PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, __file__, "--child", str(self.port)], cwd=ROOT,
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"regiokg serve stopped: {self.proc.stderr.read()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.5)
        raise SystemExit("regiokg serve did not answer /health")

    def cpu(self) -> float:
        """CPU seconds of the server process and its query workers."""
        total = 0.0
        for p in [self.ps, *self.ps.children(recursive=True)]:
            try:
                t = p.cpu_times()
            except psutil.Error:
                continue
            total += t.user + t.system
        return total

    def quiet_after(self, limit: float) -> float | None:
        """Seconds until the server process is idle (under 10 % of a core for 2 s); None
        when still busy after ``limit`` seconds."""
        started = time.monotonic()
        calm = 0
        last = self.cpu()
        while time.monotonic() - started < limit:
            time.sleep(1.0)
            now = self.cpu()
            calm = calm + 1 if now - last < 0.1 else 0
            last = now
            if calm >= 2:
                return max(0.0, time.monotonic() - started - 2.0)
        return None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def get_routes(url: str) -> list[str]:
    spec = httpx.get(url + "/openapi.json", timeout=60).json()
    return [path for path, ops in spec["paths"].items()
            if "get" in ops and path.startswith(("/api/", "/id/"))]


def first_item_path(client: httpx.Client, template: str) -> str | None:
    """A path for ``template`` from the first item of the list route above it (its ``api``
    link), e.g. /api/people/{slug} from /api/people."""
    listing = template.split("/{", 1)[0]
    try:
        resp = client.get(listing, params={"limit": 1})
        items = resp.json().get("items") or []
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    link = items[0].get("api") if items and isinstance(items[0], dict) else None
    return link if isinstance(link, str) else None


def requests_for(client: httpx.Client, template: str) -> list[str]:
    if "{" in template:
        values = PATH_VALUES.get(template)
        base = template.format(**values) if values else first_item_path(client, template)
        if base is None:
            return [template.replace("{", "").replace("}", "") + " (no value)"]
    else:
        base = template
    variants = QUERY_VALUES.get(template, [{}])
    return [base + ("?" + urlencode(params) if params else "") for params in variants]


def call(server: Server, path: str, timeout: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        resp = httpx.get(server.url + path, timeout=timeout + 120)
    except httpx.TimeoutException:
        return {"path": path, "status": "no answer", "seconds": time.perf_counter() - t0, "code": None, "bytes": 0}
    seconds = time.perf_counter() - t0
    code = message = None
    if resp.status_code >= 400:
        try:
            code, message = resp.json()["error"]["code"], resp.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            code, message = "?", resp.text[:200]
    return {"path": path, "status": resp.status_code, "seconds": seconds, "code": code, "message": message,
            "bytes": len(resp.content)}


def verdict(result: dict[str, Any], timeout: float) -> str:
    status, seconds = result["status"], result["seconds"]
    if not isinstance(status, int):
        return "FAIL (no answer)"
    if seconds > timeout + SLACK:
        return "FAIL (late)"
    if status == 503:
        return "ok (timeout)" if result["code"] == "query_timeout" else f"FAIL (503 {result['code']})"
    if status >= 500:
        return f"FAIL ({status})"
    return "ok"


def report(results: list[dict[str, Any]], args: argparse.Namespace, triples: int, warm: float | None) -> str:
    ok = sum(r["verdict"].startswith("ok") for r in results)
    lines = [
        "## API routes at scale",
        "",
        f"`python bench/routes.py --timeout {args.timeout:g}` on {platform.machine()} with {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end: every GET route "
        f"under /api and /id/ of the OpenAPI spec, on seeds + synthetic data ({triples:,} triples), served by "
        f"regiokg as `regiokg serve` runs it (the web UI's start-up views skipped) with "
        f"REGIOKG_QUERY_TIMEOUT={args.timeout:g}. "
        + (f"The server was idle {warm:.0f} s after it answered /health"
           if warm is not None else "The server was still busy when the calls began")
        + ". Passes: an answer within the timeout + 1 s, or the timeout's 503 within it. "
        "\"busy after\": seconds the server and its query workers kept computing after a 503 or a failure "
        "(a read answered in a worker stops when the worker is killed; one answered in the server runs to its end).",
        "",
        f"**{ok} of {len(results)} requests pass.**",
        "",
        "| route | request | status | seconds | busy after s | verdict |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        status = f"{r['status']}" + (f" {r['code']}" if r["code"] else "")
        busy = r.get("busy_after")
        busy_text = "" if "busy_after" not in r else (f">{args.quiet_limit:g}" if busy is None else f"{busy:.0f}")
        lines.append(f"| `{r['route']}` | `{r['path']}` | {status} | {r['seconds']:.2f} | {busy_text} | {r['verdict']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=3_500_000, help="synthetic triples (plus the seeds)")
    ap.add_argument("--timeout", type=float, default=10.0, help="REGIOKG_QUERY_TIMEOUT of the server")
    ap.add_argument("--only", nargs="*", default=None, help="route templates to call (default: all)")
    ap.add_argument("--store", default=None,
                    help="keep the built store in this directory, or serve it when it exists (for repeated runs)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--quiet-limit", type=float, default=120.0,
                    help="most seconds to wait for the server to be idle (after start-up and after a 503)")
    ap.add_argument("--no-write", dest="write", action="store_false", help="do not update bench/RESULTS.md")
    args = ap.parse_args(argv)
    if args.child:
        serve_child(args.child)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="regiokg-routes-"))
    try:
        kept = Path(args.store) if args.store else None
        if kept is not None and kept.exists():
            store, triples = kept, int(Path(str(kept) + ".triples").read_text())
        else:
            t0 = time.perf_counter()
            store, triples = build_store(tmp, args.triples)
            print(f"store: {triples:,} triples in {time.perf_counter() - t0:.0f} s", flush=True)
            if kept is not None:
                shutil.move(str(store), kept)
                Path(str(kept) + ".triples").write_text(str(triples))
                store = kept
        server = Server(store, args.timeout)
        try:
            warm = server.quiet_after(args.quiet_limit)
            print(f"server idle {warm} s after /health", flush=True)
            results = []
            with httpx.Client(base_url=server.url, timeout=args.timeout + 120) as client:
                routes = get_routes(server.url)
                for route in routes:
                    if args.only and route not in args.only:
                        continue
                    for path in requests_for(client, route):
                        if path.endswith("(no value)"):
                            results.append({"route": route, "path": path, "status": "-", "code": None,
                                            "seconds": 0.0, "verdict": "skipped (no value in the data)"})
                            continue
                        result = call(server, path, args.timeout)
                        result["route"] = route
                        result["verdict"] = verdict(result, args.timeout)
                        if result["status"] == 503 or result["verdict"].startswith("FAIL"):
                            result["busy_after"] = server.quiet_after(args.quiet_limit)
                        results.append(result)
                        busy = f" busy after {result.get('busy_after')}" if "busy_after" in result else ""
                        said = f"  [{result['message'][:160]}]" if result.get("message") else ""
                        print(f"{result['status']!s:>9} {result['seconds']:7.2f} s  {path}  "
                              f"{result['verdict']}{busy}{said}", flush=True)
        finally:
            server.stop()
        text = report(results, args, triples, warm)
        print(text)
        if args.write:
            write_section(text)
        return 0 if all(not r["verdict"].startswith("FAIL") for r in results) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
