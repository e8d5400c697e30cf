"""Run untrusted SPARQL in worker processes that are checked, bounded and can be stopped.

Everything that looks at the text of an untrusted query or update happens in a worker
process, never in the server process:

1. a size limit (``REGIOKG_MAX_REQUEST_BYTES``, checked by the parent on the length only)
   and a nesting-depth limit (``REGIOKG_QUERY_MAX_DEPTH``) checked before any parser sees
   the text;
2. the text is parsed by rdflib's SPARQL 1.1 parser (a real grammar, the one parse step of
   the server); operations the server must not do are refused from the parse tree
   (``SERVICE`` in queries and updates, ``LOAD`` in updates), and a text that does not parse
   is refused with the parser's message. A query that plainly cannot hold a refused
   operation (ASCII, no escape, no ``service`` in any case: :func:`plainly_without_refusals`)
   skips this parse, the common case made cheap: Oxigraph parses it when it runs;
3. only then does Oxigraph run the query, on a read-only checkpoint of the store, and the
   answer is serialised in the worker.

Workers also run "call" tasks (:meth:`QuerySandbox.call`): a function of a module named in
``preload`` run on the same checkpoint under the same limits. The server's read routes
(``GET`` under /api, /ui-api and /id) are answered that way (``api/readworker.py``), so
the one way to stop a late read, SPARQL or not, is to kill its worker.

The parent talks to a worker over a socket pair (multiprocessing's framing) from its event
loop, with no thread in between; the worker reads, runs and answers its tasks on one
thread with a large stack (a hop between threads per task cost more than a small query).
Parsing and running happen on that thread with a large stack (a deep query cannot overflow it
and crash the worker; Python's recursion limit stops rdflib first), under
``REGIOKG_QUERY_TIMEOUT`` (the parent SIGKILLs a worker that is late and starts a fresh one)
and under ``REGIOKG_QUERY_MEMORY_MB`` (``RLIMIT_AS`` of the worker). A worker cannot open a
network connection: it unshares its network namespace (an empty one: no interface is up)
when it may, and installs a seccomp filter refusing ``socket(AF_INET/AF_INET6)``. A worker
dies with the server (``PR_SET_PDEATHSIG``), so none is left orphaned.

Checkpoints: after every write the primary store is checkpointed (``Store.backup``: a
RocksDB checkpoint of hard links, cheap) into ``<store>.snapshots/gen-<n>-<id>``; a worker
opens that checkpoint with ``Store.read_only``. Checkpoints no task uses any more are deleted
once a newer one exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import itertools
import json
import os
import pickle
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import errors
from graph.errors import QueryTimeout, StoreError
from graph.sparqltext import nesting_depth

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
STACK_BYTES = 256 * 1024 * 1024  # stack of the thread that parses and runs (virtual; counted in RLIMIT_AS)
THREAD_STACK_BYTES = 16 * 1024 * 1024  # other threads of a worker (a read route's thread pool)
RECURSION_LIMIT = 20_000  # rdflib's parser stops far below what the stack holds
CHUNK = 256 * 1024


@dataclass
class SandboxResult:
    """A serialised answer: ``body`` bytes, or a spool file ``path`` the caller streams and deletes."""

    body: bytes
    media_type: str
    kind: str  # "solutions", "boolean" or "graph"
    count: int  # rows or triples returned (1 for ASK)
    truncated: bool = False
    path: str | None = None


@dataclass
class _Worker:
    process: Any
    sock: socket.socket  # the parent's end of the socket pair; non-blocking, used from the event loop
    ident: int = field(default=0)


def _frame(obj: Any) -> bytes:
    """``obj`` in the framing of :class:`multiprocessing.connection.Connection` (what the worker
    reads with ``recv``): a signed 4-byte big-endian length (-1 and 8 bytes past 2 GiB), then
    the pickle."""
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    size = len(body)
    return (struct.pack("!i", size) if size <= 0x7FFFFFFF else struct.pack("!iQ", -1, size)) + body


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> Any:
    """One message the worker sent with ``Connection.send``, read without blocking the loop
    (the length and a small message usually in one ``recv``)."""
    buf = bytearray()
    size = None
    start = 4
    while size is None or len(buf) < start + size:
        want = 65536 if size is None else min(max(65536, start + size - len(buf)), 1 << 20)
        chunk = await loop.sock_recv(sock, want)
        if not chunk:
            raise EOFError("the query worker closed its end")
        buf += chunk
        if size is None and len(buf) >= 4:
            (size,) = struct.unpack_from("!i", buf)
            if size == -1:
                if len(buf) < 12:
                    size = None
                    continue
                (size,) = struct.unpack_from("!Q", buf, 4)
                start = 12
    return pickle.loads(memoryview(buf)[start:start + size])


class _Refusal(Exception):
    """Raised in the worker; travels to the parent as (error class name, message, details)."""

    def __init__(self, cls: str, message: str, details: Any = None):
        super().__init__(message)
        self.cls, self.message, self.details = cls, message, details


_DIED = ("died",)  # what QuerySandbox._exchange answers when the worker died


class _NotAcceptable(Exception):
    """No negotiated format for the query's form (known once a plain text has run)."""

    def __init__(self, form: str):
        super().__init__(form)
        self.form = form


