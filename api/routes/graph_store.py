"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graph-store (``?graph=IRI`` or ``?default``).

GET reads (open like every read); PUT replaces, POST adds to, DELETE drops a graph, each
with the bearer token, through the one write path (``graph.write``: SHACL on what changes,
atomic). GET without a parameter answers the whole dataset (TriG or N-Quads: the named
graphs); ``?default`` reads the default graph, the set union of the named graphs, which
is derived and so cannot be written.
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import get_kg, get_sandbox, get_settings, require_write_token
from api.routes.protocol import GRAPH_ALIASES, GRAPH_FORMATS, choose_format, iri_param, media_type_of, read_body
from api.routes.sparql import UnsupportedMediaType
from graph import write
from graph.errors import BadInput, NotFound, ParseError
from graph.kg import KnowledgeGraph, as_quads
from graph.sandbox import QuerySandbox
from graph.settings import Settings

router = APIRouter(tags=["graph store"])
DATASET_FORMATS = ["application/trig", "application/n-quads"]


def _target(request: Request) -> str | None:
    """The graph IRI addressed (``graph=``), ``""`` for ``default``, None for the whole dataset."""
    params = request.query_params
    if "graph" in params and "default" in params:
        raise BadInput("give either graph=<IRI> or default, not both")
    if "graph" in params:
        return iri_param(params["graph"], "graph")
    if "default" in params:
        return ""
    return None


def _exists(kg: KnowledgeGraph, graph: str) -> bool:
    return graph == "" or graph in kg.store.named_graphs()


@router.get("/rdf-graph-store", summary="Read a graph (graph=IRI or default) or the whole dataset")
async def get_graph(request: Request, kg: KnowledgeGraph = Depends(get_kg),
                    sandbox: QuerySandbox = Depends(get_sandbox)) -> Response:
    """The content of one graph (negotiated RDF format) or, without a parameter, of every graph.

    Serialised by a query worker into a spool file (under the query timeout and memory cap)
    and streamed from there, so a large graph costs the server process no memory.
    """
    graph = _target(request)
    if graph is None:
        media = choose_format(request, DATASET_FORMATS, aliases={}, what="the whole dataset")
    else:
        if not _exists(kg, graph):
            raise NotFound(f"no graph <{graph}> in the store; GET /api/sources lists the graphs")
        media = choose_format(request, list(GRAPH_FORMATS), aliases=GRAPH_ALIASES, what="a graph",
                              name_overrides={"json": "application/ld+json", "xml": "application/rdf+xml"})
    result = await sandbox.export(graph, media_type=media)
    assert result.path is not None
    return StreamingResponse(sandbox.stream_file(result.path), media_type=media,
                             headers={"Vary": "Accept", "Content-Length": str(os.path.getsize(result.path))})


async def _read_rdf(request: Request, settings: Settings, graph: str) -> list[ox.Quad]:
    body = await read_body(request, settings.max_request_bytes)
    ctype = media_type_of(request)
    fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        raise UnsupportedMediaType(f"unsupported Content-Type {ctype or '(none)'!r} for RDF; use one of "
                                   f"{', '.join(GRAPH_FORMATS)}")
    try:
        parsed = list(ox.parse(body, format=fmt, base_iri=graph or None))
    except SyntaxError as exc:
        raise ParseError(f"request body:{exc.lineno or '?'}: syntax error: {exc.msg}", file="request body",
                         line=exc.lineno) from None
    if not graph:
        return [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in parsed]
    return as_quads(parsed, graph)


@router.put("/rdf-graph-store", status_code=204, dependencies=[Depends(require_write_token)],
            summary="Replace a graph (validated, atomic)")
async def put_graph(request: Request, kg: KnowledgeGraph = Depends(get_kg),
                    settings: Settings = Depends(get_settings)) -> Response:
    """Replace the content of ``graph`` by the request body; 201 when the graph is new."""
    graph = _target(request)
    if graph is None:
        raise BadInput("PUT needs graph=<IRI> (or default)")
    _refuse_default(graph, "PUT")
    quads = await _read_rdf(request, settings, graph)
    created = not _exists(kg, graph)
    await run_in_threadpool(lambda: write.replace(kg, {graph: quads}, validate=settings.validate_writes))
    return Response(status_code=201 if created else 204)


@router.post("/rdf-graph-store", status_code=204, dependencies=[Depends(require_write_token)],
             summary="Add to a graph (validated, atomic)")
async def post_graph(request: Request, kg: KnowledgeGraph = Depends(get_kg),
                     settings: Settings = Depends(get_settings)) -> Response:
    """Merge the request body into ``graph``; the graph's whole resulting content is validated."""
    graph = _target(request)
    if graph is None:
        raise BadInput("POST needs graph=<IRI> (or default)")
    _refuse_default(graph, "POST")
    quads = await _read_rdf(request, settings, graph)
    created = not _exists(kg, graph)
    await run_in_threadpool(lambda: write.add(kg, quads, validate=settings.validate_writes))
    return Response(status_code=201 if created else 204)


@router.delete("/rdf-graph-store", status_code=204, dependencies=[Depends(require_write_token)],
               summary="Drop a graph")
async def delete_graph(request: Request, kg: KnowledgeGraph = Depends(get_kg)) -> Response:
    """Remove ``graph`` (404 when it does not exist)."""
    graph = _target(request)
    if graph is None:
        raise BadInput("DELETE needs graph=<IRI> (or default)")
    _refuse_default(graph, "DELETE")
    if not _exists(kg, graph):
        raise NotFound(f"no graph <{graph}> in the store")
    await run_in_threadpool(write.drop, kg, graph)
    return Response(status_code=204)


def _refuse_default(graph: str, method: str) -> None:
    if graph == "":
        raise BadInput(f"{method} on the default graph is refused: it is the union of the named graphs "
                       "(derived, each triple once); write to a named graph (graph=<IRI>) that describes itself")
