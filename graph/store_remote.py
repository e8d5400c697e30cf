"""The remote backend: any SPARQL 1.1 engine over HTTP (Virtuoso, the Oxigraph server, ...).

``REGIOKG_STORE=http://host:port/sparql`` (a value with a scheme) selects it; updates go to
``REGIOKG_STORE_UPDATE`` (default: the same URL), with ``REGIOKG_STORE_USER`` /
``REGIOKG_STORE_PASSWORD`` when the engine wants credentials (HTTP Basic or Digest, as the
engine asks). Only the SPARQL 1.1 Protocol and Update are used, nothing engine-specific
except the write strategy chosen for Virtuoso (below).

Layout on the engine (the same conventions as the embedded store, see ``graph/store.py``):

* every named graph of regiokg is a graph on the engine, listed in the registry graph
  ``urn:regiokg:meta`` (``<g> a <urn:regiokg:NamedGraph>``), so an engine's own graphs
  (Virtuoso's system graphs) never show up and empty graphs exist as in Oxigraph;
* the default graph, the deduplicated set union of the named graphs, is kept (by the one
  write path, ``graph.write``) in the graph ``urn:regiokg:union``; every query runs with
  the SPARQL Protocol's ``default-graph-uri`` set to it and, when it has a ``GRAPH``
  pattern, ``named-graph-uri`` set to the registry, so ``GRAPH ?g`` ranges over regiokg's
  named graphs only (a query with its own ``FROM`` keeps its own dataset);
* the change marker is a version triple in the registry graph, rewritten by every write
  in the same request, so every process on the engine sees the other processes' writes.

Atomicity (one change, all or nothing), per engine:

* the Oxigraph server runs an update request in one storage transaction: a change is one
  request of ``DELETE DATA`` / ``INSERT DATA`` blocks and the version triple;
* Virtuoso runs a request in one transaction but commits what its operations did up to a
  failing one (its endpoint commits after an error: a failing second operation keeps the
  first), and its SPARQL compiler gives up on operations of more than a few thousand
  triples. There a change is written in three steps:

  1. *stage*: one ``INSERT DATA`` writes the plan (the marker ``<stage> a
     urn:regiokg:Staging`` in the registry graph, and which staging graph removes from or
     adds to which graph, which graphs are dropped or registered), then the quads go into
     staging graphs ``urn:regiokg:staging:<start ns>-<uuid>:...`` in chunks of
     ``VIRTUOSO_CHUNK`` triples. No reader sees them: they are not in the registry, and
     every query's dataset is the registry's graphs and the union graph;
  2. *move*: one ``DELETE { } INSERT { } WHERE { }`` operation, in a request of its own,
     applies the removes, the adds, the registry and the version, and turns the marker
     into ``<stage> a urn:regiokg:StagingApplied``. One operation is one transaction: the
     engine commits it whole (a reader sees the data before or after it, never between) or
     rolls it back whole (its transaction timeout); it goes on when its client dies;
  3. *tidy*: the staging graphs and the marker are dropped.

  A writer killed before 2 leaves the data as before and its staging behind; killed after
  2, the whole change and its staging. Opening a store tidies: the staging of an applied
  change at once, unapplied staging once it is ``STALE_STAGING_SECONDS`` old (a younger
  one may be another process's write in progress). A move the engine did not answer
  (client timeout, lost connection) may still be running: its staging is left to that
  tidying rather than dropped under it.

Results are pyoxigraph result objects, parsed from the engine's SPARQL JSON results (or
N-Triples for CONSTRUCT/DESCRIBE, evaluated back into ``QueryTriples`` by a scratch
in-memory evaluator), so callers cannot tell the backends apart.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from graph import deadline
from graph.errors import QueryError, QueryTimeout, StoreError
from graph.store import DEFAULT, Change, Store, Triple, memory_store, write_dump

META = "urn:regiokg:meta"
UNION = "urn:regiokg:union"
EMPTY = "urn:regiokg:empty"  # never written: the default graph of a query asked for an empty one
STAGING = "urn:regiokg:staging:"
NAMED_GRAPH = "urn:regiokg:NamedGraph"
VERSION = "urn:regiokg:version"
STAGED = "urn:regiokg:Staging"  # a staged change, not (yet) applied
APPLIED = "urn:regiokg:StagingApplied"  # a staged change the move applied (its staging is garbage)
REMOVES_FROM = "urn:regiokg:removesFrom"
ADDS_TO = "urn:regiokg:addsTo"

_META, _UNION = ox.NamedNode(META), ox.NamedNode(UNION)
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NAMED_GRAPH, _VERSION = ox.NamedNode(NAMED_GRAPH), ox.NamedNode(VERSION)

SELECT_JSON = "application/sparql-results+json"
SELECT_XML = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
VIRTUOSO_CHUNK = 1000  # triples per staging request (Virtuoso's SPARQL compiler gives up near 5000)
PAGE = 10_000  # rows per page when reading a large graph (Virtuoso's default ResultSetMaxRows)
HOLDERS_CHUNK = 200
STALE_STAGING_SECONDS = 3600.0  # staging older than this is a crashed write's (dropped on open)

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
VIRTRDF_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
GEO_WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
_VIRTUOSO_NT_FIX = {f'"1"^^<{XSD_BOOLEAN}>'.encode(): f'"true"^^<{XSD_BOOLEAN}>'.encode(),
                    f'"0"^^<{XSD_BOOLEAN}>'.encode(): f'"false"^^<{XSD_BOOLEAN}>'.encode(),
                    f"^^<{VIRTRDF_GEOMETRY}>".encode(): f"^^<{GEO_WKT}>".encode()}
_VIRTUOSO_NT = re.compile(b"|".join(re.escape(k) for k in _VIRTUOSO_NT_FIX))
_VIRTUOSO_XML_FIX = {f'datatype="{XSD_BOOLEAN}">1<'.encode(): f'datatype="{XSD_BOOLEAN}">true<'.encode(),
                     f'datatype="{XSD_BOOLEAN}">0<'.encode(): f'datatype="{XSD_BOOLEAN}">false<'.encode(),
                     f'datatype="{VIRTRDF_GEOMETRY}"'.encode(): f'datatype="{GEO_WKT}"'.encode()}
_VIRTUOSO_XML = re.compile(b"|".join(re.escape(k) for k in _VIRTUOSO_XML_FIX))

# The query form is the first keyword after the prologue (BASE/PREFIX declarations, comments).
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_GRAPH_WORD = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_COMMENT_LINES = re.compile(r"^[ \t]*#[^\n]*", re.MULTILINE)  # a whole-line comment ("graph.labels" in one is no GRAPH)
_FROM_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)


def is_remote(location: str | Path) -> bool:
    """A store location with a URL scheme (``http://``, ``https://``) names a remote engine."""
    return isinstance(location, str) and re.match(r"^https?://", location) is not None


def query_form(text: str) -> str:
    """``solutions``, ``boolean`` or ``graph`` by the query's first keyword after its prologue.

    >>> query_form("PREFIX x: <urn:x#> # a comment\\n construct { ?s ?p ?o } where { ?s ?p ?o }")
    'graph'
    """
    prologue = _PROLOGUE.match(text)  # always matches (possibly empty)
    m = _FORM.match(text, prologue.end() if prologue else 0)
    if m is None:
        raise QueryError("malformed SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")
    return {"SELECT": "solutions", "ASK": "boolean"}.get(m.group(1).upper(), "graph")


class _EngineAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the engine's 401 challenge asks for (Virtuoso: Digest)."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request):
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        self._scheme = "digest" if challenge.startswith("digest") else "basic"
        flow = (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)
        sent = next(flow)
        if self._scheme == "digest":
            sent = flow.send(response)  # the digest flow wants the challenge
        while True:
            response = yield sent
            try:
                sent = flow.send(response)
            except StopIteration:
                return


class RemoteStore(Store):
    """A regiokg store on a SPARQL 1.1 engine reached over HTTP (see the module docstring)."""

    backend = "sparql-remote"

    def __init__(self, query_url: str, update_url: str | None = None, *, user: str | None = None,
                 password: str | None = None, timeout: float = 300.0):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.path = query_url  # what the store is, for messages
        auth = _EngineAuth(user, password or "") if user else None
        self._http = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=10.0),
                                  limits=httpx.Limits(max_connections=32, max_keepalive_connections=16))
        self._lock = threading.RLock()
        self._sizes: tuple[str, dict[str, int]] | None = None  # (change marker, quads per named graph)
        self.engine = "sparql"
        self._probe()
        self.drop_stale_staging()

    # -- HTTP --------------------------------------------------------------------------------
    def _probe(self) -> None:
        """Reach the engine once (so a wrong URL fails at open, in one line) and tell which it is."""
        response = self._post(self.query_url, {"query": "ASK { }"}, SELECT_JSON, timeout=30)
        server = response.headers.get("server", "").lower()
        if "virtuoso" in server:
            self.engine = "virtuoso"
        elif "oxigraph" in server:
            self.engine = "oxigraph"
        self.backend = f"sparql-remote:{self.engine}"

    def _post(self, url: str, data: dict[str, Any], accept: str | None, *, timeout: float | None = None) -> httpx.Response:
        headers = {"Accept": accept} if accept else {}
        try:
            response = self._http.post(url, data=data, headers=headers,
                                       timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout)
        except httpx.TimeoutException:
            raise _Unanswered(f"the SPARQL engine at {url} did not answer within {timeout or 'the'} s",
                               details={"timeout_seconds": timeout, "setting": "REGIOKG_QUERY_TIMEOUT"}) from None
        except httpx.HTTPError as exc:
            raise _Unreachable(f"cannot reach the SPARQL engine at {url}: {exc}") from None
        if response.status_code >= 400:
            text = response.text.strip()[:600]
            if response.status_code in (401, 403):
                raise StoreError(f"the SPARQL engine at {url} refused the credentials ({response.status_code}); "
                                 "set REGIOKG_STORE_USER / REGIOKG_STORE_PASSWORD")
            if "update" in data:
                raise StoreError(f"the SPARQL engine refused the write ({response.status_code}): {text}")
            if response.status_code == 400 or "syntax" in text.lower() or "SP030" in text:
                raise QueryError(f"malformed SPARQL query (the engine says: {text})")
            if "timeout" in text.lower() or "S1T00" in text:
                raise QueryTimeout(f"the SPARQL engine stopped the query: {text}",
                                   details={"setting": "the engine's query timeout"})
            raise QueryError(f"query failed on the SPARQL engine ({response.status_code}): {text}")
        if response.headers.get("x-sql-state", "").upper().startswith("S1T"):
            # Virtuoso's "anytime" answer: a partial result after its timeout; refused, never shown as complete
            raise QueryTimeout(f"the SPARQL engine stopped the query at its timeout "
                               f"({response.headers.get('x-sql-message', 'partial result')})",
                               details={"setting": "the engine's query timeout"})
        return response

    def _within_deadline(self, timeout: float | None) -> float | None:
        """``timeout`` capped by what is left of the request's deadline (graph/deadline.py);
        :class:`QueryTimeout` once it has passed: a read whose request was answered 503
        sends no further query."""
        left = deadline.remaining()
        if left is None:
            return timeout
        if left <= 0:
            total = deadline.budget() or 0.0
            raise QueryTimeout(f"no answer within {total:g} s (REGIOKG_QUERY_TIMEOUT={total:g}): "
                               "the request's time is up, no further query is sent to the engine",
                               details={"timeout_seconds": total, "setting": "REGIOKG_QUERY_TIMEOUT"})
        return left if timeout is None else min(timeout, left)

    def _engine_timeout(self, data: dict[str, Any], timeout: float | None) -> float | None:
        """Ask the engine to stop the query itself at ``timeout`` (Virtuoso's ``timeout``
        parameter, ms: it answers with its timeout state, refused in ``_post``); returns the
        HTTP client's timeout, a little longer so that the engine's answer comes first."""
        if timeout is None:
            return None
        if self.engine == "virtuoso":
            data["timeout"] = str(max(1, int(timeout * 1000)))
            return timeout + 2.0
        return timeout

    def _update(self, text: str) -> None:
        self._post(self.update_url, {"update": text}, None)

    def _select(self, text: str, *, named: list[str] | None = None, default: list[str] | None = None,
                timeout: float | None = None) -> ox.QuerySolutions:
        data: dict[str, Any] = {"query": text, "default-graph-uri": default if default is not None else [UNION]}
        if named:
            data["named-graph-uri"] = named
        timeout = self._engine_timeout(data, self._within_deadline(timeout))
        response = self._post(self.query_url, data, self._results_type, timeout=timeout)
        return self._results(response)

    @property
    def _results_type(self) -> str:
        """The results format asked for: SPARQL XML from Virtuoso (it writes it two to three
        times as fast as its JSON: 3.6 s against 9.5 s for 123,000 label rows), else JSON."""
        return SELECT_XML if self.engine == "virtuoso" else SELECT_JSON

    def _results(self, response: httpx.Response) -> Any:
        xml = response.headers.get("content-type", "").split(";")[0].strip() == SELECT_XML
        body = self._normal(response.content, xml=xml)
        return _parse_results(body, ox.QueryResultsFormat.XML if xml else ox.QueryResultsFormat.JSON)

    def _normal(self, body: bytes, *, ntriples: bool = False, xml: bool = False) -> bytes:
        """Virtuoso writes booleans as "1"/"0" and hands WKT literals back typed
        virtrdf:Geometry; both are put back in the form they were stored in (the digits of a
        WKT literal stay Virtuoso's: it keeps coordinates as single-precision floats)."""
        if self.engine != "virtuoso":
            return body
        if ntriples:
            return _VIRTUOSO_NT.sub(lambda m: _VIRTUOSO_NT_FIX[m.group(0)], body)
        if xml:
            return _VIRTUOSO_XML.sub(lambda m: _VIRTUOSO_XML_FIX[m.group(0)], body)
        if b"#boolean" not in body and b"virtrdf#Geometry" not in body:
            return body
        doc = json.loads(body)
        for row in doc.get("results", {}).get("bindings", []):
            for term in row.values():
                datatype = term.get("datatype")
                if datatype == XSD_BOOLEAN and term.get("value") in ("1", "0"):
                    term["value"] = "true" if term["value"] == "1" else "false"
                elif datatype == VIRTRDF_GEOMETRY:
                    term["datatype"] = GEO_WKT
        return json.dumps(doc).encode("utf-8")

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None, timeout=None):
        if substitutions:
            from graph.queries import bind_values

            bound = bind_values(sparql, substitutions)
            if bound is None:
                raise QueryError("parameters can only be bound as IRIs or literals into a query with a WHERE group")
            sparql = bound
        form = query_form(sparql)
        data: dict[str, Any] = {"query": sparql}
        if not _FROM_CLAUSE.search(sparql):  # a query's own FROM / FROM NAMED keep their dataset
            if default_graph is not None:
                data["default-graph-uri"] = list(default_graph) or [EMPTY]
            else:
                data["default-graph-uri"] = [UNION]
            if named_graphs is not None:
                data["named-graph-uri"] = list(named_graphs) or [EMPTY]
            elif _GRAPH_WORD.search(_COMMENT_LINES.sub("", sparql)):
                data["named-graph-uri"] = self.named_graphs() or [EMPTY]
        timeout = self._engine_timeout(data, self._within_deadline(timeout))
        response = self._post(self.query_url, data, NTRIPLES if form == "graph" else self._results_type, timeout=timeout)
        if form == "graph":
            return _triples_result(self._normal(response.content, ntriples=True),
                                   response.headers.get("content-type", NTRIPLES))
        return self._results(response)

    def named_graphs(self) -> list[str]:
        rows = self._select(f"SELECT ?g WHERE {{ ?g a <{NAMED_GRAPH}> }}", default=[META])
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def _graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        node = ox.NamedNode(graph) if graph else DEFAULT
        stored = graph or UNION
        n = self._count_graph(stored) if self.engine == "virtuoso" else 0
        if n <= PAGE:  # Virtuoso cuts answers at its ResultSetMaxRows; others answer whole
            for r in self._select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", default=[stored]):
                yield ox.Quad(r["s"], r["p"], r["o"], node)
            return
        # Pages without ORDER BY (Virtuoso sorts at most 10000 rows for a LIMIT/OFFSET): its
        # scan of one graph's index is in a stable order, and the pages are checked to add up
        seen: set[ox.Quad] = set()
        for offset in range(0, n, PAGE):
            for r in self._select(f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {PAGE} OFFSET {offset}", default=[stored]):
                seen.add(ox.Quad(r["s"], r["p"], r["o"], node))
        if len(seen) != n:
            raise StoreError(f"reading the graph <{stored}> in pages gave {len(seen)} of its {n} quads "
                             "(was it written meanwhile?); try again")
        yield from seen

    def quads(self, graph=None):
        if graph is None:
            return (q for g in self.named_graphs() for q in self._graph_quads(g))
        return self._graph_quads(graph)

    def _count_graph(self, stored: str) -> int:
        rows = list(self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default=[stored]))
        return int(rows[0]["n"].value) if rows else 0

    def count(self, graph=None) -> int:
        if graph == "":
            return self._count_graph(UNION)
        if graph is None:
            return sum(self.sizes().values())
        return self._count_graph(graph)

    def sizes(self) -> dict[str, int]:
        # counting every graph is a scan on the engine: kept per change marker (one cheap
        # request tells whether any process wrote since)
        marker = self.change_marker()
        cached = self._sizes
        if cached is not None and cached[0] == marker:
            return dict(cached[1])
        graphs = self.named_graphs()
        sizes: dict[str, int] = {}
        if graphs:
            rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", named=graphs)
            sizes = {r["g"].value: int(r["n"].value) for r in rows}
        self._sizes = (marker, sizes)
        return dict(sizes)

    def canonical(self, quads):
        # Virtuoso and the Oxigraph server keep literals in the same canonical forms as the
        # embedded engine ("01" -> "1", "+00:00" -> "Z", language tags lower case)
        scratch = memory_store()
        scratch.extend(quads)
        return set(scratch)

    def holders(self, triples):
        triples = [t for t in triples if not isinstance(t[0], ox.BlankNode) and not isinstance(t[2], ox.BlankNode)]
        out: dict[Triple, set[str]] = {}
        if not triples:
            return out
        graphs = self.named_graphs()
        if not graphs:
            return out
        # VALUES binds subjects and predicates only (IRIs): Virtuoso 7.2 drops a VALUES row
        # holding a language-tagged literal when the block has several rows; the objects are
        # matched here
        asked = set(triples)
        pairs = sorted({(s, p) for s, p, _ in triples}, key=str)
        for i in range(0, len(pairs), HOLDERS_CHUNK):
            values = " ".join(f"({s} {p})" for s, p in pairs[i:i + HOLDERS_CHUNK])
            text = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            for r in self._select(text, named=graphs):
                t = (r["s"], r["p"], r["o"])
                if t in asked:
                    out.setdefault(t, set()).add(r["g"].value)
        return out

    def description(self, subject, graph=None):
        node = ox.NamedNode(graph) if graph else DEFAULT
        rows = self._select(f"SELECT ?p ?o WHERE {{ {subject} ?p ?o }}", default=[graph or UNION])
        return [ox.Quad(subject, r["p"], r["o"], node) for r in rows]

    # -- writing ---------------------------------------------------------------------------
    def writing(self):
        return self._lock

    def apply(self, change: Change) -> None:
        if not change:
            return
        for g in change.drop_graphs | change.create_graphs:
            ox.NamedNode(g)  # rejects characters that could break out of <...>
        register = sorted({q.graph_name.value for q in change.add if isinstance(q.graph_name, ox.NamedNode)}
                          | change.create_graphs)
        with self._lock:
            if self.engine == "virtuoso":
                self._apply_staged(change, register)
            else:
                self._update(self._update_request(change, register))

    def _update_request(self, change: Change, register: list[str]) -> str:
        """One request that applies ``change`` (one transaction on engines that honour requests)."""
        parts = []
        drops = [ox.Quad(ox.NamedNode(g), _RDF_TYPE, _NAMED_GRAPH, _META) for g in sorted(change.drop_graphs)]
        regs = [ox.Quad(ox.NamedNode(g), _RDF_TYPE, _NAMED_GRAPH, _META) for g in register]
        if change.remove or drops:
            parts.append("DELETE DATA { " + _data_block([*map(_stored, change.remove), *drops]) + " }")
        if change.add or regs:
            parts.append("INSERT DATA { " + _data_block([*map(_stored, change.add), *regs]) + " }")
        parts.append(_version_update())
        return " ;\n".join(parts)

    def _apply_staged(self, change: Change, register: list[str]) -> None:
        """Virtuoso: upload into staging graphs, then one operation moves everything."""
        stage = f"{STAGING}{time.time_ns()}-{uuid.uuid4().hex}"
        staged: dict[str, tuple[str, str, list[ox.Quad]]] = {}  # staging graph -> (kind, target, quads)
        for kind, quads in (("r", change.remove), ("a", change.add)):
            by_target: dict[str, list[ox.Quad]] = defaultdict(list)
            for q in quads:
                by_target[_graph_iri(_stored(q))].append(q)
            for i, (target, items) in enumerate(sorted(by_target.items())):
                name = f"{stage}:{kind}{i}"
                node = ox.NamedNode(name)
                staged[name] = (kind, target, [ox.Quad(q.subject, q.predicate, q.object, node) for q in items])
        plan = [ox.Quad(ox.NamedNode(stage), _RDF_TYPE, ox.NamedNode(STAGED), _META)]
        for name, (kind, target, _) in staged.items():
            plan.append(ox.Quad(ox.NamedNode(name), ox.NamedNode(REMOVES_FROM if kind == "r" else ADDS_TO),
                                ox.NamedNode(target), ox.NamedNode(stage)))
        for g in sorted(change.drop_graphs):
            plan.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(f"{STAGING}drops"), _META, ox.NamedNode(stage)))
        for g in register:
            plan.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(f"{STAGING}registers"), _META, ox.NamedNode(stage)))
        tidy = True
        try:
            self._update("INSERT DATA { " + _data_block(plan) + " }")
            for _, _, quads in staged.values():
                for i in range(0, len(quads), VIRTUOSO_CHUNK):
                    self._update("INSERT DATA { " + _data_block(quads[i:i + VIRTUOSO_CHUNK]) + " }")
            try:
                self._update(_move_operation(stage))
            except (_Unanswered, _Unreachable):
                tidy = False  # the engine may still be moving: dropping the staging now could cut the move short
                raise
        finally:
            if tidy:
                with contextlib.suppress(StoreError, QueryError, QueryTimeout):
                    self._drop_staging(stage, list(staged))

    def _drop_staging(self, stage: str, graphs: list[str]) -> None:
        ops = [f"CLEAR SILENT GRAPH <{g}>" for g in [stage, *graphs]]
        ops.append(f"DELETE DATA {{ GRAPH <{META}> {{ <{stage}> a <{STAGED}> . <{stage}> a <{APPLIED}> }} }}")
        self._update(" ;\n".join(ops))

    def drop_stale_staging(self, older_than: float = STALE_STAGING_SECONDS) -> int:
        """Drop the staging that writes left behind when they were killed (see the module
        docstring): that of an applied change at once, that of an unapplied one (the data is
        as before) once it is older than ``older_than`` seconds, as a younger one may belong
        to a write another process is making now. Returns how many stagings were dropped."""
        rows = list(self._select(f"SELECT ?s ?t WHERE {{ VALUES ?t {{ <{STAGED}> <{APPLIED}> }} ?s a ?t }}",
                                 default=[META]))
        applied = {r["s"].value for r in rows if r["t"].value == APPLIED}
        now = time.time_ns()
        dropped = 0
        for stage in sorted({r["s"].value for r in rows}):
            started = stage[len(STAGING):].split("-", 1)[0]
            if stage not in applied and started.isdigit() and now - int(started) < older_than * 1e9:
                continue
            inner = self._select("SELECT DISTINCT ?g WHERE { ?g ?p ?t }", default=[stage])
            self._drop_staging(stage, [r["g"].value for r in inner if r["g"].value.startswith(stage + ":")])
            dropped += 1
        return dropped

    def rebuild_default_graph(self) -> int:
        with self._lock:
            union = {(q.subject, q.predicate, q.object) for q in self.quads()}
            current = {(q.subject, q.predicate, q.object) for q in self._graph_quads("")}
            change = Change(remove=[ox.Quad(*t, DEFAULT) for t in current - union],
                            add=[ox.Quad(*t, DEFAULT) for t in union - current])
            if change:
                self.apply(change)
        return self.count("")

    # -- whole store -----------------------------------------------------------------------
    def change_marker(self) -> str:
        rows = list(self._select(f"SELECT ?v WHERE {{ <{META}> <{VERSION}> ?v }}", default=[META]))
        return f"{self.backend}:{self.query_url}:{rows[0]['v'].value if rows else '0'}"

    def dump(self, path: str | Path) -> int:
        return write_dump(list(self.quads()), path)

    def restore(self, path: str | Path) -> None:
        """Replace the whole content by a dump, as one change (staged and moved on Virtuoso)."""
        from graph.rdfio import DUMP_FORMATS, format_for

        fmt = format_for(path, formats=DUMP_FORMATS)
        try:
            new = {q for q in ox.parse(path=str(path), format=fmt) if not isinstance(q.graph_name, ox.DefaultGraph)}
        except SyntaxError as exc:
            from graph.errors import ParseError

            raise ParseError(f"{path}:{exc.lineno or '?'}: syntax error: {exc.msg}", file=str(path),
                             line=exc.lineno) from None
        new = _skolem_free(new)
        with self._lock:
            graphs = set(self.named_graphs())
            old = set(self.quads())
            old_union = {(q.subject, q.predicate, q.object) for q in self._graph_quads("")}
            new_union = {(q.subject, q.predicate, q.object) for q in new}
            names = {_graph_iri(q) for q in new}
            self.apply(Change(
                remove=sorted(old - new, key=str) + [ox.Quad(*t, DEFAULT) for t in old_union - new_union],
                add=list(new - old) + [ox.Quad(*t, DEFAULT) for t in new_union - old_union],
                drop_graphs=graphs - names, create_graphs=names - graphs))

    def health(self) -> dict[str, Any]:
        return {"backend": self.backend, "triples": self.count(), "graphs": len(self.named_graphs()),
                "default_graph_triples": self.count(""), "change_marker": self.change_marker()}

    def close(self) -> None:
        self._http.close()

    def clear(self) -> None:
        """Remove everything of regiokg from the engine (its own graphs stay)."""
        with self._lock:
            graphs = self.named_graphs()
            self._update(" ;\n".join(f"CLEAR SILENT GRAPH <{g}>" for g in [*graphs, UNION, META]))


