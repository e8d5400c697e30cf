"""``KnowledgeGraph``: the one core object, built the same way by the CLI, the API and the tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from graph import rdfio, write
from graph.baseiri import Rebase
from graph.errors import BadInput, QueryError
from graph.namespaces import PREFIXES, RK, RKG
from graph.queries import bind_values, load_query
from graph.settings import ONTOLOGY_DIR, SEEDS_DIR, Settings
from graph.store import Store
from graph.terms import to_term
from graph.validation import ontology_files, validate_quads

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class GraphInfo:
    """A named graph with its self-description."""

    iri: str
    triples: int
    title: str | None
    publisher: str | None
    date: str | None
    kind: str | None
    source: str | None


class KnowledgeGraph:
    """The regiokg knowledge graph over a :class:`Store`.

    >>> import tempfile
    >>> kg = KnowledgeGraph.open(Settings(store=tempfile.mkdtemp() + "/s"))
    >>> kg.ask("ASK { ?m a <https://w3id.org/regiokg/def#Municipality> }")
    True
    >>> kg.close()
    """

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self.rebase = Rebase(settings.base_iri)  # instances under REGIOKG_BASE_IRI (graph/baseiri.py)

    # -- life cycle --------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings | None = None, *, bootstrap: bool | None = None) -> KnowledgeGraph:
        """Open (or create) the store of ``settings`` (embedded, or a remote engine); an empty one
        gets ontology and seeds."""
        settings = settings or Settings()
        kg = cls(settings.open_store(), settings)
        if (settings.bootstrap if bootstrap is None else bootstrap) and not kg.store.named_graphs():
            kg.bootstrap()
        return kg

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def bootstrap(self) -> list[str]:
        """Load the bundled ontology files and seed graphs (trusted: validated by the test suite)."""
        graphs: dict[str, list[ox.Quad]] = {}
        for path in ontology_files(ONTOLOGY_DIR):
            iri, quads = ontology_graph(path)
            graphs[iri] = quads
        for path in seed_files(SEEDS_DIR):
            for q in rdfio.parse_file(path):
                if isinstance(q.graph_name, ox.DefaultGraph):
                    raise BadInput(f"{path}: seed triples outside a named graph ({q})")
                graphs.setdefault(q.graph_name.value, []).append(q)
        if graphs:
            write.replace(self, {iri: self.rebase.quads(quads) for iri, quads in graphs.items()}, validate=False)
        return sorted(graphs)

    # -- reading ------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Run any SPARQL query. The default graph is the set union of the named graphs (each
        triple once, see graph/store.py), or empty with ``REGIOKG_UNION_DEFAULT_GRAPH=false``."""
        union = kwargs.pop("union_default_graph", self.settings.union_default_graph)
        if not union and kwargs.get("default_graph") is None:
            kwargs["default_graph"] = []
        sparql = self.rebase.text(sparql)
        subs = {k: self.rebase.term(to_term(v)) for k, v in (substitutions or {}).items() if v is not None}
        bound = bind_values(sparql, subs) if subs else None
        if bound is not None:  # parameters as a VALUES block the planner sees (see bind_values)
            sparql, subs = bound, {}
        try:
            return self.store.query(sparql, substitutions=subs or None, **kwargs)
        except RuntimeError as exc:
            text = str(exc)
            if "SELECT projection" in text:
                raise QueryError(f"{text}: a bound parameter must appear in the SELECT clause "
                                 "(pyoxigraph substitutions bind projected variables only)") from None
            raise QueryError(f"query failed: {text}") from None

    def select_text(self, sparql: str, **params: Any) -> list[dict[str, Any]]:
        """Run a SELECT; rows as dicts of pyoxigraph terms (unbound variables left out)."""
        result = self.query(sparql, substitutions=params)
        if not hasattr(result, "variables"):  # QuerySolutions, or an equal from another Store
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    def select(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the named query ``graph/queries/<name>.rq`` with parameters bound (None = unbound)."""
        return self.select_text(load_query(name), **params)

    def ask(self, sparql: str, **params: Any) -> bool:
        return bool(self.query(sparql, substitutions=params))

    def graphs(self) -> list[GraphInfo]:
        """Every named graph with its size and self-description, sorted by IRI."""
        rows = self.select("graph_descriptions")
        counts = {r["g"].value: int(r["n"].value) for r in self.select("graph_sizes")}
        info = {}
        for r in rows:
            iri = r["g"].value
            info[iri] = GraphInfo(
                iri=iri, triples=counts.get(iri, 0),
                title=r["title"].value if "title" in r else None,
                publisher=r["publisher"].value if "publisher" in r else None,
                date=r["date"].value if "date" in r else None,
                kind=r["kind"].value if "kind" in r else None,
                source=r["source"].value if "source" in r else None,
            )
        for iri in self.store.named_graphs():
            info.setdefault(iri, GraphInfo(iri, counts.get(iri, 0), None, None, None, None, None))
        return [info[k] for k in sorted(info)]

    def stats(self) -> dict[str, Any]:
        """Triples per named graph and instances per class."""
        classes = [(r["class"].value, int(r["n"].value)) for r in self.select("instances_per_class")]
        return {
            "triples": self.store.count(),
            "graphs": {g.iri: g.triples for g in self.graphs()},
            "classes": dict(classes),
        }

    def fingerprint(self) -> str:
        """A short hash of the data's state (graphs, sizes, input hashes); changes when any graph changes."""
        h = hashlib.sha256()
        for g in self.graphs():
            h.update(f"{g.iri}\t{g.triples}\t{g.date}\n".encode())
        h.update(self.store.change_marker().encode())
        return h.hexdigest()[:16]

    # -- writing ------------------------------------------------------------------------------
    def validate(self, quads: list[ox.Quad]) -> None:
        """SHACL-validate quads on their own, per graph (``regiokg validate``); :class:`ValidationFailed` when not."""
        validate_quads(quads, described_elsewhere=self._is_described)

    def load_files(self, paths: Iterable[str | Path], *, graph: str | None = None,
                   describe: dict[str, str] | None = None, validate: bool | None = None) -> dict[str, int]:
        """Parse every file, validate everything, then write it all in one transaction.

        Triples outside a named graph go into ``graph`` (default: a graph named after the
        file). ``describe`` (title, publisher, date) adds a self-description to graphs that
        lack one. Returns quads per graph. On any error nothing is written.
        """
        quads: list[ox.Quad] = []
        for path in paths:
            target = graph or file_graph_iri(path)
            quads.extend(rdfio.parse_file(path, graph=target))
        if describe:
            quads.extend(self._descriptions_for(quads, describe))
        quads = self.rebase.quads(quads)
        write.add(self, quads, validate=self.settings.validate_writes if validate is None else validate)
        return dict(Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)))

    def replace_graph(self, graph: str, data: Any, *, validate: bool | None = None,
                      focus: set[ox.NamedNode] | None = None) -> int:
        """Atomically replace one named graph by ``data`` (pyoxigraph quads/triples or an rdflib Graph),
        through the one write path (graph/write.py); returns the graph's size."""
        return self.replace_graphs({graph: as_quads(data, graph)}, validate=validate, focus=focus)

    def replace_graphs(self, graphs: dict[str, Any], *, validate: bool | None = None,
                       focus: set[ox.NamedNode] | None = None) -> int:
        """Atomically replace several named graphs (one transaction); returns their total size."""
        quads = {g: self.rebase.quads(as_quads(data, g)) for g, data in graphs.items()}
        if focus is not None:
            focus = {self.rebase.term(n) for n in focus}
        self._replace(quads, validate=self.settings.validate_writes if validate is None else validate, focus=focus)
        return sum(len(set(q)) for q in quads.values())

    def _replace(self, quads: dict[str, Any], *, validate: bool, focus: set[ox.NamedNode] | None) -> None:
        """The write of :meth:`replace_graphs` (quads rebased); a read worker hands it to the server
        instead (``api/readworker.py``)."""
        write.replace(self, quads, validate=validate, focus=focus)

    def update(self, text: str, *, validate: bool | None = None) -> write.WriteResult:
        """Apply a SPARQL update, evaluated once, exactly as validated (graph/write.py)."""
        return write.update(self, text, validate=self.settings.validate_writes if validate is None else validate)

    def dump(self, path: str | Path) -> int:
        return self.store.dump(path)

    def restore(self, path: str | Path) -> None:
        """Replace the whole store by a dump (trusted bulk path, no validation)."""
        self.store.restore(path)

    # -- helpers ------------------------------------------------------------------------------
    def _is_described(self, graph: str) -> bool:  # for ``validate`` of files against the store
        return self.ask("ASK { GRAPH ?g { ?g <http://purl.org/dc/terms/title> ?t ; "
                        "<http://purl.org/dc/terms/publisher> ?p ; <http://purl.org/dc/terms/date> ?d } }",
                        g=ox.NamedNode(graph)) if graph in self.store.named_graphs() else False

    def _descriptions_for(self, quads: list[ox.Quad], describe: dict[str, str]) -> list[ox.Quad]:
        extra = []
        for g in sorted(rdfio.graph_names(quads)):
            node, graph = ox.NamedNode(g), ox.NamedNode(g)
            have = {q.predicate.value for q in quads if q.subject == node and q.graph_name == graph}
            pairs: list[tuple[rdflib.URIRef, ox.NamedNode | ox.Literal]] = [(RDF.type, ox.NamedNode(str(RK.Source)))]
            if describe.get("title"):
                pairs.append((DCTERMS.title, ox.Literal(describe["title"])))
            if describe.get("publisher"):
                pairs.append((DCTERMS.publisher, ox.Literal(describe["publisher"])))
            if describe.get("date"):
                pairs.append((DCTERMS.date, _date_literal(describe["date"])))
            for pred, obj in pairs:
                if str(pred) not in have or pred == RDF.type:
                    extra.append(ox.Quad(node, ox.NamedNode(str(pred)), obj, graph))
        return extra


