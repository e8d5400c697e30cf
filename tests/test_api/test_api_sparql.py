"""The SPARQL 1.1 Protocol at /sparql over real HTTP: methods x formats x errors, real clients."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib

BARNEVELD = "https://w3id.org/regiokg/id/gemeente/GM0203"
TEST_GRAPH = "https://w3id.org/regiokg/graph/reference/api-test"
SELECT = ("PREFIX rk: <https://w3id.org/regiokg/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT DISTINCT ?m ?name WHERE { ?m rk:cbsCode \"GM0203\" ; rdfs:label ?name }")
ASK = "ASK { <https://w3id.org/regiokg/id/gemeente/GM0203> ?p ?o }"
CONSTRUCT = ("PREFIX rk: <https://w3id.org/regiokg/def#> "
             "CONSTRUCT { ?m rk:province ?p } WHERE { ?m rk:province ?p }")
SRX = "{http://www.w3.org/2005/sparql-results#}"


def send(client, method: str, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        return client.get("/sparql", params={"query": query, **params}, headers=headers)
    if method == "POST-form":
        return client.post("/sparql", data={"query": query, **params}, headers=headers)
    return client.post("/sparql", content=query.encode(), params=params,
                       headers={**headers, "Content-Type": "application/sparql-query"})


METHODS = ["GET", "POST-form", "POST-direct"]


def select_names(resp) -> list[str]:
    """The ?name values of a SELECT answer in any of the four result formats."""
    ctype = resp.headers["content-type"].split(";")[0]
    if ctype == "application/sparql-results+json":
        return [b["name"]["value"] for b in resp.json()["results"]["bindings"]]
    if ctype == "application/sparql-results+xml":
        root = ET.fromstring(resp.content)
        return [b.find(f"{SRX}literal").text for b in root.iter(f"{SRX}binding") if b.get("name") == "name"]
    if ctype == "text/csv":
        return [row["name"] for row in csv.DictReader(io.StringIO(resp.text))]
    if ctype == "text/tab-separated-values":
        lines = resp.text.strip().split("\n")
        col = lines[0].split("\t").index("?name")
        return [line.split("\t")[col].strip('"') for line in lines[1:]]
    raise AssertionError(f"unexpected content type {ctype}")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_every_method_and_format(client, method, accept):
    resp = send(client, method, SELECT, accept)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == accept
    assert select_names(resp) == ["Barneveld"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json", b'"boolean":true'),
    ("application/sparql-results+xml", b"<boolean>true</boolean>"),
    ("text/csv", b"true"),
    ("text/tab-separated-values", b"true"),
])
def test_ask_every_method_and_format(client, method, accept, expected):
    resp = send(client, method, ASK, accept)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == accept
    assert expected in resp.content


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept,rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/trig", "trig"), ("application/n-quads", "nquads"),
])
def test_construct_every_method_and_format(client, method, accept, rdflib_format):
    resp = send(client, method, CONSTRUCT, accept)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == accept
    g = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    g.parse(data=resp.content, format=rdflib_format)
    triples = {(str(s), str(o)) for s, _, o, *_ in (g.quads() if isinstance(g, rdflib.Dataset) else g)}
    assert (BARNEVELD, "https://w3id.org/regiokg/id/provincie/PV25") in triples


def test_format_parameter_overrides_accept_for_browsers(client):
    resp = client.get("/sparql", params={"query": SELECT, "format": "csv"},
                      headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")


def test_browser_accept_gets_json(client):
    resp = client.get("/sparql", params={"query": SELECT},
                      headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize("method", METHODS)
def test_malformed_query_is_400_with_parser_message(client, method):
    resp = send(client, method, "SELECT ?x WHERE { ?x ?y }")
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "query_error"
    assert "malformed SPARQL query" in error["message"] and "line 1, column 19" in error["message"]


def test_update_sent_to_query_endpoint_is_400(client):
    resp = send(client, "GET", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert resp.status_code == 400
    assert "/update" in resp.json()["error"]["message"]


@pytest.mark.parametrize("query", [SELECT, CONSTRUCT])
def test_unacceptable_accept_is_406(client, query):
    resp = send(client, "GET", query, "image/png")
    assert resp.status_code == 406
    error = resp.json()["error"]
    assert error["code"] == "not_acceptable" and "image/png" in error["message"]


def test_unsupported_content_type_is_415(client):
    resp = client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415
    assert resp.json()["error"]["code"] == "unsupported_media_type"


def test_service_description_on_bare_get(client):
    resp = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=resp.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g
    assert str(g.value(service, sd.endpoint)).endswith("/sparql")


def test_default_graph_uri_limits_the_default_graph(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(send(client, "GET", query).json()["results"]["bindings"][0]["n"]["value"])
    only_test = send(client, "GET", query, **{"default-graph-uri": TEST_GRAPH})
    assert only_test.status_code == 200
    n = int(only_test.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n < everything
    assert n == 52  # the triples of tests/test_api/fixture.trig


def test_named_graph_uri_limits_graph_patterns(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    resp = send(client, "POST-direct", query, **{"named-graph-uri": TEST_GRAPH})
    assert resp.status_code == 200
    assert [b["g"]["value"] for b in resp.json()["results"]["bindings"]] == [TEST_GRAPH]


def test_row_cap_is_reported(client, server):
    resp = send(client, "GET", "SELECT * WHERE { ?s ?p ?o }")
    assert resp.status_code == 200
    body = resp.json()
    assert len(body["results"]["bindings"]) == server.settings.max_rows
    assert body["regiokg"] == {"truncated": True, "max_rows": server.settings.max_rows, "setting": "REGIOKG_MAX_ROWS"}
    assert "REGIOKG_MAX_ROWS" in resp.headers["x-regiokg-truncated"]


def test_row_cap_not_reported_below_it(client):
    resp = send(client, "GET", SELECT)
    assert "x-regiokg-truncated" not in resp.headers
    assert "regiokg" not in resp.json()


def test_request_size_cap_is_413(client, server):
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (server.settings.max_request_bytes + 10)
    resp = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413
    error = resp.json()["error"]
    assert error["code"] == "payload_too_large" and "REGIOKG_MAX_REQUEST_BYTES" in error["message"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "select * where { ?a ?b ?c . service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }",
])
def test_service_is_refused(client, query):
    resp = send(client, "GET", query)
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "refused_operation" and "SERVICE" in error["message"]


def test_service_word_in_string_or_iri_is_not_refused(client):
    resp = send(client, "GET", 'SELECT * WHERE { ?s <http://example.org/SERVICE> "SERVICE" }')
    assert resp.status_code == 200


def test_sparqlwrapper_reads_select_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Barneveld"]
    sw.setMethod("POST")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    data = sw.query().convert()
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert (rdflib.URIRef(BARNEVELD), None, rdflib.URIRef("https://w3id.org/regiokg/id/provincie/PV25")) in g


def test_rdflib_sparqlstore_reads(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql")
    g = rdflib.Graph(store=store)
    rows = list(g.query(SELECT))
    assert [str(r.name) for r in rows] == ["Barneveld"]
    assert g.query(ASK).askAnswer is True
    labels = list(g.objects(rdflib.URIRef(BARNEVELD), rdflib.RDFS.label))
    assert {str(x) for x in labels} == {"Barneveld"}


def test_json_answer_parses_as_sparql_results(client):
    resp = send(client, "GET", SELECT)
    body = json.loads(resp.content)
    assert body["head"]["vars"] == ["m", "name"]
    assert body["results"]["bindings"][0]["m"] == {"type": "uri", "value": BARNEVELD}


def test_project_prefixes_are_predeclared_and_own_prefix_wins(client):
    # rk: without a PREFIX line answers, as in the CLI (Wikidata's endpoint does the same)
    r = send(client, "GET", "SELECT ?m WHERE { ?m a rk:Municipality } LIMIT 1",
             accept="application/sparql-results+json")
    assert r.status_code == 200, r.text
    [row] = r.json()["results"]["bindings"]
    assert row["m"]["value"].startswith("https://w3id.org/regiokg/id/gemeente/GM")
    # a query's own declaration of rk: is used instead of the project's
    r = send(client, "GET", "PREFIX rk: <urn:other#> SELECT ?m WHERE { ?m a rk:Municipality } LIMIT 1",
             accept="application/sparql-results+json")
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == []
    # an undeclared prefix that is not the project's still fails with the parser's message
    r = send(client, "GET", "SELECT ?m WHERE { ?m a nope:Thing }")
    assert r.status_code == 400
