"""/api/arrangements: cooperation arrangements (filters form, domain, member, date) and their members."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import get_kg
from api.routes.common import (
    Answer,
    Explain,
    Page,
    Paging,
    QueryInfo,
    Ref,
    SourceRef,
    date_param,
    iri_or_slug,
    page_link,
    ref,
    value,
)
from api.routes.municipalities import CBS_CODE
from graph.errors import NotFound
from graph.identity import canonical_iri
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api", tags=["arrangements"])
GR_CODE = re.compile(r"^gr\d{4}$", re.IGNORECASE)


class ArrangementItem(BaseModel):
    iri: str
    name: str | None
    gr_code: str | None = None
    form: Ref | None = None
    domain: Ref | None = None
    type: Ref | None = None
    members: int
    page: str | None = None
    api: str


class MemberItem(BaseModel):
    member: Ref
    cbs_code: str | None = None
    membership: str
    role: str | None = None
    begin: str | None = None
    end: str | None = None
    attested_on: str | None = None
    source: str


class ArrangementDetail(BaseModel):
    iri: str
    name: str | None
    gr_code: str | None = None
    form: Ref | None = None
    domain: Ref | None = None
    type: Ref | None = None
    date: str | None = None
    members: list[MemberItem]
    aliases: list[str] = []
    regions: list[Ref] = []
    page: str | None = None
    sources: list[SourceRef]
    query: list[QueryInfo]


def _slug_of(request: Request, iri: str) -> str:
    prefix = request.app.state.settings.base_iri + "samenwerking/"
    return iri[len(prefix):] if iri.startswith(prefix) else iri


async def _member_node(request: Request, answer: Answer, member: str | None):
    if not member:
        return None
    if CBS_CODE.match(member):
        rows = await answer.select("api_municipality_by_code", cbs=member.upper())
        if not rows:
            raise NotFound(f"member={member!r}: no municipality with that CBS code")
        return rows[0]["m"]
    node = iri_or_slug(request, member, "organisatie", name="member")
    return await canonical_node(answer, node)


async def canonical_node(answer: Answer, node):
    """``node`` or, for the old IRI of a reconciled body, the canonical one (owl:sameAs)."""
    import pyoxigraph as ox

    if node is None:
        return None
    canonical = await run_in_threadpool(canonical_iri, answer.kg, node.value)
    return node if canonical == node.value else ox.NamedNode(canonical)


@router.get("/arrangements", response_model=Page[ArrangementItem])
async def list_arrangements(
    request: Request,
    form: str | None = Query(None, description="Cooperation form: slug in samenwerkingsvorm/ or IRI."),
    domain: str | None = Query(None, description="Policy domain: slug in beleidsdomein/ or IRI."),
    member: str | None = Query(None, description="A member: CBS code (GM0203), IRI, or organisation slug."),
    date: str | None = Query(None, description="YYYY-MM-DD: arrangements with a membership current on that date."),
    name: str | None = Query(None, description="Part of the name (any case)."),
    paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg),
) -> dict:
    """Cooperation arrangements ordered by name."""
    answer = Answer(kg, explain=paging.explain)
    rows = await answer.select(
        "api_arrangements", wantForm=iri_or_slug(request, form, "samenwerkingsvorm", name="form"),
        wantDomain=iri_or_slug(request, domain, "beleidsdomein", name="domain"),
        wantMember=await _member_node(request, answer, member), wantName=name or None)
    on_date = date_param(date)
    if on_date is not None:
        current = {value(r, "arrangement") for r in await answer.select("api_arrangements_current_on", onDate=on_date)}
        rows = [r for r in rows if value(r, "arrangement") in current]
    items = []
    for r in rows:
        answer.cite(value(r, "graphs"))
        iri = value(r, "arrangement")
        items.append(ArrangementItem(
            iri=iri, name=value(r, "label"), gr_code=value(r, "grCode"),
            form=ref(request, r.get("form"), r.get("formLabel")), domain=ref(request, r.get("domain"), r.get("domainLabel")),
            type=ref(request, r.get("type")), members=value(r, "members") or 0, page=page_link(request, iri),
            api=f"/api/arrangements/{_slug_of(request, iri)}"))
    return await answer.page(items, paging)


@router.get("/arrangements/{slug}", response_model=ArrangementDetail)
async def get_arrangement(request: Request, slug: str,
                          date: str | None = Query(None, description="YYYY-MM-DD: members on that date."),
                          explain: Explain = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> ArrangementDetail:
    """One arrangement (slug under samenwerking/, or its GR code) with its members, optionally on a date."""
    answer = Answer(kg, explain=explain.explain)
    node = await canonical_node(answer, iri_or_slug(request, slug, "samenwerking", name="slug"))
    rows = await answer.select("api_arrangement_facts", arrangement=node)
    if not rows and GR_CODE.match(slug):
        found = await answer.select("api_arrangement_by_code", grCode=slug.upper())
        if found:
            rows = await answer.select("api_arrangement_facts", arrangement=found[0]["arrangement"])
    if not rows:
        raise NotFound(f"no arrangement {slug!r}: give the slug of samenwerking/<slug> or a GR code "
                       "(GET /api/arrangements lists them)")
    r = rows[0]
    answer.cite(value(r, "graphs"))
    node = r["arrangement"]
    members = []
    for m in await answer.select("api_arrangement_members", arrangement=node, onDate=date_param(date)):
        answer.cite(value(m, "g"))
        members.append(MemberItem(
            member=ref(request, m["member"], m.get("label")), cbs_code=value(m, "cbs"), membership=value(m, "membership"),
            role=value(m, "role"), begin=value(m, "begin"), end=value(m, "end"), attested_on=value(m, "attested"),
            source=value(m, "g")))
    aliases = []
    for a in await answer.select("aliases_of", canonical=node):
        answer.cite(value(a, "g"))
        aliases.append(value(a, "alias"))
    regions = []
    for x in await answer.select("api_arrangement_regions", arrangement=node):
        answer.cite(value(x, "g"))
        region = ref(request, x["region"], x.get("label"))
        if region is not None:
            regions.append(region)
    return ArrangementDetail(
        iri=node.value, name=value(r, "label"), gr_code=value(r, "grCode"),
        form=ref(request, r.get("form"), r.get("formLabel")), domain=ref(request, r.get("domain"), r.get("domainLabel")),
        type=ref(request, r.get("type")), date=date, members=members, aliases=sorted(set(aliases)),
        regions=regions, page=page_link(request, node.value),
        sources=await answer.sources(), query=answer.queries)
