"""Context builders for the entity pages (municipality, arrangement, anything else).

Each returns plain dicts for a Jinja2 template; every fact carries its ``source`` (the
description of the named graph it sits in).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from api.ui.data import GRAPH_BASE, RK, UIData
from api.ui.views import figures

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
DCT_REPLACED = "http://purl.org/dc/terms/isReplacedBy"
DCT_SUBJECT = "http://purl.org/dc/terms/subject"


def _value(data: UIData, term: Any, lang: str) -> dict[str, Any]:
    """A fact's object for display: label and link for IRIs, text for literals."""
    if isinstance(term, str) and term.startswith(("http://", "https://")):
        return {"iri": term, "label": data.label(term, lang), "url": data.page_url(term)}
    return {"iri": None, "label": "" if term is None else str(term), "url": None}


def facts(data: UIData, iri: str, *, lang: str = "nl") -> list[dict[str, Any]]:
    """Every statement about ``iri``: property, value, source (sorted by property)."""
    out = []
    for r in data.select("ui_entity_facts", s=iri):
        out.append({"p": r["p"], "property": data.label(r["p"], lang), "value": _value(data, r["o"], lang),
                    "raw": r["o"], "source": data.source(r["g"])})
    out.sort(key=lambda f: (f["p"] != RDFS_LABEL, f["property"].lower(), f["value"]["label"]))
    return out


def incoming(data: UIData, iri: str, *, lang: str = "nl", limit: int = 200) -> list[dict[str, Any]]:
    """Statements pointing at ``iri``: subject, property, source."""
    rows = data.select("ui_entity_incoming", o=iri)[:limit]
    out = [{"subject": _value(data, r["s"], lang), "property": data.label(r["p"], lang),
            "source": data.source(r["g"])} for r in rows]
    out.sort(key=lambda f: (f["property"].lower(), f["subject"]["label"]))
    return out


