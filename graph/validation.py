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
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from graph.errors import ValidationFailed
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
        first = violations[0]
        where = f" at {first['focus_node']}" if first.get("focus_node") else ""
        path = f" (path {first['path']})" if first.get("path") else ""
        more = f"; {len(violations) - 1} more" if len(violations) > 1 else ""
        raise ValidationFailed(
            f"SHACL validation failed{where}{path}: {first['message']}{more}",
            violations=violations[:MAX_LISTED] if len(violations) > MAX_LISTED else violations,
            report_text="\n".join(texts),
        )


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
