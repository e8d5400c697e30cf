"""A runaway query is stopped by the timeout while the server keeps answering others."""

from __future__ import annotations

import threading
import time

import httpx

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT DISTINCT ?name WHERE { <https://w3id.org/regiokg/id/gemeente/GM0203> <http://www.w3.org/2000/01/rdf-schema#label> ?name }"


def test_runaway_query_is_stopped_and_others_are_served(timeout_server):
    url = timeout_server.url
    slow: dict = {}

    def run_slow() -> None:
        started = time.monotonic()
        slow["resp"] = httpx.get(url + "/sparql", params={"query": CROSS_PRODUCT}, timeout=60)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)  # the cross product is running in a worker now
    health_times, small_times = [], []
    with httpx.Client(base_url=url, timeout=10) as client:
        while thread.is_alive():
            t0 = time.monotonic()
            health = client.get("/health")
            t1 = time.monotonic()
            small = client.get("/sparql", params={"query": SMALL})
            t2 = time.monotonic()
            health_times.append(t1 - t0)
            if thread.is_alive():  # answered while the slow query still ran
                small_times.append(t2 - t1)
            assert health.status_code == 200
            assert small.status_code == 200
            assert small.json()["results"]["bindings"][0]["name"]["value"] == "Barneveld"
            time.sleep(0.1)
    thread.join()
    assert health_times, "no request was made while the slow query ran"
    # /health is answered by the server itself: under a second whatever the workers do
    assert max(health_times) < 1.0, f"/health stalled behind the slow query: {max(health_times):.2f} s"
    # a small query goes to another worker: it is answered while the slow one still runs,
    # not queued behind it (the slow one runs for the whole 2 s timeout)
    assert small_times, "no small query was answered while the slow query ran"
    resp = slow["resp"]
    assert resp.status_code == 503
    error = resp.json()["error"]
    assert error["code"] == "query_timeout"
    assert "REGIOKG_QUERY_TIMEOUT" in error["message"]
    assert 1.9 <= slow["seconds"] <= 4.5
    # the killed worker was replaced: the pool still answers, and /health counts the stop
    with httpx.Client(base_url=url, timeout=10) as client:
        for _ in range(4):
            assert client.get("/sparql", params={"query": SMALL}).status_code == 200
        assert client.get("/health").json()["queries_stopped_by_timeout"] == 1
