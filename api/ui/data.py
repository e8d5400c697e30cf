"""Cached read-only views of the knowledge graph for the web UI.

Everything here comes from named queries (``graph/queries/ui_*.rq``) with bound
parameters. Whole-graph views (labels, memberships, figures) are computed once per data
state: :meth:`KnowledgeGraph.fingerprint` changes whenever a graph changes, and the cache
is dropped then.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from graph.analysis import views
from graph.terms import to_python
from graph.text import fold

RK = "https://w3id.org/regiokg/def#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GRAPH_BASE = "https://w3id.org/regiokg/graph/"

#: class IRI -> (kind key used by the UI, priority when a thing has several classes)
KINDS: dict[str, tuple[str, int]] = {
    RK + "Municipality": ("municipality", 0),
    RK + "Province": ("province", 1),
    RK + "WaterBoard": ("waterboard", 2),
    RK + "CooperationArrangement": ("arrangement", 3),
    RK + "RegionalBody": ("regionalbody", 4),
    RK + "UnresolvedActor": ("unresolved", 5),
    FOAF + "Person": ("person", 6),
    SKOS + "Concept": ("topic", 7),
    ORG + "Organization": ("organisation", 8),
}


def kind_of(types: list[str]) -> str:
    """The UI kind of a thing from its classes (``other`` when none is known)."""
    known = [KINDS[t] for t in types if t in KINDS]
    return min(known, key=lambda k: k[1])[0] if known else "other"


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A query row with plain Python values."""
    return {k: to_python(v) for k, v in row.items()}


