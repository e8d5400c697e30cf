"""The one write path: compute the change -> check it -> SHACL on what changes -> atomic apply.

Every write goes through :func:`commit` under the store's write context:
``regiokg load`` (:func:`add`), the importers and the bootstrap (:func:`replace`), the
analysis write-back (:func:`replace` with its own focus nodes), ``/update``
(:func:`update`: the update evaluated once, ``graph.update_eval``), and the Graph Store
Protocol (:func:`replace`, :func:`add`, :func:`drop`).

1. The change is computed as exact quads removed and added per named graph.
2. Writing to the default graph is refused: it is derived (the set union of the named
   graphs, see ``graph/store.py``). IRIs with schemes that make no sense as identifiers
   (``javascript:``, ``data:``, ``file:``, ...) are refused with a 422. Blank nodes are
   replaced by skolem IRIs under ``<base>genid/`` (the model has no blank nodes).
3. SHACL validation covers every graph the change touches and every focus node whose
   description changes (subjects of quads removed or added), each with its whole
   description after the change (the union of all graphs, so a fact restated in another
   graph counts once). Cost grows with the change, not with the graphs. A violation that
   the same node already had before the change does not block it (it is not new).
4. The derived default graph's quads are computed (add on insert; on removal, remove from
   the default graph only when no named graph still states the triple) and everything is
   applied in one transaction (:meth:`graph.store.Store.apply`), which moves the change
   marker.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.errors import BadInput, ValidationFailed
from graph.rdfio import graph_iri_of
from graph.store import DEFAULT, Change, Store
from graph.update_eval import Delta, evaluate_update

# Schemes an identifier may have in this graph; anything else (javascript:, data:, file:,
# vbscript:, blob:, about:, ...) is refused on write.
ALLOWED_SCHEMES = frozenset({"http", "https", "urn", "mailto", "tel", "tag", "doi", "info"})


@dataclass
class WriteResult:
    """What a write changed."""

    graphs: list[str] = field(default_factory=list)  # named graphs changed (sorted)
    added: dict[str, int] = field(default_factory=dict)  # quads added per graph
    removed: dict[str, int] = field(default_factory=dict)  # quads removed per graph
    created: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


# -- the entry points ---------------------------------------------------------------------------
def add(kg: Any, quads: Iterable[ox.Quad], *, validate: bool = True) -> WriteResult:
    """Add quads (to the graphs they name)."""
    quads = set(quads)
    store: Store = kg.store
    with store.writing():
        existing = set(store.named_graphs())
        new = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)} - existing
        return commit(kg, Delta(add=quads), validate=validate, new_graphs=new)


def replace(kg: Any, graphs: Mapping[str, Iterable[ox.Quad]], *, validate: bool = True,
            focus: set[ox.NamedNode] | None = None) -> WriteResult:
    """Make each named graph of ``graphs`` hold exactly the given quads (by difference, so
    an unchanged graph is a no-op). ``focus`` limits SHACL to those nodes (the analysis
    write-back checks its own nodes only)."""
    store: Store = kg.store
    with store.writing():
        delta = Delta()
        existing = set(store.named_graphs())
        for graph, quads in graphs.items():
            node = ox.NamedNode(graph)
            new = {ox.Quad(q.subject, q.predicate, q.object, node) for q in quads}
            current = set(store.quads(graph)) if graph in existing else set()
            delta.remove |= current - new
            delta.add |= new - current
            if graph not in existing and not new:
                delta.create.add(graph)
        return commit(kg, delta, validate=validate, focus=focus, new_graphs=set(graphs) - existing)


def drop(kg: Any, graph: str) -> WriteResult:
    """Remove a named graph and its quads."""
    store: Store = kg.store
    with store.writing():
        current = set(store.quads(graph))
        return commit(kg, Delta(remove=current, drop={graph}), validate=True)


def update(kg: Any, text: str, *, validate: bool = True) -> WriteResult:
    """Evaluate a SPARQL update once and apply exactly the change it makes (graph.update_eval)."""
    store: Store = kg.store
    with store.writing():
        delta = evaluate_update(store, text, max_depth=kg.settings.query_max_depth)
        return commit(kg, delta, validate=validate)


# -- the pipeline ---------------------------------------------------------------------------------
def commit(kg: Any, delta: Delta, *, validate: bool, focus: set[ox.NamedNode] | None = None,
           new_graphs: set[str] | None = None) -> WriteResult:
    """Check, validate and apply ``delta`` (call inside ``store.writing()``)."""
    store: Store = kg.store
    # compare and write literals as the store keeps them: otherwise a quad written again in
    # another lexical form ("+00:00" for "Z") counts as removed and as already present, and vanishes
    remove = store.canonical(delta.remove)
    add = store.canonical(delta.add)
    remove -= add  # a quad deleted and inserted again stays
    _refuse_default_graph(remove, add)
    add = _skolemise(add, kg.settings.base_iri)
    check_iris(add)

    # exact sets: only quads that are there are removed, only new ones added
    held = store.holders({(q.subject, q.predicate, q.object) for q in remove})
    remove = {q for q in remove if graph_iri_of(q) in held.get((q.subject, q.predicate, q.object), ())}
    fresh = new_graphs if new_graphs is not None else set()
    check = [q for q in add if graph_iri_of(q) not in fresh]
    if check:
        held_add = store.holders({(q.subject, q.predicate, q.object) for q in check})
        present = {q for q in check if graph_iri_of(q) in held_add.get((q.subject, q.predicate, q.object), ())}
        add -= present
    existing = set(store.named_graphs())
    drop = {g for g in delta.drop if g in existing or g in delta.create}
    create = {g for g in delta.create if g not in existing and g not in drop}

    # the derived default graph: the set union of the named graphs after the change
    default_add = {(q.subject, q.predicate, q.object) for q in add}
    losing: dict[tuple, set[str]] = defaultdict(set)
    for q in remove:
        losing[(q.subject, q.predicate, q.object)].add(graph_iri_of(q))
    default_remove = {t for t, graphs in losing.items()
                      if t not in default_add and not (held.get(t, set()) - graphs)}

    if validate and (add or remove):
        from graph.validation import validate_change

        validate_change(store, remove=remove, add=add, default_remove=default_remove, default_add=default_add,
                        focus=focus)

    change = Change(
        remove=sorted(remove, key=str) + [ox.Quad(s, p, o, DEFAULT) for s, p, o in default_remove],
        add=list(add) + [ox.Quad(s, p, o, DEFAULT) for s, p, o in default_add],
        drop_graphs=drop, create_graphs=create,
    )
    store.apply(change)
    added = Counter(graph_iri_of(q) for q in add)
    removed = Counter(graph_iri_of(q) for q in remove)
    return WriteResult(graphs=sorted(set(added) | set(removed) | drop | create), added=dict(added),
                       removed=dict(removed), created=sorted(create), dropped=sorted(drop))


def _refuse_default_graph(remove: set[ox.Quad], add: set[ox.Quad]) -> None:
    outside = [q for q in add if isinstance(q.graph_name, ox.DefaultGraph)]
    if outside:
        raise ValidationFailed(
            f"{len(outside)} triple(s) would go into the default graph; every fact must sit in a named graph "
            "that says where it comes from (use GRAPH <iri> { ... }, TriG/N-Quads or --graph IRI)",
            violations=[{"graph": None, "focus_node": None, "path": None, "constraint": "rk:namedGraphRequired",
                         "message": "triples in the default graph", "value": str(outside[0])}])
    if any(isinstance(q.graph_name, ox.DefaultGraph) for q in remove):
        raise BadInput("deleting from the default graph is refused: it is the union of the named graphs "
                       "(derived); delete from the named graphs that state the facts (GRAPH ?g { ... })")


def _skolemise(quads: set[ox.Quad], base_iri: str) -> set[ox.Quad]:
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        return quads
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def iri(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.NamedNode(f"{base_iri}genid/{uuid.uuid4().hex}")
            return names[term]
        return term

    return {ox.Quad(iri(q.subject), q.predicate, iri(q.object), q.graph_name) for q in quads}


def scheme_of(iri: str) -> str:
    head, sep, _ = iri.partition(":")
    return head.lower() if sep else ""


def check_iris(quads: Iterable[ox.Quad]) -> None:
    """422 when a quad uses an IRI whose scheme makes no sense as an identifier here."""
    bad: list[dict[str, Any]] = []
    seen: set[str] = set()
    safe = ("https://", "http://", "urn:")
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                value = term.value
                if value in seen or value.startswith(safe):
                    continue
                if scheme_of(value) in ALLOWED_SCHEMES:
                    seen.add(value)
                    continue
                bad.append({"graph": getattr(q.graph_name, "value", None), "focus_node": getattr(q.subject, "value", None),
                            "path": q.predicate.value, "constraint": "rk:iriScheme",
                            "message": f"IRI scheme {scheme_of(value) or '(none)'}: is not allowed",
                            "value": value})
                break
            if isinstance(term, ox.Triple):
                raise BadInput("triple terms (RDF-star) are not stored by regiokg")
        if len(bad) >= 50:
            break
    if bad:
        allowed = ", ".join(sorted(ALLOWED_SCHEMES))
        raise ValidationFailed(
            f"refused IRI <{bad[0]['value'][:80]}>: its scheme makes no sense as an identifier here "
            f"(allowed: {allowed}); {len(bad)} such IRI(s)", violations=bad, code="iri_scheme_refused")
