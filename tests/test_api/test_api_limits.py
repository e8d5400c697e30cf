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
    fast = []
    with httpx.Client(base_url=url, timeout=10) as client:
        while thread.is_alive():
            t0 = time.monotonic()
            health = client.get("/health")
            small = client.get("/sparql", params={"query": SMALL})
            fast.append(time.monotonic() - t0)
            assert health.status_code == 200
            assert small.status_code == 200
            assert small.json()["results"]["bindings"][0]["name"]["value"] == "Barneveld"
            time.sleep(0.1)
    thread.join()
    assert fast, "no request was made while the slow query ran"
    assert max(fast) < 1.0, f"cheap requests stalled behind the slow query: {max(fast):.2f} s"
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
