"""SPARQL 1.1 Update at /update (bearer token), applied exactly as validated.

The update is evaluated once into the exact quads it removes and adds
(``graph.update_eval``); that change is SHACL-validated (every graph and focus node it
touches) and applied in one transaction by the one write path (``graph.write``). An
invalid update answers 422 with the report and writes nothing.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import get_kg, get_sandbox, get_settings, require_write_token
from api.routes.protocol import media_type_of, read_body
from api.routes.sparql import UnsupportedMediaType
from graph.errors import BadInput
from graph.kg import KnowledgeGraph
from graph.sandbox import QuerySandbox
from graph.settings import Settings

router = APIRouter(tags=["sparql"])


class WriteResult(BaseModel):
    status: str
    graphs: list[str]  # the named graphs the update changed
    added: int  # quads added
    removed: int  # quads removed


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
    result = await run_in_threadpool(kg.update, text, validate=settings.validate_writes)
    return WriteResult(status="ok", graphs=result.graphs, added=result.total_added,
                       removed=sum(result.removed.values()))
