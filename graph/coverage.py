"""Coverage as data: what each source graph covers, and how complete it is.

Every import graph states, in its own self-description, an ``rk:Coverage`` (IRI
``dekking/<graph-name>``): which kinds of arrangements it holds (``rk:coversKind``, concepts of
the cooperation-form scheme or classes), the area and years (``dcterms:spatial``,
``dcterms:temporal``), whether it lists members (``rk:listsMembers``), for a membership source
the average number of arrangements per municipality it holds (``rk:perMunicipality``, counted
from the graph itself at import) and the published counts that figure is compared with
(``rk:comparedWith`` a ``rk:PublishedCount``: the inventories KWINK groep and PROOF adviseurs
made for the ministry of BZK, 27 per municipality in 2017 and about 33 in 2020; those counts,
with the pages that state them, sit in ``graph/reference/regionale-samenwerkingen``).

:func:`add_coverage` writes the statements for an import graph (the importers call it just
before they write); :func:`source_coverage`, :func:`member_sources` and :func:`coverage_note`
read them back for the API, the pages and ``regiokg analyse load``.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from graph.namespaces import ORG, RK, RKG, RKID

FORM = str(RKID) + "samenwerkingsvorm/"
COUNT = str(RKID) + "telling/"
PUBLISHED_COUNTS = (COUNT + "kwink-proof-2017", COUNT + "kwink-proof-2020")

#: Coverage of each import graph (by the last part of its IRI): kinds, area, years, whether it
#: lists members, and a description in Dutch. Membership sources are compared with the
#: published counts.
IMPORT_COVERAGE: dict[str, dict[str, Any]] = {
    "opengr": {
        "label": "Dekking: OpenGR (gemeenschappelijke regelingen 2015-2016)",
        "kinds": [FORM + "wgr-vorm"], "lists_members": True, "spatial": "Nederland (de 12 provincies)",
        "temporal": "2015/2016", "compare": True,
        "description": "Alleen gemeenschappelijke regelingen onder de Wet gemeenschappelijke regelingen (Wgr), zoals de "
                       "provincies ze in 2015-2016 rapporteerden. Samenwerking buiten de Wgr (convenanten, stichtingen, "
                       "verenigingen, netwerken) en regelingen van na 2016 ontbreken; de studies voor BZK telden veel "
                       "meer samenwerkingsverbanden per gemeente.",
    },
    "dsta": {
        "label": "Dekking: DSTA-lijst van gemeenschappelijke regelingen (2016)",
        "kinds": [FORM + "wgr-vorm"], "lists_members": False, "spatial": "Nederland", "temporal": "2016",
        "description": "Namen, adressen en CBS-codes van gemeenschappelijke regelingen; geen deelnemers.",
    },
    "regioatlas": {
        "label": "Dekking: Regioatlas (regio-indelingen 2016)",
        "kinds": [str(RK.Region)], "lists_members": False, "spatial": "Nederland", "temporal": "2016",
        "description": "Regio-indelingen van het Rijk en uitvoeringsorganisaties (arbeidsmarktregio's, GGD-regio's, "
                       "veiligheidsregio's, ...) met de gemeenten per regio; geen lidmaatschappen van "
                       "samenwerkingsverbanden.",
    },
    "boundaries-2025": {
        "label": "Dekking: gemeente- en provinciegrenzen 2025",
        "kinds": [str(RK.Municipality), str(RK.Province)], "lists_members": False, "spatial": "Nederland",
        "temporal": "2025", "description": "De 342 gemeenten en 12 provincies van 1 januari 2025 met hun grenzen.",
    },
    "boundaries-2016": {
        "label": "Dekking: gemeentegrenzen 2016",
        "kinds": [str(RK.Municipality)], "lists_members": False, "spatial": "Nederland", "temporal": "2016",
        "description": "De gemeenten van 2016 met hun grenzen.",
    },
    "lineage": {
        "label": "Dekking: gemeentelijke herindelingen",
        "kinds": [str(ORG.ChangeEvent)], "lists_members": False, "spatial": "Nederland", "temporal": "2016/2025",
        "description": "Samenvoegingen en splitsingen van gemeenten tussen 2016 en 2025, afgeleid uit de grenzen.",
    },
}


def coverage_iri(graph_iri: str) -> URIRef:
    return URIRef(f"{RKID}dekking/{graph_iri.rstrip('/').rsplit('/', 1)[-1]}")


def members_per_municipality(triples) -> tuple[Decimal | None, int]:
    """(average arrangements per municipality, arrangements with a municipal member) of a graph's
    memberships: municipal memberships divided by the municipalities that have one."""
    member: dict[Any, Any] = {}
    organization: dict[Any, Any] = {}
    for s, p, o in triples:
        if p == ORG.member:
            member[s] = o
        elif p == ORG.organization:
            organization[s] = o
    municipal = {(organization.get(m), o) for m, o in member.items() if str(o).startswith(f"{RKID}gemeente/")}
    if not municipal:
        return None, 0
    per = Counter(o for _, o in municipal)
    average = (Decimal(len(municipal)) / Decimal(len(per))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return average, len({a for a, _ in municipal})


def add_coverage(triples, graph_iri: str) -> None:
    """Add the ``rk:coverage`` statements of import graph ``graph_iri`` to ``triples`` (a set of
    rdflib triples); a graph without an entry in :data:`IMPORT_COVERAGE` is left as it is."""
    spec = IMPORT_COVERAGE.get(graph_iri.rstrip("/").rsplit("/", 1)[-1])
    if spec is None:
        return
    graph = URIRef(graph_iri)
    node = coverage_iri(graph_iri)
    triples.add((graph, RK.coverage, node))
    triples.add((node, RDF.type, RK.Coverage))
    triples.add((node, RDFS.label, Literal(spec["label"], lang="nl")))
    for kind in spec["kinds"]:
        triples.add((node, RK.coversKind, URIRef(kind)))
    triples.add((node, RK.listsMembers, Literal(spec["lists_members"])))
    triples.add((node, DCTERMS.spatial, Literal(spec["spatial"])))
    triples.add((node, DCTERMS.temporal, Literal(spec["temporal"])))
    description = spec["description"]
    if spec["lists_members"]:
        average, arrangements = members_per_municipality(list(triples))
        if average is not None:
            triples.add((node, RK.perMunicipality, Literal(average, datatype=XSD.decimal)))
            triples.add((node, RK.arrangements, Literal(arrangements, datatype=XSD.integer)))
            description += (f" Deze bron: gemiddeld {str(average).replace('.', ',')} samenwerkingsverbanden per gemeente "
                            f"({arrangements} verbanden met een gemeente als deelnemer).")
    if spec.get("compare"):
        for count in PUBLISHED_COUNTS:
            triples.add((node, RK.comparedWith, URIRef(count)))
    triples.add((node, DCTERMS.description, Literal(description, lang="nl")))


# -- reading it back ---------------------------------------------------------------------------------

def _plain(row: dict, name: str):
    from graph.terms import to_python

    return to_python(row.get(name))


def published_counts(kg) -> dict[str, dict[str, Any]]:
    """Every ``rk:PublishedCount`` by IRI: label, per municipality, arrangements, date, publisher, pages."""
    out = {}
    for r in kg.select("api_published_counts"):
        pm = _plain(r, "perMunicipality")
        out[r["count"].value] = {
            "iri": r["count"].value, "label": _plain(r, "label"),
            "per_municipality": float(pm) if pm is not None else None,
            "arrangements": _plain(r, "arrangements"), "date": _str(_plain(r, "date")),
            "publisher": _plain(r, "publisher"), "pages": (_plain(r, "pages") or "").split(),
            "description": _plain(r, "description")}
    return out


def _str(v):
    return None if v is None else str(v)


def source_coverage(kg) -> dict[str, dict[str, Any]]:
    """What each graph that states an ``rk:coverage`` covers, by graph IRI (JSON-ready dicts).

    ``per_municipality`` is the source's own average; ``compared_with`` lists the published
    counts with their pages; ``completeness`` is the ratio of the source's average to each
    published count (e.g. 0.32 = the source holds about a third of what the study counted)."""
    counts = published_counts(kg)
    out: dict[str, dict[str, Any]] = {}
    for r in kg.select("api_source_coverage"):
        pm = _plain(r, "perMunicipality")
        pm = float(pm) if pm is not None else None
        compared = []
        for c in (_plain(r, "counts") or "").split():
            info = dict(counts.get(c, {"iri": c}))
            if pm is not None and info.get("per_municipality"):
                info["completeness"] = round(pm / info["per_municipality"], 2)
            compared.append(info)
        out[r["g"].value] = {
            "iri": r["coverage"].value, "label": _plain(r, "label"),
            "kinds": [k for k in (_plain(r, "kinds") or "").split(" | ") if k],
            "lists_members": bool(_plain(r, "listsMembers")), "area": _str(_plain(r, "spatial")),
            "period": _str(_plain(r, "temporal")), "per_municipality": pm,
            "arrangements": _plain(r, "arrangements"), "description": _plain(r, "description"),
            "compared_with": compared}
    return out


def member_sources(kg) -> list[dict[str, Any]]:
    """The graphs that list members of arrangements (``rk:listsMembers true``), with title, date
    and what they cover: the sources searched when an arrangement's member list is empty."""
    titles = {g.iri: g for g in kg.graphs()}
    out = []
    for graph, cov in sorted(source_coverage(kg).items()):
        if cov["lists_members"]:
            info = titles.get(graph)
            out.append({"graph": graph, "title": info.title if info else None, "date": info.date if info else None,
                        "covers": cov["description"], "kinds": cov["kinds"]})
    return out