# -- checks (run in the worker) ---------------------------------------------------------------
def plainly_without_refusals(text: str) -> bool:
    r"""Whether a query text can hold nothing the server refuses, without parsing it: plain
    ASCII, no backslash (no ``\u0053ERVICE`` or other escape the grammar expands) and no
    ``service`` anywhere, in any case (a SERVICE clause needs the keyword spelled out). Such
    a text skips rdflib's parse (3-4 ms, most of a trivial lookup); Oxigraph parses it when it
    runs, and a text it cannot parse is parsed by rdflib after all, for the usual message.

    >>> plainly_without_refusals("SELECT ?l WHERE { <urn:a> rdfs:label ?l }")
    True
    >>> [plainly_without_refusals(t) for t in ("SELECT * { SeRvIcE <http://x/> { ?s ?p ?o } }",
    ...  "SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }", "SELECT ?l { ?s rdfs:label 'é' }")]
    [False, False, False]
    """
    return text.isascii() and "\\" not in text and "service" not in text.lower()


# The depth pre-check only needs to know which brackets are syntax: strings, IRIs and
# comments are skipped (graph.sparqltext, the one SPARQL tokenizer). It is a bound checked
# before the parser, not the decision on what the text means (that is the parser's); if it
# ever undercounts, the parser's recursion limit and the large stack still stop the text safely.


def depth_refusal(text: str, max_depth: int) -> tuple[str, dict[str, Any]] | None:
    """The one nesting-depth check (``REGIOKG_QUERY_MAX_DEPTH``) of every SPARQL text, in the
    workers and before the server's own update evaluation (``graph/update_eval.py``):
    ``(message, details)`` when ``text`` nests deeper than ``max_depth``, else None."""
    depth = nesting_depth(text)
    if depth <= max_depth:
        return None
    return (f"the text nests brackets {depth} deep, more than REGIOKG_QUERY_MAX_DEPTH={max_depth}",
            {"depth": depth, "limit": max_depth, "setting": "REGIOKG_QUERY_MAX_DEPTH"})


def check_depth(text: str, max_depth: int) -> None:
    problem = depth_refusal(text, max_depth)
    if problem:
        raise _Refusal("QueryTooComplex", *problem)


def _names_in_tree(node: Any, out: set[str]) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            out.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            stack.extend(item)
    return out


def _parse(text: str, *, update: bool) -> Any:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    what = "update" if update else "query"
    try:
        return parseUpdate(text) if update else parseQuery(text)
    except RecursionError:
        raise _Refusal("QueryTooComplex", f"the {what} nests too deeply to be parsed",
                       {"setting": "REGIOKG_QUERY_MAX_DEPTH"}) from None
    except ParseException as exc:
        if not update:
            try:
                parseUpdate(text)
            except Exception:
                pass
            else:
                raise _Refusal("QueryError", "this is a SPARQL update, not a query; send it to /update") from None
        near = text[exc.loc:exc.loc + 30].split("\n")[0]
        where = f"line {exc.lineno}, column {exc.col}" + (f" (near {near!r})" if near else " (at the end)")
        raise _Refusal("QueryError", f"malformed SPARQL {what} at {where}: {exc.msg}",
                       {"parser": "rdflib", "line": exc.lineno, "column": exc.col,
                        "message": str(exc)}) from None
    except Exception as exc:  # rdflib raises a few other types for odd input (bad escapes, ...)
        raise _Refusal("QueryError", f"malformed SPARQL {what}: {type(exc).__name__}: {exc}",
                       {"parser": "rdflib"}) from None


