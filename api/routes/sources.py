"""/api/sources: the named graphs with their self-descriptions and what each covers.

``coverage`` (from the graph's own ``rk:coverage``, see :mod:`graph.coverage`) says which
kinds of arrangements, which area and years a source holds, whether it lists members, and
for a membership source how its average per municipality compares with the published counts
of the studies for the ministry of BZK. :func:`members_searched` is what an empty member list
shows: the sources that list members, each with what it covers, all searched and none naming one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Page, Paging, QueryInfo, graph_infos
from graph.coverage import coverage_note, member_sources, source_coverage
from graph.kg import KnowledgeGraph
from graph.queries import load_query

router = APIRouter(prefix="/api", tags=["sources"])


class PublishedCountInfo(BaseModel):
    """A count a study published, which a source's completeness is measured against."""

    iri: str
    label: str | None = None
    per_municipality: float | None = None
    arrangements: int | None = None
    date: str | None = None
    publisher: str | None = None
    pages: list[str] = Field(default_factory=list)
    description: str | None = None
    completeness: float | None = Field(None, description="The source's average per municipality divided by this count.")


class CoverageInfo(BaseModel):
    """What a source covers (``rk:Coverage``)."""

    iri: str
    label: str | None = None
    kinds: list[str] = Field(default_factory=list, description="Kinds of arrangements (cooperation forms) or classes it holds.")
    lists_members: bool = False
    area: str | None = None
    period: str | None = None
    per_municipality: float | None = Field(None, description="Average arrangements per municipality in this source.")
    arrangements: int | None = None
    description: str | None = None
    compared_with: list[PublishedCountInfo] = Field(default_factory=list)


class SourceItem(BaseModel):
    graph: str
    triples: int
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None
    source: str | None = None
    titles: dict[str, str] = Field(default_factory=dict, description="Title per language tag ('' = untagged).")
    files: list[str] = Field(default_factory=list, description="Every dcterms:source: the files or pages it was made "
                                                               "from (a data file's path relative to the data folder).")
    coverage: CoverageInfo | None = None
    data: str


class SearchedSource(BaseModel):
    """A source that lists members and was searched."""

    graph: str
    title: str | None = None
    date: str | None = None
    covers: str | None = None
    kinds: list[str] = Field(default_factory=list)


class SourcesPage(Page[SourceItem]):
    coverage_note: str = Field(description="What counts over memberships cover (the same sentence `analyse load` prints).")


def data_relative(source: str) -> str:
    """A source as a reader can use it: a URL as it is, a local data file by its path under
    the data folder (``../shared/data/regioatlas/x.csv`` -> ``regioatlas/x.csv``).

    >>> data_relative("../shared/data/regioatlas/Sociaal/a.csv"), data_relative("https://example.org/x")
    ('regioatlas/Sociaal/a.csv', 'https://example.org/x')
    """
    if source.startswith(("http://", "https://")):
        return source
    parts = source.replace("\\", "/").split("/")
    if "data" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("data"):])
    return "/".join(p for p in parts if p not in ("", ".", ".."))


@router.get("/sources", response_model=SourcesPage)
async def list_sources(paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """Every named graph (source document, dataset import, vocabulary, analysis run) by IRI."""
    infos = list((await graph_infos(kg)).values())
    coverage = await run_in_threadpool(source_coverage, kg)
    titles: dict[str, dict[str, str]] = {}
    files: dict[str, list[str]] = {}
    for r in await run_in_threadpool(kg.select, "api_source_details"):
        if "title" in r:
            titles.setdefault(r["g"].value, {}).setdefault(r["lang"].value if "lang" in r else "", r["title"].value)
        if "source" in r:
            files.setdefault(r["g"].value, []).append(data_relative(r["source"].value))
    items = [SourceItem(graph=g.iri, triples=g.triples, title=g.title, publisher=g.publisher, date=g.date,
                        kind=g.kind.rsplit("#", 1)[-1] if g.kind else None,
                        source=data_relative(g.source) if g.source else None, titles=titles.get(g.iri, {}),
                        files=sorted(files.get(g.iri, [])),
                        coverage=CoverageInfo(**coverage[g.iri]) if g.iri in coverage else None,
                        data=f"/rdf-graph-store?graph={quote(g.iri, safe='')}") for g in infos]
    query = [QueryInfo(name=n, sparql=load_query(n) if paging.explain else None)
             for n in ("graph_descriptions", "graph_sizes", "api_source_coverage", "api_published_counts")]
    return {"items": items[paging.offset:paging.offset + paging.limit], "total": len(items), "limit": paging.limit,
            "offset": paging.offset, "sources": [], "query": query,
            "coverage_note": await run_in_threadpool(coverage_note, kg)}


async def members_searched(kg: KnowledgeGraph) -> list[SearchedSource]:
    """The sources that list members of arrangements: what an empty member list was searched in."""
    return [SearchedSource(**s) for s in await run_in_threadpool(member_sources, kg)]


def members_note(name: str | None, searched: list[SearchedSource], *, members: int, complete: bool | None) -> str | None:
    """The sentence next to a member list: why it is empty, or that it is known to be incomplete."""
    if members == 0:
        titles = "; ".join(s.title or s.graph for s in searched) or "geen"
        return (f"Geen van de doorzochte bronnen noemt deelnemers van {name or 'dit samenwerkingsverband'} "
                f"(doorzocht: {titles}). Dat zegt niet dat er geen deelnemers zijn.")
    if complete is False:
        return "De bronnen noemen niet alle huidige deelnemers: deze lijst is bekend onvolledig."
    return None


__all__: list[Any] = ["router", "members_searched", "members_note", "CoverageInfo", "SearchedSource"]
