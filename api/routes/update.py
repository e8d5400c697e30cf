"""SPARQL 1.1 Update at /update (bearer token), validated on a copy before it is applied.

The update first runs on a checkpoint of the store (a RocksDB checkpoint opened
read-write as a separate store); the graphs it touched are SHACL-validated there as they
would be afterwards. Only when they conform is the same update applied to the store, in
one transaction, under the store's write lock (so nothing changes between the trial and
the real run). An invalid update answers 422 with the report and writes nothing.
"""

from __future__ import annotations

import shutil
import uuid
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import get_kg, get_sandbox, get_settings, require_write_token
from api.routes.protocol import media_type_of, read_body
from api.routes.sparql import UnsupportedMediaType
from graph.errors import BadInput, QueryError
from graph.kg import KnowledgeGraph
from graph.sandbox import QuerySandbox
from graph.settings import Settings
from graph.validation import validate_quads

router = APIRouter(tags=["sparql"])

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
DEFAULT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class WriteResult(BaseModel):
    status: str
    graphs: list[str]


@router.post("/update", response_model=WriteResult, dependencies=[Depends(require_write_token)])
async def post_update(request: Request, kg: KnowledgeGraph = Depends(get_kg),
                      settings: Settings = Depends(get_settings),
                      sandbox: QuerySandbox = Depends(get_sandbox)) -> WriteResult:
    """Apply a SPARQL update (form field ``update`` or ``application/sparql-update``), validated and atomic."""
    body = await read_body(request, settings.max_request_bytes)
    ctype = media_type_of(request)
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        if "update" not in form:
            raise BadInput("missing form field 'update'" + ("; queries go to /sparql" if "query" in form else ""))
        text = form["update"][0]
    elif ctype == "application/sparql-update":
        text = body.decode("utf-8", errors="replace")
    else:
        raise UnsupportedMediaType(f"unsupported Content-Type {ctype or '(none)'!r} for an update; use "
                                   "application/x-www-form-urlencoded (field 'update') or application/sparql-update")
    if not text.strip():
        raise BadInput("empty update")
    await sandbox.check_update(text)  # parsed in a worker: depth, syntax, LOAD/SERVICE refused
    touched = await run_in_threadpool(apply_update, kg, text, validate=settings.validate_writes)
    return WriteResult(status="ok", graphs=touched)


def apply_update(kg: KnowledgeGraph, text: str, *, validate: bool = True) -> list[str]:
    """Run ``text`` on a copy, validate the graphs it changed, then apply it for real.

    Returns the IRIs of the changed graphs ("" for the default graph). Raises
    :class:`~graph.errors.ValidationFailed` (nothing written) or :class:`QueryError`.
    """
    store = kg.store
    with store.write_lock:
        trial_dir = store.path.with_name(f"{store.path.name}.update-{uuid.uuid4().hex[:8]}")
        try:
            store.snapshot(trial_dir)
            trial = ox.Store(str(trial_dir))
            try:
                before = _graph_counts(trial)
                try:
                    trial.update(text)
                except SyntaxError as exc:
                    raise QueryError(f"malformed SPARQL update: {exc}") from None
                except (OSError, RuntimeError, ValueError) as exc:
                    raise QueryError(f"update failed: {exc}") from None
                after = _graph_counts(trial)
                changed = sorted(g for g in set(before) | set(after) if before.get(g) != after.get(g))
                changed = sorted(set(changed) | _static_targets(text))
                if validate and changed:
                    quads: list[ox.Quad] = []
                    for g in changed:
                        target = ox.NamedNode(g) if g else ox.DefaultGraph()
                        quads.extend(trial.quads_for_pattern(None, None, None, target))
                    validate_quads(quads)
            finally:
                del trial
            store.update(text)  # one transaction; identical input on identical data
            return changed
        finally:
            shutil.rmtree(trial_dir, ignore_errors=True)


def _graph_counts(store: ox.Store) -> dict[str, int]:
    counts = {s["g"].value: int(s["n"].value) for s in store.query(GRAPH_COUNTS)}
    default = int(next(iter(store.query(DEFAULT_COUNT)))["n"].value)
    if default:
        counts[""] = default
    return counts


def _static_targets(text: str) -> set[str]:
    """Graph IRIs an update writes to by name (GRAPH in templates and data, WITH) per rdflib's parser.

    Catches changes that keep a graph's size (DELETE one triple, INSERT another).
    """
    from rdflib import URIRef
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseUpdate(text)
    except Exception:
        return set()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            for key, value in node.items():
                if key in ("term", "iri", "graphiri", "withClause") and isinstance(value, URIRef) \
                        and node.name in ("QuadsNotTriples", "Modify"):  # written-to graphs only
                    found.add(str(value))
                walk(value)
        elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
            for value in node:
                walk(value)

    walk(tree)
    return found
