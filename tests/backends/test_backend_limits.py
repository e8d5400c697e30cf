"""Limits on the remote backends: the query timeout (a runaway query is stopped with the 503)."""

from __future__ import annotations

import httpx
import pytest
from apiserver import Server
from engines import Backend, engine_for

from graph.kg import KnowledgeGraph


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph-server"])
def backend(request, engines, tmp_path_factory) -> Backend:
    """The remote backends only: the embedded store's timeout is tested in tests/test_api."""
    engine = engine_for(request.param, engines, tmp_path_factory)
    return Backend(request.param, engine, tmp_path_factory.mktemp(request.param))


def test_runaway_query_is_stopped_at_the_query_timeout(backend, engines, tmp_path_factory):
    """The query timeout holds on a remote store: a cross product of the store with itself
    is stopped with the timeout's 503 (the request abandoned; the engine stops it too)."""
    settings = backend.settings(query_timeout=1.5)
    KnowledgeGraph.open(settings).close()
    with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        resp = c.get("/sparql", params={"query": slow})
        assert resp.status_code == 503, resp.text[:300]
        assert resp.json()["error"]["details"]["setting"] == "REGIOKG_QUERY_TIMEOUT"
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True  # still serving
