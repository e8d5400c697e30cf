"""/api/arrangements: cooperation arrangements (filters form, domain, member, date) and their members."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any
from urllib.parse import quote

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
    iri_or_slug,
    page_link,
    ref,
    value,
)
from api.routes.municipalities import CBS_CODE, AnalysisRunRef, newest_date
from api.routes.sources import SearchedSource, members_note, members_searched
from graph.analysis.figures import arrangement_overlap
from graph.analysis.views import LabelLookup
from graph.errors import NotFound
from graph.filters import resolve_filter
from graph.identity import canonical_iri
from graph.kg import KnowledgeGraph
from graph.labels import RDFS_LABEL, SKOS_PREF_LABEL, best_label
from graph.timeline import Holder, actor_memberships, arrangement_ends, describe_holder, lineage, membership_valid_on

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
    #: The date it ended (rk:dissolvedOn / rk:endedBy: "opgeheven per ...", "in liquidatie").
    ended: str | None = None
    #: With ``member=``: true when the member holds it only through the lineage (inherited).
    inherited: bool | None = None
    #: With ``member=``: how the member holds it ("via Bedum (dissolved 2019-01-01), attested 2016-03-01").
    note: str | None = None
    page: str | None = None
    api: str


#: class IRI -> kind of actor (the first class of a member in this order names it)
MEMBER_KINDS = {
    "https://w3id.org/regiokg/def#Municipality": "municipality", "https://w3id.org/regiokg/def#Province": "province",
    "https://w3id.org/regiokg/def#WaterBoard": "water-board",
    "https://w3id.org/regiokg/def#CooperationArrangement": "arrangement",
    "https://w3id.org/regiokg/def#RegionalBody": "regional-body",
    "https://w3id.org/regiokg/def#UnresolvedActor": "unresolved", "http://xmlns.com/foaf/0.1/Person": "person",
}


def member_kind(types: set[str]) -> str:
    """The kind of an actor from its classes (``organisation`` when none is listed)."""
    return next((kind for cls, kind in MEMBER_KINDS.items() if cls in types), "organisation")


class OverlapItem(BaseModel):
    arrangement: Ref
    shared: int
    jaccard: float
    candidate: bool = Field(description="A consolidation candidate (near-identical members).")


class ArrangementAnalysis(BaseModel):
    """This arrangement's pairs in the default overlap run (/api/analysis/overlap without parameters)."""

    overlap: list[OverlapItem]
    run: AnalysisRunRef


class MemberItem(BaseModel):
    member: Ref
    kind: str | None = Field(None, description="municipality, province, water-board, regional-body, arrangement, "
                                                "person, unresolved or organisation")
    cbs_code: str | None = None
    membership: str
    role: str | None = None
    begin: str | None = None
    end: str | None = None
    attested_on: str | None = None
    source: str
    #: With ``date=``: the member as the source names it, when another actor holds the
    #: membership on that date through the municipal lineage (``member`` is that holder).
    named_member: Ref | None = None
    via: list[Ref] = []
    split: bool = False
    note: str | None = None
    pages: list[str] = Field(default_factory=list, description="The public web pages the membership cites.")


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
    #: The date it ended (rk:dissolvedOn / rk:endedBy), if it did.
    ended: str | None = None
    #: The date of the newest source behind this answer: what "current" means here.
    as_of: str | None = None
    members_on: str = Field(description="The date the member list holds for: `date`, or today when none is given "
                                        "(memberships that ended before it are left out).")
    members_complete: bool | None = Field(None, description="false: a source says its member list is incomplete.")
    members_note: str | None = Field(None, description="Why the list is empty (what was searched) or incomplete.")
    members_searched: list[SearchedSource] = Field(
        default_factory=list, description="When no member is found: the sources that list members, all searched.")
    analysis: ArrangementAnalysis | None = None
    page: str | None = None
    api: str | None = None
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


async def _filter_node(kg: KnowledgeGraph, kind: str, text: str | None):
    """A filter value (label, code, slug or IRI) as an IRI: graph.filters, the resolver the CLI
    and the analysis views use; a value naming nothing is a 400 listing the allowed ones."""
    import pyoxigraph as ox

    iri = await run_in_threadpool(resolve_filter, kg, kind, text)
    return ox.NamedNode(iri) if iri else None


async def canonical_node(answer: Answer, node):
    """``node`` or, for the old IRI of a reconciled body, the canonical one (owl:sameAs)."""
    import pyoxigraph as ox

    if node is None:
        return None
    canonical = await run_in_threadpool(canonical_iri, answer.kg, node.value)
    return node if canonical == node.value else ox.NamedNode(canonical)


