"""Small helpers shared by the importers: IRIs, literals and the graph self-description."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from graph.namespaces import GEO, ORG, PROV, RK, RKG, RKID, SCHEMA, TIME, TOOI_GEMEENTE, TOOI_PROVINCIE

__all__ = ["Triples", "new_graph", "rk_id", "graph_iri", "date_literal", "describe", "municipality", "province",
           "DCTERMS", "OWL", "RDF", "RDFS", "SKOS", "XSD", "GEO", "ORG", "PROV", "RK", "SCHEMA", "TIME",
           "TOOI_GEMEENTE", "TOOI_PROVINCIE", "Literal", "URIRef", "Graph"]


class Triples(set):
    """A set of (s, p, o) rdflib terms: what an importer builds before one atomic write.

    Much cheaper than an indexed rdflib ``Graph`` for ~100k triples, and accepted as is by
    ``KnowledgeGraph.replace_graph``. ``to_graph()`` gives an rdflib Graph for inspection.
    """

    def to_graph(self) -> Graph:
        g = Graph()
        for prefix, ns in (("rk", RK), ("org", ORG), ("geo", GEO), ("schema", SCHEMA), ("prov", PROV)):
            g.bind(prefix, ns)
        for triple in self:
            g.add(triple)
        return g


def new_graph() -> Triples:
    """An empty :class:`Triples` set."""
    return Triples()


def rk_id(path: str) -> URIRef:
    """An instance IRI under the base, e.g. ``rk_id("gemeente/GM0014")``."""
    return URIRef(str(RKID) + path)


def graph_iri(name: str) -> str:
    """The IRI of an import graph, e.g. ``graph_iri("opengr")`` -> ``.../graph/import/opengr``."""
    return f"{RKG}import/{name}"


def municipality(code: str) -> URIRef:
    return rk_id(f"gemeente/{code}")


def province(code: str) -> URIRef:
    return rk_id(f"provincie/{code}")


def date_literal(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def describe(g: Triples, iri: str, *, title: str, publisher: str, date: str, sources: Iterable[str],
             sha256: str, description: str = "", license: str | None = None) -> URIRef:
    """Make graph ``iri`` describe itself as an ``rk:DatasetImport`` (no wall-clock time)."""
    node = URIRef(iri)
    g.add((node, RDF.type, RK.DatasetImport))
    g.add((node, DCTERMS.title, Literal(title, lang="nl")))
    g.add((node, DCTERMS.publisher, Literal(publisher)))
    g.add((node, DCTERMS.date, date_literal(date)))
    for source in sources:
        g.add((node, DCTERMS.source, Literal(source)))
    g.add((node, RK.sha256, Literal(sha256)))
    if description:
        g.add((node, DCTERMS.description, Literal(description, lang="en")))
    if license:
        g.add((node, DCTERMS.license, Literal(license)))
    return node
