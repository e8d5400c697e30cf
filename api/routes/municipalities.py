"""/api/municipalities: the list (filters province, name) and one municipality in full."""

from __future__ import annotations

import re

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
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
    date_param,
    page_link,
    ref,
    value,
)
from graph.analysis.figures import actor_figures
from graph.analysis.views import LabelLookup
from graph.errors import NotFound
from graph.filters import resolve_filter
from graph.kg import KnowledgeGraph
from graph.naming import Named, resolve_name
from graph.queries import load_query
from graph.timeline import actor_memberships, arrangement_ends, describe_holder, lineage

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
    #: The actor the source names as the member (this actor, or a predecessor).
    held_by: Ref | None = None
    #: True when the membership passed to this actor through the municipal lineage.
    inherited: bool = False
    #: The dissolved actors it passed through, oldest first.
    via: list[Ref] = Field(default_factory=list)
    #: The date it passed to this actor (the last dissolution on the way).
    since: str | None = None
    #: True when it passed through a divided municipality (every successor holds it).
    split: bool = False
    #: The date the arrangement ended (rk:dissolvedOn / rk:endedBy), if it did.
    arrangement_ended: str | None = None
    #: Why this actor holds it, e.g. "via Bedum (dissolved 2019-01-01), attested 2016-03-01".
    note: str | None = None


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


class AnalysisRunRef(BaseModel):
    """A stored analysis run (its named graph under graph/analysis/) that figures come from."""

    graph: str | None = None
    algorithm: str | None = None
    parameters: dict | None = None
    started: str | None = None


class ActorFigures(BaseModel):
    """An actor's figures in the default analysis runs (the ones /api/analysis/load,
    /centrality and /communities answer without parameters): computed once per data state."""

    arrangements: int | None = Field(None, description="Arrangements the actor is a member of.")
    rank: int | None = Field(None, description="Rank by number of arrangements (ties share a rank).")
    of: int | None = Field(None, description="Number of actors ranked.")
    degree: int | None = Field(None, description="Partners in the co-membership network.")
    weighted_degree: float | None = None
    betweenness: float | None = None
    betweenness_exact: bool | None = None
    pagerank: float | None = None
    closeness: float | None = None
    community: int | None = Field(None, description="Louvain community (numbered as in /api/analysis/communities).")
    community_iri: str | None = None
    community_size: int | None = None
    runs: list[AnalysisRunRef] = Field(default_factory=list)


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
    #: The date asked for (``date=``), or None: every membership known, inherited ones marked.
    date: str | None = None
    #: The date of the newest source behind this answer: what "current" means here.
    as_of: str | None = None
    analysis: ActorFigures | None = None
    sources: list[SourceRef]
    query: list[QueryInfo]


async def figures_of(answer: Answer, iri: str) -> ActorFigures | None:
    """The actor's figures from the stored default analysis runs (cited as sources)."""
    found = await run_in_threadpool(actor_figures, answer.kg, iri)
    if found is None:
        return None
    answer.cite(*(r["graph"] for r in found["runs"]))
    return ActorFigures(**found)


@router.get("/municipalities", response_model=Page[MunicipalityItem])
async def list_municipalities(
    request: Request,
    province: str | None = Query(None, description="Province: name (Gelderland), CBS code (PV25), slug or IRI."),
    name: str | None = Query(None, description="Part of the name (any case) or a CBS code."),
    current: bool = Query(False, description="Leave dissolved municipalities out."),
    paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg),
) -> dict:
    """Municipalities ordered by CBS code, with their province."""
    answer = Answer(kg, explain=paging.explain)
    rows = await answer.select(
        "api_municipalities", wantProvince=await province_node(kg, province),
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
                           date: str | None = Query(None, description="YYYY-MM-DD: the memberships it held on that "
                                                    "date (inherited ones through the lineage, marked)."),
                           kg: KnowledgeGraph = Depends(get_kg)) -> MunicipalityDetail:
    """One municipality (by CBS code or name slug) with its arrangements (its own and those
    inherited from the municipalities it absorbed, marked), regions, people and experience."""
    answer = Answer(kg, explain=explain.explain)
    date_param(date)
    node = await resolve_municipality(request, answer, key)
    facts = (await answer.select("api_actor_facts", iri=node) or [{}])[0]
    for r in await answer.select("api_entity_types", iri=node):
        answer.cite(value(r, "g"))
    detail = await actor_sections(request, answer, node, day=date)
    analysis = await figures_of(answer, node.value)
    sources = await answer.sources()
    return MunicipalityDetail(
        iri=node.value, cbs_code=value(facts, "cbs"), name=value(facts, "label"),
        alt_labels=sorted(a for a in (value(facts, "altLabels") or "").split("|") if a),
        province=ref(request, facts.get("province"), facts.get("provinceLabel")),
        dissolved_on=value(facts, "dissolved"), successor=ref(request, facts.get("successor")),
        page=page_link(request, node.value), **detail, date=date, analysis=analysis, as_of=newest_date(sources),
        sources=sources, query=answer.queries)


