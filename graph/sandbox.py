"""Run untrusted SPARQL queries in worker processes that can be stopped.

pyoxigraph cannot cancel a running query (oxigraph issue #1926), and a thread cannot be
killed, so a runaway query in the server process would hold a core until it ends. The
SPARQL protocol endpoint therefore runs queries in a small pool of worker processes:

* after every write the primary store is checkpointed (``Store.backup``: a RocksDB
  checkpoint of hard links, cheap) into ``<store>.snapshots/gen-<n>-<id>``; a worker opens
  that checkpoint with ``Store.read_only`` (opening read-only a store that another process
  writes is undefined behaviour, a checkpoint nobody writes is safe);
* a worker runs the query, applies the row cap and serialises the answer in the requested
  format, and sends the bytes back;
* the parent waits until the deadline; on timeout it SIGKILLs that worker, answers
  :class:`~graph.errors.QueryTimeout` (503, naming ``REGIOKG_QUERY_TIMEOUT``) and starts
  a fresh worker, while other requests keep being served by the other workers.

Checkpoints no task uses any more are deleted once a newer one exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError, QueryTimeout, StoreError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class SandboxResult:
    """A serialised query answer."""

    body: bytes
    media_type: str
    kind: str  # "solutions", "boolean" or "graph"
    count: int  # rows or triples returned (1 for ASK)
    truncated: bool = False


@dataclass
class _Worker:
    process: Any
    conn: Any
    ident: int = field(default=0)


# -- the worker side ------------------------------------------------------------------------
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
    """Run ``task['query']`` on ``store`` and serialise it; used in the workers (and tests).

    ``task`` keys: query, media_type, union_default_graph, default_graph (list or None),
    named_graphs (list or None), max_rows, prefixes.
    """
    kwargs: dict[str, Any] = {}
    if task.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in task["default_graph"]]
    else:
        kwargs["use_default_graph_as_union"] = bool(task.get("union_default_graph", True))
    if task.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in task["named_graphs"]]
    max_rows = int(task["max_rows"])
    media_type = task["media_type"]
    result = store.query(task["query"], **kwargs)
    if isinstance(result, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        return SandboxResult(result.serialize(format=fmt), media_type, "boolean", 1)
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
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        if fmt == ox.QueryResultsFormat.JSON:
            if truncated:
                doc["regiokg"] = {"truncated": True, "max_rows": max_rows, "setting": "REGIOKG_MAX_ROWS"}
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        else:
            plain = json.dumps(doc).encode("utf-8")
            body = ox.parse_query_results(plain, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
        return SandboxResult(body, media_type, "solutions", len(bindings), truncated)
    triples = []
    truncated = False
    for i, triple in enumerate(result):
        if i >= max_rows:
            truncated = True
            break
        triples.append(triple)
    fmt = ox.RdfFormat.from_media_type(media_type)
    items: list[Any] = triples
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = task.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(items, format=fmt, prefixes=prefixes) or b""
    return SandboxResult(body, media_type, "graph", len(triples), truncated)


def _worker_entry(fd: int) -> None:
    """Entry point of a worker process (started with ``python -c``, see ``QuerySandbox._spawn``)."""
    _worker_main(Connection(fd))


def _worker_main(conn: Any) -> None:
    """Loop of one worker process: open the requested checkpoint, run, send the answer back."""
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            if task["snapshot"] != opened:
                store = None
                store = ox.Store.read_only(task["snapshot"])
                opened = task["snapshot"]
            assert store is not None
            conn.send(("ok", execute_query(store, task)))
        except SyntaxError as exc:
            conn.send(("error", "query_error", f"malformed SPARQL query: {exc}"))
        except (ValueError, RuntimeError, OSError, TypeError) as exc:
            conn.send(("error", "query_failed", f"query failed: {exc}"))


# -- the parent side ------------------------------------------------------------------------
class QuerySandbox:
    """A pool of query worker processes over checkpoints of one :class:`~graph.store.OxigraphStore`.

    Use from one asyncio event loop: ``await sandbox.start()``, ``await sandbox.run(...)``,
    ``await sandbox.stop()``.
    """

    def __init__(self, store: Any, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 union_default_graph: bool = True, prefixes: dict[str, str] | None = None):
        self.store = store
        self.size = workers
        self.timeout = timeout
        self.max_rows = max_rows
        self.union_default_graph = union_default_graph
        self.prefixes = prefixes or {}
        self.snapshot_root = Path(str(store.path) + ".snapshots")
        self._executor = ThreadPoolExecutor(max_workers=2 * workers + 4, thread_name_prefix="regiokg-sandbox")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: dict[int, _Worker] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._current: tuple[int, Path] | None = None
        self._users: Counter[Path] = Counter()
        self._retired: set[Path] = set()
        self.killed = 0  # workers stopped by the timeout (reported by /health)

    # life cycle
    async def start(self) -> None:
        """Start the workers (each takes a moment to import pyoxigraph)."""
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        shutil.rmtree(self.snapshot_root, ignore_errors=True)
        self.snapshot_root.mkdir(parents=True, exist_ok=True)
        await loop.run_in_executor(self._executor, self._acquire_snapshot)
        self._release(self._current[1])  # type: ignore[index]
        workers = await asyncio.gather(*(loop.run_in_executor(self._executor, self._spawn) for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    async def stop(self) -> None:
        """Stop every worker and delete the checkpoints."""
        for w in list(self._all.values()):
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in list(self._all.values()):
            try:
                w.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait(timeout=5)
            w.conn.close()
        self._all.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.snapshot_root, ignore_errors=True)

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not multiprocessing's spawn, which re-imports the caller's
        # __main__ module) talking over a socket pair with multiprocessing's framing.
        parent_sock, child_sock = socket.socketpair()
        child_fd = child_sock.fileno()
        proc = subprocess.Popen(
            [sys.executable, "-c", f"from graph.sandbox import _worker_entry; _worker_entry({child_fd})"],
            pass_fds=[child_fd], stdin=subprocess.DEVNULL, close_fds=True,
        )
        child_sock.close()
        w = _Worker(proc, Connection(parent_sock.detach()), next(self._ids))
        self._all[w.ident] = w
        return w

    def _kill(self, w: _Worker) -> None:
        self._all.pop(w.ident, None)
        w.process.kill()  # SIGKILL: the only way to stop a running pyoxigraph query
        w.process.wait(timeout=10)
        w.conn.close()

    async def _replace(self, w: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._kill, w)
        fresh = await loop.run_in_executor(self._executor, self._spawn)
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

    def _release(self, path: Path) -> None:
        with self._lock:
            self._users[path] -= 1
            if self._users[path] <= 0:
                del self._users[path]
            self._cleanup()

    def _cleanup(self) -> None:
        for path in list(self._retired):
            if self._users.get(path, 0) == 0:
                shutil.rmtree(path, ignore_errors=True)
                self._retired.discard(path)

    # running
    async def run(self, query: str, *, media_type: str, default_graph: list[str] | None = None,
                  named_graphs: list[str] | None = None, timeout: float | None = None,
                  max_rows: int | None = None) -> SandboxResult:
        """Run ``query`` in a worker and return its answer serialised as ``media_type``.

        Raises :class:`QueryTimeout` after ``timeout`` seconds (the worker is killed),
        :class:`QueryError` for a query the engine rejects.
        """
        if self._idle is None:
            raise StoreError("the query workers are not started")
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise self._timeout_error(timeout, busy=True) from None
        snapshot: Path | None = None
        healthy = False
        try:
            snapshot = await loop.run_in_executor(self._executor, self._acquire_snapshot)
            task = {
                "snapshot": str(snapshot), "query": query, "media_type": media_type,
                "union_default_graph": self.union_default_graph, "default_graph": default_graph,
                "named_graphs": named_graphs, "prefixes": self.prefixes,
                "max_rows": self.max_rows if max_rows is None else max_rows,
            }
            await loop.run_in_executor(self._executor, worker.conn.send, task)
            remaining = max(0.0, deadline - time.monotonic())
            ready = await loop.run_in_executor(self._executor, worker.conn.poll, remaining)
            if not ready:
                self.killed += 1
                raise self._timeout_error(timeout)
            try:
                message = await loop.run_in_executor(self._executor, worker.conn.recv)
            except (EOFError, OSError):
                raise StoreError("the query worker died while running the query (out of memory?)") from None
            healthy = True
        finally:
            if snapshot is not None:
                self._release(snapshot)
            if healthy:
                self._idle.put_nowait(worker)
            else:
                # Timed out, cancelled (client went away) or crashed: the worker may still be
                # busy, so it is killed and replaced in the background.
                asyncio.ensure_future(self._replace(worker))
        if message[0] == "ok":
            return message[1]
        _, code, text = message
        raise QueryError(text, code=code)

    @staticmethod
    def _timeout_error(timeout: float, *, busy: bool = False) -> QueryTimeout:
        why = ("no query worker became free" if busy else "the query was stopped")
        return QueryTimeout(
            f"{why} after {timeout:g} s (REGIOKG_QUERY_TIMEOUT={timeout:g}); make the query more selective "
            "(LIMIT, more specific patterns) or raise REGIOKG_QUERY_TIMEOUT",
            details={"timeout_seconds": timeout, "setting": "REGIOKG_QUERY_TIMEOUT"},
        )
