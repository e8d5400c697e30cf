"""Several API processes on one store: two real ``regiokg serve`` processes on one Virtuoso.

A write through one process is read through the other at once, also by the answers each
process caches per change marker (the search index, the sources list): the marker is a
version triple on the engine, rewritten by every write, so every process sees it move.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from apiserver import TOKEN
from engines import engine_for, free_port

from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT

AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "https://w3id.org/regiokg/graph/reference/two-processes"
ORG = "https://w3id.org/regiokg/id/organisatie/tweeprocessen"
UPDATE = f"""PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{GRAPH}> {{
  <{GRAPH}> a rk:ReferenceData ; dcterms:title "two processes"@en ; dcterms:publisher "tests" ;
      dcterms:date "2024-04-04"^^xsd:date .
  <{ORG}> a org:Organization ; rdfs:label "Tweeprocessen" .
}} }}"""


def serve(engine, port: int, log) -> subprocess.Popen:
    env = dict(os.environ, **engine.env(), REGIOKG_TOKEN=TOKEN, REGIOKG_QUERY_WORKERS="1")
    return subprocess.Popen([sys.executable, "-m", "api.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server {url} exited with {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server {url} did not start within {seconds:g} s")


@pytest.fixture
def two_servers(engines, tmp_path_factory, tmp_path):
    engine = engine_for("virtuoso", engines, tmp_path_factory)
    engine.fresh()
    KnowledgeGraph.open(engine.settings()).close()  # ontology and seeds, once, before both start
    procs, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"serve-{name}.log", "wb")  # noqa: SIM115 - the process writes it
            procs.append(serve(engine, port, log))
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(urls, procs, strict=True):
            wait_up(url, proc)
        yield urls, procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def test_a_write_through_one_process_is_read_through_the_other(two_servers):
    (a, b), (proc_a, proc_b) = two_servers
    assert proc_a.pid != proc_b.pid
    with httpx.Client(base_url=a, timeout=60) as ca, httpx.Client(base_url=b, timeout=60) as cb:
        # B answers (and caches, per change marker) before the write
        assert cb.get("/api/search", params={"q": "Tweeprocessen"}).json()["items"] == []
        assert GRAPH not in {s["graph"] for s in cb.get("/api/sources", params={"limit": 1000}).json()["items"]}

        resp = ca.post("/update", data={"update": UPDATE}, headers=AUTH)
        assert resp.status_code == 200, resp.text
        assert resp.json()["added"] == 6

        ask = cb.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ <{ORG}> a ?t }} }}"}).json()
        assert ask["boolean"] is True
        hits = cb.get("/api/search", params={"q": "Tweeprocessen"}).json()["items"]
        assert [h["iri"] for h in hits] == [ORG]
        sources = {s["graph"]: s for s in cb.get("/api/sources", params={"limit": 1000}).json()["items"]}
        assert sources[GRAPH]["title"] == "two processes"
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        assert cb.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "6"

        # and back: a refused write through B changes nothing that A sees
        bad = UPDATE.replace(f"<{ORG}> a org:Organization ; rdfs:label \"Tweeprocessen\"",
                             "<https://w3id.org/regiokg/id/gemeente/GM9997> a rk:Municipality ; rk:cbsCode \"XX97\"")
        assert cb.post("/update", data={"update": bad}, headers=AUTH).status_code == 422
        gone = "ASK { <https://w3id.org/regiokg/id/gemeente/GM9997> ?p ?o }"
        assert ca.get("/sparql", params={"query": gone}).json()["boolean"] is False
