"""Hostile requests (issue 14) against a real server: each gets a 4xx or the timeout's 503
with one line saying why, /health keeps answering in under 1 s meanwhile, no process
crashes, and a listener on loopback receives nothing (the server connects nowhere)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from apiserver import TOKEN, Server, load_fixture, make_settings

from graph.kg import KnowledgeGraph

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIMEOUT = 3.0


class Listener:
    """A TCP listener on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            self.connections.append(data or b"(connected)")
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("api-attacks"), query_timeout=TIMEOUT,
                             max_request_bytes=2_000_000, query_memory_mb=1024, query_workers=3)
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv:
        yield srv


@pytest.fixture
def hc(hostile):
    with httpx.Client(base_url=hostile.url, timeout=60) as c:
        yield c


class HealthWatch:
    """Polls /health in a thread while a hostile request runs; records the slowest answer."""

    def __init__(self, url: str):
        self.url = url
        self.times: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as c:
            while not self._stop.is_set():
                t0 = time.monotonic()
                try:
                    status = c.get("/health").status_code
                    if status != 200:
                        self.failures.append(f"status {status}")
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))
                self.times.append(time.monotonic() - t0)
                time.sleep(0.1)

    def __enter__(self) -> HealthWatch:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.times and time.monotonic() < deadline:  # the watch is running before the attack
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.15)  # one more probe after the attack
        self._stop.set()
        self.thread.join(timeout=30)
        assert not self.failures, f"/health failed meanwhile: {self.failures[:3]}"
        assert self.times, "/health was never asked"
        assert max(self.times) < 1.0, f"/health took {max(self.times):.2f} s meanwhile"


def one_line_error(resp: httpx.Response, *statuses: int) -> dict:
    assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    error = resp.json()["error"]
    assert error["status"] == resp.status_code
    assert error["message"] and "\n" not in error["message"]
    return error


def sparql(c: httpx.Client, query: str) -> httpx.Response:
    return c.post("/sparql", content=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query"})


def still_serving(c: httpx.Client) -> None:
    """The pool answers again (a killed worker is replaced in the background; on a loaded
    machine starting one takes a few seconds, meanwhile a busy pool answers 503)."""
    deadline = time.monotonic() + 30
    while True:
        resp = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        if resp.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert resp.status_code == 200 and resp.json()["boolean"] is True


def test_ssrf_through_escaped_hash_is_refused(hc, hostile, listener):
    query = (f"PREFIX ex: <urn:ex:> SELECT ?x WHERE {{ OPTIONAL {{ ?s ?p ex:a\\# }} "
             f"SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?a ?b ?x }} }}")
    with HealthWatch(hostile.url):
        for send in (lambda: hc.get("/sparql", params={"query": query}), lambda: sparql(hc, query)):
            error = one_line_error(send(), 400)
            assert error["code"] in ("query_error", "refused_operation")
    assert listener.connections == []


@pytest.mark.parametrize("pattern", [
    "?s ?p 7SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?x }}",
    "?s ?p ?o SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?x }}",
    "?s ?p ?o SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?x }}",
    "?s ?p ?o # comment\n SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?x }}",
    "?s ?p ?o \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?x }}",
])
def test_service_in_any_spelling_is_refused(hc, listener, pattern):
    query = "SELECT ?x WHERE { " + pattern.format(port=listener.port) + " }"
    error = one_line_error(sparql(hc, query), 400)
    assert error["code"] in ("query_error", "refused_operation")
    assert listener.connections == []


def test_load_after_a_nested_where_is_refused(hc, listener):
    nested = "{ " * 40 + "?s ?p ?o " + "} " * 40
    update = (f"INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} WHERE {nested} ; "
              f"LOAD <http://127.0.0.1:{listener.port}/data.ttl> INTO GRAPH <urn:x>")
    resp = hc.post("/update", content=update.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"})
    error = one_line_error(resp, 400)
    assert error["code"] == "refused_operation" and "LOAD" in error["message"]
    assert listener.connections == []
    ask = hc.get("/sparql", params={"query": "ASK { GRAPH <urn:x> { ?s ?p ?o } }"}).json()
    assert ask["boolean"] is False


@pytest.mark.parametrize("name,query", [
    ("braces", "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000),
    ("parentheses", "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"),
    ("optionals", "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 5000 + "}" * 5000 + " }"),
    ("sub-selects", "SELECT * WHERE { " + "{ SELECT * WHERE { ?s ?p ?o " * 5000 + "} }" * 5000 + " }"),
])
def test_deep_nesting_is_refused_and_nothing_crashes(hc, hostile, name, query):
    with HealthWatch(hostile.url):
        error = one_line_error(sparql(hc, query), 400)
        assert error["code"] == "query_too_complex"
        assert "REGIOKG_QUERY_MAX_DEPTH" in error["message"]
        update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } } ; DELETE WHERE " + "{" * 3000 + "}" * 3000
        resp = hc.post("/update", content=update.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"})
        assert one_line_error(resp, 400)["code"] == "query_too_complex"
    still_serving(hc)


def test_nesting_just_under_the_limit_parses_and_runs(hc):
    query = "SELECT * WHERE " + "{" * 90 + " ?s ?p ?o " + "}" * 90 + " LIMIT 1"
    resp = sparql(hc, query)
    assert resp.status_code == 200 and len(resp.json()["results"]["bindings"]) == 1


DOUBLE_VALUES = ("SELECT * WHERE { VALUES ?a { " + " ".join(f"<urn:a{i}>" for i in range(2400))
                 + " } VALUES ?b { " + " ".join(f"<urn:b{i}>" for i in range(2400)) + " } }")


@pytest.mark.parametrize("name,query", [
    ("1 MB FILTER IN", "SELECT ?s WHERE { ?s ?p ?o FILTER(?o IN ("
     + ",".join(f'"value number {i}"' for i in range(60_000)) + ")) }"),
    ("58 KB double VALUES, counted", DOUBLE_VALUES.replace("SELECT *", "SELECT (COUNT(*) AS ?n)")
     .replace("} }", "} ?s ?p ?o }")),
    ("CONCAT doubling", 'SELECT ?n WHERE { BIND("aaaaaaaaaaaaaaaa" AS ?x0) '
     + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30)) + " BIND(STRLEN(?x30) AS ?n) }"),
    ("cross product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
])
def test_expensive_queries_stop_with_503_naming_the_setting(hc, hostile, name, query):
    assert len(query) < 1_900_000
    with HealthWatch(hostile.url):
        t0 = time.monotonic()
        resp = sparql(hc, query)
        elapsed = time.monotonic() - t0
    error = one_line_error(resp, 503)
    assert error["code"] in ("query_timeout", "query_memory_exceeded")
    assert ("REGIOKG_QUERY_TIMEOUT" in error["message"]) or ("REGIOKG_QUERY_MEMORY_MB" in error["message"])
    assert elapsed < TIMEOUT + 5
    still_serving(hc)