def coverage_note(kg, *, lang: str = "nl") -> str:
    """One sentence for counts over memberships: which kinds of arrangements, from which
    sources, and how that compares with the published counts."""
    cov = source_coverage(kg)
    parts = []
    for graph, c in sorted(cov.items()):
        if not c["lists_members"]:
            continue
        name = graph.rsplit("/", 1)[-1]
        kinds = ", ".join(c["kinds"]) or "?"
        extra = ""
        if c["per_municipality"] is not None:
            studies = "; ".join(f"{int(x['per_municipality']) if x.get('per_municipality') else '?'} per gemeente "
                                f"({(x.get('date') or '')[:4]})" for x in c["compared_with"])
            extra = f", gemiddeld {c['per_municipality']} per gemeente" + (f" tegen {studies} volgens de studies voor BZK"
                                                                         if studies else "")
        parts.append(f"{name} ({kinds}; {c['period']}{extra})")
    if lang == "en":
        return ("Counts cover the imported kinds of arrangements only: " + "; ".join(parts) + ". Cooperation outside "
                "these sources (most covenants, foundations and networks) is not counted.") if parts else \
            "No source that lists members states its coverage."
    return ("De tellingen dekken alleen de geïmporteerde soorten samenwerking: " + "; ".join(parts) + ". Samenwerking "
            "buiten deze bronnen (de meeste convenanten, stichtingen en netwerken) telt niet mee.") if parts else \
        "Geen bron met deelnemers vermeldt haar dekking."


__all__ = ["IMPORT_COVERAGE", "add_coverage", "coverage_iri", "members_per_municipality", "published_counts",
           "source_coverage", "member_sources", "coverage_note", "RKG"]
