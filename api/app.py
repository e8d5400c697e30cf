"""The FastAPI application: ``create_app(kg, settings)``.

One error shape for every failure (``{"error": {"status", "code", "message", "details"}}``),
CORS for reads, a body-size cap, the SPARQL query workers started with the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import readworker
from api.routes import sparql
from graph.deadline import deadline
from graph.errors import RegiokgError
from graph.kg import KnowledgeGraph
from graph.sandbox import QuerySandbox
from graph.settings import Settings

log = logging.getLogger("regiokg.api")

ROUTE_MODULES = [
    "api.routes.health", "api.routes.sparql", "api.routes.update", "api.routes.graph_store",
    "api.routes.municipalities", "api.routes.arrangements", "api.routes.actors", "api.routes.topics",
    "api.routes.experts", "api.routes.matrix", "api.routes.network", "api.routes.search", "api.routes.sources",
    "api.routes.linked_data", "api.routes.analysis", "api.routes.ui", "api.routes.documents", "api.routes.invoer",
]

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "invalid_request", 500: "internal_error",
              503: "unavailable"}


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {"error": {"status": status, "code": code, "message": message, "details": details}}


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def render_error(exc: Exception) -> tuple[int, bytes]:
    """The status and JSON body the app's exception handlers give ``exc`` (for the answers
    written straight on the connection, such as :func:`api.routes.sparql.serve_get`)."""
    if isinstance(exc, RegiokgError):
        response = error_response(exc.status, exc.code, exc.message, exc.details)
    else:
        log.error("unexpected error", exc_info=exc)
        response = _unexpected(exc)
    return response.status_code, bytes(response.body)


def _unexpected(exc: Exception) -> JSONResponse:
    return error_response(500, "internal_error",
                          f"unexpected {type(exc).__name__} on the server; the error is logged", None)


def create_app(kg: KnowledgeGraph | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app over ``kg`` (opened from ``settings`` at start-up when not given)."""
    settings = settings or (kg.settings if kg is not None else Settings())
    owns_kg = kg is None

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.kg is None:
            app.state.kg = KnowledgeGraph.open(settings)
        graph = app.state.kg
        # the workers read checkpoints of an embedded store (and run the read routes there), or
        # only check the text of /sparql queries for a remote one (they have no network)
        sandbox = QuerySandbox(graph.store, workers=settings.query_workers, timeout=settings.query_timeout,
                               max_rows=settings.max_rows, union_default_graph=settings.union_default_graph,
                               prefixes=graph.rebase.prefixes, memory_mb=settings.query_memory_mb,
                               max_depth=settings.query_max_depth, max_bytes=settings.max_request_bytes,
                               preload=("api.app", *ROUTE_MODULES))
        await sandbox.start()
        app.state.sandbox = sandbox
        try:
            yield
        finally:
            app.state.sandbox = None
            if sandbox is not None:
                await sandbox.stop()
            if owns_kg:
                app.state.kg.close()
                app.state.kg = None

    app = FastAPI(
        title="regiokg",
        version="0.1.0",
        summary="A knowledge graph of Dutch public actors, cooperation arrangements and regions.",
        description=(
            "SPARQL 1.1 Protocol at /sparql (reads) and /update (writes, bearer token), the Graph Store "
            "HTTP Protocol at /rdf-graph-store, a JSON API under /api, and dereferenceable identifiers "
            "under /id/. Every error answers `{\"error\": {\"status\", \"code\", \"message\", \"details\"}}`."
        ),
        lifespan=lifespan,
    )
    app.state.kg = kg
    app.state.settings = settings
    app.state.sandbox = None
    app.add_middleware(
        CORSMiddleware, allow_origins=list(settings.cors_origins) + list(settings.cors_write_origins),
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=["X-Regiokg-Truncated", "X-Regiokg-Max-Rows"],
    )
    app.add_middleware(RequestGuard, settings=settings)  # outermost: runs before CORS
    _install_error_handlers(app)
    _install_openapi(app)
    build_stack = app.build_middleware_stack

    def build_middleware_stack() -> Any:
        return SparqlGetFirst(app, build_stack())

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app


# -- OpenAPI: every status and content type a route answers ----------------------------------
_RDF = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
        "application/trig", "application/n-quads"]
_RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
            "text/tab-separated-values"]
