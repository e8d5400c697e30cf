"""Writes over HTTP: SPARQL Update at /update and the Graph Store Protocol, token, validation, atomicity."""

from __future__ import annotations

import httpx
import pytest
from apiserver import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW_GRAPH = "https://w3id.org/regiokg/graph/reference/api-write-test"


def valid_update(slug: str) -> str:
    """A conforming update that adds graph reference/<slug> describing organisatie/<slug>."""
    return VALID_UPDATE.replace("api-write-test", slug).replace("schrijftest", slug)


VALID_UPDATE = f"""
PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{
  <{NEW_GRAPH}> a rk:ReferenceData ; dcterms:title "write test"@en ; dcterms:publisher "tests" ;
      dcterms:date "2024-02-02"^^xsd:date .
  <https://w3id.org/regiokg/id/organisatie/schrijftest> a org:Organization ; rdfs:label "Schrijftest" .
}} }}"""
# A municipality without its required label and with a malformed CBS code.
INVALID_UPDATE = f"""
PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{
  <{NEW_GRAPH}> a rk:ReferenceData ; dcterms:title "write test"@en ; dcterms:publisher "tests" ;
      dcterms:date "2024-02-02"^^xsd:date .
  <https://w3id.org/regiokg/id/gemeente/GM9999> a rk:Municipality ; rk:cbsCode "XX99" .
}} }}"""
ASK_NEW = "ASK { <https://w3id.org/regiokg/id/organisatie/schrijftest> ?p ?o }"


def ask(client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


def dump(client) -> bytes:
    resp = client.get("/rdf-graph-store", headers={"Accept": "application/n-quads"})
    assert resp.status_code == 200
    return b"\n".join(sorted(resp.content.splitlines()))


@pytest.fixture(scope="module")
def wserver(tmp_path_factory):
    """One writable server for this module; each test writes under its own IRIs."""
    from apiserver import Server, load_fixture, make_settings

    from graph.kg import KnowledgeGraph

    settings = make_settings(tmp_path_factory.mktemp("api-write"))
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv:
        yield srv


@pytest.fixture
def wclient(wserver):
    with httpx.Client(base_url=wserver.url, timeout=60) as c:
        yield c


def test_update_without_token_is_401(wclient):
    resp = wclient.post("/update", data={"update": VALID_UPDATE})
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthorized"
    assert not ask(wclient, ASK_NEW)


def test_update_with_wrong_token_is_403(wclient):
    resp = wclient.post("/update", data={"update": VALID_UPDATE}, headers={"Authorization": "Bearer nope"})
    assert resp.status_code == 403
    assert resp.json()["error"]["message"] == "wrong token: this write is not allowed"
    assert not ask(wclient, ASK_NEW)


def test_malformed_authorization_is_401(wclient):
    resp = wclient.post("/update", data={"update": VALID_UPDATE}, headers={"Authorization": f"Basic {TOKEN}"})
    assert resp.status_code == 401




def test_valid_update_is_visible_to_next_query(wclient):
    slug = "visible-test"
    assert not ask(wclient, ASK_NEW.replace("schrijftest", slug))
    resp = wclient.post("/update", data={"update": valid_update(slug)}, headers=AUTH)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"status": "ok", "graphs": [NEW_GRAPH.replace("api-write-test", slug)],
                           "added": 6, "removed": 0}
    assert ask(wclient, ASK_NEW.replace("schrijftest", slug))


