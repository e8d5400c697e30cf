"""Who has experience with a topic: text → thesaurus concepts (with narrower ones) →
actors with evidence, in two classes that every answer keeps apart.

*Experience* is what a source attributes to the actor itself; only it makes an expert
(``expertise: true``). *Interest* never does: those who asked are listed as ``asking``
(an analyst wants to connect them to the experts), the rest (attended a meeting on it,
member of an arrangement on it, raised it as a concern) as ``interested``. The classes are
the SKOS collections ``ervaringssoort/toont-ervaring`` and ``ervaringssoort/toont-interesse``
(ontology/experience-kinds.ttl; a test checks they equal the tables below).

=====================  ==========  ======  ==========================================
kind                   class       weight  meaning
=====================  ==========  ======  ==========================================
heeft-gedaan           experience  3       has done it, or runs a project on it
adviseert              experience  2       can advise on it / be consulted
portefeuille           experience  1       holds the portfolio or chairs a body on it
vraagt-hulp            interest    (asks)  asked about it: listed under ``asking``
heeft-interesse        interest    3       raised it as an interest or concern
lid-van-samenwerking   interest    2       member of an arrangement on it
bijeenkomst            interest    1       attended or organised a meeting on it
=====================  ==========  ======  ==========================================

Order of each list (without ``near``):

* experts: score = weight of the strongest experience kind + 0.9 · recency of its latest
  evidence (``0.5 ** (age in years / half-life)``, age counted back from ``date``) + 0.01
  per further piece of experience (at most 0.09): the kind always dominates.
* asking: latest question first.
* interested: strongest interest kind, then the number of pieces of interest (so memberships
  are counted, never all fetched), then the name.

``near`` names one actor (a name, a CBS code or an IRI) and means *distance in km between
centroids* (municipalities; other actors have none). Within the same strongest kind, nearer
actors come first (actors without a centroid after those with one). Every entry also shows
``steps``, the number of steps from ``near`` in the network of memberships, posts and
meetings (how many introductions away), which does not change the order.

``date`` (ISO, default today) answers as known on that day: evidence stated after it and
memberships not running on it are left out, and recency is measured from it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from graph.analysis import paths, views
from graph.analysis.textmatch import LabelIndex, expand_narrower
from graph.errors import BadInput, NotFound

__all__ = ["EXPERIENCE_WEIGHTS", "INTEREST_WEIGHTS", "ASKING_KINDS", "KIND_TEXT", "kind_slug", "kind_class",
           "rank_evidence", "rank_experts", "parse_date"]

EXPERIENCE_WEIGHTS = {"heeft-gedaan": 3, "adviseert": 2, "portefeuille": 1}
ASKING_KINDS = {"vraagt-hulp"}
INTEREST_WEIGHTS = {"heeft-interesse": 3, "lid-van-samenwerking": 2, "bijeenkomst": 1}
KIND_TEXT = {
    "heeft-gedaan": "has done it",
    "adviseert": "can advise on it",
    "portefeuille": "holds the portfolio for it",
    "vraagt-hulp": "asked about it",
    "heeft-interesse": "raised it as an interest",
    "lid-van-samenwerking": "member of an arrangement on it",
    "bijeenkomst": "attended a meeting on it",
}
NEAR_MEANING = ("distance in km between centroids (municipalities); within the same strongest kind "
                "nearer actors come first; 'steps' (network steps via memberships, posts and meetings) "
                "is shown but does not change the order")
MEMBER_KIND = "https://w3id.org/regiokg/id/ervaringssoort/lid-van-samenwerking"
EVENT_KIND = "https://w3id.org/regiokg/id/ervaringssoort/bijeenkomst"


def kind_slug(kind: str | None) -> str:
    """The slug of an ``ervaringssoort/`` concept IRI.

    >>> kind_slug("https://w3id.org/regiokg/id/ervaringssoort/adviseert")
    'adviseert'

    Complexity: O(len(kind)).
    """
    return (kind or "onbekend").rstrip("/").rsplit("/", 1)[-1]


def kind_class(kind: str) -> str:
    """``"experience"`` for the kinds that make an expert, else ``"interest"`` (asking and
    any kind the scheme does not name included: an unknown kind never makes an expert).

    >>> kind_class("adviseert"), kind_class("bijeenkomst"), kind_class("vraagt-hulp")
    ('experience', 'interest', 'interest')

    Complexity: O(1).
    """
    return "experience" if kind in EXPERIENCE_WEIGHTS else "interest"


def parse_date(value: str | dt.date | None, *, name: str = "date") -> dt.date:
    """``value`` as a date (today for None); :class:`BadInput` naming it otherwise.

    >>> parse_date("2017-09-29")
    datetime.date(2017, 9, 29)

    Complexity: O(1).
    """
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadInput(f"{name} {value!r} is not a date; give YYYY-MM-DD", details={name: value}) from None


def _age_years(date: str | None, as_of: dt.date) -> float | None:
    if not date:
        return None
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
    return max((as_of - day).days, 0) / 365.25


def _age_or_inf(item: dict, as_of: dt.date) -> float:
    age = _age_years(item.get("date"), as_of)
    return float("inf") if age is None else age


def rank_evidence(
    evidence: list[dict],
    *,
    as_of: dt.date,
    half_life_years: float = 5.0,
    km: dict | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Rank actors by their *experience* (see the module docstring for the score).

    ``evidence`` items need ``actor`` and ``kind`` (a slug of an experience kind); ``date``
    (ISO) feeds recency; other keys are passed through. With ``km`` (``{actor: km}``, the
    distances from ``near``), actors of the same strongest kind are ordered nearest first.
    Ties left are ordered by actor.

    >>> ranked = rank_evidence([
    ...     {"actor": "waalwijk", "kind": "adviseert", "date": "2017-09-29"},
    ...     {"actor": "dronten", "kind": "adviseert", "date": "2017-09-29"},
    ...     {"actor": "soest", "kind": "heeft-gedaan", "date": "2020-01-01"}],
    ...     as_of=dt.date(2022, 9, 29))
    >>> [(r["actor"], r["score"]) for r in ranked]
    [('soest', 3.6153), ('dronten', 2.45), ('waalwijk', 2.45)]
    >>> [r["actor"] for r in rank_evidence(ranked[1]["evidence"] + ranked[2]["evidence"],
    ...                                    as_of=dt.date(2022, 9, 29), km={"waalwijk": 60.0, "dronten": 70.0})]
    ['waalwijk', 'dronten']

    Complexity: O(e log e) for e pieces of evidence.
    """
    by_actor: dict[str, list[dict]] = defaultdict(list)
    for item in evidence:
        by_actor[item["actor"]].append(item)
    ranked = []
    for actor, items in by_actor.items():
        items = sorted(items, key=lambda i: (-EXPERIENCE_WEIGHTS[i["kind"]], _age_or_inf(i, as_of)))
        best = items[0]
        weight = EXPERIENCE_WEIGHTS[best["kind"]]
        age = _age_years(best.get("date"), as_of)
        recency = 0.5 ** (age / half_life_years) if age is not None else 0.0
        extra = min(len(items) - 1, 9)
        score = round(weight + 0.9 * recency + 0.01 * extra, 4)
        parts = [f"{KIND_TEXT[best['kind']]} (kind weight {weight})"]
        if age is not None:
            parts.append(f"recency {0.9 * recency:.2f} (latest such evidence {best['date'][:10]}, "
                         f"{age:.1f} years before {as_of.isoformat()}, half-life {half_life_years:g} years)")
        else:
            parts.append("recency 0 (evidence undated)")
        if extra:
            parts.append(f"{extra} more piece(s) of experience (+{0.01 * extra:.2f})")
        ranked.append({"actor": actor, "score": score, "weight": weight, "strongest_kind": best["kind"],
                       "explanation": " + ".join(parts) + f" = {score:g}", "evidence": items})
    if km is None:
        ranked.sort(key=lambda r: (-r["score"], str(r["actor"])))
    else:
        ranked.sort(key=lambda r: (-r["weight"], km.get(r["actor"], math.inf), -r["score"], str(r["actor"])))
    for entry in ranked:
        del entry["weight"]
    return ranked if limit is None else ranked[:limit]