def test_double_values_answer_is_cut_at_the_row_cap_or_stopped(hc, hostile):
    """5.8 million rows: cut at REGIOKG_MAX_ROWS, or (parsing 4,800 IRIs takes rdflib a few
    seconds; on a loaded machine more than the 3 s timeout) stopped with the timeout's 503."""
    still_serving(hc)  # the workers the tests before killed are back
    with HealthWatch(hostile.url):
        resp = sparql(hc, DOUBLE_VALUES)
    if resp.status_code == 503:
        assert "REGIOKG_QUERY_TIMEOUT" in one_line_error(resp, 503)["message"]
    else:
        assert resp.status_code == 200
        assert len(resp.json()["results"]["bindings"]) == 1000
        assert "REGIOKG_MAX_ROWS" in resp.headers["x-regiokg-truncated"]


def test_ten_concurrent_graph_store_reads_keep_health_fast(hc, hostile):
    still_serving(hc)
    whole = hc.get("/rdf-graph-store", headers={"Accept": "application/n-quads"})
    assert whole.status_code == 200
    expected = len(whole.content.splitlines())
    assert expected > 1000

    def read(_: int) -> httpx.Response:
        with httpx.Client(base_url=hostile.url, timeout=60) as c:
            return c.get("/rdf-graph-store", headers={"Accept": "application/n-quads"})

    with HealthWatch(hostile.url), ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(read, range(10)))
    for resp in answers:
        if resp.status_code == 200:
            assert len(resp.content.splitlines()) == expected
        else:
            assert one_line_error(resp, 503)["code"] == "query_timeout"
    assert any(r.status_code == 200 for r in answers)


def test_a_worker_killed_from_outside_is_replaced(hc, hostile):
    import signal

    sandbox = hostile.app.state.sandbox
    before = {w.process.pid for w in sandbox._all.values()}
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.3)
    for _ in range(4):
        still_serving(hc)
    after = {w.process.pid for w in sandbox._all.values()}
    assert after and not (after & before)
    assert hc.get("/health").json()["query_workers"] == len(after)


