"""SHACL validation of data before it is written.

Data is validated per named graph against ``ontology/shapes.ttl``. Instead of running RDFS
inference over the data (slow on large files), the validator adds the superclasses of
every ``rdf:type`` from the ontology, so ``sh:targetClass`` sees subclass instances.
(Types of IRIs the data only refers to are not added: that would make them focus nodes
whose descriptions live in other graphs.)
Besides the shapes, every named graph must describe itself (title, publisher, date).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from graph.errors import ValidationFailed
from graph.rdfio import graph_iri_of
from graph.settings import ONTOLOGY_DIR
from graph.terms import to_rdflib

SHAPES_FILE = "shapes.ttl"
REQUIRED_DESCRIPTION = (("title", DCTERMS.title), ("publisher", DCTERMS.publisher), ("date", DCTERMS.date))
MAX_LISTED = 50


def ontology_files(ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """The ontology and SKOS files (every ``*.ttl`` but the shapes), in a stable order."""
    return sorted(p for p in ontology_dir.glob("*.ttl") if p.name != SHAPES_FILE)


@functools.lru_cache(maxsize=4)
def load_shapes(ontology_dir: Path = ONTOLOGY_DIR) -> rdflib.Graph:
    shapes = rdflib.Graph()
    path = ontology_dir / SHAPES_FILE
    if path.exists():
        shapes.parse(path, format="turtle")
    return shapes


@functools.lru_cache(maxsize=4)
def superclasses(ontology_dir: Path = ONTOLOGY_DIR) -> dict[str, frozenset[str]]:
    """Map each class IRI of the ontology to all its superclasses (transitive, itself excluded)."""
    onto = rdflib.Graph()
    for path in ontology_files(ontology_dir):
        onto.parse(path, format="turtle")
    direct: dict[str, set[str]] = defaultdict(set)
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef):
            direct[str(sub)].add(str(sup))
    closure: dict[str, frozenset[str]] = {}
    for cls in list(direct):
        seen: set[str] = set()
        todo = list(direct[cls])
        while todo:
            c = todo.pop()
            if c in seen or c == cls:
                continue
            seen.add(c)
            todo.extend(direct.get(c, ()))
        closure[cls] = frozenset(seen)
    return closure


def validate_quads(
    quads: Iterable[ox.Quad],
    *,
    described_elsewhere: Callable[[str], bool] | None = None,
    ontology_dir: Path = ONTOLOGY_DIR,
) -> None:
    """Validate quads per named graph; raise :class:`ValidationFailed` listing every violation.

    ``described_elsewhere(graph)`` says whether the store already holds a
    description of a graph (for additions to an existing graph).
    """
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph[key].append(q)
    violations: list[dict[str, Any]] = []
    texts: list[str] = []
    for graph_iri in sorted(by_graph):
        graph_quads = by_graph[graph_iri]
        if not graph_iri:
            violations.append({
                "graph": None, "focus_node": None, "path": None, "constraint": "rk:namedGraphRequired",
                "message": f"{len(graph_quads)} triple(s) are in the default graph; every fact must sit in a "
                           "named graph that says where it comes from (use TriG/N-Quads or --graph IRI)",
                "value": None,
            })
            continue
        violations.extend(_check_description(graph_iri, graph_quads, described_elsewhere))
        found, text = _run_shacl(graph_iri, graph_quads, ontology_dir)
        violations.extend(found)
        if text:
            texts.append(text)
    if violations:
        raise_violations(violations, report_text="\n".join(texts))


def _check_description(graph_iri: str, quads: list[ox.Quad],
                       described_elsewhere: Callable[[str], bool] | None) -> list[dict[str, Any]]:
    present = {q.predicate.value for q in quads if isinstance(q.subject, ox.NamedNode) and q.subject.value == graph_iri}
    missing = [name for name, pred in REQUIRED_DESCRIPTION if str(pred) not in present]
    if not missing or (described_elsewhere is not None and described_elsewhere(graph_iri)):
        return []
    return [{
        "graph": graph_iri, "focus_node": graph_iri, "path": None, "constraint": "rk:describedGraph",
        "message": f"named graph <{graph_iri}> does not describe itself: missing {', '.join(missing)} "
                   f"(add <{graph_iri}> dcterms:title / dcterms:publisher / dcterms:date inside the graph)",
        "value": None,
    }]


def _run_shacl(graph_iri: str, quads: list[ox.Quad], ontology_dir: Path) -> tuple[list[dict[str, Any]], str]:
    import pyshacl  # imported late: it is slow to import and only writes need it

    shapes = load_shapes(ontology_dir)
    if len(shapes) == 0:
        return [], ""
    supers = superclasses(ontology_dir)
    data = rdflib.Graph()
    add = data.add
    for q in quads:
        s, p, o = to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)
        add((s, p, o))
        if p == RDF.type and isinstance(o, rdflib.URIRef):
            for sup in supers.get(str(o), ()):
                add((s, RDF.type, rdflib.URIRef(sup)))
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                               allow_warnings=True)
    if conforms:
        return [], ""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        found.append({
            "graph": graph_iri,
            "focus_node": _n3(results.value(result, SH.focusNode)),
            "path": _n3(results.value(result, SH.resultPath)),
            "constraint": _n3(results.value(result, SH.sourceConstraintComponent)),
            "shape": _n3(results.value(result, SH.sourceShape)),
            "message": str(results.value(result, SH.resultMessage) or "constraint violated"),
            "value": _n3(results.value(result, SH.value)),
        })
    found.sort(key=lambda v: (v["focus_node"] or "", v["path"] or "", v["message"]))
    return found, text


def _n3(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    return str(term)


def validate_change(store: Any, *, remove: set[ox.Quad], add: set[ox.Quad], default_remove: set[tuple],
                    default_add: set[tuple], focus: set[ox.NamedNode] | None = None,
                    ontology_dir: Path = ONTOLOGY_DIR) -> None:
    """Validate a change by what it changes: raise :class:`ValidationFailed` listing new violations.

    * every named graph the change touches must still describe itself afterwards (unless it
      ends up empty);
    * every focus node whose statements change (subjects of ``remove`` and ``add``, or
      ``focus``) is checked against the shapes with its whole description after the change:
      its statements in all graphs (the default graph, the set union), minus
      ``default_remove``, plus ``default_add``. A violation the node already had before the
      change is not counted against it.

    Cost: one lookup per focus node and graph plus SHACL over those descriptions, so it
    grows with the change, not with the graphs.
    """
    violations: list[dict[str, Any]] = []
    removed_by_graph: dict[str, set[ox.Quad]] = defaultdict(set)
    added_by_graph: dict[str, set[ox.Quad]] = defaultdict(set)
    for q in remove:
        removed_by_graph[graph_iri_of(q)].add(q)
    for q in add:
        added_by_graph[graph_iri_of(q)].add(q)
    sizes = store.sizes()
    for graph_iri in sorted(set(removed_by_graph) | set(added_by_graph)):
        after_size = sizes.get(graph_iri, 0) - len(removed_by_graph[graph_iri]) + len(added_by_graph[graph_iri])
        if after_size <= 0:
            continue
        node = ox.NamedNode(graph_iri)
        own = (set(store.description(node, graph_iri)) - removed_by_graph[graph_iri]) | \
            {q for q in added_by_graph[graph_iri] if q.subject == node}
        violations.extend(_check_description(graph_iri, list(own), None))

    nodes = focus if focus is not None else {q.subject for q in (*remove, *add) if isinstance(q.subject, ox.NamedNode)}
    graph_of: dict[Any, str] = {}
    for q in (*add, *remove):
        graph_of.setdefault(q.subject, graph_iri_of(q))
    if nodes:
        before: dict[Any, list[tuple]] = {}
        after: list[tuple] = []
        adds_by_subject: dict[Any, list[tuple]] = defaultdict(list)
        for t in default_add:
            adds_by_subject[t[0]].append(t)
        for n in nodes:
            current = [(q.subject, q.predicate, q.object) for q in store.description(n)]
            before[n] = current
            kept = [t for t in current if t not in default_remove]
            after.extend(kept)
            after.extend(t for t in adds_by_subject.get(n, ()) if t not in set(kept))
        found, text = _run_shacl_triples(after, ontology_dir)
        if found:
            old_found, _ = _run_shacl_triples([t for n in nodes for t in before[n]], ontology_dir)
            old = {_violation_key(v) for v in old_found}
            found = [v for v in found if _violation_key(v) not in old]
        for v in found:
            v["graph"] = graph_of.get(ox.NamedNode(v["focus_node"])) if v.get("focus_node") and \
                not str(v["focus_node"]).startswith("_:") else None
        violations.extend(found)
    if violations:
        raise_violations(violations)


def raise_violations(violations: list[dict[str, Any]], *, report_text: str = "") -> NoReturn:
    """Raise ValidationFailed naming the first violation (and how many more), listing at most MAX_LISTED."""
    first = violations[0]
    where = f" at {first['focus_node']}" if first.get("focus_node") else ""
    path = f" (path {first['path']})" if first.get("path") else ""
    more = f"; {len(violations) - 1} more" if len(violations) > 1 else ""
    raise ValidationFailed(f"SHACL validation failed{where}{path}: {first['message']}{more}",
                           violations=violations[:MAX_LISTED], report_text=report_text)


def _violation_key(v: dict[str, Any]) -> tuple:
    return (v.get("focus_node"), v.get("path"), v.get("constraint"), v.get("shape"))


def _run_shacl_triples(triples: Iterable[tuple], ontology_dir: Path) -> tuple[list[dict[str, Any]], str]:
    quads = [ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples]
    return _run_shacl("", quads, ontology_dir)
