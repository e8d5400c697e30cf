"""Who has experience with a topic: text → thesaurus concepts (with narrower ones) →
actors with evidence, ranked by the kind of evidence and its recency, each score explained.

Kinds of evidence, strongest first (``ervaringssoort/`` concepts):

=====================  ======  ===============================================
kind                   weight  meaning
=====================  ======  ===============================================
heeft-gedaan           5       has done it (went through the process)
adviseert              4       advises on it / can be consulted
portefeuille           3       holds the portfolio or a role for it
lid-van-samenwerking   2       member of an arrangement about the topic
bijeenkomst            1       attended or organised a meeting about it
vraagt-hulp            0       asked for help: a question, not expertise
heeft-interesse        0       showed interest: a question, not expertise
=====================  ======  ===============================================

score = weight of the strongest kind + 0.9 · recency of its latest evidence
(``0.5 ** (age in years / half-life)``) + 0.01 per further piece of evidence (at most
0.09). The kind always dominates: recency and corroboration only order actors within a
kind. Actors with only questions (weight 0) come last, flagged ``expertise: False``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyoxigraph as ox

from graph.analysis import paths, views
from graph.analysis.textmatch import LabelIndex, expand_narrower

__all__ = ["KIND_WEIGHTS", "kind_slug", "rank_evidence", "rank_experts"]

KIND_WEIGHTS = {
    "heeft-gedaan": 5,
    "adviseert": 4,
    "portefeuille": 3,
    "lid-van-samenwerking": 2,
    "bijeenkomst": 1,
    "vraagt-hulp": 0,
    "heeft-interesse": 0,
}
KIND_TEXT = {
    "heeft-gedaan": "has done it",
    "adviseert": "advises on it",
    "portefeuille": "holds a portfolio or role for it",
    "lid-van-samenwerking": "member of an arrangement on it",
    "bijeenkomst": "took part in a meeting on it",
    "vraagt-hulp": "asked for help (a question, not expertise)",
    "heeft-interesse": "showed interest (a question, not expertise)",
}
UNKNOWN_KIND_WEIGHT = 1


def kind_slug(kind: str | None) -> str:
    """The slug of an ``ervaringssoort/`` concept IRI.

    >>> kind_slug("https://w3id.org/regiokg/id/ervaringssoort/adviseert")
    'adviseert'

    Complexity: O(len(kind)).
    """
    return (kind or "onbekend").rstrip("/").rsplit("/", 1)[-1]


def _age_years(date: str | None, as_of: dt.date) -> float | None:
    if not date:
        return None
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
    return max((as_of - day).days, 0) / 365.25


def rank_evidence(
    evidence: list[dict],
    *,
    as_of: dt.date | None = None,
    half_life_years: float = 5.0,
    distances: dict | None = None,
    limit: int | None = None,
    unlisted: dict | None = None,
) -> list[dict]:
    """Rank actors by their evidence (see the module docstring for the score).

    ``evidence`` items need ``actor`` and ``kind`` (slug); ``date`` (ISO) feeds recency;
    other keys are passed through. ``distances`` (``{actor: hops}``) breaks ties: nearer
    first. Ties left after that are ordered by actor. ``unlisted`` (``{actor: n}``) counts
    further pieces of evidence that are not in ``evidence`` (they add to corroboration only).

    >>> ranked = rank_evidence([
    ...     {"actor": "barneveld", "kind": "vraagt-hulp", "date": "2017-09-29"},
    ...     {"actor": "waalwijk", "kind": "adviseert", "date": "2017-09-29"},
    ...     {"actor": "dronten", "kind": "adviseert", "date": "2017-09-29"},
    ...     {"actor": "soest", "kind": "bijeenkomst", "date": "2020-01-01"}],
    ...     as_of=dt.date(2022, 9, 29))
    >>> [(r["actor"], r["score"]) for r in ranked]
    [('dronten', 4.45), ('waalwijk', 4.45), ('soest', 1.6153), ('barneveld', 0.45)]
    >>> ranked[-1]["expertise"]
    False

    Complexity: O(e log e) for e pieces of evidence.
    """
    as_of = as_of or dt.date.today()
    by_actor: dict[str, list[dict]] = defaultdict(list)
    for item in evidence:
        by_actor[item["actor"]].append(item)
    ranked = []
    for actor, items in by_actor.items():
        def weight(item):
            return KIND_WEIGHTS.get(item["kind"], UNKNOWN_KIND_WEIGHT)

        # strongest kind first, then the latest evidence of it (undated last)
        def age_or_inf(item):
            age = _age_years(item.get("date"), as_of)
            return float("inf") if age is None else age

        items = sorted(items, key=lambda i: (-weight(i), age_or_inf(i)))
        best = items[0]
        best_weight = weight(best)
        age = _age_years(best.get("date"), as_of)
        recency = 0.5 ** (age / half_life_years) if age is not None else 0.0
        extra = min(len(items) - 1 + (unlisted or {}).get(actor, 0), 9)
        score = round(best_weight + 0.9 * recency + 0.01 * extra, 4)
        kind_text = KIND_TEXT.get(best["kind"], f"evidence of kind {best['kind']}")
        parts = [f"{kind_text} (kind weight {best_weight})"]
        if age is not None:
            parts.append(f"recency {0.9 * recency:.2f} (latest such evidence {best['date'][:10]}, "
                         f"{age:.1f} years before {as_of.isoformat()}, half-life {half_life_years:g} years)")
        else:
            parts.append("recency 0 (evidence undated)")
        if extra:
            parts.append(f"{extra} more piece(s) of evidence (+{0.01 * extra:.2f})")
        distance = (distances or {}).get(actor)
        explanation = " + ".join(parts) + f" = {score:g}"
        if distances is not None:
            explanation += (f"; {distance} step(s) from the asker" if distance is not None
                            else "; not connected to the asker")
        ranked.append({
            "actor": actor,
            "score": score,
            "expertise": best_weight > 0,
            "strongest_kind": best["kind"],
            "explanation": explanation,
            "distance": distance,
            "evidence": items,
        })
    ranked.sort(key=lambda r: (-r["score"], r["distance"] if r["distance"] is not None else float("inf"),
                               str(r["actor"])))
    return ranked if limit is None else ranked[:limit]


MEMBER_KIND = "https://w3id.org/regiokg/id/ervaringssoort/lid-van-samenwerking"
EVENT_KIND = "https://w3id.org/regiokg/id/ervaringssoort/bijeenkomst"


def rank_experts(kg, text: str, *, near: str | None = None, limit: int = 10,
                 as_of: dt.date | None = None, half_life_years: float = 5.0) -> dict:
    """Who has experience with the topic ``text`` (Dutch or English, any case, with or
    without diacritics, singular or plural, a synonym or a broader term).

    Returns ``{"text", "match" ("exact", "partial" or "none"), "concepts": [{"concept",
    "label", "depth"}], "near", "experts": [{"actor", "label", "kind", "score",
    "expertise", "explanation", "distance", "evidence": [{"kind", "description", "date",
    "topic", "via", "source", "source_title"}], "contacts"}]}``.

    In the example store (:mod:`graph.analysis.examples`) Beta has built wind turbines
    and Delta asks who has; ``windmolens`` is a synonym in the bundled thesaurus:

    >>> from graph.analysis.examples import example_kg
    >>> found = rank_experts(example_kg(), "windmolens")
    >>> found["match"], [concept["label"] for concept in found["concepts"]]
    ('exact', ['windturbines'])
    >>> [(e["label"], e["strongest_kind"], e["expertise"]) for e in found["experts"]]
    [('Beta', 'heeft-gedaan', True), ('Delta', 'vraagt-hulp', False)]

    Complexity: three queries per matched concept (its narrower concepts included, via a
    property path): experiences, events, and the number of memberships per actor. When at
    least ``limit`` actors have evidence stronger than membership, the memberships are then
    fetched for the ``limit`` actors shown only (two small anchored queries each); otherwise
    for everyone (they may decide the order). Then small queries for the labels, kinds and
    posts of the actors shown (and the whole path view with ``near``). Nothing reads the
    whole store; the cost grows with the evidence on the topic, not with the store.
    """
    concept_labels, narrower = views.thesaurus(kg)
    matched, how = LabelIndex(concept_labels).match(text)
    depth = expand_narrower(matched, narrower)
    infos = {row["g"].value: row for row in kg.select("graph_descriptions")}
    # Roots inside another matched root's subtree add nothing (the queries take narrower
    # concepts along), and would count the same memberships twice.
    roots = [r for r in sorted(matched) if not any(r != o and r in expand_narrower({o}, narrower) for o in matched)]
    # Membership evidence is counted first, not fetched: for a broad topic at millions of
    # triples it is hundreds of thousands of rows. Every other kind of evidence is fetched.
    rows, member_counts = [], defaultdict(int)
    for root in roots:
        bound = ox.NamedNode(root)
        rows += kg.select("analysis_topic_experiences", root=bound)
        for row in kg.select("analysis_topic_events", root=bound):
            row["kind"] = ox.NamedNode(EVENT_KIND)
            rows.append(row)
        for row in kg.select("analysis_topic_member_counts", root=bound):
            member_counts[row["actor"].value] += int(row["n"].value)
    evidence = _evidence_items(rows, depth, infos)
    strongest: dict[str, int] = {}
    for item in evidence:
        weight = KIND_WEIGHTS.get(item["kind"], UNKNOWN_KIND_WEIGHT)
        strongest[item["actor"]] = max(weight, strongest.get(item["actor"], weight))
    member_weight = KIND_WEIGHTS["lid-van-samenwerking"]
    stronger = {actor for actor, weight in strongest.items() if weight > member_weight}
    names = views.LabelLookup(kg)
    distances, near_node = None, None
    if near:
        network = views.path_view(kg, names=views.labels(kg))
        near_node = paths.resolve_node(network, near)
        distances = paths.distances_from(network, near_node)
    topic_actors = set(strongest) | set(member_counts)
    if limit is not None and len(stronger) >= limit:
        # The first ``limit`` actors all have evidence stronger than membership, so their
        # order is known without membership dates: fetch memberships of those actors only.
        shown = rank_evidence([i for i in evidence if i["actor"] in stronger], as_of=as_of,
                              half_life_years=half_life_years, distances=distances, limit=limit,
                              unlisted=member_counts)
        actors = [entry["actor"] for entry in shown]
    else:
        actors = None  # memberships may decide the order: fetch them all
    evidence = [i for i in evidence if actors is None or i["actor"] in actors]
    evidence += _membership_items(kg, roots, depth, infos, actors)
    ranked = rank_evidence(evidence, as_of=as_of, half_life_years=half_life_years,
                           distances=distances, limit=limit)
    for entry in ranked:
        entry["label"] = names.get(entry["actor"], entry["actor"])
        entry["kind"] = _kind_name(_type_of(kg, entry["actor"]))
        entry["contacts"] = _contacts(kg, entry["actor"], entry["kind"], topic_actors, names)
        for item in entry["evidence"]:
            item.pop("actor", None)
            item["topic_label"] = names.get(item["topic"], item["topic"])
            if item["via"]:
                item["via_label"] = names.get(item["via"], item["via"])
    return {
        "text": text,
        "match": how,
        "concepts": [{"concept": c, "label": names.get(c, c), "depth": d}
                     for c, d in sorted(depth.items(), key=lambda cd: (cd[1], cd[0]))],
        "near": near_node,
        "experts": ranked,
    }


def _evidence_items(rows: list[dict], depth: dict, infos: dict, seen: set | None = None) -> list[dict]:
    """Evidence items from query rows (deduplicated; undated items take their source graph's
    date), nearest concepts first, in query order within a concept."""
    seen = set() if seen is None else seen
    rows = [row for row in rows if row["topic"].value in depth]
    rows.sort(key=lambda row: (depth[row["topic"].value], row["topic"].value))  # stable: query order within
    items = []
    for row in rows:
        source = row["source"].value if "source" in row else None
        info = infos.get(source)
        item = {
            "actor": row["actor"].value,
            "kind": kind_slug(row["kind"].value if "kind" in row else None),
            "description": row["description"].value if "description" in row else None,
            "date": row["date"].value if "date" in row else None,
            "topic": row["topic"].value,
            "via": row["via"].value if "via" in row else None,
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


def _membership_items(kg, roots: list[str], depth: dict, infos: dict, actors: list[str] | None) -> list[dict]:
    """Membership evidence (with the membership's date where recorded) under ``roots``, for
    ``actors`` only (one small anchored query pair each) or, with ``None``, for everyone."""
    rows = []
    for root in roots:
        for actor in ([None] if actors is None else actors):
            params = {"root": ox.NamedNode(root), "actor": ox.NamedNode(actor) if actor else None}
            dates = {(r["via"].value, r["actor"].value): r["date"]
                     for r in kg.select("analysis_topic_membership_dates", **params)}
            for row in kg.select("analysis_topic_arrangements", **params):
                row["kind"] = ox.NamedNode(MEMBER_KIND)
                if (row["via"].value, row["actor"].value) in dates:
                    row["date"] = dates[(row["via"].value, row["actor"].value)]
                rows.append(row)
    return _evidence_items(rows, depth, infos)


_KIND_TYPES = ["Municipality", "Province", "WaterBoard", "RegionalBody", "CooperationArrangement", "Person", "Event",
               "Organization"]


def _type_of(kg, actor: str) -> str | None:
    """The most specific known type name of ``actor`` (e.g. ``Municipality``), or None."""
    names = {row["type"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
             for row in kg.select("analysis_node_kinds", node=ox.NamedNode(actor))}
    return next((name for name in _KIND_TYPES if name in names), None)


def _contacts(kg, actor: str, kind: str, topic_actors: set[str], names) -> list[dict]:
    """People to contact for an actor: for an organisation the people holding posts in it
    (those with evidence on the topic first); for a person the person themself, with the
    organisations they hold posts in."""
    node = ox.NamedNode(actor)
    if kind == "person":
        held: dict[str, list[str]] = {}
        for row in kg.select("analysis_posts_held", person=node):
            roles = held.setdefault(row["organisation"].value, [])
            role = names.get(row["role"].value, row["role"].value) if "role" in row else None
            if role and role not in roles:
                roles.append(role)
        organisations = [{"organisation": org, "label": names.get(org, org), "roles": roles}
                         for org, roles in held.items()]
        return [{"person": actor, "name": names.get(actor, actor), "posts": organisations}]
    people: dict[str, dict] = {}
    for row in kg.select("analysis_posts_in", organisation=node):
        person = row["person"].value
        entry = people.setdefault(person, {"roles": [], "sources": []})
        role = names.get(row["role"].value, row["role"].value) if "role" in row else None
        if role and role not in entry["roles"]:
            entry["roles"].append(role)
        if row["g"].value not in entry["sources"]:
            entry["sources"].append(row["g"].value)
    order = sorted(people, key=lambda p: (p not in topic_actors, names.get(p, p)))
    return [{"person": p, "name": names.get(p, p), "roles": people[p]["roles"], "sources": people[p]["sources"]}
            for p in order]


def _kind_name(type_name: str | None) -> str:
    return {"Municipality": "municipality", "Province": "province", "WaterBoard": "water-board",
            "RegionalBody": "regional-body", "Person": "person", "Organization": "organisation",
            "CooperationArrangement": "arrangement", "Event": "event"}.get(type_name or "", "organisation")