# -- helpers -------------------------------------------------------------------------------------
class _Unanswered(QueryTimeout):
    """The engine did not answer in time (it may still be working on the request)."""


class _Unreachable(StoreError):
    """The request or its answer was lost on the way (the engine may have run it)."""


def _stored(q: ox.Quad) -> ox.Quad:
    """A quad as it sits on the engine: the default graph's quads in the union graph."""
    if isinstance(q.graph_name, ox.DefaultGraph):
        return ox.Quad(q.subject, q.predicate, q.object, _UNION)
    return q


def _graph_iri(q: ox.Quad) -> str:
    if not isinstance(q.graph_name, ox.NamedNode):
        raise StoreError(f"a quad outside a named graph where one was expected: {q}")
    return q.graph_name.value


def _data_block(quads: list[ox.Quad]) -> str:
    from graph.store import _data_block as block

    return block(quads)


def _version_update() -> str:
    return (f"DELETE {{ GRAPH <{META}> {{ <{META}> <{VERSION}> ?v }} }} "
            f"INSERT {{ GRAPH <{META}> {{ <{META}> <{VERSION}> \"{uuid.uuid4().hex}-{time.time_ns()}\" }} }} "
            f"WHERE {{ OPTIONAL {{ GRAPH <{META}> {{ <{META}> <{VERSION}> ?v }} }} }}")