def rank_experts(kg, topic: str, *, near: str | None = None, limit: int | None = 10,
                 date: str | dt.date | None = None, half_life_years: float = 5.0) -> dict:
    """Who has experience with ``topic`` (Dutch or English, any case, with or without
    diacritics or hyphens, singular or plural, a synonym or a broader term), who asked about
    it, and who showed interest. The one expert finder: ``/api/experts``, ``regiokg experts``
    and the page ``/ervaring`` all show this answer.

    Returns ``{"topic", "match" ("exact", "partial" or "none"), "concepts": [{"concept",
    "label", "depth"}], "date", "limit", "near" (None or {"actor", "label", "kind", "cbs"}),
    "near_meaning", "message", "counts": {"experts", "asking", "interested"} (before the
    limit), "experts", "asking", "interested"}``. Each entry: ``{"actor", "label", "kind",
    "cbs", "class", "expertise", "strongest_kind", "score" (experts only), "explanation",
    "distance_km", "steps", "evidence": [{"kind", "class", "description", "date", "topic",
    "topic_label", "via", "via_label", "statement", "event", "source", "source_title"}],
    "contacts": [{"person", "name", "roles", "how", "sources"}]}``. ``limit`` applies to each
    list (None: no limit). An unknown ``near`` or a malformed ``date`` raises
    :class:`BadInput` naming it.

    In the example store (:mod:`graph.analysis.examples`) Beta has built wind turbines
    and Delta asks who has; ``windmolens`` is a synonym in the bundled thesaurus:

    >>> from graph.analysis.examples import example_kg
    >>> found = rank_experts(example_kg(), "windmolens")
    >>> found["match"], [concept["label"] for concept in found["concepts"]]
    ('exact', ['windturbines'])
    >>> [(e["label"], e["strongest_kind"], e["expertise"]) for e in found["experts"]]
    [('Beta', 'heeft-gedaan', True)]
    >>> [(e["label"], e["expertise"]) for e in found["asking"]]
    [('Delta', False)]

    Complexity: per matched concept (narrower ones included by a property path) one query
    each for experiences and events, and one counting memberships per actor; memberships are
    then fetched only for the actors shown (two small anchored queries each; with ``date``
    one query of the memberships running on it), and contacts, labels and kinds by small
    queries per actor shown. ``near`` adds the centroids (one row per municipality) and the
    whole path view. The cost grows with the evidence on the topic, not with the store.
    """
    as_of = parse_date(date)
    concept_labels, narrower = views.thesaurus(kg)
    matched, how = LabelIndex(concept_labels).match(topic)
    depth = expand_narrower(matched, narrower)
    names = views.LabelLookup(kg)
    concepts = [{"concept": c, "label": names.get(c, c), "depth": d}
                for c, d in sorted(depth.items(), key=lambda cd: (cd[1], cd[0]))]
    near_entry, km, steps, points = None, None, None, None
    if near is not None:
        points = _centroids(kg)
        near_entry, km, steps = _near(kg, near, points)
    result = {"topic": topic, "match": how, "concepts": concepts, "date": as_of.isoformat(), "limit": limit,
              "near": near_entry, "near_meaning": NEAR_MEANING, "message": None,
              "counts": {"experts": 0, "asking": 0, "interested": 0}, "experts": [], "asking": [], "interested": []}
    if not matched:
        result["message"] = (f"no topic in the thesaurus matches {topic!r}; try a Dutch or English term "
                             "(see /api/topics)")
        return result
    infos = {row["g"].value: row for row in kg.select("graph_descriptions")}
    # Roots inside another matched root's subtree add nothing (the queries take narrower
    # concepts along), and would count the same memberships twice.
    roots = [r for r in sorted(matched) if not any(r != o and r in expand_narrower({o}, narrower) for o in matched)]
    rows: list[dict] = []
    member_counts: dict[str, int] = defaultdict(int)
    for root in roots:
        bound = ox.NamedNode(root)
        rows += kg.select("analysis_topic_experiences", root=bound)
        for row in kg.select("analysis_topic_events", root=bound):
            row["kind"] = ox.NamedNode(EVENT_KIND)
            rows.append(row)
        if date is None:
            for row in kg.select("analysis_topic_member_counts", root=bound):
                member_counts[row["actor"].value] += int(row["n"].value)
    evidence = _evidence_items(rows, depth, infos)
    dated_members = None
    if date is not None:  # memberships running on that date (all of them: the date filters)
        rows = []
        for root in roots:
            for row in kg.select("analysis_topic_memberships_on", root=ox.NamedNode(root),
                                 onDate=ox.Literal(as_of.isoformat(), datatype=ox.NamedNode(XSD_DATE))):
                row["kind"] = ox.NamedNode(MEMBER_KIND)
                rows.append(row)
        dated_members = _evidence_items(rows, depth, infos)
        for item in dated_members:
            member_counts[item["actor"]] += 1
    evidence = [item for item in evidence if _not_after(item, as_of)]

    by_actor: dict[str, list[dict]] = defaultdict(list)
    for item in evidence:
        by_actor[item["actor"]].append(item)
    experienced = {a for a, items in by_actor.items() if any(i["class"] == "experience" for i in items)}
    asking = {a for a, items in by_actor.items() if a not in experienced
              and any(i["kind"] in ASKING_KINDS for i in items)}
    interested = (set(by_actor) | set(member_counts)) - experienced - asking

    experts = rank_evidence([i for i in evidence if i["actor"] in experienced and i["class"] == "experience"],
                            as_of=as_of, half_life_years=half_life_years, km=km)
    askers = _rank_asking(asking, by_actor, as_of, km)
    others = _rank_interest(interested, by_actor, member_counts, km)
    result["counts"] = {"experts": len(experts), "asking": len(askers), "interested": len(others)}
    if limit is not None:
        experts, askers, others = experts[:limit], askers[:limit], others[:limit]
    shown = [e["actor"] for e in experts + askers + others]
    members = _membership_items(kg, roots, depth, infos, shown) if dated_members is None else \
        [i for i in dated_members if i["actor"] in set(shown)]
    members_of: dict[str, list[dict]] = defaultdict(list)
    for item in members:
        members_of[item["actor"]].append(item)
    for entry in experts:
        entry["evidence"] = entry["evidence"] + _interest_order(
            [i for i in by_actor[entry["actor"]] if i["class"] == "interest"] + members_of[entry["actor"]])
    for entry in askers + others:
        entry["evidence"] = _interest_order(by_actor.get(entry["actor"], []) + members_of[entry["actor"]])
    for entry in experts + askers + others:
        _describe(kg, entry, names, roots, km, steps, points)
    result["experts"], result["asking"], result["interested"] = experts, askers, others
    if not experts:
        result["message"] = (f"no source attributes experience with {', '.join(c['label'] for c in concepts[:3])} "
                             "to anyone" + (" (see 'asking' and 'interested')" if askers or others else ""))
    return result


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _not_after(item: dict, as_of: dt.date) -> bool:
    """Was the evidence stated on or before ``as_of``? (undated evidence is kept)"""
    if not item.get("date"):
        return True
    text = item["date"]
    try:
        day = dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date(int(text[:4]), int(text[5:7] or 1), 1)
    except ValueError:
        return True
    return day <= as_of


