"""Evaluate a SPARQL 1.1 Update once, into the exact change it makes (quads removed and added).

``/update`` does not run the update on a trial copy and then again for real (a second run
of ``RAND()``, ``NOW()``, ``STRUUID()`` or of a pattern can give other quads than the ones
validated). Instead every operation is turned into what it means:

* ``INSERT DATA`` / ``DELETE DATA``: the quads of the block (parsed by Oxigraph in an
  in-memory scratch store);
* ``DELETE {t1} INSERT {t2} USING ... WHERE {p}`` (and ``WITH``, ``DELETE WHERE``): the
  ``WHERE`` pattern runs **once** on the store as ``SELECT * FROM ... WHERE {p}``; its
  solutions are written as a ``VALUES`` block, and the templates are instantiated with
  them by Oxigraph in a scratch store (``INSERT {t} WHERE { VALUES ... }``), which gives
  exactly SPARQL's instantiation rules (unbound or ill-typed template quads dropped, fresh
  blank nodes per solution);
* ``CLEAR`` / ``DROP`` / ``CREATE`` / ``ADD`` / ``MOVE`` / ``COPY``: the quads of the graphs named.

The result, a :class:`Delta`, is what ``graph.write`` validates and applies in one
transaction. Operations of one request compose in order; an operation with a ``WHERE``
clause after an operation that changed something is refused (its pattern would have to
see the earlier change: send it as its own request). ``LOAD`` and ``SERVICE`` are refused.
The default graph is derived (the union of the named graphs), so writing to it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import BadInput, QueryError, QueryTooComplex, RefusedOperation
from graph.sandbox import depth_refusal
from graph.settings import Settings
from graph.sparqltext import Token, tokens
from graph.store import Store, memory_store

DEFAULT_MAX_DEPTH: int = Settings.model_fields["query_max_depth"].default  # REGIOKG_QUERY_MAX_DEPTH


@dataclass
class Delta:
    """Net change of named-graph quads against the store as it is (before applying)."""

    remove: set[ox.Quad] = field(default_factory=set)
    add: set[ox.Quad] = field(default_factory=set)
    drop: set[str] = field(default_factory=set)
    create: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.remove or self.add or self.drop or self.create)


# -- scanning ---------------------------------------------------------------------------------
_SERVICE = re.compile(r"(?<![A-Za-z_:\-])SERVICE(?![A-Za-z0-9_\-:])", re.I)


def _scan(text: str) -> list[Token]:
    """Top-level tokens (graph.sparqltext's) and whole ``{...}`` groups (kind ``group``);
    SERVICE inside a group refused.

    >>> [(t.kind, t.text) for t in _scan("PREFIX : <urn:x#> INSERT DATA { GRAPH :g { :a :b (1) } } ;")]
    [('word', 'PREFIX'), ('word', ':'), ('iri', '<urn:x#>'), ('word', 'INSERT'), ('word', 'DATA'),
     ('group', '{ GRAPH :g { :a :b (1) } }'), ('punct', ';')]
    """
    out: list[Token] = []
    depth = 0
    group_start = 0
    for t in tokens(text, skip=("space", "comment")):
        if t.kind == "open":
            if depth == 0 and t.text == "{":
                group_start = t.start
            depth += 1
        elif t.kind == "close":
            depth -= 1
            if depth < 0:
                raise QueryError(f"malformed SPARQL update: unbalanced {t.text!r} at offset {t.start}")
            if depth == 0 and t.text == "}":
                out.append(Token("group", text[group_start:t.end], group_start, t.end))
        elif t.kind == "punct" and t.text in "\"'":  # let the parser report it
            raise QueryError(f"malformed SPARQL update: unterminated string or IRI at offset {t.start}")
        elif depth == 0:
            out.append(t)
        elif t.kind == "word" and _SERVICE.search(t.text):
            raise RefusedOperation("SERVICE refused: this server makes no outbound requests",
                                   details={"refused": ["SERVICE"]})
    if depth != 0:
        raise QueryError("malformed SPARQL update: unbalanced brackets")
    return out


def _split(scanned: list[Token]) -> list[list[Token]]:
    ops: list[list[Token]] = [[]]
    for t in scanned:
        if t.kind == "punct" and t.text == ";":
            ops.append([])
        else:
            ops[-1].append(t)
    return [op for op in ops if op]


# -- evaluation -------------------------------------------------------------------------------
class _Evaluator:
    def __init__(self, store: Store, text: str):
        self.store = store
        self.text = text
        self.prologue = ""
        self.delta = Delta()
        self._exists_cache: dict[str, bool] = {}

    # state helpers (store as it is, plus the pending delta)
    def _in_store(self, quads: Iterable[ox.Quad]) -> set[ox.Quad]:
        quads = list(quads)
        held = self.store.holders({(q.subject, q.predicate, q.object) for q in quads})
        # default-graph quads are kept: the write path refuses them with its message
        return {q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)
                or q.graph_name.value in held.get((q.subject, q.predicate, q.object), ())}

    def _exists(self, graph: str) -> bool:
        if graph in self.delta.drop and graph not in self.delta.create:
            return False
        if graph in self.delta.create or any(not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value == graph
                                             for q in self.delta.add):
            return True
        if graph not in self._exists_cache:
            self._exists_cache[graph] = graph in set(self.store.named_graphs())
        return self._exists_cache[graph]

    def _content(self, graph: str) -> set[ox.Quad]:
        node = ox.NamedNode(graph)
        current = set() if graph in self.delta.drop else set(self.store.quads(graph))
        current -= self.delta.remove
        current |= {q for q in self.delta.add if q.graph_name == node}
        return current

    def _delete(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        for q in quads:
            self.delta.add.discard(q)
        self.delta.remove |= self._in_store(quads)

    def _insert(self, quads: Iterable[ox.Quad]) -> None:
        for q in quads:
            if q in self.delta.remove:
                self.delta.remove.discard(q)
            else:
                self.delta.add.add(q)

    def _drop_name(self, graph: str) -> None:
        self._delete(self._content(graph))
        self.delta.create.discard(graph)
        self.delta.drop.add(graph)

    # term helpers
    def _iri(self, token: Token) -> str:
        scratch = memory_store()
        try:
            result = scratch.query(f"{self.prologue}\nSELECT ?x WHERE {{ VALUES ?x {{ {token.text} }} }}")
            assert isinstance(result, ox.QuerySolutions)  # a SELECT
            rows = list(result)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {token.text!r} is not an IRI ({exc})") from None
        value = rows[0]["x"]
        if not isinstance(value, ox.NamedNode):
            raise QueryError(f"malformed SPARQL update: {token.text!r} is not an IRI")
        return value.value

    def _block_quads(self, block: str) -> list[ox.Quad]:
        scratch = memory_store()
        try:
            scratch.update(f"{self.prologue}\nINSERT DATA {block}")
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {exc}") from None
        return list(scratch.quads_for_pattern(None, None, None, None))

    # operations
    def run(self) -> Delta:
        for op in _split(_scan(self.text)):
            self._operation(op)
        return self.delta

    def _operation(self, op: list[Token]) -> None:
        i = 0
        while i < len(op) and op[i].kind == "word" and op[i].text.upper() in ("PREFIX", "BASE"):
            n = 3 if op[i].text.upper() == "PREFIX" else 2
            self.prologue += " " + " ".join(t.text for t in op[i:i + n])
            i += n
        op = op[i:]
        if not op:
            return
        words = [t.text.upper() if t.kind == "word" else None for t in op]
        head = words[0]
        if head == "LOAD":
            raise RefusedOperation("LOAD refused: this server makes no outbound requests "
                                   "(loading from URLs is disabled)", details={"refused": ["LOAD"]})
        if head in ("INSERT", "DELETE") and len(op) > 2 and words[1] == "DATA" and op[2].kind == "group":
            quads = self._block_quads(op[2].text)
            if head == "INSERT":
                self._insert(quads)
            else:
                self._delete(quads)
            self._expect_end(op, 3)
            return
        if head == "DELETE" and len(op) > 2 and words[1] == "WHERE" and op[2].kind == "group":
            self._modify(None, op[2].text, None, [], op[2].text)
            self._expect_end(op, 3)
            return
        if head in ("WITH", "INSERT", "DELETE"):
            self._parse_modify(op, words)
            return
        if head in ("CLEAR", "DROP"):
            self._clear(op, words, drop=head == "DROP")
            return
        if head == "CREATE":
            silent = len(words) > 1 and words[1] == "SILENT"
            j = 2 if silent else 1
            if j >= len(op) or words[j] != "GRAPH" or j + 1 >= len(op):
                raise QueryError("malformed SPARQL update: CREATE needs GRAPH <iri>")
            graph = self._iri(op[j + 1])
            if self._exists(graph):
                if not silent:
                    raise QueryError(f"CREATE GRAPH <{graph}>: the graph already exists (use CREATE SILENT)")
            else:
                self.delta.drop.discard(graph)
                self.delta.create.add(graph)
            self._expect_end(op, j + 2)
            return
        if head in ("ADD", "MOVE", "COPY"):
            self._graph_op(head, op, words)
            return
        raise QueryError(f"malformed SPARQL update: unknown operation {op[0].text!r}")

    def _expect_end(self, op: list[Token], n: int) -> None:
        if len(op) > n:
            raise QueryError(f"malformed SPARQL update: unexpected {op[n].text[:40]!r} (missing ';'?)")

    def _parse_modify(self, op: list[Token], words: list[str | None]) -> None:
        i = 0
        with_iri = None
        if words[0] == "WITH":
            if len(op) < 2:
                raise QueryError("malformed SPARQL update: WITH needs an IRI")
            with_iri = op[1].text
            i = 2
        delete = insert = None
        if i < len(op) and words[i] == "DELETE":
            if i + 1 >= len(op) or op[i + 1].kind != "group":
                raise QueryError("malformed SPARQL update: DELETE needs a { template }")
            delete = op[i + 1].text
            i += 2
        if i < len(op) and words[i] == "INSERT":
            if i + 1 >= len(op) or op[i + 1].kind != "group":
                raise QueryError("malformed SPARQL update: INSERT needs a { template }")
            insert = op[i + 1].text
            i += 2
        if delete is None and insert is None:
            raise QueryError("malformed SPARQL update: expected DELETE or INSERT")
        using: list[tuple[bool, str]] = []
        while i < len(op) and words[i] == "USING":
            if i + 1 < len(op) and words[i + 1] == "NAMED" and i + 2 < len(op):
                using.append((True, op[i + 2].text))
                i += 3
            elif i + 1 < len(op):
                using.append((False, op[i + 1].text))
                i += 2
            else:
                raise QueryError("malformed SPARQL update: USING needs an IRI")
        if i >= len(op) or words[i] != "WHERE" or i + 1 >= len(op) or op[i + 1].kind != "group":
            raise QueryError("malformed SPARQL update: expected WHERE { ... }")
        self._modify(with_iri, delete, insert, using, op[i + 1].text)
        self._expect_end(op, i + 2)

    def _modify(self, with_iri: str | None, delete: str | None, insert: str | None,
                using: list[tuple[bool, str]], where: str) -> None:
        if self.delta:
            raise BadInput("an operation with a WHERE clause must come first in an update request (its "
                           "pattern would have to see the changes of the operations before it); send it "
                           "as its own request")
        if using:
            dataset = " ".join(("FROM NAMED " if named else "FROM ") + iri for named, iri in using)
        elif with_iri:
            dataset = f"FROM {with_iri}"
        else:
            dataset = ""
        select = f"{self.prologue}\nSELECT * {dataset} WHERE {where}"
        try:
            result = self.store.query(select)
        except QueryError as exc:
            raise QueryError(f"malformed SPARQL update: {exc.message.removeprefix('malformed SPARQL query: ')}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"update failed: {exc}") from None
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = []
            for name in names:
                value = solution[name]
                if value is None:
                    row.append("UNDEF")
                elif isinstance(value, (ox.NamedNode, ox.Literal)):
                    row.append(str(value))
                else:
                    raise BadInput(f"the update's WHERE binds ?{name} to {value}, which cannot be written "
                                   "back (blank nodes and triple terms are not supported in updates)")
            rows.append(row)
        if not rows:
            return
        if names:
            values = (f"VALUES ({' '.join('?' + n for n in names)}) {{\n"
                      + "\n".join("(" + " ".join(r) + ")" for r in rows) + "\n}")
        else:
            values = ""
        deleted = self._instantiate(with_iri, delete, values) if delete else []
        inserted = self._instantiate(with_iri, insert, values) if insert else []
        self._delete(deleted)
        self._insert(inserted)

    def _instantiate(self, with_iri: str | None, template: str, values: str) -> list[ox.Quad]:
        scratch = memory_store()
        with_clause = f"WITH {with_iri} " if with_iri else ""
        try:
            scratch.update(f"{self.prologue}\n{with_clause}INSERT {template} WHERE {{ {values} }}")
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {exc}") from None
        return list(scratch.quads_for_pattern(None, None, None, None))

    def _target_graphs(self, op: list[Token], words: list[str | None], j: int, what: str) -> tuple[list[str], int]:
        if j >= len(op):
            raise QueryError(f"malformed SPARQL update: {what} needs GRAPH <iri>, DEFAULT, NAMED or ALL")
        if words[j] == "DEFAULT":
            raise BadInput(f"{what} DEFAULT refused: the default graph is the union of the named graphs "
                           "(derived); clear or drop named graphs instead")
        if words[j] in ("NAMED", "ALL"):
            graphs = set(self.store.named_graphs()) | self.delta.create | {q.graph_name.value for q in self.delta.add
                                                                                   if not isinstance(q.graph_name, ox.DefaultGraph)}
            return sorted(g for g in graphs if self._exists(g)), j + 1
        if words[j] == "GRAPH" and j + 1 < len(op):
            return [self._iri(op[j + 1])], j + 2
        raise QueryError(f"malformed SPARQL update: {what} needs GRAPH <iri>, DEFAULT, NAMED or ALL")

    def _clear(self, op: list[Token], words: list[str | None], *, drop: bool) -> None:
        what = "DROP" if drop else "CLEAR"
        silent = len(words) > 1 and words[1] == "SILENT"
        graphs, end = self._target_graphs(op, words, 2 if silent else 1, what)
        self._expect_end(op, end)
        for g in graphs:
            if not self._exists(g):
                if silent:
                    continue
                raise QueryError(f"{what} GRAPH <{g}>: no such graph (use {what} SILENT)")
            if drop:
                self._drop_name(g)
            else:
                self._delete(self._content(g))

    def _graph_ref(self, op: list[Token], words: list[str | None], j: int) -> tuple[str | None, int]:
        if j >= len(op):
            raise QueryError("malformed SPARQL update: expected a graph")
        if words[j] == "DEFAULT":
            return None, j + 1
        if words[j] == "GRAPH":
            j += 1
        if j >= len(op):
            raise QueryError("malformed SPARQL update: expected a graph IRI")
        return self._iri(op[j]), j + 1

    def _graph_op(self, head: str, op: list[Token], words: list[str | None]) -> None:
        silent = len(words) > 1 and words[1] == "SILENT"
        source, j = self._graph_ref(op, words, 2 if silent else 1)
        if j >= len(op) or words[j] != "TO":
            raise QueryError(f"malformed SPARQL update: {head} needs ... TO ...")
        target, end = self._graph_ref(op, words, j + 1)
        self._expect_end(op, end)
        if target is None:
            raise BadInput(f"{head} ... TO DEFAULT refused: the default graph is the union of the named "
                           "graphs (derived); write to a named graph")
        if source == target:
            return
        if source is None:
            if self.delta:
                raise BadInput(f"{head} DEFAULT must come first in an update request; send it as its own request")
            content = {(q.subject, q.predicate, q.object) for q in self.store.quads("")}
        else:
            if not self._exists(source):
                if silent:
                    return
                raise QueryError(f"{head} GRAPH <{source}>: no such graph (use {head} SILENT)")
            content = {(q.subject, q.predicate, q.object) for q in self._content(source)}
        node = ox.NamedNode(target)
        if head in ("MOVE", "COPY"):
            self._delete(self._content(target))
        self._insert(ox.Quad(s, p, o, node) for s, p, o in content)
        if not self._exists(target):
            self.delta.create.add(target)
        if head == "MOVE" and source is not None:
            self._drop_name(source)


def check_depth(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse (:class:`QueryTooComplex`) a text nesting deeper than ``max_depth``: the sandbox's
    one depth check (``graph.sandbox.depth_refusal``), before any parser sees the text."""
    problem = depth_refusal(text, max_depth)
    if problem:
        raise QueryTooComplex(problem[0], details=problem[1])


def check_syntax(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Raise :class:`QueryError` with Oxigraph's message when ``text`` is not a SPARQL update."""
    check_depth(text, max_depth)  # before the parser sees the text
    _scan(text)  # SERVICE
    try:
        memory_store().update(text)  # parsed by the engine, evaluated against nothing
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL update: {exc}", details={"parser": "oxigraph", "message": str(exc)}) from None
    except (OSError, RuntimeError, ValueError):
        pass  # e.g. DROP GRAPH of a graph the empty store lacks: a matter for the real evaluation


def evaluate_update(store: Store, text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Delta:
    """The exact change ``text`` makes on ``store`` as it is (see the module docstring);
    ``max_depth`` is ``REGIOKG_QUERY_MAX_DEPTH``."""
    check_depth(text, max_depth)
    ops = _split(_scan(text))
    for op in ops:
        for t in op:
            if t.kind == "word" and t.text.upper() == "LOAD":
                raise RefusedOperation("LOAD refused: this server makes no outbound requests "
                                       "(loading from URLs is disabled)", details={"refused": ["LOAD"]})
    check_syntax(text, max_depth=max_depth)
    return _Evaluator(store, text).run()


__all__ = ["Delta", "evaluate_update", "check_syntax", "check_depth"]