class UIData:
    """Read-only, cached views of one :class:`~graph.kg.KnowledgeGraph` for the pages."""

    def __init__(self, kg: Any, *, recheck_seconds: float = 2.0):
        self.kg = kg
        self.recheck_seconds = recheck_seconds
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self._fingerprint: str | None = None
        self._checked = 0.0

    # -- caching ---------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """The data state; re-read at most every ``recheck_seconds``."""
        now = time.monotonic()
        with self._lock:
            if self._fingerprint is None or now - self._checked > self.recheck_seconds:
                fp = self.kg.fingerprint()
                if fp != self._fingerprint:
                    self._cache.clear()
                    self._fingerprint = fp
                self._checked = now
            return self._fingerprint

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per data state."""
        self.fingerprint()
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def select(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of a named query as plain values; ``str`` params starting with http are IRIs."""
        bound = {k: ox.NamedNode(v) if isinstance(v, str) and v.startswith(("http://", "https://"))
                 else v for k, v in params.items()}
        return [plain(r) for r in self.kg.select(name, **bound)]

    # -- labels and sources ------------------------------------------------------------------
    def labels(self, lang: str = "nl") -> dict[str, str]:
        """``{iri: display label}`` for every labelled resource, by the one label precedence
        (:func:`graph.analysis.views.labels`)."""
        return self.cached(f"labels:{lang}", lambda: views.labels(self.kg, lang=lang))

    def label(self, iri: str | None, lang: str = "nl") -> str:
        """The display name of ``iri`` in ``lang`` (else the IRI's tail)."""
        if not iri:
            return ""
        name = self.labels(lang).get(iri)
        if name:
            return name
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def sources(self) -> dict[str, dict[str, Any]]:
        """``{graph iri: {iri, title, date, kind, publisher, source, triples}}``."""
        def compute():
            return {g.iri: {"iri": g.iri, "title": g.title or g.iri, "date": g.date,
                            "kind": (g.kind or "").rsplit("#", 1)[-1], "publisher": g.publisher,
                            "source": g.source, "triples": g.triples}
                    for g in self.kg.graphs()}
        return self.cached("sources", compute)

    def source(self, graph_iri: str | None) -> dict[str, Any] | None:
        """The description of the graph a fact sits in (None when not given)."""
        if not graph_iri:
            return None
        return self.sources().get(graph_iri) or {"iri": graph_iri, "title": graph_iri, "date": None}

    # -- types -------------------------------------------------------------------------------
    def types(self, iri: str) -> list[str]:
        return [r["type"] for r in self.select("ui_types", s=iri)]

    def kind(self, iri: str) -> str:
        return kind_of(self.types(iri))

    # -- search ------------------------------------------------------------------------------
    def label_index(self) -> list[dict[str, Any]]:
        """One entry per (thing, name): ``{iri, name, folded, alt, kind}``."""
        def compute():
            kinds: dict[str, list[str]] = defaultdict(list)
            names: dict[str, set[tuple[str, bool]]] = defaultdict(set)
            for r in self.select("ui_label_index"):
                kinds[r["s"]].append(r["kind"])
                names[r["s"]].add((r["label"], bool(r.get("alt"))))
            index = []
            for iri, labels in names.items():
                kind = kind_of(kinds[iri])
                if kind == "topic" and "/onderwerp/" not in iri:
                    continue  # forms, domains, roles are concepts too; search topics only
                for name, alt in sorted(labels):
                    index.append({"iri": iri, "name": name, "folded": fold(name), "alt": alt,
                                  "kind": kind})
            return index
        return self.cached("label_index", compute)

    def search(self, text: str, *, lang: str = "nl", limit: int = 10,
               kinds: set[str] | None = None) -> list[dict[str, Any]]:
        """Things whose name matches ``text``: prefix matches first, then word starts, then
        substrings; municipalities before arrangements before the rest on ties."""
        needle = fold(text)
        if not needle:
            return []
        order = {"municipality": 0, "arrangement": 1, "topic": 2, "person": 3}
        best: dict[str, tuple] = {}
        for entry in self.label_index():
            if kinds and entry["kind"] not in kinds:
                continue
            folded = entry["folded"]
            if folded.startswith(needle):
                rank = 0
            elif f" {needle}" in folded or f"-{needle}" in folded or f"({needle}" in folded:
                rank = 1
            elif needle in folded:
                rank = 2
            else:
                continue
            key = (rank, entry["alt"], order.get(entry["kind"], 4), len(folded), folded)
            if entry["iri"] not in best or key < best[entry["iri"]][0]:
                best[entry["iri"]] = (key, entry)
        hits = sorted(best.values(), key=lambda item: item[0])[:limit]
        return [{"iri": e["iri"], "label": self.label(e["iri"], lang), "matched": e["name"],
                 "kind": e["kind"], "url": self.page_url(e["iri"])} for _, e in hits]

    def page_url(self, iri: str) -> str:
        """The server path of a thing's page (``/id/...`` for our instances)."""
        base = self.kg.settings.base_iri
        if iri.startswith(base):
            return "/id/" + iri[len(base):]
        if iri.startswith(GRAPH_BASE):
            return "/bronnen#" + iri[len(GRAPH_BASE):]
        return iri

    # -- memberships ---------------------------------------------------------------------------
    def memberships(self) -> list[dict[str, Any]]:
        """Every membership (see ``ui_memberships.rq``), one dict each, de-duplicated."""
        def compute():
            seen: dict[tuple, dict] = {}
            for r in self.select("ui_memberships"):
                r["memberKind"] = KINDS.get(r.get("memberType"), ("organisation", 9))[0]
                key = (r["membership"], r["member"], r["arrangement"])
                if key not in seen or KINDS.get(r.get("memberType"), ("", 9))[1] < \
                        KINDS.get(seen[key].get("memberType"), ("", 9))[1]:
                    seen[key] = r
            return sorted(seen.values(), key=lambda r: (r["arrangement"], r["member"]))
        return self.cached("memberships", compute)

    def members_of(self) -> dict[str, set[str]]:
        """``{arrangement: set(members)}``."""
        def compute():
            out: dict[str, set[str]] = defaultdict(set)
            for r in self.memberships():
                out[r["arrangement"]].add(r["member"])
            return dict(out)
        return self.cached("members_of", compute)

    def arrangements_of(self) -> dict[str, set[str]]:
        """``{actor: set(arrangements)}``."""
        def compute():
            out: dict[str, set[str]] = defaultdict(set)
            for r in self.memberships():
                out[r["member"]].add(r["arrangement"])
            return dict(out)
        return self.cached("arrangements_of", compute)

    def municipalities(self) -> list[dict[str, Any]]:
        """Current and dissolved municipalities with code, province and geometry WKT."""
        return self.cached("municipalities", lambda: self.select("ui_municipality_geometries"))

    def overlapping(self, arrangement: str, *, limit: int = 25) -> list[dict[str, Any]]:
        """Arrangements sharing members with ``arrangement``: shared count and Jaccard."""
        members = self.members_of()
        mine = members.get(arrangement, set())
        out = []
        for other, theirs in members.items():
            shared = len(mine & theirs)
            if other != arrangement and shared:
                out.append({"iri": other, "shared": shared,
                            "jaccard": shared / len(mine | theirs)})
        out.sort(key=lambda r: (-r["jaccard"], -r["shared"], r["iri"]))
        return out[:limit]