async def province_node(kg: KnowledgeGraph, text: str | None) -> ox.NamedNode | None:
    """A province filter (name, code, slug or IRI) resolved by graph.filters (400 when it names none)."""
    iri = await run_in_threadpool(resolve_filter, kg, "province", text)
    return ox.NamedNode(iri) if iri else None


def newest_date(sources: list[SourceRef]) -> str | None:
    """The date of the newest source cited (what "current" means in an answer)."""
    return max((s.date for s in sources if s.date), default=None)


async def membership_items(request: Request, answer: Answer, node: ox.NamedNode, day: str | None) -> list[MembershipItem]:
    """The memberships ``node`` holds (on ``day``), its own and inherited through the lineage
    (graph.timeline.actor_memberships), each saying how it is held."""
    found = await run_in_threadpool(actor_memberships, answer.kg, node.value, day)
    answer.queries.append(QueryInfo(name="api_actor_arrangements", params={
        "member": node.value, "lineage": "graph/timeline.py: own and inherited memberships", **({"date": day} if day else {})},
        sparql=load_query("api_actor_arrangements") if answer.explain else None))
    ends = await run_in_threadpool(arrangement_ends, answer.kg)
    line = await run_in_threadpool(lineage, answer.kg)
    labels = LabelLookup(answer.kg)
    gone = line.dissolved.get(node.value)
    passed_on = ""
    if gone:  # a dissolved municipality's own memberships: say who holds them now
        heirs = sorted({labels.get(h.actor) or h.actor for h in line.holders(node.value)})
        passed_on = f"held until {gone}, when it was dissolved" + (f"; now held by {', '.join(heirs)}" if heirs else "")
    items = []
    for r, holder in found:
        answer.cite(value(r, "g"))
        held_by = holder.via[0] if holder.via else node.value
        attested = value(r, "attested")
        items.append(MembershipItem(
            arrangement=ref(request, r["arrangement"], r.get("label")),
            form=ref(request, r.get("form"), r.get("formLabel")), domain=ref(request, r.get("domain"), r.get("domainLabel")),
            membership=value(r, "membership"), begin=value(r, "begin"), end=value(r, "end"),
            attested_on=attested, source=value(r, "g"),
            held_by=ref(request, held_by, await run_in_threadpool(labels.get, held_by)),
            inherited=holder.inherited,
            via=[x for x in [ref(request, v, await run_in_threadpool(labels.get, v)) for v in holder.via] if x],
            since=holder.since, split=holder.split, arrangement_ended=ends.get(r["arrangement"].value),
            note=describe_holder(holder, {v: await run_in_threadpool(labels.get, v) or v for v in holder.via}, attested)
            if holder.inherited else (passed_on or None)))
    items.sort(key=lambda m: ((m.arrangement.label or "").lower(), m.arrangement.iri, m.inherited, m.membership))
    return items


async def actor_sections(request: Request, answer: Answer, node: ox.NamedNode, *, day: str | None = None) -> dict:
    """Arrangements, regions, people and experience of an actor (shared by municipalities and organisations)."""
    arrangements = await membership_items(request, answer, node, day)
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
