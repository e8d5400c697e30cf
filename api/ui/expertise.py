"""The expertise finder: "Wie heeft ervaring met …?".

Topic text -> thesaurus concepts (by Dutch/English preferred and alternative labels,
with every narrower concept) -> actors with evidence: recorded experiences
(``rk:Experience``) and membership of arrangements about the topic. Ranked by the kind
of evidence and its recency; optionally by distance to the asker's municipality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from api.ui.data import UIData
from api.ui.geo import distance_km
from api.ui.views import positions
from graph.text import fold

#: weight of each kind of evidence (last path segment of the ervaringssoort concept)
KIND_WEIGHTS = {
    "heeft-gedaan": 3.0, "adviseert": 2.5, "portefeuille": 2.0, "lid-van-samenwerking": 1.5,
    "bijeenkomst": 1.0,
}
DEFAULT_WEIGHT = 1.0
#: kinds that say an actor wants knowledge rather than has it (used when the thesaurus has
#: no ``ervaringssoort/toont-ervaring`` collection naming the kinds that do show experience)
NOT_EXPERIENCE = {"vraagt-hulp", "heeft-interesse"}


def shows_experience(data: UIData) -> Callable[[str | None], bool]:
    """A test ``kind IRI -> bool``: is this kind of record evidence of experience?"""
    kinds = data.cached("experience_kinds", lambda: {r["kind"] for r in data.select("ui_experience_kinds")})
    if kinds:
        return lambda kind: kind in kinds
    return lambda kind: (kind or "").rstrip("/").rsplit("/", 1)[-1] not in NOT_EXPERIENCE


def topic_tree(data: UIData) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """``({concept: folded labels}, {concept: narrower concepts})`` of the topic scheme."""
    def compute():
        names: dict[str, set[str]] = defaultdict(set)
        narrower: dict[str, set[str]] = defaultdict(set)
        for r in data.select("ui_topics"):
            if "/onderwerp/" not in r["concept"]:
                continue
            names[r["concept"]].add(fold(r["label"]))
            if r.get("broader"):
                narrower[r["broader"]].add(r["concept"])
        return dict(names), dict(narrower)
    return data.cached("topic_tree", compute)


def match_topics(data: UIData, text: str) -> list[str]:
    """Concepts whose label equals ``text`` (else contains it, else is contained in it),
    with all their narrower concepts, in a stable order."""
    needle = fold(text)
    if not needle:
        return []
    names, narrower = topic_tree(data)
    hits = [c for c, labels in names.items() if needle in labels]
    if not hits:
        hits = [c for c, labels in names.items()
                if any(needle in label or (len(label) > 3 and label in needle) for label in labels)]
    found: list[str] = []
    stack = sorted(hits)
    while stack:
        concept = stack.pop(0)
        if concept not in found:
            found.append(concept)
            stack.extend(sorted(narrower.get(concept, ())))
    return found


def _evidence(data: UIData, topics: set[str], lang: str) -> dict[str, list[dict[str, Any]]]:
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts = shows_experience(data)
    for r in data.cached("experiences", lambda: data.select("ui_experiences")):
        if r.get("topic") not in topics:
            continue
        kind = (r.get("kind") or "").rstrip("/").rsplit("/", 1)[-1]
        if not counts(r.get("kind")):
            continue
        by_actor[r["actor"]].append({
            "kind": kind, "kindLabel": data.label(r.get("kind"), lang) if r.get("kind") else kind,
            "topic": data.label(r["topic"], lang), "description": r.get("description"),
            "date": r.get("attested"), "source": data.source(r.get("source") or r["g"]),
            "via": None,
        })
    subjects = data.cached("subjects", lambda: data.select("ui_arrangement_subjects"))
    members = data.members_of()
    for r in subjects:
        if r["topic"] not in topics or r["thing"] not in members:
            continue
        for member in members[r["thing"]]:
            by_actor[member].append({
                "kind": "lid-van-samenwerking", "kindLabel": data.label(r["thing"], lang),
                "topic": data.label(r["topic"], lang), "description": None, "date": None,
                "source": data.source(r["g"]), "via": data.page_url(r["thing"]),
            })
    return by_actor


def contacts(data: UIData, actor: str, *, lang: str = "nl", limit: int = 5) -> list[dict[str, Any]]:
    """People to contact for an actor: the person itself, or the holders of its posts."""
    if data.kind(actor) == "person":
        return [{"name": data.label(actor, lang), "url": data.page_url(actor), "role": None}]
    out = []
    for r in data.select("ui_actor_posts", org=actor):
        if r.get("person"):
            out.append({"name": data.label(r["person"], lang), "url": data.page_url(r["person"]),
                        "role": data.label(r.get("role"), lang) if r.get("role") else None})
    out.sort(key=lambda c: c["name"])
    return out[:limit]


def find_experts(data: UIData, text: str, *, near: str | None = None, lang: str = "nl",
                 limit: int = 25) -> dict[str, Any]:
    """Ranked actors with evidence for topic ``text``; ``near`` a municipality IRI.

    Score = sum of evidence weights (recent evidence counts a little more); with ``near``
    the score is divided by ``1 + km/50`` so close actors rise.
    """
    topics = match_topics(data, text)
    evidence = _evidence(data, set(topics), lang)
    pos = positions(data)
    origin = pos.get(near) if near else None
    results = []
    for actor, items in evidence.items():
        score = 0.0
        for item in items:
            weight = KIND_WEIGHTS.get(item["kind"], DEFAULT_WEIGHT)
            year = str(item.get("date") or "")[:4]
            score += weight * (1.2 if year >= "2015" else 1.0)
        distance = None
        if origin and actor in pos:
            distance = round(distance_km(origin, pos[actor]), 1)
            score = score / (1 + distance / 50)
        results.append({"iri": actor, "label": data.label(actor, lang), "url": data.page_url(actor),
                        "kind": data.kind(actor), "score": round(score, 3), "distance": distance,
                        "evidence": sorted(items, key=lambda i: (-KIND_WEIGHTS.get(i["kind"], 1), str(i["date"])))})
    results.sort(key=lambda r: (-r["score"], r["label"]))
    results = results[:limit]
    for r in results:
        r["contacts"] = contacts(data, r["iri"], lang=lang)
    return {"query": text, "topics": [{"iri": t, "label": data.label(t, lang), "url": data.page_url(t)}
                                      for t in topics],
            "near": near, "results": results}