def fold_arrangements(rows: list[dict], counts: list[dict]) -> list[dict]:
    """One entry per arrangement from the rows of ``api_arrangements`` (one per combination of
    graph, label, code, form, domain and type) and ``api_arrangement_member_counts``, ordered
    by label, then IRI (an arrangement without a label first, as SPARQL's ORDER BY puts it).

    The label follows graph/labels.py (the one label rule); of several codes, forms, domains
    or types the lowest is shown, with the form's and the domain's own Dutch label; ``forms``
    and ``domains`` map all of them to their labels (for the filters), ``graphs`` are the
    graphs to cite.
    """
    members = {value(r, "arrangement"): value(r, "members") or 0 for r in counts}
    by_iri: dict[str, dict[str, Any]] = {}
    for r in rows:
        iri = value(r, "arrangement")
        entry = by_iri.setdefault(iri, {"graphs": set(), "labels": set(), "codes": set(), "forms": {},
                                        "domains": {}, "types": set()})
        entry["graphs"].add(value(r, "g"))
        for key, name in (("labels", "l"), ("codes", "c"), ("types", "t")):
            term = r.get(name)
            if term is not None:
                entry[key].add((RDFS_LABEL, term.language, term.value) if key == "labels" else term.value)
        for key, concept, label in (("forms", "f", "fl"), ("domains", "dm", "dml")):
            if r.get(concept) is not None:
                names = entry[key].setdefault(r[concept].value, set())
                if r.get(label) is not None:
                    names.add((SKOS_PREF_LABEL, r[label].language, r[label].value))
    out = []
    for iri, e in by_iri.items():
        form = min(e["forms"], default=None)
        domain = min(e["domains"], default=None)
        out.append({"arrangement": iri, "label": best_label(e["labels"]), "grCode": min(e["codes"], default=None),
                    "form": form, "formLabel": best_label(e["forms"][form]) if form else None,
                    "domain": domain, "domainLabel": best_label(e["domains"][domain]) if domain else None,
                    "type": min(e["types"], default=None), "members": members.get(iri, 0),
                    "forms": {f: best_label(n) for f, n in e["forms"].items()},
                    "domains": {d: best_label(n) for d, n in e["domains"].items()}, "graphs": sorted(e["graphs"])})
    out.sort(key=lambda e: (e["label"] is not None, e["label"] or "", e["arrangement"]))
    return out