def check_text(text: str, *, update: bool = False, max_depth: int = 100) -> str:
    """Depth pre-check, parse, refusals; returns the form: solutions, boolean, graph or update.

    Raises :class:`_Refusal`. Used in the workers (and by tests).
    """
    check_depth(text, max_depth)
    tree = _parse(text, update=update)
    names = _names_in_tree(tree, set())
    found = []
    if "ServiceGraphPattern" in names:
        found.append("SERVICE")
    if "Load" in names:
        found.append("LOAD")
    if found:
        raise _Refusal("RefusedOperation",
                       f"{' and '.join(found)} refused: this server makes no outbound requests "
                       "(federated queries and loading from URLs are disabled)", {"refused": found})
    if update:
        return "update"
    form = tree[1].name
    return {"SelectQuery": "solutions", "AskQuery": "boolean"}.get(form, "graph")


# -- the worker side ----------------------------------------------------------------------------
def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    return {"type": "literal", "value": str(term)}


def execute_query(store: ox.Store, task: dict[str, Any]) -> SandboxResult:
    """Run the checked ``task['query']`` on ``store`` and serialise it (in the workers).

    ``task`` keys: query, media_type, union_default_graph, default_graph (list or None),
    named_graphs (list or None), max_rows, prefixes.
    """
    kwargs: dict[str, Any] = {}
    if task.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in task["default_graph"]]
    elif not task.get("union_default_graph", True):
        kwargs["default_graph"] = []  # an empty default graph; otherwise the store's own default graph,
        # which is the set union of the named graphs (graph/store.py), never Oxigraph's bag union
    if task.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in task["named_graphs"]]
    if task.get("prefixes"):
        kwargs["prefixes"] = task["prefixes"]  # predeclared; a query's own PREFIX wins
    return serialize_result(store.query(task["query"], **kwargs), task)


def serialize_result(result: Any, task: dict[str, Any]) -> SandboxResult:
    """A pyoxigraph query result serialised as ``task['media_type']``, cut at ``task['max_rows']``
    (in the workers for the embedded store; in the server for a remote one)."""
    max_rows = int(task["max_rows"])
    media_type = task.get("media_type")
    if media_type is None:  # a plain text (see plainly_without_refusals): negotiated by the answer's form
        form = ("boolean" if isinstance(result, ox.QueryBoolean) else
                "solutions" if isinstance(result, ox.QuerySolutions) else "graph")
        media_type = task["formats"].get(form)
        if media_type is None:
            raise _NotAcceptable(form)
    if isinstance(result, ox.QueryBoolean):
        return SandboxResult(result.serialize(format=_results_format(media_type)) or b"", media_type, "boolean", 1)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        bindings = []
        truncated = False
        for i, solution in enumerate(result):
            if i >= max_rows:
                truncated = True
                break
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _term_json(value)
            bindings.append(row)
        doc: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
        results_fmt = _results_format(media_type)
        if results_fmt == ox.QueryResultsFormat.JSON:
            if truncated:
                doc["regiokg"] = {"truncated": True, "max_rows": max_rows, "setting": "REGIOKG_MAX_ROWS"}
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        else:
            plain = json.dumps(doc).encode("utf-8")
            body = ox.parse_query_results(plain, format=ox.QueryResultsFormat.JSON).serialize(format=results_fmt) or b""
        return SandboxResult(body, media_type, "solutions", len(bindings), truncated)
    triples = []
    truncated = False
    for i, triple in enumerate(result):
        if i >= max_rows:
            truncated = True
            break
        triples.append(triple)
    fmt = _rdf_format(media_type)
    items: list[Any] = triples
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = task.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(items, format=fmt, prefixes=prefixes) or b""
    return SandboxResult(body, media_type, "graph", len(triples), truncated)


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no SPARQL results format for {media_type}")
    return fmt


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format for {media_type}")
    return fmt


def export_graph(store: ox.Store, task: dict[str, Any]) -> SandboxResult:
    """Serialise one graph ("" = default) or the whole dataset (None) into the spool file ``task['out']``."""
    graph = task["graph"]
    if graph is None:  # the named graphs; the default graph is derived from them (graph/store.py)
        quads: Any = (q for q in store.quads_for_pattern(None, None, None, None)
                      if not isinstance(q.graph_name, ox.DefaultGraph))
    else:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph) if graph else ox.DefaultGraph())
    return write_quads(quads, task)


def write_quads(quads: Any, task: dict[str, Any]) -> SandboxResult:
    """Serialise ``quads`` (one graph's, or the dataset's when ``task['graph']`` is None) into the
    spool file ``task['out']`` as ``task['media_type']``."""
    fmt = _rdf_format(task["media_type"])
    prefixes = task.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if task["graph"] is None or fmt.supports_datasets:
        items: Any = quads
    else:
        items = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    count = 0

    def counted(it: Any) -> Any:
        nonlocal count
        for item in it:
            count += 1
            yield item

    with open(task["out"], "wb") as out:
        ox.serialize(counted(items), out, format=fmt, prefixes=prefixes)
    return SandboxResult(b"", task["media_type"], "graph", count, path=task["out"])


