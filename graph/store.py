"""The store interface and its embedded Oxigraph backend.

Callers (``graph.kg``, ``graph.write``, the importers, the API) talk to :class:`Store`
only; nothing outside this module opens a pyoxigraph ``Store`` for storage (the query
sandbox opens read-only checkpoints that :meth:`OxigraphStore.snapshot` makes, see
``graph/sandbox.py``). The remote SPARQL 1.1 backend (``graph/store_remote.py``) is the other
subclass of :class:`Store`.

Terms: pyoxigraph's term classes (``NamedNode``, ``Literal``, ``BlankNode``, ``Quad``,
``Triple``) are the project's RDF term *values* everywhere (they are plain immutable
values, parsed and serialised by pyoxigraph); query results are pyoxigraph result
objects (a remote backend builds them with ``pyoxigraph.parse_query_results``).

The default graph is a set: it holds the deduplicated union of all named graphs, kept so
by the one write path (``graph.write``), which puts the default-graph quads of every
change into the :class:`Change` it applies. Queries run with the stored default graph
(never Oxigraph's "union default graph", which counts a triple once per graph that
states it); ``GRAPH ?g`` ranges over the named graphs only. Dumps leave the derived
default graph out; restore and opening a store that lacks it rebuild it.

Atomicity: every :meth:`Store.apply` is one Oxigraph transaction (a SPARQL update with
``DELETE DATA`` / ``INSERT DATA`` blocks, or one ``load`` when the change only adds), so
a crash or ``kill -9`` in the middle leaves the store as before. ``restore`` bulk-loads
into a fresh directory and swaps it in by renaming, so the old store stays intact until
the new one is complete. Folders left by a crash (``<store>.restoring``,
``<store>.update-*`` trial copies of older versions, staging graphs) are removed when the
store is next opened.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.errors import QueryError, StoreError, StoreLocked
from graph.rdfio import DUMP_FORMATS, format_for, quads_to_nquads

STAGING_PREFIX = "urn:regiokg:staging:"  # staging graphs of older versions (removed on open)
DEFAULT = ox.DefaultGraph()

Triple = tuple[Any, Any, Any]


@dataclass
class Change:
    """One atomic change of the dataset: exact quads to remove and to add.

    ``remove`` and ``add`` include the derived default-graph quads (computed by
    ``graph.write``); their named-graph quads are exact (each removed quad is in the store,
    each added one is not), so a backend can keep sizes without counting. ``drop_graphs``
    are named graphs whose name goes too (their quads are in ``remove``), ``create_graphs``
    names of (possibly empty) graphs to create.
    """

    remove: list[ox.Quad] = field(default_factory=list)
    add: list[ox.Quad] = field(default_factory=list)
    drop_graphs: set[str] = field(default_factory=set)
    create_graphs: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.remove or self.add or self.drop_graphs or self.create_graphs)

    def graphs(self) -> set[str]:
        """The named graphs this change touches."""
        names = {q.graph_name.value for q in (*self.remove, *self.add) if isinstance(q.graph_name, ox.NamedNode)}
        return names | self.drop_graphs | self.create_graphs


class Store(ABC):
    """What regiokg needs from a quad store (see the module docstring for the conventions)."""

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, *, substitutions: dict[str, Any] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Any:
        """Run a SPARQL query; pyoxigraph QuerySolutions, QueryBoolean or QueryTriples.

        The default graph is the stored set union of the named graphs, unless
        ``default_graph`` lists graphs to use instead (``[]``: an empty default graph).
        """

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Quads of every named graph (``None``), of one named graph, or of the default graph (``""``)."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in all named graphs (``None``), in one, or in the default graph (``""``)."""

    @abstractmethod
    def sizes(self) -> dict[str, int]:
        """Quads per named graph."""

    @abstractmethod
    def holders(self, triples: Iterable[Triple]) -> dict[Triple, set[str]]:
        """For each ``(s, p, o)``, the named graphs that state it (absent: none)."""

    @abstractmethod
    def description(self, subject: ox.NamedNode, graph: str | None = None) -> list[ox.Quad]:
        """Quads with ``subject``: in one named graph, or (``None``) in the default graph (the union)."""

    def canonical(self, quads: Iterable[ox.Quad]) -> set[ox.Quad]:
        """``quads`` with their literals in the form the store keeps (``+00:00`` becomes
        ``Z``, ``01`` becomes ``1``, language tags lower case ...), so the write path's
        differences compare what is stored with what is written. The default keeps the
        terms as they are (a backend that stores lexical forms unchanged)."""
        return set(quads)

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def writing(self) -> contextlib.AbstractContextManager[None]:
        """A context in which nobody else writes (the write path computes, validates and applies in it)."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Apply ``change`` atomically (all or nothing) and move the change marker."""

    @abstractmethod
    def rebuild_default_graph(self) -> int:
        """Recompute the default graph as the set union of the named graphs; returns its size."""

    # -- whole store -----------------------------------------------------------------------
    @abstractmethod
    def change_marker(self) -> str:
        """A value that changes whenever the data changes (caches key on it)."""

    @abstractmethod
    def dump(self, path: str | Path) -> int:
        """Write the named graphs' quads to an N-Quads or TriG file (by extension), sorted; returns the count."""

    @abstractmethod
    def restore(self, path: str | Path) -> None:
        """Replace the whole content by a dump (trusted bulk path, no validation)."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """Cheap facts for /health: backend, size, number of graphs, change marker."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


