"""The FastAPI application: ``create_app(kg, settings)``.

One error shape for every failure (``{"error": {"status", "code", "message", "details"}}``),
CORS for reads, a body-size cap, the SPARQL query workers started with the app.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import RegiokgError
from graph.kg import KnowledgeGraph
from graph.namespaces import PREFIXES
from graph.sandbox import QuerySandbox
from graph.settings import Settings

log = logging.getLogger("regiokg.api")

ROUTE_MODULES = [
    "api.routes.health", "api.routes.sparql", "api.routes.update", "api.routes.graph_store",
    "api.routes.municipalities", "api.routes.arrangements", "api.routes.actors", "api.routes.topics",
    "api.routes.experts", "api.routes.matrix", "api.routes.sources", "api.routes.linked_data",
    "api.routes.analysis", "api.routes.ui", "api.routes.documents", "api.routes.invoer",
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


def create_app(kg: KnowledgeGraph | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app over ``kg`` (opened from ``settings`` at start-up when not given)."""
    settings = settings or (kg.settings if kg is not None else Settings())
    owns_kg = kg is None

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.kg is None:
            app.state.kg = KnowledgeGraph.open(settings)
        graph = app.state.kg
        sandbox = None
        if hasattr(graph.store, "snapshot"):  # the workers read checkpoints of an embedded store
            sandbox = QuerySandbox(graph.store, workers=settings.query_workers, timeout=settings.query_timeout,
                                   max_rows=settings.max_rows, union_default_graph=settings.union_default_graph,
                                   prefixes=PREFIXES, memory_mb=settings.query_memory_mb,
                                   max_depth=settings.query_max_depth, max_bytes=settings.max_request_bytes)
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
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=["X-Regiokg-Truncated", "X-Regiokg-Max-Rows"],
    )
    _install_error_handlers(app)
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app


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
        return error_response(500, "internal_error",
                              f"unexpected {type(exc).__name__} on the server; the error is logged", None)