# -- module helpers -----------------------------------------------------------------------------
def seed_files(seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Every bundled seed file (TriG/N-Quads), in a stable order."""
    return sorted(p for p in seeds_dir.rglob("*") if p.suffix in (".trig", ".nq"))


def ontology_graph(path: Path) -> tuple[str, list[ox.Quad]]:
    """The quads of one ontology file in its graph, plus a self-description from its header."""
    iri = str(RKG) + "ontology/" + path.stem
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    header = next(iter(g.subjects(RDF.type, OWL.Ontology)), None) or next(iter(g.subjects(RDF.type, SKOS.ConceptScheme)), None)
    node = rdflib.URIRef(iri)
    described = rdflib.Graph()
    described.add((node, RDF.type, RK.Vocabulary))
    for pred in (DCTERMS.title, DCTERMS.publisher, DCTERMS.date, DCTERMS.license, DCTERMS.description):
        values = list(g.objects(header, pred)) if header is not None else []
        if pred == DCTERMS.date and not values and header is not None:
            values = list(g.objects(header, DCTERMS.modified))
        for v in values:
            described.add((node, pred, v))
    described.add((node, DCTERMS.source, rdflib.Literal(f"ontology/{path.name}")))
    quads = as_quads(g, iri) + as_quads(described, iri)
    return iri, quads


def as_quads(data: Any, graph: str) -> list[ox.Quad]:
    """Quads in ``graph`` from an rdflib Graph, pyoxigraph triples/quads, or tuples."""
    target = ox.NamedNode(graph)
    out: list[ox.Quad] = []
    if isinstance(data, rdflib.Graph):
        for s, p, o in data:
            out.append(ox.Quad(to_term(s), to_term(p), to_term(o), target))
        return out
    for item in data:
        if isinstance(item, (ox.Quad, ox.Triple)):
            out.append(ox.Quad(item.subject, item.predicate, item.object, target))
        else:
            s, p, o = item[:3]
            out.append(ox.Quad(to_term(s), to_term(p), to_term(o), target))
    return out


def file_graph_iri(path: str | Path) -> str:
    """The graph a file's default-graph triples go to when no --graph is given."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-") or "file"
    return f"{RKG}file/{slug}"


def _date_literal(text: str) -> ox.Literal:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--date {text!r} is not a date (YYYY-MM-DD)") from None
    return ox.Literal(text, datatype=XSD_DATE)


__all__ = ["KnowledgeGraph", "GraphInfo", "PREFIXES", "as_quads", "seed_files", "ontology_graph", "file_graph_iri"]