def _call_target(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _run_task(state: dict[str, Any], task: dict[str, Any]) -> tuple[Any, ...]:
    kind = task["kind"]
    try:
        if kind == "check_update":
            check_text(task["text"], update=True, max_depth=task["max_depth"])
            return ("ok", None)
        if kind == "check_query":  # a remote store: checked here, run by the engine (QuerySandbox.run)
            return ("ok", check_text(task["query"], max_depth=task["max_depth"]))
        plain = kind == "query" and plainly_without_refusals(task["query"])
        if kind == "query" and plain:
            check_depth(task["query"], task["max_depth"])  # the form is read off the answer
        elif kind == "query":
            form = check_text(task["query"], max_depth=task["max_depth"])
            media = task["formats"].get(form)
            if media is None:
                return ("not_acceptable", form)
            task = dict(task, media_type=media)
        if task["snapshot"] != state.get("opened"):
            state["store"] = None
            state["store"] = ox.Store.read_only(task["snapshot"])
            state["opened"] = task["snapshot"]
        if kind == "query":
            try:
                return ("ok", execute_query(state["store"], task))
            except SyntaxError:
                if plain:  # rdflib's message (line, column), as for every other malformed text
                    check_text(task["query"], max_depth=task["max_depth"])
                raise
        if kind == "call":  # a read route run here (api/readworker.py): state has the opened store
            return ("ok", _call_target(task["target"])(state, task))
        return ("ok", export_graph(state["store"], task))
    except _NotAcceptable as exc:
        return ("not_acceptable", exc.form)
    except _Refusal as exc:
        return ("error", exc.cls, exc.message, exc.details)
    except MemoryError:
        return ("error", "QueryMemoryExceeded", _memory_message(task.get("memory_mb", 0)),
                {"setting": "REGIOKG_QUERY_MEMORY_MB", "limit_mb": task.get("memory_mb")})
    except SyntaxError as exc:
        return ("error", "QueryError", f"malformed SPARQL query: {exc}", {"parser": "oxigraph"})
    except (ValueError, RuntimeError, OSError, TypeError) as exc:
        text = str(exc)
        if "memory allocation" in text.lower():
            return ("error", "QueryMemoryExceeded", _memory_message(task.get("memory_mb", 0)),
                    {"setting": "REGIOKG_QUERY_MEMORY_MB", "limit_mb": task.get("memory_mb")})
        return ("error", "QueryError", f"query failed: {text}", None, "query_failed")


def _memory_message(limit_mb: int) -> str:
    return (f"the query was stopped: it needed more than REGIOKG_QUERY_MEMORY_MB={limit_mb} MB; make it "
            "more selective (LIMIT, fewer joins, smaller strings) or raise REGIOKG_QUERY_MEMORY_MB")


# Process set-up: dying with the parent, no network, a memory cap.
_libc: Any = None


def _c() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _die_with_parent(parent_pid: int) -> None:
    PR_SET_PDEATHSIG = 1
    _c().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl
        os._exit(0)


def _seccomp_no_inet() -> bool:
    """Install a seccomp filter making ``socket(AF_INET|AF_INET6, ...)`` fail with EACCES."""
    import platform

    machine = platform.machine()
    arches = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
    if machine not in arches:
        return False
    audit_arch, nr_socket = arches[machine]
    ld_abs, jeq, ret = 0x20, 0x15, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
    program = [
        (ld_abs, 0, 0, 4),            # 0: arch
        (jeq, 0, 5, audit_arch),      # 1: other arch -> allow
        (ld_abs, 0, 0, 0),            # 2: syscall number
        (jeq, 0, 3, nr_socket),       # 3: not socket() -> allow
        (ld_abs, 0, 0, 16),           # 4: args[0] (domain), low 32 bits
        (jeq, 2, 0, 2),               # 5: AF_INET -> deny
        (jeq, 1, 0, 10),              # 6: AF_INET6 -> deny
        (ret, 0, 0, allow),           # 7
        (ret, 0, 0, deny),            # 8
    ]
    raw = b"".join(struct.pack("HBBI", *ins) for ins in program)
    buf = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.cast(buf, ctypes.c_void_p))
    libc = _c()
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


def _isolate_network() -> list[str]:
    """Cut the worker off the network; returns the layers that took effect."""
    layers = []
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    libc = _c()
    if libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0:
        layers.append("network namespace")
    if _seccomp_no_inet():
        layers.append("seccomp")
    return layers


