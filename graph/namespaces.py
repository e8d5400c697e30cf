"""Namespaces used across regiokg (rdflib ``Namespace`` objects and prefix table)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

RK = Namespace("https://w3id.org/regiokg/def#")
RKID = Namespace("https://w3id.org/regiokg/id/")
RKG = Namespace("https://w3id.org/regiokg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SH = Namespace("http://www.w3.org/ns/shacl#")
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"
TOOI_PROVINCIE = "https://identifier.overheid.nl/tooi/id/provincie/"

PREFIXES: dict[str, str] = {
    "rk": str(RK),
    "rkid": str(RKID),
    "rkg": str(RKG),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "geo": str(GEO),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}

__all__ = ["RK", "RKID", "RKG", "ORG", "SCHEMA", "GEO", "SH", "DCTERMS", "FOAF", "OWL", "PROV",
           "RDF", "RDFS", "SKOS", "TIME", "XSD", "PREFIXES", "TOOI_GEMEENTE", "TOOI_PROVINCIE"]
