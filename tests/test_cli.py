"""The command line as a pipeline stage (a reader that stops early is not an error) and
beside a running server (a store it holds is refused in one line that names it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
from cli_helpers import run_cli

from graph.settings import PROJECT_ROOT


def test_stats_piped_into_head_ends_quietly(kg, settings):
    kg.close()
    env = {k: v for k, v in os.environ.items() if k != "REGIOKG_STORE"}
    # What `regiokg stats | head -1` does: the reader takes one line and closes the pipe.
    proc = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(settings.store), "stats"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT)
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.strip().endswith("named graphs") and "triples in" in first
    assert "BrokenPipe" not in err and "error" not in err, err


def test_a_store_held_by_the_server_is_refused_in_one_line_naming_it(tmp_path):
    store = tmp_path / "store"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "REGIOKG_STORE"}
    server = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(store), "serve", "--port", str(port),
                               "--log-level", "warning"], env=env, cwd=PROJECT_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        refused = run_cli("load", str(tmp_path / "notes.ttl"), store=store)
        lines = refused.stderr.strip().splitlines()
        assert refused.returncode == 1 and len(lines) == 1, refused.stderr
        assert f"is held by the server `regiokg serve` (pid {server.pid}, http://127.0.0.1:{port})" in lines[0]
        assert "stop it (Ctrl-C), run this command, then start it again" in lines[0]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