def test_query_workers_cannot_open_network_connections(listener):
    """Even a SERVICE that got past the parser could not connect: the worker's own set-up."""
    code = (
        "from graph.sandbox import _isolate_network\n"
        "layers = _isolate_network()\n"
        "assert layers, 'no isolation took effect'\n"
        "import pyoxigraph as ox, socket\n"
        "try:\n"
        f"    list(ox.Store().query('SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}'))\n"
        "    print('SERVICE ANSWERED')\n"
        "except Exception as exc:\n"
        "    print('service failed:', type(exc).__name__)\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)\n"
        "    print('SOCKET CONNECTED')\n"
        "except OSError as exc:\n"
        "    print('socket failed:', exc.errno)\n"
        "print('layers', layers)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "service failed" in out.stdout and "socket failed" in out.stdout, out.stdout
    assert "ANSWERED" not in out.stdout and "CONNECTED" not in out.stdout
    time.sleep(0.5)
    assert listener.connections == []


@pytest.mark.parametrize("path", [
    "/api/analysis/load?domain=%00", "/api/analysis/load?domain=%FF", "/api/analysis/load?domain=a%00b",
    "/api/analysis/load?domain=%22%27%3C%3E", "/api/analysis/load?domain=a%22b", "/static/%00",
    "/static/%FF", "/id/gemeente/%00", "/api/municipalities?province=%00",
])
def test_odd_bytes_in_paths_and_parameters_are_4xx(hc, path):
    resp = hc.get(path)
    assert 400 <= resp.status_code < 500, (path, resp.status_code, resp.text[:200])
    if resp.headers.get("content-type", "").startswith("application/json"):
        one_line_error(resp, resp.status_code)


def test_options_and_head_where_the_protocols_expect_them(hc):
    resp = hc.options("/sparql")
    assert resp.status_code == 204
    assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in resp.headers["allow"].split(",")}
    resp = hc.options("/rdf-graph-store")
    assert {"GET", "HEAD", "PUT", "POST", "DELETE"} <= {m.strip() for m in resp.headers["allow"].split(",")}
    head = hc.head("/rdf-graph-store", headers={"Accept": "application/n-quads"})
    get = hc.get("/rdf-graph-store", headers={"Accept": "application/n-quads"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)
    assert hc.head("/health").status_code == 200


def test_cors_reads_open_write_preflight_refused_for_foreign_origins(hc):
    foreign = "https://evil.example"
    read = hc.options("/sparql", headers={"Origin": foreign, "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Headers": "content-type"})
    assert read.status_code == 200 and read.headers["access-control-allow-origin"] in ("*", foreign)
    get = hc.get("/health", headers={"Origin": foreign})
    assert get.headers["access-control-allow-origin"] in ("*", foreign)
    for path, method, asked in (("/update", "POST", "authorization, content-type"),
                                ("/rdf-graph-store", "PUT", "authorization"),
                                ("/rdf-graph-store", "DELETE", ""), ("/sparql", "POST", "authorization")):
        resp = hc.options(path, headers={"Origin": foreign, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": asked})
        error = one_line_error(resp, 403)
        assert "REGIOKG_CORS_WRITE_ORIGINS" in error["message"]
        assert "access-control-allow-origin" not in resp.headers


def test_a_late_api_read_is_503_naming_the_timeout_and_its_computation_is_stopped(tmp_path):
    settings = make_settings(tmp_path, query_timeout=0.05)
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        assert srv.app.state.ui_warm.wait(120)  # the start-up warm-up of the pages' runs is over
        sandbox = srv.app.state.sandbox

        def worker_pids() -> set[int]:
            return {w.process.pid for w in list(sandbox._all.values())}

        before = worker_pids()
        assert len(before) == settings.query_workers
        resp = c.get("/api/analysis/congruence", params={"date": "2016-03-01"})
        error = one_line_error(resp, 503)
        assert error["code"] == "query_timeout" and "REGIOKG_QUERY_TIMEOUT=0.05" in error["message"]
        assert "stopped" in error["message"]
        t0 = time.monotonic()
        assert c.get("/health").status_code == 200
        assert time.monotonic() - t0 < 1.0
        # The answer was computed in a worker, and that worker was killed: its process is gone
        # (nothing of the request runs any more) and a fresh one took its place.
        deadline = time.monotonic() + 30
        while (before <= worker_pids() or len(worker_pids()) < settings.query_workers) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        after = worker_pids()
        gone = before - after
        assert len(gone) == 1, (before, after)
        assert not os.path.exists(f"/proc/{gone.pop()}")  # killed and reaped
        assert len(after) == settings.query_workers
        assert c.get("/health").json()["queries_stopped_by_timeout"] == 1
        # ... and no thread of the server process is computing the analysis either
        busy = [t for t, frame in sys._current_frames().items()
                if any("graph/analysis" in f.f_code.co_filename for f in _stack(frame))]
        assert not busy, [traceback.format_stack(sys._current_frames()[t]) for t in busy]


def _stack(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back
