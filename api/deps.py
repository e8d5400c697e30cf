"""Dependencies shared by the route modules: the knowledge graph, settings, sandbox, write token.

They only read the app's state, so they are coroutines: FastAPI runs a plain ``def``
dependency on its thread pool, two thread hops per request for nothing."""

from __future__ import annotations

import hmac

from fastapi import Request

from graph.errors import Forbidden, StoreError, Unauthorized
from graph.kg import KnowledgeGraph
from graph.sandbox import QuerySandbox
from graph.settings import Settings


async def get_kg(request: Request) -> KnowledgeGraph:
    """The app's one :class:`KnowledgeGraph`."""
    kg = getattr(request.app.state, "kg", None)
    if kg is None:
        raise StoreError("the knowledge graph is not open (the server is starting or stopping)")
    return kg


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


async def get_sandbox(request: Request) -> QuerySandbox:
    """The worker pool that runs SPARQL protocol queries."""
    sandbox = getattr(request.app.state, "sandbox", None)
    if sandbox is None:
        raise StoreError("the query workers are not running (the server is starting or stopping)")
    return sandbox


def require_write_token(request: Request) -> None:
    """Allow a write only with ``Authorization: Bearer <REGIOKG_TOKEN>`` (compared in constant time).

    401 without (well-formed) credentials, 403 with a wrong token, 403 when no token is
    configured (writes disabled).
    """
    settings: Settings = request.app.state.settings
    expected = settings.token
    if not expected:
        raise Forbidden("writes are disabled on this server: no REGIOKG_TOKEN is configured",
                        details={"setting": "REGIOKG_TOKEN"})
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("this write needs an 'Authorization: Bearer <token>' header",
                           details={"scheme": "Bearer"})
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("malformed Authorization header: expected 'Bearer <token>'", details={"scheme": "Bearer"})
    if not hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden("wrong token: this write is not allowed")
