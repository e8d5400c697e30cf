"""``GET /sparql?query=...`` is answered before FastAPI's routing (api/app.py ``SparqlGetFirst``,
api/routes/sparql.py ``serve_get``); a POST, a CORS request (``Origin``) and ``HEAD`` go
through the route. Whichever way a query comes in, the answer is the same: status, media
type, the regiokg headers and the body."""

from __future__ import annotations

import pytest

from graph.namespaces import RK

SELECT = "SELECT ?m ?code WHERE { ?m a rk:Municipality ; rk:cbsCode ?code } ORDER BY ?code LIMIT 5"
CASES = [
    pytest.param(SELECT, {}, "application/sparql-results+json", id="select-json"),
    pytest.param(SELECT, {}, "text/csv", id="select-csv"),
    pytest.param(SELECT, {}, "application/sparql-results+xml", id="select-xml"),
    pytest.param(SELECT, {"format": "tsv"}, "application/json", id="select-format-parameter"),
    pytest.param("ASK { ?m a rk:Municipality }", {}, "application/sparql-results+json", id="ask"),
    pytest.param(f"CONSTRUCT {{ ?m a <{RK}Municipality> }} WHERE {{ ?m a rk:Municipality }} ORDER BY ?m LIMIT 3",
                 {}, "text/turtle", id="construct-turtle"),
    pytest.param("SELECT ?s WHERE { ?s ?p ?o } LIMIT 100000", {}, "application/sparql-results+json",
                 id="row-cap"),
    pytest.param("SELECT ?x WHERE { ?x ?y }", {}, "application/sparql-results+json", id="malformed"),
    pytest.param("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {},
                 "application/sparql-results+json", id="service-refused"),
    pytest.param(SELECT, {}, "image/png", id="not-acceptable"),
    pytest.param(SELECT, {"default-graph-uri": "not an iri"}, "application/sparql-results+json",
                 id="bad-graph-parameter"),
    pytest.param("   ", {}, "application/sparql-results+json", id="empty"),
]
SAME_HEADERS = ("content-type", "vary", "x-regiokg-truncated", "x-regiokg-max-rows")


def _answer(response):
    return response.status_code, {h: response.headers.get(h) for h in SAME_HEADERS}, response.content


@pytest.mark.parametrize(("query", "extra", "accept"), CASES)
def test_get_answers_as_the_route_does(client, query, extra, accept):
    params = {"query": query, **extra}
    fast = client.get("/sparql", params=params, headers={"Accept": accept})
    form = client.post("/sparql", data={"query": query}, params=extra, headers={"Accept": accept})
    cors = client.get("/sparql", params=params, headers={"Accept": accept, "Origin": "http://example.org"})
    assert _answer(fast) == _answer(form)
    assert _answer(fast) == _answer(cors)
    assert fast.headers["content-length"] == str(len(fast.content))
    head = client.head("/sparql", params=params, headers={"Accept": accept})
    assert (head.status_code, head.headers.get("content-type")) == (fast.status_code, fast.headers["content-type"])
    assert head.content == b""


def test_the_answers_are_what_a_user_checks(client, server):
    """The cases above are not vacuous: the same texts give answers, refusals and errors."""
    ok = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200
    assert [row["code"]["value"] for row in ok.json()["results"]["bindings"]] == sorted(
        row["code"]["value"] for row in ok.json()["results"]["bindings"])
    assert len(ok.json()["results"]["bindings"]) == 5
    capped = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 100000"})
    assert capped.headers["x-regiokg-max-rows"] == str(server.settings.max_rows)
    for query, status, code in (("SELECT ?x WHERE { ?x ?y }", 400, "query_error"),
                                ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400, None),
                                ("   ", 400, "bad_input")):
        refused = client.get("/sparql", params={"query": query})
        assert refused.status_code == status
        body = refused.json()["error"]
        assert body["status"] == status and body["message"]
        if code:
            assert body["code"] == code
    assert client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}).status_code == 406
    cors = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "http://example.org"})
    assert "access-control-allow-origin" in cors.headers or server.settings.cors_origins == ()
