"""RDF formats and parsing, with errors that name the file and the line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from graph.errors import BadInput, ParseError

# File extensions we read and write, mapped to pyoxigraph formats.
EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}

DUMP_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


def format_for(path: str | Path, *, formats: dict[str, ox.RdfFormat] = EXTENSIONS) -> ox.RdfFormat:
    """The RDF format of a file, from its extension; BadInput when unknown."""
    suffix = Path(path).suffix.lower()
    try:
        return formats[suffix]
    except KeyError:
        known = ", ".join(sorted(formats))
        raise BadInput(f"{path}: unknown RDF file extension {suffix or '(none)'!r}; use one of {known}") from None


def parse_file(path: str | Path, *, graph: str | None = None, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse one RDF file completely into quads.

    Triples outside any named graph go into ``graph`` (when given) or stay in the default
    graph. A syntax error raises :class:`ParseError` naming the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    fmt = format_for(path)
    target = ox.NamedNode(graph) if graph else None
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=base_iri or path.resolve().as_uri()))
    except SyntaxError as exc:
        line = exc.lineno
        column = exc.offset
        where = f"{path}:{line}" + (f":{column}" if column else "") if line else str(path)
        raise ParseError(f"{where}: syntax error: {_syntax_message(exc)}", file=str(path), line=line) from None
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path}: cannot read as {fmt}: {exc}") from None
    if target is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) if isinstance(q.graph_name, ox.DefaultGraph) else q
                 for q in quads]
    return quads


def _syntax_message(exc: SyntaxError) -> str:
    text = str(exc.msg if hasattr(exc, "msg") else exc)
    return text


def quads_to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Serialise quads as N-Quads bytes (for one transactional store load)."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def graph_names(quads: Iterable[ox.Quad]) -> set[str]:
    """IRIs of the named graphs the quads are in (the default graph is left out)."""
    return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}


def graph_iri_of(quad: ox.Quad) -> str:
    """The name of the graph a quad is in, for quads known to be outside the default graph
    (the write path refuses default-graph quads before it groups by graph)."""
    g = quad.graph_name
    if isinstance(g, ox.DefaultGraph):
        raise ValueError(f"quad in the default graph where a named graph was expected: {quad}")
    return g.value


def iter_default_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    return (q for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