def merged(fact_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts with the same property and value stated by several sources, as one fact with
    ``sources`` (each source kept)."""
    out: dict[tuple, dict[str, Any]] = {}
    for f in fact_list:
        key = (f["p"], str(f["raw"]))
        if key not in out:
            out[key] = {**f, "sources": []}
        if f["source"] and f["source"] not in out[key]["sources"]:
            out[key]["sources"].append(f["source"])
    return list(out.values())


def first(fact_list: list[dict[str, Any]], prop: str) -> dict[str, Any] | None:
    return next((f for f in fact_list if f["p"] == prop), None)


def _membership_row(data: UIData, r: dict[str, Any], lang: str, *, other: str) -> dict[str, Any]:
    return {"iri": r[other], "label": data.label(r[other], lang), "url": data.page_url(r[other]),
            "kind": r.get("memberKind"), "cbs": r.get("cbs"),
            "domain": data.label(r.get("domain"), lang) if r.get("domain") else None,
            "form": data.label(r.get("form"), lang) if r.get("form") else None,
            "type": data.label(r.get("type"), lang) if r.get("type") else None,
            "begin": r.get("begin"), "end": r.get("end"), "attested": r.get("attested"),
            "role": data.label(r.get("role"), lang) if r.get("role") else None,
            "source": data.source(r["g"])}


def grouped(rows: list[dict[str, Any]], key: str, *, unknown: str) -> list[tuple[str, list]]:
    """Rows grouped by ``row[key]`` (largest group first, the unknown group last)."""
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[row.get(key) or unknown].append(row)
    return sorted(groups.items(), key=lambda kv: (kv[0] == unknown, -len(kv[1]), kv[0]))


def analysis_facts(data: UIData, fact_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts that sit in an analysis run's graph (written back by ``regiokg analysis``)."""
    return [f for f in fact_list if (f["source"] or {}).get("iri", "").startswith(GRAPH_BASE + "analysis/")]


def municipality_context(data: UIData, iri: str, *, lang: str = "nl", t: Any = None) -> dict[str, Any]:
    """Everything the municipality page shows."""
    fact_list = facts(data, iri, lang=lang)
    unknown = t("unknown") if t else "?"
    arrangements = [_membership_row(data, r, lang, other="arrangement")
                    for r in data.memberships() if r["member"] == iri]
    arrangements.sort(key=lambda r: r["label"].lower())
    regions = []
    for r in data.select("ui_actor_regions", actor=iri):
        regions.append({"region": _value(data, r["region"], lang),
                        "division": data.label(r.get("division"), lang) if r.get("division") else unknown,
                        "source": data.source(r["g"])})
    regions.sort(key=lambda r: (r["division"].lower(), r["region"]["label"]))
    people = []
    for r in data.select("ui_actor_posts", org=iri):
        people.append({"person": _value(data, r.get("person"), lang) if r.get("person") else None,
                       "role": data.label(r.get("role"), lang) if r.get("role") else (t("affiliated") if t else ""),
                       "attested": r.get("attested"), "source": data.source(r["g"])})
    people.sort(key=lambda p: ((p["person"] or {}).get("label", ""), p["role"]))
    experiences = experience_rows(data, iri, lang=lang)
    cbs = first(fact_list, RK + "cbsCode")
    return {
        "iri": iri, "label": data.label(iri, lang), "facts": fact_list,
        "cbs": cbs["value"]["label"] if cbs else None,
        "key_facts": merged([f for f in fact_list if f["p"] in (RDFS_LABEL, RK + "cbsCode", RK + "province", OWL_SAMEAS,
                                                                RK + "dissolvedOn", DCT_REPLACED, SKOS_ALT)]),
        "arrangements": arrangements,
        "by_domain": grouped(arrangements, "domain", unknown=unknown),
        "by_form": grouped(arrangements, "form", unknown=unknown),
        "regions": regions, "people": people, "experiences": experiences,
        "figures": figures(data).get(iri), "analysis": analysis_facts(data, fact_list),
    }


def experience_rows(data: UIData, actor: str, *, lang: str = "nl") -> list[dict[str, Any]]:
    """Recorded experiences of one actor with their sources."""
    rows = [r for r in data.cached("experiences", lambda: data.select("ui_experiences")) if r["actor"] == actor]
    out = [{"topic": _value(data, r.get("topic"), lang) if r.get("topic") else None,
            "kind": data.label(r.get("kind"), lang) if r.get("kind") else None,
            "description": r.get("description"), "date": r.get("attested"),
            "source": data.source(r.get("source") or r["g"])} for r in rows]
    out.sort(key=lambda e: (str(e["date"] or ""), (e["topic"] or {}).get("label", "")), reverse=True)
    return out


def arrangement_context(data: UIData, iri: str, *, lang: str = "nl", t: Any = None) -> dict[str, Any]:
    """Everything the arrangement page shows."""
    fact_list = facts(data, iri, lang=lang)
    members = [_membership_row(data, r, lang, other="member") for r in data.memberships()
               if r["arrangement"] == iri]
    members.sort(key=lambda r: (r["kind"] != "municipality", r["label"].lower()))
    overlap = [{**o, "label": data.label(o["iri"], lang), "url": data.page_url(o["iri"])}
               for o in data.overlapping(iri)]
    key = (RDFS_LABEL, RK + "cooperationForm", RK + "cooperationType", RK + "policyDomain", RK + "grCode",
           DCT_SUBJECT, SKOS_ALT)
    return {
        "iri": iri, "label": data.label(iri, lang), "facts": fact_list,
        "key_facts": merged([f for f in fact_list if f["p"] in key]),
        "members": members, "codes": sorted({m["cbs"] for m in members if m["cbs"]}),
        "overlap": overlap, "analysis": analysis_facts(data, fact_list),
    }


def entity_context(data: UIData, iri: str, *, lang: str = "nl") -> dict[str, Any]:
    """The generic page: all facts about a thing and what points at it."""
    fact_list = facts(data, iri, lang=lang)
    return {"iri": iri, "label": data.label(iri, lang), "facts": fact_list,
            "incoming": incoming(data, iri, lang=lang),
            "experiences": experience_rows(data, iri, lang=lang)}
