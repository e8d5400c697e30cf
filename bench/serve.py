"""Start-up of ``bash scripts/serve``: seconds from the command to the first ``/health``
200, for a first start (set-up forced, new store filled with ontology and seeds), and
for starts after it (set-up up to date, store exists). Writes the ``## Serve`` section of
bench/RESULTS.md (``--no-write`` to only print).

    .venv/bin/python bench/serve.py [--runs 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package (urllib imports it): drop
# bench/ from the path before anything imports it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from bench.results import write_section

HEALTH_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_health(store: Path, *, force_setup: bool) -> float:
    """Seconds from starting ``bash scripts/serve`` to a 200 from /health; stops the server."""
    port = free_port()
    env = dict(os.environ, REGIOKG_STORE=str(store), REGIOKG_SETUP_FORCE="1" if force_setup else "0")
    started = time.perf_counter()
    proc = subprocess.Popen(["bash", "scripts/serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"scripts/serve ended with {proc.returncode} before /health answered")
            if time.perf_counter() - started > HEALTH_TIMEOUT:
                raise RuntimeError(f"/health did not answer within {HEALTH_TIMEOUT:.0f} s")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="starts after the first one")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        first = time_to_health(store, force_setup=True)
        again = [time_to_health(store, force_setup=False) for _ in range(args.runs)]
    median = statistics.median(again)
    load = os.getloadavg()[0]
    section = "\n".join([
        "## Serve",
        "",
        f"`python bench/serve.py --runs {args.runs}` on {platform.machine()} ({platform.python_version()}), "
        f"{os.cpu_count()} cores (load average {load:.1f} at the end): seconds from `bash scripts/serve` to the "
        "first `/health` 200 (then stopped with Ctrl-C).",
        "",
        "| start | seconds |",
        "|---|---:|",
        f"| first (set-up forced: pip + npm + build; new store filled) | {first:.1f} |",
        f"| again, median of {args.runs} (set-up stamps up to date; store exists) | {median:.1f} |",
        "",
        f"Ratio again/first: {median / first:.2f}. The target is a second start within 15 s.",
    ])
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
