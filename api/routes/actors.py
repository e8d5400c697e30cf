"""/api/people and /api/organisations: people with their posts, organisations with their ties."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
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
    page_link,
    path_iri,
    ref,
    value,
)
from api.routes.municipalities import (
    ActorFigures,
    ExperienceItem,
    MembershipItem,
    PostItem,
    RegionItem,
    actor_sections,
    figures_of,
)
from graph.errors import BadInput, NotFound
from graph.kg import KnowledgeGraph
from graph.namespaces import RK

router = APIRouter(prefix="/api", tags=["people and organisations"])


class PersonItem(BaseModel):
    iri: str
    name: str | None
    posts: int
    page: str | None = None
    api: str


class PersonPost(BaseModel):
    post: str
    organisation: Ref | None = None
    role: Ref | None = None
    attested_on: str | None = None
    source: str


class PersonDetail(BaseModel):
    iri: str
    name: str | None
    posts: list[PersonPost]
    experience: list[ExperienceItem]
    page: str | None = None
    sources: list[SourceRef]
    query: list[QueryInfo]


class OrganisationItem(BaseModel):
    iri: str
    name: str | None
    kind: str | None = None
    code: str | None = None
    page: str | None = None
    api: str


class OrganisationDetail(BaseModel):
    iri: str
    name: str | None
    kind: str | None = None
    code: str | None = None
    page: str | None = None
    arrangements: list[MembershipItem]
    regions: list[RegionItem]
    people: list[PostItem]
    experience: list[ExperienceItem]
    analysis: ActorFigures | None = None
    sources: list[SourceRef]
    query: list[QueryInfo]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


@router.get("/people", response_model=Page[PersonItem])
async def list_people(request: Request, name: str | None = Query(None, description="Part of the name (any case)."),
                      role: str | None = Query(None, description="A role (label, slug in rol/ or IRI): people holding "
                                               "a post with it or a narrower role (raadslid includes gemeenteraadslid)."),
                      paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """People ordered by name, with the number of posts they hold."""
    from fastapi.concurrency import run_in_threadpool

    from graph.filters import resolve_filter

    answer = Answer(kg, explain=paging.explain)
    role_iri = await run_in_threadpool(resolve_filter, kg, "role", role)
    items = []
    for r in await answer.select("api_people", wantName=name or None,
                                 wantRole=ox.NamedNode(role_iri) if role_iri else None):
        answer.cite(value(r, "graphs"))
        iri = value(r, "person")
        items.append(PersonItem(iri=iri, name=value(r, "name"), posts=value(r, "posts") or 0,
                                page=page_link(request, iri), api=f"/api/people/{_tail(iri)}"))
    return await answer.page(items, paging)


@router.get("/people/{slug}", response_model=PersonDetail)
async def get_person(request: Request, slug: str, explain: Explain = Depends(),
                     kg: KnowledgeGraph = Depends(get_kg)) -> PersonDetail:
    """One person (slug under persoon/) with posts and experience."""
    answer = Answer(kg, explain=explain.explain)
    node = path_iri(request, slug, "persoon", name="slug")
    types = await answer.select("api_entity_types", iri=node)
    if not any(value(t, "type") in ("http://xmlns.com/foaf/0.1/Person", "https://schema.org/Person") for t in types):
        raise NotFound(f"no person {slug!r} (GET /api/people lists them)")
    answer.cite(*(value(t, "g") for t in types))
    facts = (await answer.select("api_actor_facts", iri=node) or [{}])[0]
    posts = []
    for r in await answer.select("api_person_posts", person=node):
        answer.cite(value(r, "g"))
        posts.append(PersonPost(post=value(r, "post"), organisation=ref(request, r.get("organisation"), r.get("organisationLabel")),
                                role=ref(request, r.get("role"), r.get("roleLabel")), attested_on=value(r, "attested"),
                                source=value(r, "g")))
    sections = await actor_sections(request, answer, node)
    return PersonDetail(iri=node.value, name=value(facts, "label"), posts=posts, experience=sections["experience"],
                        page=page_link(request, node.value), sources=await answer.sources(), query=answer.queries)


@router.get("/organisations", response_model=Page[OrganisationItem])
async def list_organisations(
    request: Request, name: str | None = Query(None, description="Part of the name (any case)."),
    kind: str | None = Query(None, description="province, water-board, regional-body or organisation"),
    paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg),
) -> dict:
    """Organisations other than municipalities and arrangements (provinces, water boards, bodies), by name."""
    kinds = {"province": RK.Province, "water-board": RK.WaterBoard, "regional-body": RK.RegionalBody}
    if kind and kind not in kinds and kind != "organisation":
        raise BadInput(f"kind={kind!r}: use one of province, water-board, regional-body, organisation",
                       details={"parameter": "kind"})
    answer = Answer(kg, explain=paging.explain)
    rows = await answer.select("api_organisations", wantName=name or None,
                               wantKind=ox.NamedNode(str(kinds[kind])) if kind in kinds else None)
    items = []
    for r in rows:
        k = _kind(value(r, "kind"))
        if kind == "organisation" and k != "organisation":
            continue
        answer.cite(value(r, "graphs"))
        iri = value(r, "organisation")
        items.append(OrganisationItem(iri=iri, name=value(r, "label"), kind=k, code=value(r, "cbs"),
                                      page=page_link(request, iri), api=f"/api/organisations/{_tail(iri)}"))
    return await answer.page(items, paging)


def _kind(cls: str | None) -> str:
    return {"Province": "province", "WaterBoard": "water-board", "RegionalBody": "regional-body"}.get(
        (cls or "").rsplit("#", 1)[-1], "organisation")


@router.get("/organisations/{slug}", response_model=OrganisationDetail)
async def get_organisation(request: Request, slug: str, explain: Explain = Depends(),
                           kg: KnowledgeGraph = Depends(get_kg)) -> OrganisationDetail:
    """One organisation (slug under organisatie/, waterschap/, provincie/ or an IRI) with its ties."""
    answer = Answer(kg, explain=explain.explain)
    rows = await answer.select("api_organisations")
    match = [r for r in rows if value(r, "organisation") == slug or _tail(value(r, "organisation")) == slug
             or (value(r, "cbs") or "").upper() == slug.upper()]
    if not match:
        raise NotFound(f"no organisation {slug!r} (GET /api/organisations lists them)")
    r = match[0]
    answer.cite(value(r, "graphs"))
    node = r["organisation"]
    sections = await actor_sections(request, answer, node)
    return OrganisationDetail(iri=node.value, name=value(r, "label"), kind=_kind(value(r, "kind")), code=value(r, "cbs"),
                              page=page_link(request, node.value), **sections,
                              analysis=await figures_of(answer, node.value), sources=await answer.sources(),
                              query=answer.queries)
