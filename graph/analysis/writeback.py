"""Analysis results as RDF: one named graph per algorithm, ``graph/analysis/<algorithm>``,
replaced per run. The graph describes itself as an ``rk:AnalysisRun`` and
``prov:Activity`` with the algorithm, its parameters (JSON), start and end time, the
graphs it read (``prov:used``) and a fingerprint of their state; a run whose parameters
and fingerprint match the stored ones is reused instead of recomputed.

The stored run also keeps the full result as JSON (``rk:resultJson``) so a reuse returns
exactly what the first run returned; the per-node figures are plain triples for SPARQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable

import pyoxigraph as ox

from graph.namespaces import RK, RKG, RKID  # noqa: F401 - RKID is used by the doctests

__all__ = ["analysis_graph_iri", "data_fingerprint", "stored_run", "Run"]

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ANALYSIS_PREFIX = str(RKG) + "analysis/"


def analysis_graph_iri(algorithm: str) -> str:
    """The named graph of one algorithm's latest run.

    >>> analysis_graph_iri("centrality")
    'https://w3id.org/regiokg/graph/analysis/centrality'

    Complexity: O(1).
    """
    return ANALYSIS_PREFIX + algorithm


def rk(name: str) -> ox.NamedNode:
    """The ``rk:`` term ``name``.

    >>> rk("betweenness").value
    'https://w3id.org/regiokg/def#betweenness'

    Complexity: O(1).
    """
    return ox.NamedNode(str(RK) + name)


def literal(value) -> ox.Literal:
    """A typed literal for a Python value (bool, int, float, date, datetime, str).

    >>> literal(True).value, literal(3).datatype.value
    ('true', 'http://www.w3.org/2001/XMLSchema#integer')

    Complexity: O(1) (O(len) for a string).
    """
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(float(value)) if math.isfinite(value) else "NaN", datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def data_fingerprint(kg) -> tuple[str, list[str]]:
    """``(fingerprint, input graphs)``: a SHA-256 over every non-analysis graph's IRI, size
    and self-description (which holds dataset dates and input SHA-256 values). Analysis
    graphs are left out so writing one result does not invalidate the others.

    >>> from graph.analysis.examples import EXAMPLE_GRAPH, example_kg
    >>> fingerprint, inputs = data_fingerprint(example_kg())
    >>> len(fingerprint), EXAMPLE_GRAPH in inputs
    (64, True)

    Complexity: one count per graph plus the self-descriptions.
    """
    digest = hashlib.sha256()
    inputs = []
    for info in kg.graphs():
        if info.iri.startswith(ANALYSIS_PREFIX):
            continue
        inputs.append(info.iri)
        digest.update(f"{info.iri}\t{info.triples}\n".encode())
    described = sorted(
        f"{row['g'].value}\t{row['p'].value}\t{row['o']}"
        for row in kg.select("analysis_graph_states")
        if not row["g"].value.startswith(ANALYSIS_PREFIX)
    )
    for line in described:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest(), inputs


def _canonical(parameters: dict) -> str:
    return json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)


def stored_run(kg, algorithm: str, *, parameters: dict, fingerprint: str) -> dict | None:
    """The result of the stored run of ``algorithm`` if it was made with the same
    parameters on data with the same fingerprint, else None.

    Complexity: one query anchored on the algorithm's graph; O(size of the stored result
    JSON) to parse it.
    """
    graph = ox.NamedNode(analysis_graph_iri(algorithm))
    rows = kg.select_text(
        f"SELECT ?g ?params ?print ?result WHERE {{ GRAPH ?g {{ ?g <{RK.parameters}> ?params ; "
        f"<{RK.dataFingerprint}> ?print ; <{RK.resultJson}> ?result }} }}",
        g=graph,
    )
    for row in rows:
        if row["params"].value == _canonical(parameters) and row["print"].value == fingerprint:
            result = json.loads(row["result"].value)
            result["run"]["reused"] = True
            return result
    return None


class Run:
    """Collects the quads of one analysis run and writes them as its named graph.

    >>> run = Run("load", title_nl="Analyse: bestuurlijke drukte", title_en="Analysis: load",
    ...           method="degree in the actor-arrangement graph", parameters={"top": 10})
    >>> run.add(RKID["gemeente/GM0034"], "arrangementCount", 12)
    >>> len(run.quads)
    1

    Complexity: O(1) per quad added; :meth:`write` O(q) for q quads plus SHACL validation
    of the run's own nodes.
    """

    def __init__(self, name: str, *, title_nl: str, title_en: str, method: str, parameters: dict):
        self.name = name
        self.iri = ox.NamedNode(analysis_graph_iri(name))
        self.titles = (title_nl, title_en)
        self.algorithm = method
        self.parameters = parameters
        self.started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.quads: list[ox.Quad] = []

    def add(self, subject, predicate: str, value) -> None:
        """Add ``subject rk:<predicate> value`` (IRIs as str/NamedNode stay IRIs when
        ``value`` is an ``ox.NamedNode``; Python values become typed literals).

        Complexity: O(1).
        """
        node = subject if isinstance(subject, ox.NamedNode) else ox.NamedNode(str(subject))
        obj = value if isinstance(value, (ox.NamedNode, ox.Literal)) else literal(value)
        self.quads.append(ox.Quad(node, rk(predicate), obj, self.iri))

    def add_type(self, subject, type_name: str, label: str | None = None) -> None:
        """Add ``subject a rk:<type_name>`` (and its ``rdfs:label``). Complexity: O(1)."""
        node = subject if isinstance(subject, ox.NamedNode) else ox.NamedNode(str(subject))
        self.quads.append(ox.Quad(node, RDF_TYPE, rk(type_name), self.iri))
        if label:
            self.quads.append(ox.Quad(node, RDFS_LABEL, ox.Literal(label), self.iri))

    def describe(self, *, fingerprint: str, inputs: Iterable[str], result: dict) -> list[ox.Quad]:
        """The run's self-description (title, publisher, date, times, parameters, inputs).

        Complexity: O(inputs + size of the result JSON).
        """
        g = self.iri
        ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
        pairs: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (RDF_TYPE, rk("AnalysisRun")),
            (RDF_TYPE, ox.NamedNode(PROV + "Activity")),
            (ox.NamedNode(DCTERMS + "title"), ox.Literal(self.titles[0], language="nl")),
            (ox.NamedNode(DCTERMS + "title"), ox.Literal(self.titles[1], language="en")),
            (ox.NamedNode(DCTERMS + "publisher"), ox.Literal("regiokg analysis")),
            (ox.NamedNode(DCTERMS + "date"), literal(self.started.date())),
            (ox.NamedNode(DCTERMS + "source"), ox.Literal(f"graph.analysis.{self.name}")),
            (ox.NamedNode(PROV + "startedAtTime"), literal(self.started)),
            (ox.NamedNode(PROV + "endedAtTime"), literal(ended)),
            (rk("algorithm"), ox.Literal(self.algorithm)),
            (rk("parameters"), ox.Literal(_canonical(self.parameters))),
            (rk("dataFingerprint"), ox.Literal(fingerprint)),
            (rk("resultJson"), ox.Literal(json.dumps(result, sort_keys=True, default=str))),
        ]
        pairs += [(ox.NamedNode(PROV + "used"), ox.NamedNode(iri)) for iri in sorted(inputs)]
        return [ox.Quad(g, p, o, g) for p, o in pairs]

    @staticmethod
    def _checkable(quads: list[ox.Quad]) -> list[ox.Quad]:
        """The quads to SHACL-check: the run's own nodes (those typed in this graph: the
        run itself, communities, overlap and congruence results), without their links to
        resources described in other graphs.

        Figures attached to existing actors (rk:betweenness ...) are plain numbers on nodes
        whose shapes are checked where they are described; at millions of triples checking
        them again would dominate the run. Links out (prov:used, rk:arrangement,
        rk:division) are left out because the validator gives a linked IRI the types the
        store knows for it, making it a focus node whose own statements sit elsewhere.
        """
        minted = {q.subject for q in quads if q.predicate == RDF_TYPE}
        return [q for q in quads if q.subject in minted and (
            not isinstance(q.object, ox.NamedNode) or q.predicate == RDF_TYPE or q.object in minted)]

    def write(self, kg, *, fingerprint: str, inputs: Iterable[str], result: dict) -> dict:
        """Replace the algorithm's graph by this run; returns ``result`` with a ``run`` entry.

        Complexity: O(q) for q quads to write, plus SHACL validation of the run's own
        nodes (not of the figures attached to existing actors).
        """
        result = dict(result)
        result["run"] = {
            "graph": self.iri.value,
            "algorithm": self.algorithm,
            "parameters": self.parameters,
            "started": self.started.isoformat(),
            "fingerprint": fingerprint,
            "reused": False,
        }
        quads = self.quads + self.describe(fingerprint=fingerprint, inputs=inputs, result=result)
        # through the one write path; SHACL on the run's own nodes (see _checkable)
        minted = {q.subject for q in self._checkable(quads)}
        kg.replace_graph(self.iri.value, quads, validate=True, focus=minted)
        # the first answer is what a reuse of the stored JSON gives (integer keys become strings)
        return json.loads(json.dumps(result, sort_keys=True, default=str))
