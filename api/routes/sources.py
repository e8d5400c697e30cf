"""/api/sources: the named graphs with their self-descriptions."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends
from pydantic import BaseModel

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
    data: str


@router.get("/sources", response_model=Page[SourceItem])
async def list_sources(paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """Every named graph (source document, dataset import, vocabulary, analysis run) by IRI."""
    infos = list((await graph_infos(kg)).values())
    items = [SourceItem(graph=g.iri, triples=g.triples, title=g.title, publisher=g.publisher, date=g.date,
                        kind=g.kind.rsplit("#", 1)[-1] if g.kind else None, source=g.source,
                        data=f"/rdf-graph-store?graph={quote(g.iri, safe='')}") for g in infos]
    query = [QueryInfo(name=n, sparql=load_query(n) if paging.explain else None)
             for n in ("graph_descriptions", "graph_sizes")]
    return {"items": items[paging.offset:paging.offset + paging.limit], "total": len(items), "limit": paging.limit,
            "offset": paging.offset, "sources": [], "query": query}
