"""Shared parts of the JSON API: pagination, sources, explanations, identifiers.

Every list answers ``{items, total, limit, offset, sources, query}`` in a stable order;
every answer names the graphs its facts come from (``sources``) and the named query behind
it (``query``; with ``?explain=true`` also the SPARQL text and the bound parameters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

import pyoxigraph as ox
from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from graph.errors import BadInput
from graph.kg import KnowledgeGraph
from graph.queries import load_query
from graph.terms import to_python

T = TypeVar("T")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
MAX_LIMIT = 1000


class SourceRef(BaseModel):
    """A named graph that states facts in the answer."""

    graph: str
    title: str | None = None
    date: str | None = None
    kind: str | None = None


class QueryInfo(BaseModel):
    """The named SPARQL query behind an answer (text only with ``?explain=true``)."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    sparql: str | None = None


class Ref(BaseModel):
    """A linked resource: IRI, display label, and where to read more."""

    iri: str
    label: str | None = None
    page: str | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int
    sources: list[SourceRef] = Field(default_factory=list)
    #: The date of the newest source behind this answer: what "current" means here.
    as_of: str | None = None
    query: list[QueryInfo] = Field(default_factory=list)


class Paging:
    """``limit`` / ``offset`` / ``explain`` query parameters shared by every list."""

    def __init__(self, limit: int = Query(100, ge=1, le=MAX_LIMIT, description="Items per page."),
                 offset: int = Query(0, ge=0, description="Items to skip."),
                 explain: bool = Query(False, description="Include the SPARQL text behind the answer.")):
        self.limit = limit
        self.offset = offset
        self.explain = explain


class Explain:
    """The ``explain`` query parameter for detail answers."""

    def __init__(self, explain: bool = Query(False, description="Include the SPARQL text behind the answer.")):
        self.explain = explain


class Answer:
    """Collects the queries run and the graphs cited while one answer is built."""

    def __init__(self, kg: KnowledgeGraph, *, explain: bool = False):
        self.kg = kg
        self.explain = explain
        self.queries: list[QueryInfo] = []
        self.graphs: set[str] = set()

    async def select(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a named query off the event loop; remember it and its parameters."""
        rows = await run_in_threadpool(self.kg.select, name, **params)
        shown = {k: to_python(v) if not isinstance(v, (str, int, float, bool)) else v
                 for k, v in params.items() if v is not None}
        self.queries.append(QueryInfo(name=name, params=shown, sparql=load_query(name) if self.explain else None))
        return rows

    def cite(self, *graphs: str | None) -> None:
        for g in graphs:
            if g:
                self.graphs.update(g.split())

    async def sources(self) -> list[SourceRef]:
        infos = await graph_infos(self.kg)
        out = []
        for g in sorted(self.graphs):
            info = infos.get(g)
            out.append(SourceRef(graph=g, title=info.title if info else None, date=info.date if info else None,
                                 kind=info.kind.rsplit("#", 1)[-1] if info and info.kind else None))
        return out

    async def page(self, items: list[Any], paging: Paging, build: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """A page of ``items`` (already in a stable order) with total, sources and queries;
        ``build`` makes the answer's item of each one on the page only (a list of hundreds of
        rows shows twenty)."""
        sources = await self.sources()
        window = items[paging.offset:paging.offset + paging.limit]
        if build is not None:
            window = [build(item) for item in window]
        return {"items": window, "total": len(items),
                "limit": paging.limit, "offset": paging.offset, "sources": sources,
                "as_of": max((s.date for s in sources if s.date), default=None), "query": self.queries}


_GRAPH_INFOS: dict[int, tuple[Any, dict[str, Any]]] = {}


async def graph_infos(kg: KnowledgeGraph) -> dict[str, Any]:
    """``kg.graphs()`` by IRI, cached until the store's next write (it counts every triple)."""
    generation = kg.store.change_marker()
    cached = _GRAPH_INFOS.get(id(kg))
    if cached is not None and cached[0] == generation:
        return cached[1]
    infos = {g.iri: g for g in await run_in_threadpool(kg.graphs)}
    _GRAPH_INFOS[id(kg)] = (generation, infos)
    return infos


def value(row: dict[str, Any], name: str) -> Any:
    """A plain value of a result column (None when unbound)."""
    return to_python(row.get(name))


def base_iri(request: Request) -> str:
    return request.app.state.settings.base_iri


def page_link(request: Request, iri: str | None) -> str | None:
    """The /id/... address on this server for an instance IRI under the base (else None)."""
    base = base_iri(request)
    if iri and iri.startswith(base):
        return "/id/" + iri[len(base):]
    return None


@overload
def ref(request: Request, iri: ox.NamedNode, label: Any = None) -> Ref: ...
@overload
def ref(request: Request, iri: Any, label: Any = None) -> Ref | None: ...


def ref(request: Request, iri: Any, label: Any = None) -> Ref | None:
    """A reference to ``iri`` with its label and page (None when there is no IRI)."""
    iri = to_python(iri) if not isinstance(iri, str) else iri
    if not iri:
        return None
    return Ref(iri=iri, label=to_python(label) if label is not None and not isinstance(label, str) else label,
               page=page_link(request, iri))


def iri_or_slug(request: Request, text: str | None, folder: str, *, name: str) -> ox.NamedNode | None:
    """A filter parameter given as a full IRI or as the last part of ``<base><folder>/<slug>``."""
    if not text:
        return None
    if text.startswith(("http://", "https://", "urn:")):
        try:
            return ox.NamedNode(text)
        except ValueError as exc:
            raise BadInput(f"{name}={text!r} is not a valid IRI: {exc}", details={"parameter": name}) from None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", text):
        raise BadInput(f"{name}={text!r}: give an IRI or a slug such as {folder}/<slug>'s last part",
                       details={"parameter": name})
    return ox.NamedNode(f"{base_iri(request)}{folder}/{text}")


def path_iri(request: Request, text: str, folder: str, *, name: str) -> ox.NamedNode:
    """:func:`iri_or_slug` for a path segment, which is never empty."""
    node = iri_or_slug(request, text, folder, name=name)
    if node is None:
        raise BadInput(f"{name}: give an IRI or a slug", details={"parameter": name})
    return node


def date_param(text: str | None, *, name: str = "date") -> ox.Literal | None:
    """An ``xsd:date`` literal from YYYY-MM-DD (BadInput naming the parameter otherwise)."""
    if not text:
        return None
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name}={text!r} is not a date (YYYY-MM-DD)", details={"parameter": name}) from None
    return ox.Literal(text, datatype=XSD_DATE)