def _interest_order(items: list[dict]) -> list[dict]:
    weight = {**INTEREST_WEIGHTS, "vraagt-hulp": 4}
    return sorted(items, key=lambda i: (i["class"] != "experience", -weight.get(i["kind"], 0),
                                        -(int((i.get("date") or "0")[:4] or 0))))


def _rank_asking(actors: set[str], by_actor: dict, as_of: dt.date, km: dict | None) -> list[dict]:
    entries: list[dict] = []
    for actor in actors:
        asked = sorted((i for i in by_actor[actor] if i["kind"] in ASKING_KINDS),
                       key=lambda i: _age_or_inf(i, as_of))
        latest = asked[0].get("date")
        entries.append({"actor": actor, "strongest_kind": "vraagt-hulp", "latest": latest or "",
                        "explanation": f"asked about it ({len(asked)} time(s), latest {latest or 'undated'}): "
                                       "a question, not expertise"})
    entries.sort(key=lambda e: e["actor"])
    entries.sort(key=lambda e: e["latest"], reverse=True)
    if km is not None:
        entries.sort(key=lambda e: km.get(e["actor"], math.inf))
    for entry in entries:
        del entry["latest"]
    return entries


def _rank_interest(actors: set[str], by_actor: dict, member_counts: dict, km: dict | None) -> list[dict]:
    entries: list[dict] = []
    for actor in actors:
        items = by_actor.get(actor, [])
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[item["kind"]] += 1
        if member_counts.get(actor):
            counts["lid-van-samenwerking"] += member_counts[actor]
        strongest = max(counts, key=lambda k: (INTEREST_WEIGHTS.get(k, 0), k))
        pieces = sum(counts.values())
        parts = [f"{KIND_TEXT.get(kind, 'evidence of kind ' + kind)} ({n})" for kind, n in
                 sorted(counts.items(), key=lambda kn: -INTEREST_WEIGHTS.get(kn[0], 0))]
        entries.append({"actor": actor, "strongest_kind": strongest, "weight": INTEREST_WEIGHTS.get(strongest, 0),
                        "pieces": pieces, "explanation": "; ".join(parts) + ": interest, not expertise"})
    if km is None:
        entries.sort(key=lambda e: (-e["weight"], -e["pieces"], e["actor"]))
    else:
        entries.sort(key=lambda e: (-e["weight"], km.get(e["actor"], math.inf), -e["pieces"], e["actor"]))
    for entry in entries:
        del entry["weight"]
    return entries