def _move_operation(stage: str) -> str:
    """The one operation that applies a staged change: removes, adds, registry, version, and
    the marker of the stage turned from staged into applied."""
    version = f"{uuid.uuid4().hex}-{time.time_ns()}"
    return f"""DELETE {{ GRAPH ?g {{ ?s ?p ?o }}
         GRAPH <{META}> {{ ?dg a <{NAMED_GRAPH}> . <{META}> <{VERSION}> ?v . <{stage}> a <{STAGED}> }} }}
INSERT {{ GRAPH ?h {{ ?a ?b ?c }} GRAPH <{META}> {{ ?rg a <{NAMED_GRAPH}> . <{META}> <{VERSION}> ?nv . <{stage}> a <{APPLIED}> }} }}
WHERE {{
  {{ GRAPH <{stage}> {{ ?sr <{REMOVES_FROM}> ?g }} GRAPH ?sr {{ ?s ?p ?o }} }}
  UNION {{ GRAPH <{stage}> {{ ?sa <{ADDS_TO}> ?h }} GRAPH ?sa {{ ?a ?b ?c }} }}
  UNION {{ GRAPH <{stage}> {{ ?dg <{STAGING}drops> <{META}> }} }}
  UNION {{ GRAPH <{stage}> {{ ?rg <{STAGING}registers> <{META}> }} }}
  UNION {{ BIND("{version}" AS ?nv) OPTIONAL {{ GRAPH <{META}> {{ <{META}> <{VERSION}> ?v }} }} }}
}}"""


def _skolem_free(quads: set[ox.Quad]) -> set[ox.Quad]:
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        raise StoreError("a dump with blank nodes cannot be restored into a remote store "
                         "(regiokg's own writes never make blank nodes)")
    return quads


def _parse_results(body: bytes, fmt: ox.QueryResultsFormat = ox.QueryResultsFormat.JSON) -> Any:
    try:
        return ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"the SPARQL engine sent results that do not parse: {exc}") from None


def _triples_result(body: bytes, content_type: str) -> Any:
    """``QueryTriples`` of an N-Triples (or Turtle) answer, through a scratch evaluator."""
    media = content_type.split(";")[0].strip() or NTRIPLES
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    scratch = memory_store()
    try:
        scratch.load(body, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"the SPARQL engine sent RDF that does not parse: {exc}") from None
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
