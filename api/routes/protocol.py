"""Shared parts of the SPARQL protocols: content negotiation, reading requests, IRI parameters.

The SPARQL text itself is never looked at here: it is checked (depth, parse, SERVICE and
LOAD refused) inside a query worker, see ``graph/sandbox.py``.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request

from graph.errors import BadInput, NotAcceptable, PayloadTooLarge

RESULT_FORMATS: dict[str, str] = {  # media type -> short name (the ?format= value)
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  }  # application/xml is left out: browsers send it with q=0.9 and should get JSON
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/trig": "trig",
    "application/n-quads": "nq",
}
GRAPH_ALIASES = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples",
                 "application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml"}
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "trig": "application/trig",
    "nq": "application/n-quads", "nquads": "application/n-quads",
}
GRAPH_FORMAT_FOR_RESULT_NAME = {"json": "application/ld+json", "xml": "application/rdf+xml"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q values, best first (stable)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def negotiate(accept: str | None, offered: list[str], *, aliases: dict[str, str] | None = None,
              what: str = "this answer") -> str:
    """The offered media type the client prefers; :class:`NotAcceptable` (406) when none fits.

    Each offered type gets the q of the most specific range that matches it (exact, then
    ``type/*``, then ``*/*``); ties go to the server's order in ``offered``.
    """
    aliases = aliases or {}
    ranges = [(aliases.get(m, m), q) for m, q in parse_accept(accept)]
    best: tuple[float, int] | None = None
    chosen = None
    for rank, candidate in enumerate(offered):
        score: tuple[int, float] | None = None  # (specificity, q)
        for media, q in ranges:
            if media == candidate:
                spec = 3
            elif media.endswith("/*") and media != "*/*" and candidate.startswith(media[:-1]):
                spec = 2
            elif media == "*/*":
                spec = 1
            else:
                continue
            if score is None or spec > score[0]:
                score = (spec, q)
        if score is None or score[1] <= 0:
            continue
        key = (score[1], -rank)
        if best is None or key > best:
            best, chosen = key, candidate
    if chosen is None:
        raise NotAcceptable(f"none of the formats in Accept: {accept!r} is available for {what}; "
                            f"available: {', '.join(offered)} (or use ?format=)",
                            details={"accept": accept, "available": offered})
    return chosen


def choose_format(request: Request, offered: list[str], *, aliases: dict[str, str], what: str,
                  name_overrides: dict[str, str] | None = None) -> str:
    """The answer's media type from ``?format=`` (for browsers) or else the Accept header."""
    return choose_format_from(request.query_params.get("format"), request.headers.get("accept"), offered,
                              aliases=aliases, what=what, name_overrides=name_overrides)


def choose_format_from(name: str | None, accept: str | None, offered: list[str], *, aliases: dict[str, str],
                       what: str, name_overrides: dict[str, str] | None = None) -> str:
    """:func:`choose_format` from the ``format`` parameter and the Accept header themselves."""
    if name:
        name = name.lower()
        media = (name_overrides or {}).get(name) or FORMAT_NAMES.get(name) or aliases.get(name, name)
        if media not in offered:
            short = sorted({k for k, v in FORMAT_NAMES.items() if v in offered})
            raise NotAcceptable(f"format={name!r} is not available for {what}; use one of {', '.join(short)}",
                                details={"format": name, "available": offered})
        return media
    return negotiate(accept, offered, aliases=aliases, what=what)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes (413, naming the setting)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"request body of {size} bytes is over the limit of {limit} bytes "
                           "(REGIOKG_MAX_REQUEST_BYTES)",
                           details={"limit": limit, "setting": "REGIOKG_MAX_REQUEST_BYTES"})


def media_type_of(request: Request) -> str:
    """The Content-Type of a request without parameters, lower-case."""
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def iri_param(value: str, name: str) -> str:
    """Check an IRI given as a request parameter; :class:`BadInput` naming the parameter."""
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise BadInput(f"{name}={value!r} is not a valid IRI: {exc}", details={"parameter": name}) from None
    return value
