"""The store interface and its embedded Oxigraph backend.

Callers (``graph.kg``, the importers, the API) talk to :class:`Store` only, so a remote
SPARQL 1.1 endpoint backend can be added as another subclass without changing them.

Atomicity: every write is one Oxigraph transaction (RocksDB write batch with a WAL), so a
crash or ``kill -9`` in the middle leaves the store as before. Replacing a named graph
loads the new content into a staging graph (transaction 1) and then ``MOVE``s it over the
target (transaction 2, atomic); staging graphs left by a crash between the two are
removed when the store is next opened. ``restore`` bulk-loads into a fresh directory and
swaps it in by renaming, so the old store stays intact until the new one is complete.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.errors import QueryError, StoreError, StoreLocked
from graph.rdfio import DUMP_FORMATS, format_for, quads_to_nquads

STAGING_PREFIX = "urn:regiokg:staging:"


class Store(ABC):
    """What regiokg needs from a quad store."""

    @abstractmethod
    def query(self, sparql: str, *, substitutions: dict[str, Any] | None = None,
              union_default_graph: bool = True, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Any:
        """Run a SPARQL query; pyoxigraph QuerySolutions, QueryBoolean or QueryTriples."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs (staging graphs excluded), sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or those of one named graph."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads, in all or in one named graph."""

    @abstractmethod
    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads in one transaction; returns how many were given."""

    @abstractmethod
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        """Atomically replace the content of one named graph."""

    @abstractmethod
    def _same_content(self, graph: str, quads: list[ox.Quad]) -> bool:
        """Whether named graph ``graph`` holds exactly the triples of ``quads``."""
        target = ox.NamedNode(graph)
        current = {(q.subject, q.predicate, q.object) for q in self.raw.quads_for_pattern(None, None, None, target)}
        return len(current) == len({(q.subject, q.predicate, q.object) for q in quads}) and \
            all((q.subject, q.predicate, q.object) in current for q in quads)

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove one named graph (atomic)."""

    @abstractmethod
    def dump(self, path: str | Path) -> int:
        """Write every quad to an N-Quads or TriG file (by extension), sorted; returns the count."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


