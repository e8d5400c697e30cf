"""All or nothing on Virtuoso: a ``kill -9`` of ``regiokg load`` while it stages a large
change leaves the data as before (the staged quads were never moved) or complete, and the
next open removes the staging graphs once they are stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
from engines import engine_for

from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT
from graph.store_remote import META, STAGED

GRAPH = "https://w3id.org/regiokg/graph/reference/kill-test"


def large_file(path, n: int) -> None:
    lines = [f'<{GRAPH}> <http://purl.org/dc/terms/title> "kill test" <{GRAPH}> .',
             f'<{GRAPH}> <http://purl.org/dc/terms/publisher> "tests" <{GRAPH}> .',
             f'<{GRAPH}> <http://purl.org/dc/terms/date> "2024-05-05"^^<http://www.w3.org/2001/XMLSchema#date> <{GRAPH}> .']
    lines += [f'<urn:kill:s{i}> <urn:kill:p> "value {i}" <{GRAPH}> .' for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def staging_left(engine) -> int:
    """Staging graphs on the engine (a plain protocol request: opening a store would tidy)."""
    resp = httpx.post(engine.query_url, data={"query": f"SELECT ?s WHERE {{ ?s a <{STAGED}> }}",
                                              "default-graph-uri": META},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return len(resp.json()["results"]["bindings"])


def test_kill_9_while_staging_a_large_load_leaves_the_store_as_before(engines, tmp_path_factory, tmp_path):
    engine = engine_for("virtuoso", engines, tmp_path_factory)
    engine.fresh()
    with KnowledgeGraph.open(engine.settings()) as kg:
        before = kg.store.sizes()
        before_default = kg.store.count("")
    big = tmp_path / "big.nq"
    large_file(big, 4_000)
    env = dict(os.environ, **engine.env(), REGIOKG_VALIDATE_WRITES="false")
    env.pop("REGIOKG_STORE", None)
    proc = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", engine.query_url, "load", str(big)],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while staging_left(engine) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # a few of the ~8 chunks uploaded
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert staging_left(engine) == 1, "the load was not killed while it staged its change"
    with KnowledgeGraph.open(engine.settings(), bootstrap=False) as kg:
        # the staged quads were never moved: nothing of the load is visible
        assert kg.store.sizes() == before and GRAPH not in kg.store.named_graphs()
        assert kg.store.count("") == before_default
        assert staging_left(engine) == 1  # younger than an hour: maybe another process's write in progress
        assert kg.store.drop_stale_staging(older_than=0) == 1
    assert staging_left(engine) == 0
    with KnowledgeGraph.open(engine.settings(), bootstrap=False) as kg:
        assert kg.store.sizes() == before
        # and the same load, not interrupted, arrives whole
        kg.load_files([big], validate=False)
        assert kg.store.sizes() == {**before, GRAPH: 4_003}
        assert kg.store.count("") == before_default + 4_003
