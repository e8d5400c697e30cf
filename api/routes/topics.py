"""/api/regions and /api/topics: regional divisions with their regions, and the topic thesaurus."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import (
    Answer,
    Explain,
    Page,
    Paging,
    QueryInfo,
    Ref,
    SourceRef,
    iri_or_slug,
    page_link,
    path_iri,
    ref,
    value,
)
from graph.errors import NotFound
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api", tags=["regions and topics"])


class RegionListItem(BaseModel):
    iri: str
    name: str | None
    division: Ref | None = None
    members: int
    page: str | None = None
    api: str


class RegionMember(BaseModel):
    member: Ref
    cbs_code: str | None = None
    source: str


class RegionDetail(BaseModel):
    iri: str
    name: str | None
    division: Ref | None = None
    members: list[RegionMember]
    page: str | None = None
    sources: list[SourceRef]
    query: list[QueryInfo]


class TopicItem(BaseModel):
    iri: str
    label_nl: str | None = None
    label_en: str | None = None
    alt_labels: list[str] = Field(default_factory=list)
    broader: list[str] = Field(default_factory=list)
    narrower: list[str] = Field(default_factory=list)
    scheme: str | None = None
    page: str | None = None


def _region_path(request: Request, iri: str) -> str:
    prefix = request.app.state.settings.base_iri + "regio/"
    return iri[len(prefix):] if iri.startswith(prefix) else iri


@router.get("/regions", response_model=Page[RegionListItem])
async def list_regions(request: Request,
                       division: str | None = Query(None, description="Regional division: slug in indeling/ or IRI."),
                       paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """Regions ordered by division and name, with their number of members."""
    answer = Answer(kg, explain=paging.explain)
    items = []
    for r in await answer.select("api_regions", wantDivision=iri_or_slug(request, division, "indeling", name="division")):
        answer.cite(value(r, "graphs"))
        iri = value(r, "region")
        items.append(RegionListItem(iri=iri, name=value(r, "label"), division=ref(request, r.get("division"), r.get("divisionLabel")),
                                    members=value(r, "members") or 0, page=page_link(request, iri),
                                    api=f"/api/regions/{_region_path(request, iri)}"))
    return await answer.page(items, paging)


@router.get("/regions/{division}/{slug}", response_model=RegionDetail)
async def get_region(request: Request, division: str, slug: str, explain: Explain = Depends(),
                     kg: KnowledgeGraph = Depends(get_kg)) -> RegionDetail:
    """One region (regio/<division>/<slug>) with its members."""
    answer = Answer(kg, explain=explain.explain)
    iri_or_slug(request, division, "indeling", name="division")  # checks the slug
    node = path_iri(request, slug, f"regio/{division}", name="slug")
    rows = [r for r in await answer.select("api_regions") if value(r, "region") == node.value]
    if not rows:
        raise NotFound(f"no region regio/{division}/{slug} (GET /api/regions lists them)")
    r = rows[0]
    answer.cite(value(r, "graphs"))
    members = []
    for m in await answer.select("api_region_members", region=node):
        answer.cite(value(m, "g"))
        members.append(RegionMember(member=ref(request, m["member"], m.get("label")), cbs_code=value(m, "cbs"),
                                    source=value(m, "g")))
    return RegionDetail(iri=node.value, name=value(r, "label"), division=ref(request, r.get("division"), r.get("divisionLabel")),
                        members=members, page=page_link(request, node.value), sources=await answer.sources(),
                        query=answer.queries)


async def _topics(request: Request, answer: Answer, scheme: str | None) -> list[TopicItem]:
    rows = await answer.select("api_topics", wantScheme=iri_or_slug(request, scheme, "onderwerp", name="scheme"))
    items = {}
    for r in rows:
        answer.cite(value(r, "graph"))
        iri = value(r, "concept")
        items[iri] = TopicItem(iri=iri, label_nl=value(r, "labelNl"), label_en=value(r, "labelEn"),
                               alt_labels=sorted(a for a in (value(r, "altLabels") or "").split("|") if a),
                               broader=sorted(b for b in (value(r, "broader") or "").split() if b),
                               scheme=value(r, "scheme"), page=page_link(request, iri))
    for iri, item in items.items():
        for b in item.broader:
            if b in items:
                items[b].narrower.append(iri)
    for item in items.values():
        item.narrower.sort()
    return list(items.values())


@router.get("/topics", response_model=Page[TopicItem])
async def list_topics(request: Request,
                      scheme: str | None = Query(None, description="Concept scheme IRI (default: every concept)."),
                      q: str | None = Query(None, description="Part of a Dutch or English label (any case)."),
                      paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """The thesaurus: concepts with labels, broader and narrower concepts, by Dutch label."""
    answer = Answer(kg, explain=paging.explain)
    items = await _topics(request, answer, scheme)
    if q:
        needle = q.lower()
        items = [t for t in items if any(needle in (s or "").lower() for s in [t.label_nl, t.label_en, *t.alt_labels])]
    return await answer.page(items, paging)


@router.get("/topics/{slug}", response_model=TopicItem)
async def get_topic(request: Request, slug: str, kg: KnowledgeGraph = Depends(get_kg)) -> TopicItem:
    """One topic concept (slug under onderwerp/) with its broader and narrower concepts."""
    answer = Answer(kg)
    wanted = path_iri(request, slug, "onderwerp", name="slug").value
    for item in await _topics(request, answer, None):
        if item.iri == wanted:
            return item
    raise NotFound(f"no topic {slug!r} (GET /api/topics lists them)")