class OxigraphStore(Store):
    """Embedded Oxigraph (RocksDB) store in a directory on disk."""

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser().resolve()
        _recover_interrupted_restore(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.raw = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower() or "temporarily unavailable" in text.lower():
                raise StoreLocked(
                    f"the store {self.path} is in use by another process (a running `regiokg serve`?); "
                    "stop it or use another --store") from None
            raise StoreError(f"cannot open the store {self.path}: {text}") from None
        self.write_lock = threading.RLock()
        self.generation = 0  # bumped on every write; readers holding snapshots compare it
        self._drop_staging()

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql, *, substitutions=None, union_default_graph=True, default_graph=None, named_graphs=None):
        kwargs: dict[str, Any] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = union_default_graph
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self.raw.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.raw.named_graphs()
                      if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_PREFIX))

    def quads(self, graph=None):
        target = ox.NamedNode(graph) if graph else None
        return iter(self.raw.quads_for_pattern(None, None, None, target))

    def count(self, graph=None) -> int:
        if graph is None:
            return len(self.raw)
        # pyoxigraph binds only projected variables, hence ?g in the projection.
        result = self.raw.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                substitutions={ox.Variable("g"): ox.NamedNode(graph)})
        rows = list(result)
        return int(rows[0]["n"].value) if rows else 0

    # -- writing ---------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        with self.write_lock:
            try:
                self.raw.update(sparql)
            except SyntaxError as exc:
                raise QueryError(f"malformed SPARQL update: {exc}") from None
            self.generation += 1

    def add(self, quads: Iterable[ox.Quad]) -> int:
        quads = list(quads)
        if not quads:
            return 0
        payload = quads_to_nquads(quads)
        with self.write_lock:
            self.raw.load(payload, format=ox.RdfFormat.N_QUADS)  # one transaction
            self.generation += 1
        return len(quads)

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        return self.replace_graphs({graph: quads})

    def replace_graphs(self, graphs: dict[str, Iterable[ox.Quad]]) -> int:
        """Replace several named graphs; each becomes visible in one atomic step."""
        staged: dict[str, str] = {}
        total = 0
        with self.write_lock:
            # Fast paths (added by the importers; a MOVE of ~100k quads takes tens of seconds):
            # a graph whose content is unchanged is left alone (re-running an import is a
            # no-op), and graphs that do not exist yet are loaded in one transaction.
            existing = {g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode)}
            graphs = {g: list(q) for g, q in graphs.items()}
            unchanged = [g for g, q in graphs.items() if g in existing and self._same_content(g, q)]
            total += sum(len(graphs.pop(g)) for g in unchanged)
            if graphs and not (set(graphs) & existing):
                payload = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(g))
                           for g, quads in graphs.items() for q in quads]
                if payload:
                    self.raw.load(quads_to_nquads(payload), format=ox.RdfFormat.N_QUADS)  # one transaction
                for g in graphs:
                    self.raw.add_graph(ox.NamedNode(g))
                self.generation += 1
                return total + len(payload)
            if not graphs:
                return total
            try:
                for graph, quads in graphs.items():
                    staging = STAGING_PREFIX + uuid.uuid4().hex
                    target = ox.NamedNode(staging)
                    moved = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
                    total += len(moved)
                    self.raw.add_graph(target)
                    if moved:
                        self.raw.load(quads_to_nquads(moved), format=ox.RdfFormat.N_QUADS)
                    staged[graph] = staging
                moves = " ; ".join(f"MOVE SILENT GRAPH <{s}> TO <{g}>" for g, s in staged.items())
                # Every target IRI came through NamedNode(), which rejects characters that
                # could break out of <...>, so composing this update is safe.
                for g in staged:
                    ox.NamedNode(g)
                self.raw.update(moves)  # one transaction for all graphs
            except BaseException:
                for staging in staged.values():
                    self.raw.remove_graph(ox.NamedNode(staging))
                raise
            finally:
                self.generation += 1
        return total

    def _same_content(self, graph: str, quads: list[ox.Quad]) -> bool:
        """Whether named graph ``graph`` holds exactly the triples of ``quads``."""
        target = ox.NamedNode(graph)
        current = {(q.subject, q.predicate, q.object) for q in self.raw.quads_for_pattern(None, None, None, target)}
        return len(current) == len({(q.subject, q.predicate, q.object) for q in quads}) and \
            all((q.subject, q.predicate, q.object) in current for q in quads)

    def drop_graph(self, graph: str) -> None:
        with self.write_lock:
            node = ox.NamedNode(graph)
            if node in self.raw.named_graphs():
                self.raw.remove_graph(node)
            self.generation += 1

    def clear(self) -> None:
        with self.write_lock:
            self.raw.clear()
            self.generation += 1

    # -- whole store -----------------------------------------------------------------------
    def dump(self, path: str | Path) -> int:
        """Dump every quad, sorted, so two stores with the same content give identical files."""
        path = Path(path)
        fmt = format_for(path, formats=DUMP_FORMATS)
        lines = sorted(self.raw.quads_for_pattern(None, None, None, None), key=_quad_sort_key)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as out:
            if fmt == ox.RdfFormat.TRIG:  # prefixes make a TriG dump ~4x smaller than N-Quads
                from graph.namespaces import PREFIXES

                ox.serialize(lines, out, format=fmt, prefixes=PREFIXES)
            else:
                ox.serialize(lines, out, format=fmt)
        tmp.replace(path)
        return len(lines)

    def flush(self) -> None:
        self.raw.flush()

    def snapshot(self, target: str | Path) -> Path:
        """A consistent read-only copy (RocksDB checkpoint: hard links, cheap)."""
        target = Path(target)
        self.raw.flush()
        self.raw.backup(str(target))
        return target

    def close(self) -> None:
        raw = getattr(self, "raw", None)
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.flush()
            del self.raw

    def _drop_staging(self) -> None:
        for g in list(self.raw.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                self.raw.remove_graph(g)


def bulk_restore(path: str | Path, source: str | Path | IO[bytes], *, fmt: ox.RdfFormat | None = None) -> None:
    """Replace the store at ``path`` by the content of a dump, on the trusted bulk path.

    The dump is bulk-loaded into ``<path>.restoring``; only when that succeeded is the old
    store moved aside and the new one renamed into place. A crash leaves either the old or
    the new store (``_recover_interrupted_restore`` finishes a half-done swap).
    """
    path = Path(path).expanduser().resolve()
    work = path.with_name(path.name + ".restoring")
    old = path.with_name(path.name + ".old")
    if work.exists():
        shutil.rmtree(work)
    staging = ox.Store(str(work))
    try:
        if isinstance(source, (str, Path)):
            staging.bulk_load(path=str(source), format=fmt or format_for(source, formats=DUMP_FORMATS))
        else:
            staging.bulk_load(source, format=fmt or ox.RdfFormat.N_QUADS)
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


def _recover_interrupted_restore(path: Path) -> None:
    old = path.with_name(path.name + ".old")
    work = path.with_name(path.name + ".restoring")
    if not path.exists() and old.exists():
        old.rename(path)  # crashed between the two renames: keep the old store
    if work.exists():
        shutil.rmtree(work, ignore_errors=True)
    if path.exists() and old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _quad_sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