def open_store(location: str | Path, *, update: str | None = None, user: str | None = None,
               password: str | None = None) -> Store:
    """The store at ``location``: a URL (``http://host:port/sparql``) is a SPARQL engine reached
    over HTTP (``graph/store_remote.py``, updates to ``update``), anything else a directory of
    the embedded store."""
    from graph.store_remote import RemoteStore, is_remote

    if is_remote(location):
        return RemoteStore(str(location), update, user=user, password=password)
    return OxigraphStore(location)


def memory_store() -> ox.Store:
    """An empty in-memory pyoxigraph store used as a scratch evaluator (parsing updates,
    instantiating their templates, see ``graph/update_eval.py``); never for storage."""
    return ox.Store()


class OxigraphStore(Store):
    """Embedded Oxigraph (RocksDB) store in a directory on disk."""

    backend = "oxigraph-embedded"

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser().resolve()
        _refuse_during_restore(self.path)
        _recover_interrupted_restore(self.path)
        _remove_leftovers(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._raw = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower() or "temporarily unavailable" in text.lower():
                raise StoreLocked(
                    f"the store {self.path} is in use by another process (a running `regiokg serve`?); "
                    "stop it or use another --store") from None
            raise StoreError(f"cannot open the store {self.path}: {text}") from None
        self._lock = threading.RLock()
        self.generation = 0  # bumped on every write; the sandbox's checkpoints compare it
        self._sizes: tuple[int, dict[str, int]] | None = None  # (generation, quads per named graph)
        self._default_size: tuple[int, int] | None = None
        self._drop_staging()
        if self._needs_default_rebuild():
            self.rebuild_default_graph()

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None):
        kwargs: dict[str, Any] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self._raw.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._raw.named_graphs()
                      if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_PREFIX))

    def has_graph(self, graph: str) -> bool:
        return self._raw.contains_named_graph(ox.NamedNode(graph))

    def quads(self, graph=None):
        if graph is None:
            return (q for q in self._raw.quads_for_pattern(None, None, None, None)
                    if not isinstance(q.graph_name, ox.DefaultGraph))
        target = ox.NamedNode(graph) if graph else DEFAULT
        return iter(self._raw.quads_for_pattern(None, None, None, target))

    def _select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of one of our own SELECT queries (narrows the engine's result union)."""
        result = self._raw.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"expected SELECT solutions, got {type(result).__name__}")
        return result

    def _named_sizes(self) -> dict[str, int]:
        cached = self._sizes
        if cached is None or cached[0] != self.generation:
            generation = self.generation
            rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            cached = self._sizes = (generation, {r["g"].value: int(r["n"].value) for r in rows})
        return cached[1]

    def count(self, graph=None) -> int:
        if graph == "":
            cached = self._default_size
            if cached is None or cached[0] != self.generation:
                generation = self.generation
                n = int(next(iter(self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
                cached = self._default_size = (generation, n)
            return cached[1]
        sizes = self._named_sizes()
        return sum(sizes.values()) if graph is None else sizes.get(graph, 0)

    def sizes(self) -> dict[str, int]:
        return dict(self._named_sizes())

    def canonical(self, quads):
        # the embedded engine normalises typed literals on insert; a scratch in-memory store
        # gives the very form it will keep (O(n), no disk)
        scratch = ox.Store()
        scratch.extend(quads)
        return set(scratch)

    def holders(self, triples):
        out: dict[Triple, set[str]] = {}
        pattern = self._raw.quads_for_pattern
        for t in triples:
            graphs = {q.graph_name.value for q in pattern(t[0], t[1], t[2], None)
                      if isinstance(q.graph_name, ox.NamedNode)}
            if graphs:
                out[t] = graphs
        return out

    def description(self, subject, graph=None):
        target = ox.NamedNode(graph) if graph else DEFAULT
        return list(self._raw.quads_for_pattern(subject, None, None, target))

    # -- writing ---------------------------------------------------------------------------
    def writing(self):
        return self._lock

    def apply(self, change: Change) -> None:
        if not change:
            return
        for g in change.drop_graphs | change.create_graphs:
            ox.NamedNode(g)  # rejects characters that could break out of <...> below
        with self._lock:
            try:
                if not change.remove and not change.drop_graphs:
                    if change.add:
                        self._raw.load(quads_to_nquads(change.add), format=ox.RdfFormat.N_QUADS)  # one transaction
                    for g in sorted(change.create_graphs):
                        self._raw.add_graph(ox.NamedNode(g))
                else:
                    self._raw.update(update_text(change))  # one transaction
            except (OSError, RuntimeError) as exc:
                self.generation += 1
                raise StoreError(f"the store refused the write: {exc}") from None
            self._count_change(change)
            self.generation += 1
            if self._sizes is not None and self._sizes[0] == self.generation - 1:
                self._sizes = (self.generation, self._sizes[1])

    def _count_change(self, change: Change) -> None:
        """Keep the per-graph sizes without a count over the store (the change's quads are exact)."""
        if self._sizes is None or self._sizes[0] != self.generation:
            return
        sizes = self._sizes[1]
        for q in change.remove:
            if isinstance(q.graph_name, ox.NamedNode):
                sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) - 1
        for q in change.add:
            if isinstance(q.graph_name, ox.NamedNode):
                sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1
        for g in [g for g, n in sizes.items() if n <= 0]:
            del sizes[g]

    def rebuild_default_graph(self) -> int:
        with self._lock:
            # One transaction: the default graph is either the old one or the rebuilt one.
            self._raw.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            self.generation += 1
        return self.count("")

    def _needs_default_rebuild(self) -> bool:
        has_default = next(iter(self._raw.quads_for_pattern(None, None, None, DEFAULT)), None) is not None
        if has_default:
            return False
        return any(not isinstance(q.graph_name, ox.DefaultGraph)
                   for q in self._raw.quads_for_pattern(None, None, None, None))

    def clear(self) -> None:
        with self._lock:
            self._raw.clear()
            self.generation += 1

    # -- whole store -----------------------------------------------------------------------
    def change_marker(self) -> str:
        return f"{self.backend}:{self.path}:{self.generation}"

    def dump(self, path: str | Path) -> int:
        """Dump the named graphs' quads, sorted, so two stores with the same content give identical files."""
        return write_dump(list(self.quads()), path)

    def restore(self, path: str | Path) -> None:
        with self._lock:
            self.close()
            try:
                bulk_restore(self.path, path)
            finally:
                self._raw = ox.Store(str(self.path))
                self.generation += 1

    def health(self) -> dict[str, Any]:
        return {"backend": self.backend, "triples": self.count(), "graphs": len(self.named_graphs()),
                "default_graph_triples": self.count(""), "change_marker": self.change_marker()}

    def flush(self) -> None:
        self._raw.flush()

    def snapshot(self, target: str | Path) -> Path:
        """A consistent read-only copy for the query sandbox (RocksDB checkpoint: hard links, cheap)."""
        target = Path(target)
        self._raw.flush()
        self._raw.backup(str(target))
        return target

    def close(self) -> None:
        raw = getattr(self, "_raw", None)
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.flush()
            del self._raw

    def _drop_staging(self) -> None:
        for g in list(self._raw.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                self._raw.remove_graph(g)


class CheckpointStore(OxigraphStore):
    """A read-only view of a checkpoint of an :class:`OxigraphStore` (see :meth:`OxigraphStore.snapshot`),
    opened by a query worker (``graph/sandbox.py``) to run a read route there.

    ``origin`` and ``generation`` are the store it copies and the generation it was taken
    at, so :meth:`change_marker` says the same as the original store did (caches and
    analysis fingerprints agree between the server and its workers). Writes raise
    :class:`~graph.errors.StoreError`: a read route's write-back goes to the server
    (``api/readworker.py``).
    """

    def __init__(self, checkpoint: str | Path, *, origin: str | Path, generation: int, raw: ox.Store | None = None):
        self.path = Path(origin)
        self.checkpoint = Path(checkpoint)
        self._raw = raw if raw is not None else ox.Store.read_only(str(checkpoint))
        self._lock = threading.RLock()
        self.generation = generation
        self._sizes = None
        self._default_size = None

    def apply(self, change: Change) -> None:
        if change:
            raise StoreError("a read-only checkpoint of the store cannot be written")

    def rebuild_default_graph(self) -> int:
        raise StoreError("a read-only checkpoint of the store cannot be written")

    def clear(self) -> None:
        raise StoreError("a read-only checkpoint of the store cannot be written")

    def restore(self, path: str | Path) -> None:
        raise StoreError("a read-only checkpoint of the store cannot be written")

    def flush(self) -> None:
        pass

    def snapshot(self, target: str | Path) -> Path:
        raise StoreError("a checkpoint is not checkpointed again")

    def close(self) -> None:
        self._raw = None  # type: ignore[assignment]


def write_dump(quads: list[ox.Quad], path: str | Path) -> int:
    """Write ``quads`` to an N-Quads or TriG file (by extension), sorted, so two stores with the
    same content give identical files (every backend's ``dump``); returns the count."""
    path = Path(path)
    fmt = format_for(path, formats=DUMP_FORMATS)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        # Blank nodes get their RDFC-1.0 canonical labels (a restore gives them new internal
        # ids), so dump -> restore -> dump is byte-identical. Our writes skolemise blank
        # nodes, so only trusted bulk loads bring any.
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    lines = sorted(quads, key=_quad_sort_key)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        if fmt == ox.RdfFormat.TRIG:  # prefixes make a TriG dump ~4x smaller than N-Quads
            from graph.namespaces import PREFIXES

            ox.serialize(lines, out, format=fmt, prefixes=PREFIXES)
        else:
            ox.serialize(lines, out, format=fmt)
    tmp.replace(path)
    return len(lines)


def update_text(change: Change) -> str:
    """The SPARQL update applying ``change`` (terms written by pyoxigraph, so no text is pasted in)."""
    parts = []
    if change.remove:
        parts.append("DELETE DATA { " + _data_block(change.remove) + " }")
    if change.add:
        parts.append("INSERT DATA { " + _data_block(change.add) + " }")
    parts += [f"DROP SILENT GRAPH <{g}>" for g in sorted(change.drop_graphs)]
    parts += [f"CREATE SILENT GRAPH <{g}>" for g in sorted(change.create_graphs)]
    return " ;\n".join(parts)


def _data_block(quads: list[ox.Quad]) -> str:
    by_graph: dict[Any, list[str]] = {}
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            raise StoreError("blank nodes cannot be written in an update (graph.write skolemises them)")
        by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    out = []
    for g, lines in by_graph.items():
        if isinstance(g, ox.DefaultGraph):
            out.append("\n".join(lines))
        else:
            out.append(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
    return "\n".join(out)


def bulk_restore(path: str | Path, source: str | Path | IO[bytes], *, fmt: ox.RdfFormat | None = None) -> None:
    """Replace the store at ``path`` by a dump while holding the restore lock (see :func:`_restore_lock`)."""
    with _restore_lock(Path(path).expanduser().resolve()):
        _bulk_restore(path, source, fmt=fmt)


def _bulk_restore(path: str | Path, source: str | Path | IO[bytes], *, fmt: ox.RdfFormat | None = None) -> None:
    """Replace the store at ``path`` by the content of a dump, on the trusted bulk path.

    The dump is bulk-loaded into ``<path>.restoring`` and its default graph rebuilt as the
    union of the named graphs (any default-graph triples in the dump are dropped); only when
    that succeeded is the old store moved aside and the new one renamed into place. A crash
    leaves either the old or the new store (``_recover_interrupted_restore`` finishes a
    half-done swap).
    """
    path = Path(path).expanduser().resolve()
    work = path.with_name(path.name + ".restoring")
    old = path.with_name(path.name + ".old")
    if work.exists():
        shutil.rmtree(work)
    if not isinstance(source, (str, Path)):
        data = source.read()
        fmt = fmt or ox.RdfFormat.N_QUADS
    else:
        data = None
        fmt = fmt or format_for(source, formats=DUMP_FORMATS)
    staging = ox.Store(str(work))
    try:
        if data is None:
            staging.bulk_load(path=str(source), format=fmt)
        else:
            staging.bulk_load(data, format=fmt)
        staging.clear_graph(DEFAULT)
        parsed = ox.parse(path=str(source), format=fmt) if data is None else ox.parse(data, format=fmt)
        staging.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, DEFAULT) for q in parsed
                            if not isinstance(q.graph_name, ox.DefaultGraph))
        staging.flush()  # no optimize(): the bulk loader writes sorted files; compaction cost ~6 s
        # at 3.4M quads and changed no query time measured (bench/load.py, RESULTS.md)
    except SyntaxError as exc:
        del staging
        shutil.rmtree(work, ignore_errors=True)
        from graph.errors import ParseError
        raise ParseError(f"{source}:{exc.lineno or '?'}: syntax error: {exc.msg}", file=str(source),
                         line=exc.lineno) from None
    except BaseException:
        del staging
        shutil.rmtree(work, ignore_errors=True)
        raise
    del staging
    if old.exists():
        shutil.rmtree(old)
    if path.exists():
        path.rename(old)
    work.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def _lock_file(path: Path) -> Path:
    return path.with_name(path.name + ".restore-lock")


@contextlib.contextmanager
def _restore_lock(path: Path) -> Iterator[None]:
    """Held (flock, exclusive) while a restore builds and swaps the store; another process
    opening the store meanwhile is refused in one line instead of breaking the restore by
    "recovering" its half-built folder."""
    import fcntl
    import os

    lock = _lock_file(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _refuse_during_restore(path: Path) -> None:
    import fcntl

    lock = _lock_file(path)
    if not lock.exists():
        return
    with open(lock, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            pid = f.read().strip() or "?"
            raise StoreLocked(f"the store {path} is being restored by process {pid} (`regiokg restore`); "
                              "run this command again when the restore has finished", code="store_restoring") from None
        fcntl.flock(f, fcntl.LOCK_UN)


def _recover_interrupted_restore(path: Path) -> None:
    old = path.with_name(path.name + ".old")
    work = path.with_name(path.name + ".restoring")
    if not path.exists() and old.exists():
        old.rename(path)  # crashed between the two renames: keep the old store
    if work.exists():
        shutil.rmtree(work, ignore_errors=True)
    if path.exists() and old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(path: Path) -> None:
    """Trial copies (``<store>.update-*``) that older versions made for /update and left on a crash."""
    if path.parent.is_dir():
        for leftover in path.parent.glob(path.name + ".update-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _quad_sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