def _limit_memory(memory_mb: int) -> None:
    import resource

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_entry(fd: int, parent_pid: int, memory_mb: int, preload: tuple[str, ...] = ()) -> None:
    """Entry point of a worker process (started with ``python -c``, see ``QuerySandbox._spawn``)."""
    _die_with_parent(parent_pid)
    layers = _isolate_network()
    conn = Connection(fd)
    # Import and warm up the parser (and the modules of the "call" tasks) before the memory
    # cap, then run every task on one thread with a large stack.
    check_text("ASK { ?s ?p ?o FILTER(?o IN (1)) }")
    for module in preload:
        importlib.import_module(module)
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    runner = ThreadPoolExecutor(max_workers=1)
    runner.submit(lambda: None).result()
    threading.stack_size(THREAD_STACK_BYTES)  # threads a task starts need no parser-sized stack
    _limit_memory(memory_mb)
    conn.send(("ready", {"network_isolation": layers}))
    # The whole loop runs on the runner thread: a hop between threads per task would cost
    # two wake-ups, more than a small query itself.
    runner.submit(_serve_tasks, conn, memory_mb).result()


def _serve_tasks(conn: Connection, memory_mb: int) -> None:
    state: dict[str, Any] = {}
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            message = _run_task(state, dict(task, memory_mb=memory_mb))
        except MemoryError:
            message = ("error", "QueryMemoryExceeded", _memory_message(memory_mb),
                       {"setting": "REGIOKG_QUERY_MEMORY_MB", "limit_mb": memory_mb})
        try:
            conn.send(message)
        except MemoryError:
            conn.send(("error", "QueryMemoryExceeded", _memory_message(memory_mb),
                       {"setting": "REGIOKG_QUERY_MEMORY_MB", "limit_mb": memory_mb}))