def _describe(kg, entry: dict, names, roots: list[str], km: dict | None, steps: dict | None,
              points: dict | None) -> None:
    """Label, kind, CBS code, distances and contacts of one listed actor; evidence labels."""
    actor = entry["actor"]
    entry["label"] = names.get(actor, actor)
    entry["kind"] = _kind_name(_type_of(kg, actor))
    entry["cbs"] = _cbs_code(kg, actor)
    entry["class"] = "experience" if entry["strongest_kind"] in EXPERIENCE_WEIGHTS else "interest"
    entry["expertise"] = entry["class"] == "experience"
    entry.setdefault("score", None)
    entry.pop("pieces", None)
    entry["distance_km"] = None if km is None or actor not in km else round(km[actor], 1)
    entry["steps"] = None if steps is None else steps.get(actor)
    entry["contacts"] = _contacts(kg, actor, entry["kind"], roots, names)
    for item in entry["evidence"]:
        item.pop("actor", None)
        item["topic_label"] = names.get(item["topic"], item["topic"])
        if item.get("via"):
            item["via_label"] = names.get(item["via"], item["via"])


def _evidence_items(rows: list[dict], depth: dict, infos: dict) -> list[dict]:
    """Evidence items from query rows (deduplicated; undated items take their source graph's
    date), nearest concepts first, in query order within a concept."""
    seen: set = set()
    rows = [row for row in rows if row["topic"].value in depth]
    rows.sort(key=lambda row: (depth[row["topic"].value], row["topic"].value))  # stable: query order within
    items = []
    for row in rows:
        source = row["source"].value if "source" in row else None
        info = infos.get(source)
        kind = kind_slug(row["kind"].value if "kind" in row else None)
        item = {
            "actor": row["actor"].value,
            "kind": kind,
            "class": kind_class(kind),
            "description": row["description"].value if "description" in row else None,
            "date": row["date"].value if "date" in row else None,
            "topic": row["topic"].value,
            "via": row["via"].value if "via" in row else None,
            "statement": row["exp"].value if "exp" in row else None,
            "event": row["event"].value if "event" in row else (row["via"].value if kind == "bijeenkomst"
                                                                  and "via" in row else None),
            "source": source,
            "source_title": info["title"].value if info and "title" in info else None,
        }
        if not item["date"] and info and "date" in info:
            item["date"] = info["date"].value
        key = (item["actor"], item["kind"], item["description"], item["via"], item["source"], item["topic"])
        if key not in seen:
            seen.add(key)
            items.append(item)
    return items


