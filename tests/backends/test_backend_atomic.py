"""All or nothing on Virtuoso, at every point of a write: ``regiokg load`` of a change large
enough to be staged in several chunks is killed (``kill -9``) before its first update reaches
the engine, and then in turn while the engine runs each of its updates (the plan, every
staged chunk, the move, the tidying); the kill points are exact (tests/backends/killproxy.py
stands between the process and the engine), not a guess of how long staging takes.

After each kill the store holds the data as before or the whole load, nothing between; the
next open removes the staging of a change that was applied, keeps that of one that was not
until it is stale (it may be another process's write in progress), and the same load, not
interrupted, arrives whole.
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from engines import engine_for
from killproxy import KillProxy

from graph import write
from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT
from graph.store_remote import APPLIED, META, STAGED, VIRTUOSO_CHUNK

GRAPH = "https://w3id.org/regiokg/graph/reference/kill-test"
N = 2 * VIRTUOSO_CHUNK  # statements besides the graph's description: 3 chunks each in the graph and the union


def large_file(path, n: int) -> None:
    lines = [f'<{GRAPH}> <http://purl.org/dc/terms/title> "kill test" <{GRAPH}> .',
             f'<{GRAPH}> <http://purl.org/dc/terms/publisher> "tests" <{GRAPH}> .',
             f'<{GRAPH}> <http://purl.org/dc/terms/date> "2024-05-05"^^<http://www.w3.org/2001/XMLSchema#date> <{GRAPH}> .']
    lines += [f'<urn:kill:s{i}> <urn:kill:p> "value {i}" <{GRAPH}> .' for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stagings(engine) -> int:
    """Stagings on the engine, applied or not (a plain protocol request: opening a store tidies)."""
    resp = httpx.post(engine.query_url, data={"query": f"SELECT ?s WHERE {{ VALUES ?t {{ <{STAGED}> <{APPLIED}> }} ?s a ?t }}",
                                              "default-graph-uri": META},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return len(resp.json()["results"]["bindings"])


def state(kg) -> tuple:
    """What a user of the store sees of its size: quads per named graph, the default graph's size."""
    return kg.store.sizes(), kg.store.count(""), kg.store.named_graphs()


def load_through(engine, path, kill_at: int | None) -> int:
    """``regiokg load path`` through a KillProxy; returns the number of updates that reached the engine."""
    proxy = KillProxy(engine.query_url, kill_at=kill_at)
    try:
        env = {**os.environ, **engine.env(), "REGIOKG_STORE_UPDATE": proxy.url(engine.update_url),
               "REGIOKG_VALIDATE_WRITES": "false"}
        env.pop("REGIOKG_STORE", None)
        proc = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", proxy.url(engine.query_url),
                                 "load", str(path)], cwd=PROJECT_ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        proxy.victim = proc.pid
        _, err = proc.communicate(timeout=180)
        if kill_at is None:
            assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
            return proxy.updates
        assert proxy.killed.is_set(), f"the load ended ({proc.returncode}) before its update {kill_at}: {err[-2000:]!r}"
        assert proc.returncode == -9
        assert proxy.wait_engine(), "the engine did not finish the update the process was killed at"
        return kill_at
    finally:
        proxy.close()


def test_kill_9_at_every_point_of_a_staged_load_leaves_the_store_as_before_or_complete(engines, tmp_path_factory,
                                                                                       tmp_path):
    engine = engine_for("virtuoso", engines, tmp_path_factory)
    engine.fresh()
    settings = engine.settings()
    with KnowledgeGraph.open(settings) as kg:  # ontology and seeds
        before = state(kg)
    big = tmp_path / "big.nq"
    large_file(big, N)

    total = load_through(engine, big, kill_at=None)
    assert stagings(engine) == 0
    with KnowledgeGraph.open(settings, bootstrap=False) as kg:
        complete = state(kg)
        assert complete == ({**before[0], GRAPH: N + 3}, before[1] + N + 3, sorted([*before[2], GRAPH]))
        write.drop(kg, GRAPH)
        assert state(kg) == before

    applied = []
    for k in range(total + 1):  # 0: killed before its first update; k: killed while the engine runs update k
        load_through(engine, big, kill_at=k)
        left = stagings(engine)
        assert left <= 1
        with KnowledgeGraph.open(settings, bootstrap=False) as kg:
            now = state(kg)
            assert now in (before, complete), f"killed at update {k} of {total}: neither as before nor complete"
            if now == complete:
                assert stagings(engine) == 0, f"killed at update {k}: the open left an applied change's staging"
            else:
                assert stagings(engine) == left, f"killed at update {k}: the open dropped a young staging"
                assert kg.store.drop_stale_staging(older_than=0) == left
                assert stagings(engine) == 0 and state(kg) == before
            applied.append((now == complete, left))
            if now == complete:
                write.drop(kg, GRAPH)
                assert state(kg) == before

    # as before up to the move, whole from it on; killed with its change staged at several points
    assert [a for a, _ in applied] == sorted(a for a, _ in applied), applied
    assert not applied[0][0] and applied[-1][0], applied
    assert sum(1 for a, left in applied if not a and left) >= 4, applied

    with KnowledgeGraph.open(settings, bootstrap=False) as kg:
        # and the same load, not interrupted, arrives whole
        kg.load_files([big], validate=False)
        assert state(kg) == complete
