"""`regiokg serve` as a process: a second server on a busy store is one line; a concurrent
soak (readers + one writer with the token) with a kill -9 of the server in the middle loses
no acknowledged write, leaves nothing half written and no trial folders, and leaves no query
worker orphaned."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from apiserver import TOKEN

from graph.settings import PROJECT_ROOT

AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "https://w3id.org/regiokg/graph/reference/soak-{n}"
ORG = "https://w3id.org/regiokg/id/organisatie/soak-{n}"
TRIPLES = [
    ("<{g}>", "a", "<https://w3id.org/regiokg/def#ReferenceData>"),
    ("<{g}>", "<http://purl.org/dc/terms/title>", '"soak {n}"@en'),
    ("<{g}>", "<http://purl.org/dc/terms/publisher>", '"tests"'),
    ("<{g}>", "<http://purl.org/dc/terms/date>", '"2024-02-02"^^<http://www.w3.org/2001/XMLSchema#date>'),
    ("<{o}>", "a", "<http://www.w3.org/ns/org#Organization>"),
    ("<{o}>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"Soak {n}"'),
]


def _fill(n: int) -> list[str]:
    g, o = GRAPH.format(n=n), ORG.format(n=n)
    return [" ".join(part.format(g=g, o=o, n=n) for part in t) + " ." for t in TRIPLES]


def update_for(n: int) -> str:
    return f"INSERT DATA {{ GRAPH <{GRAPH.format(n=n)}> {{ {' '.join(_fill(n))} }} }}"


def present(client: httpx.Client, n: int) -> int:
    """How many of write ``n``'s triples are in the store (each asked separately)."""
    found = 0
    for triple in _fill(n):
        query = f"ASK {{ GRAPH <{GRAPH.format(n=n)}> {{ {triple[:-2]} }} }}"
        resp = client.get("/sparql", params={"query": query})
        assert resp.status_code == 200, resp.text
        found += resp.json()["boolean"]
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGIOKG_")}
    env.update(REGIOKG_TOKEN=TOKEN, REGIOKG_QUERY_TIMEOUT="10", REGIOKG_QUERY_WORKERS="2")
    return subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(store), "serve", "--port", str(port),
                             "--log-level", "warning"], env=env, cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_up(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 180
    while True:
        assert server.poll() is None, f"the server stopped: {server.stderr.read().decode()[-2000:]}"
        assert time.monotonic() < deadline, "the server did not start"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.slow
def test_second_server_soak_and_kill_9(tmp_path):
    store = tmp_path / "store"
    port = free_port()
    server = start_server(store, port)
    try:
        wait_up(server, port)
        url = f"http://127.0.0.1:{port}"

        # a second server on the same store: one line naming the first, exit 1
        second = subprocess.run([sys.executable, "-m", "api.cli.main", "--store", str(store), "serve",
                                 "--port", str(free_port())], capture_output=True, text=True, timeout=120,
                                cwd=PROJECT_ROOT, env={k: v for k, v in os.environ.items() if k != "REGIOKG_STORE"})
        lines = second.stderr.strip().splitlines()
        assert second.returncode == 1 and len(lines) == 1, second.stderr
        assert "is held by the server `regiokg serve`" in lines[0] and f"pid {server.pid}" in lines[0]

        workers = [p.pid for p in psutil.Process(server.pid).children(recursive=True)]
        assert len(workers) >= 2, "no query workers found"

        acked: list[int] = []
        sent: list[int] = []
        stop_all = threading.Event()
        read_errors: list[str] = []

        def writer() -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                n = 0
                while not stop_all.is_set():
                    sent.append(n)
                    try:
                        resp = c.post("/update", content=update_for(n).encode(),
                                      headers={**AUTH, "Content-Type": "application/sparql-update"})
                    except httpx.HTTPError:
                        return  # the server was killed mid-request
                    if resp.status_code == 200:
                        acked.append(n)
                    else:
                        read_errors.append(f"write {n}: {resp.status_code} {resp.text[:200]}")
                    n += 1

        def reader() -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                while not stop_all.is_set():
                    try:
                        for path, params in (("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
                                             ("/api/municipalities", {}), ("/health", {})):
                            resp = c.get(path, params=params)
                            if resp.status_code not in (200, 503):
                                read_errors.append(f"{path}: {resp.status_code}")
                    except httpx.HTTPError:
                        return

        threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 90
        while len(acked) < 8 and time.monotonic() < deadline and threads[0].is_alive():
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)  # while the writer has its next update in flight
        server.wait(timeout=30)
        stop_all.set()
        for t in threads:
            t.join(timeout=60)
        assert not read_errors, read_errors[:5]
        assert len(acked) >= 8, f"only {len(acked)} writes were acknowledged before the kill"

        # no orphaned query worker
        gone_by = time.monotonic() + 15
        while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in workers):
            assert time.monotonic() < gone_by, "query workers outlived the killed server"
            time.sleep(0.1)

        server = start_server(store, port)
        wait_up(server, port)
        with httpx.Client(base_url=url, timeout=30) as c:
            for n in acked:
                assert present(c, n) == len(TRIPLES), f"acknowledged write {n} is not all there"
            for n in sorted(set(sent) - set(acked)):
                assert present(c, n) in (0, len(TRIPLES)), f"write {n} is partly there"
        leftovers = sorted(p.name for p in store.parent.iterdir() if p.name != store.name and
                           p.name.startswith(store.name + ".") and not p.name.endswith(".snapshots"))
        assert leftovers == [], f"folders left by the crash: {leftovers}"
    finally:
        stop(server)
