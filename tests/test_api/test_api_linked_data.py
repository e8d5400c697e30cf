"""Dereferenceable identifiers under /id/ with content negotiation."""

from __future__ import annotations

import pytest
import rdflib

BARNEVELD = rdflib.URIRef("https://w3id.org/regiokg/id/gemeente/GM0203")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_browser_gets_html(client):
    resp = client.get("/id/gemeente/GM0203", headers={"Accept": BROWSER})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "Barneveld" in resp.text
    assert "Accept" in resp.headers["vary"]


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_client_gets_rdf(client, accept, fmt):
    resp = client.get("/id/gemeente/GM0203", headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.headers["content-type"].split(";")[0] == accept
    assert resp.headers["content-location"].startswith("/id/gemeente/GM0203?format=")
    g = rdflib.Graph().parse(data=resp.content, format=fmt)
    assert (BARNEVELD, rdflib.RDFS.label, rdflib.Literal("Barneveld")) in g
    # incoming links are part of the description (the membership pointing at Barneveld)
    org_member = rdflib.URIRef("http://www.w3.org/ns/org#member")
    assert any(True for _ in g.subjects(org_member, BARNEVELD))
    # linked resources carry their labels
    province = rdflib.URIRef("https://w3id.org/regiokg/id/provincie/PV25")
    assert (province, rdflib.RDFS.label, rdflib.Literal("Gelderland")) in g


def test_format_parameter(client):
    resp = client.get("/id/gemeente/GM0203", params={"format": "ttl"}, headers={"Accept": BROWSER})
    assert resp.headers["content-type"].startswith("text/turtle")


def test_unknown_identifier_is_404(client):
    resp = client.get("/id/gemeente/GM0000", headers={"Accept": "text/turtle"})
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_unacceptable_is_406(client):
    resp = client.get("/id/gemeente/GM0203", headers={"Accept": "image/png"})
    assert resp.status_code == 406
