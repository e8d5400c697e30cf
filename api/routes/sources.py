"""/api/sources: the named graphs with their self-descriptions."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Page, Paging, QueryInfo, graph_infos
from graph.kg import KnowledgeGraph
from graph.queries import load_query

router = APIRouter(prefix="/api", tags=["sources"])


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
    data: str


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


@router.get("/sources", response_model=Page[SourceItem])
async def list_sources(paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """Every named graph (source document, dataset import, vocabulary, analysis run) by IRI."""
    infos = list((await graph_infos(kg)).values())
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
                        data=f"/rdf-graph-store?graph={quote(g.iri, safe='')}") for g in infos]
    query = [QueryInfo(name=n, sparql=load_query(n) if paging.explain else None)
             for n in ("graph_descriptions", "graph_sizes")]
    return {"items": items[paging.offset:paging.offset + paging.limit], "total": len(items), "limit": paging.limit,
            "offset": paging.offset, "sources": [], "query": query}