# -- the parent side ----------------------------------------------------------------------------
class QuerySandbox:
    """A pool of query worker processes over checkpoints of one :class:`~graph.store.OxigraphStore`.

    Use from one asyncio event loop: ``await sandbox.start()``, ``await sandbox.run(...)``,
    ``await sandbox.stop()``.
    """

    def __init__(self, store: Any, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 union_default_graph: bool = True, prefixes: dict[str, str] | None = None,
                 memory_mb: int = 0, max_depth: int = 100, max_bytes: int = 5_000_000,
                 preload: tuple[str, ...] = ()):
        self.store = store
        self.preload = tuple(preload)  # modules of "call" targets, imported when a worker starts
        self.size = workers
        self.timeout = timeout
        self.max_rows = max_rows
        self.memory_mb = memory_mb
        self.max_depth = max_depth
        self.max_bytes = max_bytes
        self.union_default_graph = union_default_graph
        self.prefixes = prefixes or {}
        # A remote store (graph/store_remote.py) has no checkpoints: the workers check the text,
        # the engine runs it (under the remaining timeout) and the server serialises the answer.
        self.remote = not hasattr(store, "snapshot")
        if self.remote:
            self.preload = ()  # the read routes run in the server (the workers cannot reach the engine)
        self.snapshot_root = (Path(tempfile.mkdtemp(prefix="regiokg-spool-")) if self.remote
                              else Path(str(store.path) + ".snapshots"))
        self.spool = self.snapshot_root / "spool"
        self._executor = ThreadPoolExecutor(max_workers=2 * workers + 4, thread_name_prefix="regiokg-sandbox")
        # Workers die with the thread that started them (PR_SET_PDEATHSIG), so one thread
        # that lives as long as the sandbox starts them all.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regiokg-spawner")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: dict[int, _Worker] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._current: tuple[int, Path] | None = None
        self._users: Counter[Path] = Counter()
        self._retired: set[Path] = set()
        self.killed = 0  # workers stopped by the timeout (reported by /health)
        self.replaced = 0  # workers that died (memory cap, crash, killed from outside) and were replaced
        self.network_isolation: list[str] = []

    def worker_count(self) -> int:
        """Worker processes alive now (for /health)."""
        return len(self._all)

    # life cycle
    async def start(self) -> None:
        """Start the workers (each takes a moment to import pyoxigraph and rdflib)."""
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        shutil.rmtree(self.snapshot_root, ignore_errors=True)
        self.spool.mkdir(parents=True, exist_ok=True)
        if not self.remote:
            await loop.run_in_executor(self._executor, self._acquire_snapshot)
            self._release(self._current[1])  # type: ignore[index]
        workers = await asyncio.gather(*(loop.run_in_executor(self._spawner, self._spawn) for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    async def stop(self) -> None:
        """Stop every worker and delete the checkpoints."""
        for w in list(self._all.values()):
            with contextlib.suppress(OSError):
                w.sock.send(_frame(None))  # a few bytes: fits the socket's buffer
        for w in list(self._all.values()):
            try:
                w.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait(timeout=5)
            w.sock.close()
        self._all.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._spawner.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.snapshot_root, ignore_errors=True)

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not multiprocessing's spawn, which re-imports the caller's
        # __main__ module) talking over a socket pair with multiprocessing's framing.
        parent_sock, child_sock = socket.socketpair()
        child_fd = child_sock.fileno()
        env = dict(os.environ, MALLOC_ARENA_MAX="2")  # fewer malloc arenas: less address space per thread
        proc = subprocess.Popen(
            [sys.executable, "-c",
             f"from graph.sandbox import _worker_entry; "
             f"_worker_entry({child_fd}, {os.getpid()}, {self.memory_mb}, {self.preload!r})"],
            pass_fds=[child_fd], stdin=subprocess.DEVNULL, close_fds=True, env=env,
        )
        child_sock.close()
        w = _Worker(proc, parent_sock, next(self._ids))
        # the handshake with multiprocessing's own reader, on a duplicate of the parent's end
        with Connection(os.dup(parent_sock.fileno())) as conn:
            if not conn.poll(60):
                proc.kill()
                proc.wait(timeout=10)
                parent_sock.close()
                raise StoreError("a query worker did not start within 60 s")
            try:
                ready = conn.recv()
            except (EOFError, OSError):
                proc.wait(timeout=10)
                parent_sock.close()
                raise StoreError(f"a query worker failed to start (exit code {proc.returncode}); "
                                 f"is REGIOKG_QUERY_MEMORY_MB={self.memory_mb} too small?") from None
        parent_sock.setblocking(False)
        self.network_isolation = ready[1]["network_isolation"]
        self._all[w.ident] = w
        return w

    def _kill(self, w: _Worker) -> None:
        self._all.pop(w.ident, None)
        w.process.kill()  # SIGKILL: the only way to stop a running pyoxigraph query
        w.process.wait(timeout=10)
        w.sock.close()

    async def _replace(self, w: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._kill, w)
        fresh = await loop.run_in_executor(self._spawner, self._spawn)
        assert self._idle is not None
        self._idle.put_nowait(fresh)

    # snapshots
    def _acquire_snapshot(self) -> Path:
        with self._lock:
            generation = getattr(self.store, "generation", 0)
            if self._current is None or self._current[0] != generation:
                target = self.snapshot_root / f"gen-{generation}-{uuid.uuid4().hex[:8]}"
                self.store.snapshot(target)
                if self._current is not None:
                    self._retired.add(self._current[1])
                self._current = (generation, target)
                self._cleanup()
            path = self._current[1]
            self._users[path] += 1
            return path

    def _take_current(self) -> Path | None:
        """The current checkpoint, taken for a task, when it is of the store's generation
        (``None``: :meth:`_acquire_snapshot` makes one, on a thread)."""
        with self._lock:
            generation = getattr(self.store, "generation", 0)
            if self._current is None or self._current[0] != generation:
                return None
            path = self._current[1]
            self._users[path] += 1
            return path

    def _release(self, path: Path, *, cleanup: bool = True) -> bool:
        """A task is done with ``path``; deletes the checkpoints no task uses any more (or,
        with ``cleanup=False``, says whether there are some to delete)."""
        with self._lock:
            self._users[path] -= 1
            if self._users[path] <= 0:
                del self._users[path]
            if cleanup:
                self._cleanup()
            return bool(self._retired)

    def _cleanup(self) -> None:
        for path in list(self._retired):
            if self._users.get(path, 0) == 0:
                shutil.rmtree(path, ignore_errors=True)
                self._retired.discard(path)

    # running
    def _check_size(self, text: str) -> None:
        size = len(text.encode("utf-8"))
        if size > self.max_bytes:
            raise errors.PayloadTooLarge(
                f"the SPARQL text of {size} bytes is over the limit of {self.max_bytes} bytes "
                "(REGIOKG_MAX_REQUEST_BYTES)", details={"limit": self.max_bytes, "setting": "REGIOKG_MAX_REQUEST_BYTES"})

    async def run(self, query: str, *, media_type: str | None = None, formats: dict[str, Any] | None = None,
                  default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
                  timeout: float | None = None, max_rows: int | None = None) -> SandboxResult:
        """Check ``query`` and run it in a worker; the answer serialised in the negotiated format.

        ``formats`` maps the query form (solutions, boolean, graph) to a media type, or to
        the exception to raise (e.g. :class:`~graph.errors.NotAcceptable`) for that form;
        ``media_type`` is used for every form when ``formats`` is not given. Raises
        :class:`QueryTimeout` after ``timeout`` seconds (the worker is killed), the check's
        errors (:class:`~graph.errors.QueryError`, ``RefusedOperation``, ``QueryTooComplex``)
        and :class:`~graph.errors.QueryMemoryExceeded`.
        """
        self._check_size(query)
        formats = formats if formats is not None else {k: media_type for k in ("solutions", "boolean", "graph")}
        sendable = {k: v for k, v in formats.items() if isinstance(v, str)}
        task = {"kind": "query", "query": query, "formats": sendable, "max_depth": self.max_depth,
                "union_default_graph": self.union_default_graph, "default_graph": default_graph,
                "named_graphs": named_graphs, "prefixes": self.prefixes,
                "max_rows": self.max_rows if max_rows is None else max_rows}
        if self.remote:
            return await self._run_remote(task, formats, timeout)
        message = await self._submit(task, timeout, snapshot=True)
        if message[0] == "not_acceptable":
            raise formats[message[1]]
        return message[1]

    async def _run_remote(self, task: dict[str, Any], formats: dict[str, Any], timeout: float | None) -> SandboxResult:
        """Check the text in a worker (depth, rdflib parse, SERVICE refused), then send it to the
        configured engine, and to nothing else, with the time that is left."""
        from graph.queries import with_prefixes

        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        message = await self._submit(dict(task, kind="check_query"), timeout, snapshot=False)
        form = message[1]
        media = formats.get(form)
        if not isinstance(media, str):
            raise media if isinstance(media, BaseException) else errors.NotAcceptable(f"no format for {form}")
        default_graph = task["default_graph"] or ([] if not task["union_default_graph"] else None)
        text = with_prefixes(task["query"], self.prefixes)
        remaining = max(0.01, deadline - time.monotonic())
        loop = asyncio.get_running_loop()

        def run() -> SandboxResult:
            result = self.store.query(text, default_graph=default_graph, named_graphs=task["named_graphs"],
                                      timeout=remaining)
            return serialize_result(result, dict(task, media_type=media))

        try:
            return await asyncio.wait_for(loop.run_in_executor(self._executor, run), remaining + 1)
        except (QueryTimeout, TimeoutError):
            self.killed += 1
            raise self._timeout_error(timeout) from None

    async def check_update(self, text: str, *, timeout: float | None = None) -> None:
        """Parse an update in a worker and refuse what the server must not do (LOAD, SERVICE)."""
        self._check_size(text)
        await self._submit({"kind": "check_update", "text": text, "max_depth": self.max_depth}, timeout,
                           snapshot=False)

    async def export(self, graph: str | None, *, media_type: str, timeout: float | None = None) -> SandboxResult:
        """One graph ("" = default) or the whole dataset (None) serialised into a spool file by a worker."""
        out = self.spool / f"export-{uuid.uuid4().hex}"
        task = {"kind": "export", "graph": graph, "media_type": media_type, "prefixes": self.prefixes,
                "out": str(out)}
        if self.remote:  # read from the engine by the server (the workers have no network)
            loop = asyncio.get_running_loop()
            timeout = self.timeout if timeout is None else timeout
            try:
                return await asyncio.wait_for(loop.run_in_executor(
                    self._executor, lambda: write_quads(self.store.quads(graph), task)), timeout)
            except TimeoutError:
                out.unlink(missing_ok=True)
                raise self._timeout_error(timeout) from None
            except BaseException:
                out.unlink(missing_ok=True)
                raise
        try:
            message = await self._submit(task, timeout, snapshot=True)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        return message[1]

    async def call(self, target: str, payload: Any, *, timeout: float | None = None) -> Any:
        """Run ``target`` (``"module:function"``, a module in ``preload``) in a worker on the
        current checkpoint, under the timeout and the memory cap: ``function(state, task)``
        gets the worker's state (``state["store"]``: the opened read-only checkpoint) and
        ``task`` (``payload``, ``snapshot``, ``generation``, ``origin``); its picklable return
        value is returned. Raises :class:`QueryTimeout` (the worker is killed, so the work
        stops) and :class:`~graph.errors.QueryMemoryExceeded` like :meth:`run`."""
        task = {"kind": "call", "target": target, "payload": payload, "origin": str(self.store.path)}
        message = await self._submit(task, timeout, snapshot=True)
        return message[1]

    async def _take_worker(self, timeout: float) -> _Worker:
        assert self._idle is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise self._timeout_error(timeout, busy=True) from None
            if worker.process.poll() is None:
                return worker
            self.replaced += 1  # died while idle (killed from outside): replace, take another
            asyncio.ensure_future(self._replace(worker))

    async def _submit(self, task: dict[str, Any], timeout: float | None, *, snapshot: bool) -> tuple[Any, ...]:
        if self._idle is None:
            raise StoreError("the query workers are not started")
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        worker = await self._take_worker(timeout)
        healthy = False
        died = False
        try:
            message = await self._exchange(worker, task, deadline, snapshot)
            if message is None:
                self.killed += 1
                raise self._timeout_error(timeout)
            if message is _DIED:
                died = True
            else:
                healthy = True
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                # Timed out, cancelled (client went away) or died: the worker may still be
                # busy, so it is killed and replaced in the background.
                asyncio.ensure_future(self._replace(worker))
        if died:
            self.replaced += 1
            exit_code = await loop.run_in_executor(self._executor, _exit_code, worker.process)
            raise self._died_error(exit_code)
        assert message is not None
        if message[0] == "error":
            _, cls, text, details, *code = message
            raise getattr(errors, cls)(text, details=details, code=code[0] if code else None)
        return message

    async def _exchange(self, worker: _Worker, task: dict[str, Any], deadline: float,
                        snapshot: bool) -> tuple[Any, ...] | None:
        """Take the current checkpoint (when the task reads the store), send the task, wait for
        the answer until ``deadline``, all on the event loop (a new checkpoint is made on a pool
        thread). ``None`` when it is late, ``_DIED`` when the worker died."""
        loop = asyncio.get_running_loop()
        snap = None
        if snapshot:
            snap = self._take_current() or await loop.run_in_executor(self._executor, self._acquire_snapshot)
        try:
            if snap is not None:
                task = dict(task, snapshot=str(snap), generation=_generation_of(snap))
            try:
                await loop.sock_sendall(worker.sock, _frame(task))
            except OSError:
                return _DIED
            try:
                return await asyncio.wait_for(_receive(loop, worker.sock), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                return None
            except (EOFError, OSError):
                return _DIED
        finally:
            # deleting an old checkpoint takes a while: on a thread, not on the loop
            if snap is not None and self._release(snap, cleanup=False):
                loop.run_in_executor(self._executor, self._release_retired)

    def _release_retired(self) -> None:
        with self._lock:
            self._cleanup()

    def _died_error(self, code: int | None) -> errors.RegiokgError:
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, 134, 139) and self.memory_mb:
            # Rust aborts when an allocation fails under RLIMIT_AS
            return errors.QueryMemoryExceeded(_memory_message(self.memory_mb),
                                              details={"setting": "REGIOKG_QUERY_MEMORY_MB",
                                                       "limit_mb": self.memory_mb, "exit_code": code})
        return errors.QueryMemoryExceeded(
            f"the query worker stopped while running the query (exit code {code}); it was replaced. "
            f"If the query needs much memory, REGIOKG_QUERY_MEMORY_MB={self.memory_mb} bounds it",
            details={"setting": "REGIOKG_QUERY_MEMORY_MB", "limit_mb": self.memory_mb, "exit_code": code})

    @staticmethod
    def _timeout_error(timeout: float, *, busy: bool = False) -> QueryTimeout:
        why = ("no query worker became free" if busy else "the query was stopped")
        return QueryTimeout(
            f"{why} after {timeout:g} s (REGIOKG_QUERY_TIMEOUT={timeout:g}); make the query more selective "
            "(LIMIT, more specific patterns) or raise REGIOKG_QUERY_TIMEOUT",
            details={"timeout_seconds": timeout, "setting": "REGIOKG_QUERY_TIMEOUT"},
        )

    @staticmethod
    async def stream_file(path: str) -> AsyncIterator[bytes]:
        """The bytes of a spool file in chunks; the file is deleted afterwards."""
        loop = asyncio.get_running_loop()
        try:
            with open(path, "rb") as f:
                while True:
                    chunk = await loop.run_in_executor(None, f.read, CHUNK)
                    if not chunk:
                        break
                    yield chunk
        finally:
            Path(path).unlink(missing_ok=True)


def _generation_of(snapshot: Path) -> int:
    """The store generation a checkpoint was taken at (its folder is ``gen-<n>-<id>``)."""
    return int(snapshot.name.split("-")[1])


def _exit_code(process: Any) -> int | None:
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None