def test_valid_update_as_sparql_update_body(wclient):
    slug = "direct-body-test"
    resp = wclient.post("/update", content=valid_update(slug).encode(),
                        headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert resp.status_code == 200, resp.text
    assert ask(wclient, ASK_NEW.replace("schrijftest", slug))


def test_invalid_update_is_422_and_changes_nothing(wclient):
    before = dump(wclient)
    resp = wclient.post("/update", data={"update": INVALID_UPDATE}, headers=AUTH)
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["code"] == "validation_failed"
    focus = {(v["focus_node"], v["path"]) for v in error["details"]}
    assert ("https://w3id.org/regiokg/id/gemeente/GM9999", "http://www.w3.org/2000/01/rdf-schema#label") in focus
    assert ("https://w3id.org/regiokg/id/gemeente/GM9999", "https://w3id.org/regiokg/def#cbsCode") in focus
    assert dump(wclient) == before


def test_update_into_default_graph_is_refused(wclient):
    before = dump(wclient)
    resp = wclient.post("/update", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, headers=AUTH)
    assert resp.status_code == 422
    assert "named graph" in resp.json()["error"]["message"]
    assert dump(wclient) == before


def test_malformed_update_is_400(wclient):
    resp = wclient.post("/update", data={"update": "INSERT DATA { <urn:a> }"}, headers=AUTH)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "query_error"


def test_load_is_refused(wclient):
    resp = wclient.post("/update", data={"update": "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:x>"},
                        headers=AUTH)
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "refused_operation" and "LOAD" in error["message"]


def test_service_in_update_is_refused(wclient):
    update = "INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    resp = wclient.post("/update", data={"update": update}, headers=AUTH)
    assert resp.status_code == 400
    assert "SERVICE" in resp.json()["error"]["message"]


TURTLE = f"""
@prefix rk: <https://w3id.org/regiokg/def#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{NEW_GRAPH}> a rk:ReferenceData ; dcterms:title "gsp test"@en ; dcterms:publisher "tests" ;
    dcterms:date "2024-02-02"^^xsd:date .
<https://w3id.org/regiokg/id/organisatie/schrijftest> a org:Organization ; rdfs:label "Schrijftest" .
"""


def test_graph_store_put_get_post_delete(wclient):
    url = "/rdf-graph-store"
    params = {"graph": NEW_GRAPH}
    assert wclient.get(url, params=params).status_code == 404
    resp = wclient.put(url, params=params, content=TURTLE, headers={**AUTH, "Content-Type": "text/turtle"})
    assert resp.status_code == 201, resp.text
    resp = wclient.get(url, params=params, headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert b"Schrijftest" in resp.content
    extra = '<https://w3id.org/regiokg/id/organisatie/schrijftest> <http://www.w3.org/2004/02/skos/core#altLabel> "ST" .'
    resp = wclient.post(url, params=params, content=extra, headers={**AUTH, "Content-Type": "application/n-triples"})
    assert resp.status_code == 204, resp.text
    assert ask(wclient, 'ASK { <https://w3id.org/regiokg/id/organisatie/schrijftest> ?p "ST" }')
    assert ask(wclient, ASK_NEW)
    resp = wclient.delete(url, params=params, headers=AUTH)
    assert resp.status_code == 204
    assert not ask(wclient, ASK_NEW)
    assert wclient.get(url, params=params).status_code == 404


def test_graph_store_put_invalid_is_422_and_changes_nothing(wclient):
    before = dump(wclient)
    bad = TURTLE.replace('dcterms:title "gsp test"@en ;', "")
    resp = wclient.put("/rdf-graph-store", params={"graph": NEW_GRAPH}, content=bad,
                       headers={**AUTH, "Content-Type": "text/turtle"})
    assert resp.status_code == 422
    assert "title" in resp.json()["error"]["message"]
    assert dump(wclient) == before


def test_graph_store_put_needs_token(wclient):
    resp = wclient.put("/rdf-graph-store", params={"graph": NEW_GRAPH}, content=TURTLE,
                       headers={"Content-Type": "text/turtle"})
    assert resp.status_code == 401


def test_graph_store_syntax_error_names_the_line(wclient):
    resp = wclient.put("/rdf-graph-store", params={"graph": NEW_GRAPH}, content="<a> <b> .\n<c> <d> <e> <f> .",
                       headers={**AUTH, "Content-Type": "text/turtle"})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "parse_error"


def test_writes_disabled_without_configured_token(tmp_path):
    from apiserver import Server, make_settings

    with Server(make_settings(tmp_path, token=None, query_workers=1)) as srv:
        resp = httpx.post(srv.url + "/update", data={"update": VALID_UPDATE}, headers=AUTH, timeout=30)
        assert resp.status_code == 403
        assert "writes are disabled" in resp.json()["error"]["message"]
        assert "REGIOKG_TOKEN" in resp.json()["error"]["message"]


# -- writes applied exactly as validated (issue 14) ---------------------------------------------
def test_random_graph_update_is_never_stored_in_an_undescribed_graph(wclient):
    assert wclient.post("/update", data={"update": valid_update("rand-test")}, headers=AUTH).status_code == 200
    described = NEW_GRAPH.replace("api-write-test", "rand-test")
    answers = []
    for i in range(12):
        text = (f"INSERT {{ GRAPH ?g {{ <urn:rand:s{i}> <urn:rand:p> {i} }} }} WHERE {{ "
                f"BIND(IF(RAND() < 0.5, <{described}>, <urn:undescribed-{i}>) AS ?g) }}")
        resp = wclient.post("/update", data={"update": text}, headers=AUTH)
        assert resp.status_code in (200, 422), resp.text
        answers.append(resp)
        if resp.status_code == 200:
            assert resp.json()["graphs"] == [described] and resp.json()["added"] == 1
            assert ask(wclient, f"ASK {{ GRAPH <{described}> {{ <urn:rand:s{i}> <urn:rand:p> {i} }} }}")
        else:
            assert f"urn:undescribed-{i}" in resp.json()["error"]["message"]
            assert not ask(wclient, f"ASK {{ <urn:rand:s{i}> ?p ?o }}")
    assert not ask(wclient, "ASK { GRAPH ?g { ?s <urn:rand:p> ?o } FILTER(STRSTARTS(STR(?g), 'urn:undescribed')) }")


def test_code_swap_that_keeps_sizes_is_refused_over_http(wclient):
    gm = "https://w3id.org/regiokg/id/gemeente/GM0203"
    before = dump(wclient)
    text = (f"PREFIX rk: <https://w3id.org/regiokg/def#> DELETE {{ GRAPH ?g {{ <{gm}> rk:cbsCode ?c }} }} "
            f"INSERT {{ GRAPH ?g {{ <{gm}> rk:cbsCode \"not a code\" }} }} WHERE {{ GRAPH ?g {{ <{gm}> rk:cbsCode ?c }} }}")
    resp = wclient.post("/update", data={"update": text}, headers=AUTH)
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["code"] == "validation_failed" and error["details"][0]["focus_node"] == gm
    assert dump(wclient) == before


def test_javascript_iri_is_refused_with_422(wclient):
    before = dump(wclient)
    text = valid_update("xss-test").replace(
        'rdfs:label "Schrijftest" .', 'rdfs:label "Schrijftest" ; org:member <javascript:alert(document.domain)//> .')
    resp = wclient.post("/update", data={"update": text}, headers=AUTH)
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["code"] == "iri_scheme_refused" and "javascript:alert" in error["message"]
    resp = wclient.put("/rdf-graph-store", params={"graph": NEW_GRAPH},
                       content=TURTLE + '<https://w3id.org/regiokg/id/organisatie/schrijftest> '
                                        'rdfs:seeAlso <file:///etc/passwd> .',
                       headers={**AUTH, "Content-Type": "text/turtle"})
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "iri_scheme_refused"
    assert dump(wclient) == before


def test_default_graph_is_the_set_union_and_cannot_be_written(wclient):
    resp = wclient.get("/rdf-graph-store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    lines = [line for line in resp.content.decode("utf-8").splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) > 0
    count = wclient.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(lines)
    for method in ("put", "post"):
        resp = getattr(wclient, method)("/rdf-graph-store", params={"default": ""}, content=TURTLE,
                                        headers={**AUTH, "Content-Type": "text/turtle"})
        assert resp.status_code == 400 and "union of the named graphs" in resp.json()["error"]["message"]
    resp = wclient.delete("/rdf-graph-store", params={"default": ""}, headers=AUTH)
    assert resp.status_code == 400
