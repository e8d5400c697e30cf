"""/api/municipalities: the list (filters province, name) and one municipality in full."""

from __future__ import annotations

import re

import pyoxigraph as ox
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
    ref,
    value,
)
from graph.errors import NotFound
from graph.kg import KnowledgeGraph
from graph.naming import Named, resolve_name

router = APIRouter(prefix="/api", tags=["municipalities"])
CBS_CODE = re.compile(r"^gm\d{4}$", re.IGNORECASE)


class MunicipalityItem(BaseModel):
    iri: str
    cbs_code: str
    name: str | None
    province: Ref | None = None
    dissolved_on: str | None = None
    page: str | None = None
    api: str


class MembershipItem(BaseModel):
    arrangement: Ref
    form: Ref | None = None
    domain: Ref | None = None
    membership: str
    begin: str | None = None
    end: str | None = None
    attested_on: str | None = None
    source: str


class RegionItem(BaseModel):
    region: Ref
    division: Ref | None = None
    source: str


class PostItem(BaseModel):
    person: Ref
    post: str
    role: Ref | None = None
    attested_on: str | None = None
    source: str


class ExperienceItem(BaseModel):
    experience: str
    topic: Ref | None = None
    kind: Ref | None = None
    description: str | None = None
    attested_on: str | None = None
    source: str


class MunicipalityDetail(BaseModel):
    iri: str
    cbs_code: str | None
    name: str | None
    alt_labels: list[str] = Field(default_factory=list)
    province: Ref | None = None
    dissolved_on: str | None = None
    successor: Ref | None = None
    page: str | None = None
    arrangements: list[MembershipItem]
    regions: list[RegionItem]
    people: list[PostItem]
    experience: list[ExperienceItem]
    sources: list[SourceRef]
    query: list[QueryInfo]


@router.get("/municipalities", response_model=Page[MunicipalityItem])
async def list_municipalities(
    request: Request,
    province: str | None = Query(None, description="Province: CBS code (PV25), slug or IRI."),
    name: str | None = Query(None, description="Part of the name (any case) or a CBS code."),
    current: bool = Query(False, description="Leave dissolved municipalities out."),
    paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg),
) -> dict:
    """Municipalities ordered by CBS code, with their province."""
    answer = Answer(kg, explain=paging.explain)
    rows = await answer.select(
        "api_municipalities", wantProvince=iri_or_slug(request, province, "provincie", name="province"),
        wantName=name or None, wantCurrent=True if current else None)
    items = []
    for r in rows:
        answer.cite(value(r, "graphs"))
        cbs = value(r, "cbs")
        items.append(MunicipalityItem(
            iri=value(r, "m"), cbs_code=cbs, name=value(r, "label"),
            province=ref(request, r.get("province"), r.get("provinceLabel")),
            dissolved_on=value(r, "dissolved"), page=page_link(request, value(r, "m")),
            api=f"/api/municipalities/{cbs}"))
    return await answer.page(items, paging)


async def resolve_municipality(request: Request, answer: Answer, key: str) -> ox.NamedNode:
    """The municipality for a CBS code (GM0203) or a name slug (barneveld), by the one
    resolver :func:`graph.naming.resolve_name`; NotFound otherwise (also for a name that
    several current municipalities share)."""
    if CBS_CODE.match(key):
        rows = await answer.select("api_municipality_by_code", cbs=key.upper())
        if rows:
            return rows[0]["m"]
    else:
        rows = await answer.select("api_municipalities")
        towns = [Named(value(r, "m"), (value(r, "label") or "",), value(r, "cbs"), value(r, "dissolved") is None)
                 for r in rows]
        try:
            return ox.NamedNode(resolve_name(key, towns, what="municipality"))
        except NotFound as exc:
            if exc.code == "ambiguous_name":
                raise
    raise NotFound(f"no municipality {key!r}: give a CBS code such as GM0203 or a name slug such as barneveld "
                   "(GET /api/municipalities lists them)")


@router.get("/municipalities/{key}", response_model=MunicipalityDetail)
async def get_municipality(request: Request, key: str, explain: Explain = Depends(),
                           kg: KnowledgeGraph = Depends(get_kg)) -> MunicipalityDetail:
    """One municipality (by CBS code or name slug) with its arrangements, regions, people and experience."""
    answer = Answer(kg, explain=explain.explain)
    node = await resolve_municipality(request, answer, key)
    facts = (await answer.select("api_actor_facts", iri=node) or [{}])[0]
    for r in await answer.select("api_entity_types", iri=node):
        answer.cite(value(r, "g"))
    detail = await actor_sections(request, answer, node)
    return MunicipalityDetail(
        iri=node.value, cbs_code=value(facts, "cbs"), name=value(facts, "label"),
        alt_labels=sorted(a for a in (value(facts, "altLabels") or "").split("|") if a),
        province=ref(request, facts.get("province"), facts.get("provinceLabel")),
        dissolved_on=value(facts, "dissolved"), successor=ref(request, facts.get("successor")),
        page=page_link(request, node.value), **detail,
        sources=await answer.sources(), query=answer.queries)


async def actor_sections(request: Request, answer: Answer, node: ox.NamedNode) -> dict:
    """Arrangements, regions, people and experience of an actor (shared by municipalities and organisations)."""
    arrangements = []
    for r in await answer.select("api_actor_arrangements", member=node):
        answer.cite(value(r, "g"))
        arrangements.append(MembershipItem(
            arrangement=ref(request, r["arrangement"], r.get("label")),
            form=ref(request, r.get("form"), r.get("formLabel")), domain=ref(request, r.get("domain"), r.get("domainLabel")),
            membership=value(r, "membership"), begin=value(r, "begin"), end=value(r, "end"),
            attested_on=value(r, "attested"), source=value(r, "g")))
    regions = []
    for r in await answer.select("api_actor_regions", actor=node):
        answer.cite(value(r, "g"))
        regions.append(RegionItem(region=ref(request, r["region"], r.get("label")),
                                  division=ref(request, r.get("division"), r.get("divisionLabel")), source=value(r, "g")))
    people = []
    for r in await answer.select("api_actor_people", organisation=node):
        answer.cite(value(r, "g"))
        people.append(PostItem(person=ref(request, r["person"], r.get("name")), post=value(r, "post"),
                               role=ref(request, r.get("role"), r.get("roleLabel")),
                               attested_on=value(r, "attested"), source=value(r, "g")))
    experience = []
    for r in await answer.select("api_actor_experience", actor=node):
        answer.cite(value(r, "g"), value(r, "source"))
        experience.append(ExperienceItem(
            experience=value(r, "exp"), topic=ref(request, r.get("topic"), r.get("topicLabel")),
            kind=ref(request, r.get("kind"), r.get("kindLabel")), description=value(r, "description"),
            attested_on=value(r, "attested"), source=value(r, "source") or value(r, "g")))
    return {"arrangements": arrangements, "regions": regions, "people": people, "experience": experience}