def _membership_items(kg, roots: list[str], depth: dict, infos: dict, actors: list[str]) -> list[dict]:
    """Membership evidence (with the membership's date where recorded) under ``roots`` for
    ``actors`` (one small anchored query pair each)."""
    rows = []
    for root in roots:
        for actor in actors:
            params = {"root": ox.NamedNode(root), "actor": ox.NamedNode(actor)}
            dates = {(r["via"].value, r["actor"].value): r["date"]
                     for r in kg.select("analysis_topic_membership_dates", **params)}
            for row in kg.select("analysis_topic_arrangements", **params):
                row["kind"] = ox.NamedNode(MEMBER_KIND)
                if (row["via"].value, row["actor"].value) in dates:
                    row["date"] = dates[(row["via"].value, row["actor"].value)]
                rows.append(row)
    return _evidence_items(rows, depth, infos)


def _centroids(kg) -> dict[str, dict]:
    """``{actor: {"lon", "lat", "label", "cbs"}}`` of everything with a centroid point."""
    points = {}
    for row in kg.select("analysis_topic_centroids"):
        text = row["wkt"].value.strip()
        if ">" in text:  # a CRS IRI before the point
            text = text.split(">", 1)[1].strip()
        if not text.upper().startswith("POINT"):
            continue
        try:
            lon, lat = (float(v) for v in text[text.index("(") + 1:text.index(")")].split()[:2])
        except ValueError:
            continue
        points[row["actor"].value] = {"lon": lon, "lat": lat,
                                      "label": row["label"].value if "label" in row else None,
                                      "cbs": row["cbs"].value if "cbs" in row else None}
    return points


