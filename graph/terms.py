"""Conversions between pyoxigraph terms, rdflib terms and plain Python values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"


def to_python(term: Any) -> Any:
    """A plain JSON-friendly value for a pyoxigraph term (IRIs and literals as str, numbers as numbers).

    >>> to_python(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
    3
    >>> to_python(ox.NamedNode("https://w3id.org/regiokg/id/gemeente/GM0203"))
    'https://w3id.org/regiokg/id/gemeente/GM0203'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dtype in (XSD + "decimal", XSD + "double", XSD + "float"):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if dtype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def to_term(value: Any) -> Any:
    """A pyoxigraph term for a Python value; IRIs must be passed as NamedNode (or rdflib.URIRef).

    Plain ``str`` becomes a plain literal: a string is never silently turned into an IRI.
    """
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, (float, Decimal)):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot use {type(value).__name__} as an RDF term")


def to_rdflib(term: Any) -> Any:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dtype: str | None = term.datatype.value if term.datatype else None
        if dtype == XSD + "string":
            dtype = None
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dtype) if dtype else None)
    raise TypeError(f"not an RDF term: {term!r}")


def quad_from_rdflib(s: Any, p: Any, o: Any, g: str | None) -> ox.Quad:
    graph = ox.NamedNode(g) if g else ox.DefaultGraph()
    return ox.Quad(to_term(s), to_term(p), to_term(o), graph)