# Success media types of the routes that answer something other than JSON (path -> types).
SUCCESS_CONTENT = {
    "/sparql": _RESULTS + _RDF,
    "/rdf-graph-store": _RDF,
    "/id/{path}": ["text/html"] + _RDF[:4],
    "/ui-api/geo/municipalities.geojson": ["application/geo+json"],
    "/ui-api/matrix.csv": ["text/csv"],
    "/ui-api/network.{fmt}": ["application/xml"],
}
_ERRORS = {
    400: "Bad input: malformed parameters, SPARQL or RDF (the message says which), odd bytes in the request",
    401: "A write without credentials",
    403: "A write with a wrong token, writes disabled, or a cross-origin write",
    404: "No such resource, graph or name",
    406: "No answer format matches Accept (or ?format=)",
    413: "Request body over REGIOKG_MAX_REQUEST_BYTES",
    415: "Unsupported Content-Type of the request body",
    422: "Invalid parameters, or a write that fails SHACL validation",
    503: "Stopped at REGIOKG_QUERY_TIMEOUT or REGIOKG_QUERY_MEMORY_MB, or no worker free; try again or narrow the request",
}
_ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "code", "message"], "properties": {
        "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
        "details": {}}}},
}


def _install_openapi(app: FastAPI) -> None:
    """Complete FastAPI's schema: the error answers every route can give, with the one error
    shape, and the media types of routes that negotiate or answer other formats."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                             description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for path, operations in schema.get("paths", {}).items():
            for method, op in operations.items():
                responses = op.setdefault("responses", {})
                codes = [400, 404, 406, 422, 503]
                if method != "get":
                    codes += [401, 403, 413, 415]
                for code in codes:
                    responses[str(code)] = {"description": _ERRORS[code], "content": {"application/json": {"schema": ref}}}
                if path in SUCCESS_CONTENT:
                    for code, answer in list(responses.items()):
                        if code.startswith("2") and code != "204":
                            answer["content"] = {m: {} for m in SUCCESS_CONTENT[path]}
                if path == "/rdf-graph-store" and method in ("put", "post"):
                    responses.setdefault("201", {"description": "The graph was created"})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- the request guard ------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Reads run in a query worker, bounded by its timeout and memory cap (the SPARQL protocol
# routes are bounded by their own worker tasks; pages, /docs and static files are left alone).
_DEADLINED = ("/api/", "/ui-api/", "/id/")


class RequestGuard:
    """ASGI middleware in front of every route.

    * refuses (400) a path or query string that is not UTF-8 or holds control characters
      (``%00``, ``%FF``), before any route sees it;
    * answers ``OPTIONS`` (``Allow``) and ``HEAD`` (the GET answer without its body) for
      every route;
    * refuses (403) the CORS preflight of a write (``Authorization``, ``PUT``, ``DELETE``,
      ``/update``) from an origin not in ``REGIOKG_CORS_WRITE_ORIGINS``; reads stay open;
    * runs a read (``GET``/``HEAD``) under /api, /ui-api or /id in a query worker
      (``api/readworker.py``): bounded by ``REGIOKG_QUERY_TIMEOUT`` (503 naming it; the
      worker is killed, so the computation stops) and ``REGIOKG_QUERY_MEMORY_MB``. On a
      remote store (its workers have no network, ``graph/store_remote.py``) such a read runs
      in the server and answers 503 when it has not started its answer within the timeout;
      its work stops at its next store query (``graph/deadline.py``: the remote store sends
      no query after the deadline and caps each query's engine timeout by what is left).
    """

    def __init__(self, app: Any, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _bad_target(scope)
        if problem:
            await _send_json(send, 400, "bad_request", problem)
            return
        method = scope["method"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if method == "OPTIONS":
            if "origin" in headers and "access-control-request-method" in headers:
                refusal = self._refuse_preflight(scope, headers)
                if refusal:
                    await _send_json(send, 403, "forbidden", refusal,
                                     {"origin": headers["origin"], "setting": "REGIOKG_CORS_WRITE_ORIGINS"})
                    return
                await self.app(scope, receive, send)
                return
            allowed = _allowed_methods(scope)
            if allowed:
                allow = ", ".join(sorted(allowed | {"OPTIONS"}))
                await send({"type": "http.response.start", "status": 204,
                            "headers": [(b"allow", allow.encode()), (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
            await self.app(scope, receive, send)
            return
        if method == "HEAD" and "GET" in _allowed_methods(dict(scope, method="GET")):
            scope = dict(scope, method="GET")
            inner_send = send

            async def send(message: dict[str, Any]) -> None:  # noqa: F811 - the body is dropped
                if message["type"] == "http.response.body":
                    message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
                await inner_send(message)

            method = "GET"
        if method == "GET" and scope["path"].startswith(_DEADLINED):
            state = scope["app"].state
            if getattr(state, "read_worker", False):  # in a worker already: the route runs here
                await self.app(scope, receive, send)
                return
            sandbox = getattr(state, "sandbox", None)
            if sandbox is not None and not sandbox.remote:  # a remote store's reads run here, bounded
                await readworker.serve(scope, send, sandbox, state.kg, self.settings.query_timeout)
                return
            await self._with_deadline(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refuse_preflight(self, scope: dict[str, Any], headers: dict[str, str]) -> str | None:
        origin = headers["origin"]
        wanted = headers["access-control-request-method"].upper()
        asked = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")}
        write = "authorization" in asked or wanted in ("PUT", "DELETE", "PATCH") or scope["path"] == "/update"
        if write and origin not in self.settings.cors_write_origins:
            return (f"cross-origin writes are not allowed from {origin}: writes need the token and an origin "
                    "listed in REGIOKG_CORS_WRITE_ORIGINS")
        return None

    async def _with_deadline(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        timeout = self.settings.query_timeout
        started = asyncio.Event()

        async def tracking_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        with deadline(timeout):  # the task's context: a remote store's queries stop once it has passed
            task = asyncio.ensure_future(self.app(scope, receive, tracking_send))
        waiter = asyncio.ensure_future(started.wait())
        done, _ = await asyncio.wait({task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if task in done or started.is_set():
            waiter.cancel()
            await task
            return
        waiter.cancel()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await _send_json(send, 503, "query_timeout",
                         f"no answer within {timeout:g} s (REGIOKG_QUERY_TIMEOUT={timeout:g}); narrow the request "
                         "(filters, a date, a limit) or raise REGIOKG_QUERY_TIMEOUT",
                         {"timeout_seconds": timeout, "setting": "REGIOKG_QUERY_TIMEOUT"})


class SparqlGetFirst:
    """The outermost ASGI layer: ``GET /sparql?query=...`` answered by
    :func:`api.routes.sparql.serve_get` before FastAPI's middleware chain and routing (which
    cost more than a small query: bench/RESULTS.md, "HTTP"). Everything else, and a request
    the guard would refuse (bad bytes in the target), goes on to the app's own stack, with
    :class:`RequestGuard` first."""

    def __init__(self, app: FastAPI, stack: Any):
        self.app = app
        self.stack = stack

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/sparql"
                and _bad_target(scope) is None):
            sandbox = self.app.state.sandbox
            if sandbox is not None and await sparql.serve_get(scope, _vary_origin(send), sandbox, render_error):
                return
        await self.stack(scope, receive, send)


def _vary_origin(send: Any) -> Any:
    """``send`` with ``Origin`` added to ``Vary``, as the CORS middleware does for a request
    without ``Origin`` (the only kind :class:`SparqlGetFirst` answers itself)."""
    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v + b", Origin") if k == b"vary" else (k, v) for k, v in message["headers"]]
            if not any(k == b"vary" for k, _ in headers):
                headers.append((b"vary", b"Origin"))
            message = dict(message, headers=headers)
        await send(message)

    return sending


def _bad_target(scope: dict[str, Any]) -> str | None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    try:
        path = unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return "the path is not valid UTF-8 once percent-decoded"
    if _PATH_CONTROL.search(path) or _PATH_CONTROL.search(scope["path"]):
        return "the path holds a control character (such as %00)"
    query = scope.get("query_string", b"")
    try:
        decoded = unquote_to_bytes(query.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return "the query string is not valid UTF-8 once percent-decoded (such as %FF)"
    if _CONTROL.search(decoded):
        return "the query string holds a control character (such as %00)"
    return None


def _flat_routes(routes: Any) -> Any:
    for route in routes or []:
        inner = getattr(route, "original_router", None)  # FastAPI >= 0.16x keeps included routers whole
        if inner is not None:
            yield from _flat_routes(inner.routes)
        else:
            yield route


def _allowed_methods(scope: dict[str, Any]) -> set[str]:
    """The methods the routes that match ``scope``'s path answer (HEAD wherever GET is)."""
    from starlette.routing import Match

    app = scope.get("app")
    methods: set[str] = set()
    for route in _flat_routes(getattr(getattr(app, "router", None), "routes", None)):
        route_methods = getattr(route, "methods", None)
        if not route_methods:
            continue
        try:
            match, _ = route.matches(dict(scope, method=next(iter(route_methods))))
        except Exception:  # a route kind that cannot match this scope
            continue
        if match != Match.NONE:
            methods |= set(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    return methods


async def _send_json(send: Any, status: int, code: str, message: str, details: Any = None) -> None:
    body = json.dumps(error_body(status, code, message, details)).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RegiokgError)
    async def handle_regiokg_error(request: Request, exc: RegiokgError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such resource: {request.url.path} (see /docs for the API)"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, code, message, None, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def handle_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
                    for e in exc.errors()]
        first = problems[0] if problems else {"location": [], "message": "invalid request"}
        where = ".".join(str(p) for p in first["location"])
        return error_response(422, "invalid_request", f"invalid request parameter {where}: {first['message']}",
                              problems)

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _unexpected(exc)