def km_between(a: dict, b: dict) -> float:
    """Great-circle distance in km between two ``{"lon", "lat"}`` points (haversine).

    >>> round(km_between({"lon": 5.64285, "lat": 52.17199}, {"lon": 5.0628, "lat": 51.6869}))
    67

    Complexity: O(1).
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (a["lon"], a["lat"], b["lon"], b["lat"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _near(kg, text: str, points: dict) -> tuple[dict, dict, dict]:
    """Resolve ``near`` (name, CBS code or IRI) to one actor: ``(entry, {actor: km},
    {node: steps})``. :class:`BadInput` naming it when nothing or several things match."""
    network = views.path_view(kg, names=views.labels(kg))
    known = nx.Graph(network)
    for actor, point in points.items():
        if actor not in known:
            known.add_node(actor, label=point["label"])
    try:
        node = str(paths.resolve_node(known, text.strip()))
    except NotFound as error:
        code = "ambiguous_near" if error.code == "ambiguous_name" else "unknown_near"
        raise BadInput(f"{code.replace('_', ' ')} {text!r}: {error.message}", details={"near": text, **(
            error.details if isinstance(error.details, dict) else {})}, code=code) from None
    steps = paths.distances_from(network, node) if node in network else {node: 0}
    origin = points.get(node)
    km = {} if origin is None else {actor: km_between(origin, point) for actor, point in points.items()}
    entry = {"actor": node, "label": views.LabelLookup(kg).get(node, node), "kind": _kind_name(_type_of(kg, node)),
             "cbs": points.get(node, {}).get("cbs") or _cbs_code(kg, node), "has_centroid": origin is not None}
    return entry, km, steps


_KIND_TYPES = ["Municipality", "Province", "WaterBoard", "RegionalBody", "CooperationArrangement", "Person", "Event",
               "Organization"]


def _type_of(kg, actor: str) -> str | None:
    """The most specific known type name of ``actor`` (e.g. ``Municipality``), or None."""
    names = {row["type"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
             for row in kg.select("analysis_node_kinds", node=ox.NamedNode(actor))}
    return next((name for name in _KIND_TYPES if name in names), None)


def _cbs_code(kg, actor: str) -> str | None:
    code = actor.rsplit("/", 1)[-1]
    return code if "/gemeente/" in actor and code[:2] in ("GM",) else None


def _contacts(kg, actor: str, kind: str, roots: list[str], names) -> list[dict]:
    """People the sources tie to this actor's statements on the topic (analysis_topic_contacts:
    who stated it for the actor, a person it names, the post holders where it is the actor's
    portfolio), each belonging to the actor; for a person, the person themself."""
    if kind == "person":
        return [{"person": actor, "name": names.get(actor, actor), "roles": [], "how": ["self"], "sources": []}]
    node = ox.NamedNode(actor)
    people: dict[str, dict] = {}
    for root in roots:
        for row in kg.select("analysis_topic_contacts", root=ox.NamedNode(root), actor=node):
            entry = people.setdefault(row["person"].value, {"how": [], "sources": []})
            if row["how"].value not in entry["how"]:
                entry["how"].append(row["how"].value)
            if row["g"].value not in entry["sources"]:
                entry["sources"].append(row["g"].value)
    if not people:
        return []
    roles: dict[str, list[str]] = defaultdict(list)
    for row in kg.select("analysis_posts_in", organisation=node):
        person = row["person"].value
        role = names.get(row["role"].value, row["role"].value) if "role" in row else None
        if person in people and role and role not in roles[person]:
            roles[person].append(role)
    return [{"person": p, "name": names.get(p, p), "roles": roles.get(p, []), "how": people[p]["how"],
             "sources": people[p]["sources"]} for p in sorted(people, key=lambda p: names.get(p, p))]


def _kind_name(type_name: str | None) -> str:
    return {"Municipality": "municipality", "Province": "province", "WaterBoard": "water-board",
            "RegionalBody": "regional-body", "Person": "person", "Organization": "organisation",
            "CooperationArrangement": "arrangement", "Event": "event"}.get(type_name or "", "organisation")