@router.get("/arrangements", response_model=Page[ArrangementItem])
async def list_arrangements(
    request: Request,
    form: str | None = Query(None, description="Cooperation form: label, slug in samenwerkingsvorm/ or IRI."),
    domain: str | None = Query(None, description="Policy domain: label (afval, waste), slug in beleidsdomein/ or IRI."),
    member: str | None = Query(None, description="A member: CBS code (GM0203), IRI, or organisation slug. Also "
                               "the memberships it inherited through the municipal lineage (marked)."),
    date: str | None = Query(None, description="YYYY-MM-DD: arrangements with a membership valid on that date "
                             "(not ended; with member=: held by that member on that date)."),
    name: str | None = Query(None, description="Part of the name (any case)."),
    paging: Paging = Depends(), kg: KnowledgeGraph = Depends(get_kg),
) -> dict:
    """Cooperation arrangements ordered by name."""
    answer = Answer(kg, explain=paging.explain)
    member_node = await _member_node(request, answer, member)
    on_date = date_param(date)
    day = date if on_date is not None else None
    want_form = await _filter_node(kg, "form", form)
    want_domain = await _filter_node(kg, "domain", domain)
    found_rows = await answer.select("api_arrangements", wantName=name or None)
    shown = answer.queries[-1].params  # the form and domain filters are applied to its rows
    rows = fold_arrangements(found_rows, await answer.select("api_arrangement_member_counts"))
    for key, node, kind, shows in (("wantForm", want_form, "forms", "form"), ("wantDomain", want_domain, "domains", "domain")):
        if node is not None:  # the arrangements with that form (domain), each shown with it
            shown[key] = node.value
            rows = [{**r, shows: node.value, shows + "Label": r[kind][node.value]} for r in rows if node.value in r[kind]]
    ends = await run_in_threadpool(arrangement_ends, kg)
    held: dict[str, list] = {}
    if member_node is not None:
        # one rule for who holds what when: graph.timeline (own memberships and inherited ones)
        found = await run_in_threadpool(actor_memberships, kg, member_node.value, day)
        answer.queries.append(QueryInfo(name="api_actor_arrangements", params={
            "member": member_node.value, "lineage": "graph/timeline.py", **({"date": day} if day else {})}))
        for r, holder in found:
            answer.cite(value(r, "g"))
            held.setdefault(value(r, "arrangement"), []).append((r, holder))
        rows = [r for r in rows if r["arrangement"] in held]
    elif on_date is not None:
        current = {value(r, "arrangement") for r in await answer.select("api_arrangements_current_on", onDate=on_date)}
        rows = [r for r in rows if r["arrangement"] in current
                and membership_valid_on(day, arrangement_end=ends.get(r["arrangement"]))]
    labels = LabelLookup(kg)
    for r in rows:
        answer.cite(*r["graphs"])

    def item(r: dict) -> ArrangementItem:
        iri = r["arrangement"]
        inherited, note = None, None
        if iri in held:
            holders = [h for _, h in held[iri]]
            inherited = all(h.inherited for h in holders)
            notes = sorted({describe_holder(h, {v: labels.get(v) or v for v in h.via}, value(m, "attested"))
                            for m, h in held[iri] if h.inherited})
            note = "; ".join(notes) or None
        return ArrangementItem(
            iri=iri, name=r["label"], gr_code=r["grCode"],
            form=ref(request, r["form"], r["formLabel"]), domain=ref(request, r["domain"], r["domainLabel"]),
            type=ref(request, r["type"]), members=r["members"], ended=ends.get(iri),
            inherited=inherited, note=note, page=page_link(request, iri),
            api=f"/api/arrangements/{_slug_of(request, iri)}")

    return await answer.page(rows, paging, item)


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
    kinds: dict[str, set[str]] = {}
    for k in await answer.select("api_member_kinds", arrangement=node):
        kinds.setdefault(value(k, "member"), set()).add(value(k, "type"))
    members: list[MemberItem] = []
    ends = await run_in_threadpool(arrangement_ends, kg)
    line = await run_in_threadpool(lineage, kg)
    labels = LabelLookup(kg)
    on_date = date_param(date)
    ended_then = date is not None and not membership_valid_on(date, arrangement_end=ends.get(node.value))
    for m in [] if ended_then else await answer.select("api_arrangement_members", arrangement=node, onDate=on_date):
        answer.cite(value(m, "g"))
        named = ref(request, m["member"], m.get("label"))
        holders = line.holders(m["member"].value, date) if date else [Holder(m["member"].value)]
        for h in holders:
            inherited = h.inherited
            same = next((x for x in members if inherited and x.member.iri == h.actor and x.named_member), None)
            if same is not None:  # several predecessors passed it to one holder: one entry
                same.via += [x for x in (ref(request, v, labels.get(v)) for v in h.via) if x]
                same.note = f"{same.note}; {describe_holder(h, {v: labels.get(v) or v for v in h.via})}"
                continue
            member = named if not inherited else ref(request, h.actor, labels.get(h.actor))
            assert member is not None  # the query binds ?member; a holder is an IRI
            members.append(MemberItem(
                member=member,
                kind=member_kind(kinds.get(value(m, "member"), set())) if not inherited else "municipality",
                cbs_code=value(m, "cbs") if not inherited else None, membership=value(m, "membership"),
                role=value(m, "role"), begin=value(m, "begin"), end=value(m, "end"), attested_on=value(m, "attested"),
                source=value(m, "g"), named_member=named if inherited else None,
                via=[x for x in (ref(request, v, labels.get(v)) for v in h.via) if x], split=h.split,
                note=describe_holder(h, {v: labels.get(v) or v for v in h.via}, value(m, "attested"))
                if inherited else None, pages=(value(m, "pages") or "").split()))
    members_on = date or _dt.date.today().isoformat()
    if date is None:   # no date: the members of today; a membership that ended before today is left out
        members = [x for x in members if x.end is None or str(x.end) >= members_on]
    complete = value(r, "membersComplete")
    searched = await members_searched(kg) if not members else []
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
    analysis = await _overlap_of(request, answer, node.value)
    sources = await answer.sources()
    return ArrangementDetail(
        iri=node.value, name=value(r, "label"), gr_code=value(r, "grCode"),
        form=ref(request, r.get("form"), r.get("formLabel")), domain=ref(request, r.get("domain"), r.get("domainLabel")),
        type=ref(request, r.get("type")), date=date, members=members, aliases=sorted(set(aliases)),
        regions=regions, ended=ends.get(node.value), analysis=analysis, as_of=newest_date(sources),
        members_on=members_on, members_complete=complete,
        members_note=members_note(value(r, "label"), searched, members=len(members), complete=complete),
        members_searched=searched, page=page_link(request, node.value),
        api=f"/api/arrangements/{quote(_slug_of(request, node.value), safe='/:')}",
        sources=sources, query=answer.queries)


async def _overlap_of(request: Request, answer: Answer, iri: str) -> ArrangementAnalysis:
    found = await run_in_threadpool(arrangement_overlap, answer.kg, iri)
    answer.cite(found["run"]["graph"])
    return ArrangementAnalysis(
        overlap=[OverlapItem(arrangement=Ref(iri=p["arrangement"], label=p["label"], page=page_link(request, p["arrangement"])),
                             shared=p["shared"], jaccard=p["jaccard"], candidate=p["candidate"]) for p in found["pairs"]],
        run=AnalysisRunRef(**found["run"]))
