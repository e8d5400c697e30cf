"""Limits on the remote backends: the query timeout (a runaway query is stopped with the 503,
and a read route past its deadline stops sending queries)."""

from __future__ import annotations

import time

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


class SlowLink:
    """A real HTTP relay between regiokg and the engine's query endpoint (a slow network, as
    to an engine on another machine): it forwards every request after ``delay`` seconds and
    records when each query arrived and the timeout it asked the engine for."""

    def __init__(self, target: str):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        self.delay = 0.0
        self.arrivals: list[tuple[float, dict[str, list[str]]]] = []
        link = self
        upstream = httpx.Client(timeout=120)

        class Relay(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server hook
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                link.arrivals.append((time.monotonic(), parse_qs(body.decode("utf-8"))))
                time.sleep(link.delay)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = upstream.post(target, content=body, headers=headers)
                self.send_response(answer.status_code)
                for k, v in answer.headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{urlsplit(target).path}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self._upstream = upstream

    def close(self) -> None:
        self.httpd.shutdown()
        self._upstream.close()


def test_a_read_past_its_deadline_sends_no_further_query(backend):
    """A read route on a remote store that misses REGIOKG_QUERY_TIMEOUT gets its 503, and
    its work ends there: after the deadline no further query reaches the engine (before, the
    route ran on in the server, query after query, long after the client had its 503), and
    every query it sent asked the engine to stop within what was left of the deadline."""
    from apiserver import load_fixture

    settings = backend.settings(query_timeout=1.0)
    link = SlowLink(settings.store)
    try:
        settings = settings.model_copy(update={"store": link.url, "store_update": settings.store_update or settings.store})
        kg = KnowledgeGraph.open(settings)
        load_fixture(kg)
        kg.close()
        with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
            assert srv.app.state.ui_warm.wait(120)  # the start-up's own analysis runs are done
            link.delay = 0.15  # each query now takes 0.15 s more: a municipality page needs dozens
            before = len(link.arrivals)
            started = time.monotonic()
            resp = c.get("/api/municipalities/barneveld")
            answered = time.monotonic()
            assert resp.status_code == 503, resp.text[:300]
            assert resp.json()["error"]["details"]["setting"] == "REGIOKG_QUERY_TIMEOUT"
            time.sleep(3.0)  # the route would have gone on sending queries meanwhile
            sent = link.arrivals[before:]
            link.delay = 0.0
            assert sent, "the route sent no query at all"
            late = [t - started for t, _ in sent if t > started + 1.0 + 0.3]
            assert not late, f"queries reached the engine {late} s after the request started (deadline 1 s)"
            assert answered - started < 1.0 + 1.0
            if backend.name == "virtuoso":  # the engine was asked to stop each query by the deadline
                asked = [int(form["timeout"][0]) for _, form in sent]
                assert asked and max(asked) <= 1000
            assert c.get("/api/arrangements", params={"limit": 1}).status_code == 200  # still serving
    finally:
        link.close()
