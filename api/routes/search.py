"""/api/search: things by name or code (the home page's search and its suggestions)."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import QueryInfo, page_link
from graph.kg import KnowledgeGraph
from graph.text import fold

router = APIRouter(prefix="/api", tags=["search"])

#: class IRI -> (kind, order on ties)
KINDS: dict[str, tuple[str, int]] = {
    "https://w3id.org/regiokg/def#Municipality": ("municipality", 0),
    "https://w3id.org/regiokg/def#CooperationArrangement": ("arrangement", 1),
    "http://www.w3.org/2004/02/skos/core#Concept": ("topic", 2),
    "http://xmlns.com/foaf/0.1/Person": ("person", 3),
    "https://w3id.org/regiokg/def#Province": ("province", 4),
    "https://w3id.org/regiokg/def#WaterBoard": ("water-board", 4),
    "https://w3id.org/regiokg/def#RegionalBody": ("regional-body", 4),
    "http://www.w3.org/ns/org#Organization": ("organisation", 5),
}
_LOCK = threading.Lock()
_INDEX: dict[int, tuple[Any, list[dict[str, Any]]]] = {}


class SearchHit(BaseModel):
    iri: str
    label: str
    matched: str = Field(description="The name or code that matched.")
    kind: str
    page: str | None = None


class SearchAnswer(BaseModel):
    q: str
    items: list[SearchHit]
    query: list[QueryInfo]


def name_index(kg) -> list[dict[str, Any]]:
    """One entry per (thing, name or code), cached per data state (Store.change_marker)."""
    generation = kg.store.change_marker()
    with _LOCK:
        hit = _INDEX.get(id(kg))
        if hit is not None and hit[0] == generation:
            return hit[1]
    kinds: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for r in kg.select("api_search_names"):
        s = r["s"].value
        kinds[s].add(r["kind"].value)
        names[s].add((r["label"].value, r["alt"].value == "true"))
    index = []
    for iri, labels in names.items():
        kind, order = min(KINDS[k] for k in kinds[iri])
        if kind == "topic" and "/onderwerp/" not in iri:
            continue  # forms, domains and roles are concepts too; topics only
        preferred = sorted(name for name, alt in labels if not alt) or sorted(name for name, _ in labels)
        for name, alt in sorted(labels):
            index.append({"iri": iri, "label": preferred[0], "name": name, "folded": fold(name), "alt": alt,
                          "kind": kind, "order": order})
    with _LOCK:
        _INDEX[id(kg)] = (generation, index)
    return index


def search(kg, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Things whose name or code matches ``text``: whole-name matches first, then prefixes,
    word starts, substrings; municipalities before arrangements, topics, people on ties.

    Complexity: O(names) per search over the cached index.
    """
    needle = fold(text)
    if not needle:
        return []
    best: dict[str, tuple] = {}
    for entry in name_index(kg):
        folded = entry["folded"]
        if folded == needle:
            rank = 0
        elif folded.startswith(needle):
            rank = 1
        elif f" {needle}" in f" {folded}":
            rank = 2
        elif needle in folded:
            rank = 3
        else:
            continue
        key = (rank, entry["alt"], entry["order"], len(folded), folded, entry["iri"])
        if entry["iri"] not in best or key < best[entry["iri"]][0]:
            best[entry["iri"]] = (key, entry)
    hits = sorted(best.values(), key=lambda item: item[0])[:limit]
    return [{"iri": e["iri"], "label": e["label"], "matched": e["name"], "kind": e["kind"]} for _, e in hits]


@router.get("/search", response_model=SearchAnswer)
async def get_search(request: Request, q: str = Query(..., min_length=1, max_length=200,
                                                       description="A name (any case, diacritics optional) or a "
                                                                   "code such as GM0203."),
                     limit: int = Query(10, ge=1, le=100), kg: KnowledgeGraph = Depends(get_kg)) -> SearchAnswer:
    """Municipalities, arrangements, topics, people and organisations by name or code."""
    found = await run_in_threadpool(search, kg, q, limit=limit)
    items = [SearchHit(**h, page=page_link(request, h["iri"])) for h in found]
    return SearchAnswer(q=q, items=items, query=[QueryInfo(name="api_search_names")])
