"""Web UI first-render timings and page weights, measured in Debian's Chromium.

Builds (or opens) a store with the seeds and every import of ../shared/data, serves the
real app under uvicorn on 127.0.0.1, and opens each page in a fresh browser context (no
cache) twice: ``cold`` is the first visit after the server started (server-side views are
computed then), ``warm`` the median of the next runs. Per page it reports

* ``load``: navigation start to the load event (ms);
* ``drawn``: navigation start to the page's main drawing being finished (the ``drawn:*``
  performance mark set by the page scripts; for server-rendered pages the load event);
* ``bytes``: bytes transferred for the page and everything it loaded; ``requests``.

    python bench/ui.py                      # imports ../shared/data into a temporary store
    python bench/ui.py --store data/store   # an existing store
    python bench/ui.py --write              # also replace "## Web UI" in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds http.py, which would shadow the standard library's http package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from graph.kg import KnowledgeGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DRAWN = {"/": "#map", "/matrix": "#matrix", "/netwerk": "#network", "/sparql-editor": "#editor"}

MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("drawn:"));
  return {
    load: nav.loadEventEnd,
    drawn: marks.length ? Math.max(...marks.map((m) => m.startTime)) : nav.loadEventEnd,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    requests: 1 + resources.length,
  };
}"""


def open_store(args: argparse.Namespace) -> KnowledgeGraph:
    if args.store:
        return KnowledgeGraph.open(Settings(store=args.store))
    from graph.importers import import_all

    kg = KnowledgeGraph.open(Settings(store=Path(tempfile.mkdtemp(prefix="regiokg-ui-bench-")) / "store"))
    started = time.perf_counter()
    import_all(kg, Path(args.shared) / "data")
    print(f"imported ../shared/data in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return kg


def serve(kg: KnowledgeGraph):
    import socket

    import uvicorn

    from api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(kg), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def pages(base: str) -> list[str]:
    """The pages an analyst opens; the arrangement is the one with most municipalities."""
    import json
    import urllib.request

    with urllib.request.urlopen(base + "/api/membership-matrix?order=name") as response:
        cols = json.load(response)["columns"]
    arrangement = max(cols, key=lambda c: c["n"])["page"] if cols else "/id/samenwerking/regio-foodvalley"
    return ["/", "/id/gemeente/GM0203", arrangement, "/matrix", "/netwerk", "/ervaring?q=windturbines",
            "/sparql-editor", "/bronnen"]


def measure(browser, base: str, path: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []

    def guard(route):
        host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", route.request.url)
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    # the browser's own start-up (renderer process for the origin) is not the page's cost:
    # open a tiny document of the same origin first, with the HTTP cache off
    page.context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(base + "/static/css/regiokg.css", wait_until="load")
    page.goto(base + path, wait_until="load")
    key = path.split("?")[0]
    if key in DRAWN:
        page.locator(f"{DRAWN[key]}[data-ready=true]").wait_for(timeout=30_000)
    elif "/id/" in key:
        page.locator("#map[data-ready=true]").wait_for(timeout=30_000)
    page.wait_for_timeout(50)
    result = page.evaluate(MEASURE)
    context.close()
    if foreign:
        raise SystemExit(f"{path}: requests left the machine: {foreign}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an existing store (default: import ../shared/data into a temporary one)")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder")
    parser.add_argument("--runs", type=int, default=3, help="warm runs per page (median reported)")
    parser.add_argument("--write", action="store_true", help='replace "## Web UI" in bench/RESULTS.md')
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    kg = open_store(args)
    server, thread, base = serve(kg)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for path in pages(base):
                cold = measure(browser, base, path)
                warm = [measure(browser, base, path) for _ in range(args.runs)]
                rows.append((path, cold, {k: statistics.median(w[k] for w in warm) for k in warm[0]}))
                print(f"{path}: cold {cold['drawn']:.0f} ms, warm {rows[-1][2]['drawn']:.0f} ms, "
                      f"{rows[-1][2]['bytes'] / 1024:.0f} KiB", file=sys.stderr)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        kg.close()
    table = report(rows, args)
    print(table)
    if args.write:
        write_section(table)
    return 0


def report(rows: list, args: argparse.Namespace) -> str:
    lines = [
        "## Web UI",
        "",
        f"`python bench/ui.py` on {platform.machine()} ({platform.python_version()}), Debian Chromium headless, "
        "fresh browser context per visit with the HTTP cache off (after one tiny same-origin request, so the renderer "
        f"start-up is not counted), data: {'store ' + args.store if args.store else 'seeds + all imports of ../shared/data'}. "
        "cold = first visit after the server started (server-side views computed); warm = median of "
        f"{args.runs} later visits. load = navigation start to load event; drawn = to the page's map/matrix/"
        "network/editor being drawn (load event for server-rendered pages); bytes = transferred, all requests.",
        "",
        "| page | cold load ms | cold drawn ms | warm load ms | warm drawn ms | KiB | requests |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for path, cold, warm in rows:
        lines.append(f"| `{path}` | {cold['load']:.0f} | {cold['drawn']:.0f} | {warm['load']:.0f} | "
                     f"{warm['drawn']:.0f} | {warm['bytes'] / 1024:.0f} | {warm['requests']:.0f} |")
    return "\n".join(lines) + "\n"




if __name__ == "__main__":
    raise SystemExit(main())
