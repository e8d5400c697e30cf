"""Read routes (``GET``/``HEAD`` under /api, /ui-api and /id) answered inside a query worker.

The server does not compute these answers itself: :func:`serve` hands the request to a
worker of the query sandbox (``graph/sandbox.py``), which runs this very app over a
read-only checkpoint of the store (:class:`~graph.store.CheckpointStore`) and sends the
whole response back. So a read route is bounded like a SPARQL query: by
``REGIOKG_QUERY_TIMEOUT`` (a late worker is killed, which stops the computation and frees
its core, and is replaced), by ``REGIOKG_QUERY_MEMORY_MB`` and by the workers' network
isolation.

Writes a read route makes (an analysis stores its run, ``graph/analysis/writeback.py``)
cannot happen on a checkpoint: the worker records each ``replace_graphs`` write (quads
already rebased, with its validation flag and focus) and the server applies it through
the one write path (``graph/write.py``, validated against the current store) before it
sends the answer; a write that fails turns the answer into that write's error.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pyoxigraph as ox

from graph import write
from graph.errors import QueryMemoryExceeded, QueryTimeout, RegiokgError, StoreError
from graph.kg import KnowledgeGraph
from graph.settings import Settings
from graph.store import CheckpointStore

log = logging.getLogger("regiokg.api")

TARGET = "api.readworker:handle"
_SCOPE_KEYS = ("type", "asgi", "http_version", "method", "scheme", "path", "raw_path", "root_path",
               "query_string", "headers", "client", "server")


# -- the server side ----------------------------------------------------------------------------
async def serve(scope: dict[str, Any], send: Any, sandbox: Any, kg: KnowledgeGraph, timeout: float) -> None:
    """Answer the read request ``scope`` from a worker; 503 naming the setting when it is stopped."""
    from api.app import _send_json  # the guard's one way to answer outside the routes

    request = {k: scope[k] for k in _SCOPE_KEYS if k in scope}
    request["asgi"] = dict(request.get("asgi") or {})
    request["headers"] = [(bytes(k), bytes(v)) for k, v in scope.get("headers", [])]
    try:
        answer = await sandbox.call(TARGET, {"scope": request, "settings": kg.settings.model_dump(mode="json")},
                                    timeout=timeout)
    except QueryMemoryExceeded as exc:
        await _send_json(send, exc.status, exc.code, exc.message, exc.details)
        return
    except QueryTimeout as exc:
        busy = "no query worker became free" in exc.message
        why = "no worker became free" if busy else "the request was stopped (its worker was killed)"
        await _send_json(send, 503, "query_timeout",
                         f"no answer within {timeout:g} s (REGIOKG_QUERY_TIMEOUT={timeout:g}): {why}; narrow the "
                         "request (filters, a date, a limit) or raise REGIOKG_QUERY_TIMEOUT",
                         {"timeout_seconds": timeout, "setting": "REGIOKG_QUERY_TIMEOUT"})
        return
    except RegiokgError as exc:
        await _send_json(send, exc.status, exc.code, exc.message, exc.details)
        return
    if answer["writes"]:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, _apply_writes, kg, answer["writes"])
        except RegiokgError as exc:
            await _send_json(send, exc.status, exc.code, exc.message, exc.details)
            return
    await send({"type": "http.response.start", "status": answer["status"], "headers": answer["headers"]})
    await send({"type": "http.response.body", "body": answer["body"]})


def _apply_writes(kg: KnowledgeGraph, writes: list[dict[str, Any]]) -> None:
    for w in writes:
        write.replace(kg, w["quads"], validate=w["validate"], focus=w["focus"])


# -- the worker side ------------------------------------------------------------------------------
class WorkerKnowledgeGraph(KnowledgeGraph):
    """The knowledge graph over a checkpoint, in a worker: its ``replace_graphs`` writes are
    recorded in ``writes`` for the server; other writes are refused."""

    def __init__(self, store: CheckpointStore, settings: Settings):
        super().__init__(store, settings)
        self.writes: list[dict[str, Any]] = []

    def _replace(self, quads: dict[str, Any], *, validate: bool, focus: set[ox.NamedNode] | None) -> None:
        self.writes.append({"quads": {g: list(q) for g, q in quads.items()}, "validate": validate,
                            "focus": set(focus) if focus is not None else None})

    def add(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("a read route cannot add data")

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("a read route cannot update data")


def handle(state: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    """Run one read request through the app in this worker; the response and the writes it recorded."""
    from api.app import create_app

    payload = task["payload"]
    key = repr(sorted(payload["settings"].items()))
    if state.get("app_key") != key:
        settings = Settings(**payload["settings"])
        app = create_app(None, settings)
        app.state.read_worker = True  # the guard runs routes directly here (no deadline, no sandbox)
        state.update(app=app, app_key=key, settings=settings, kg_for=None,
                     loop=state.get("loop") or asyncio.new_event_loop())
    app = state["app"]
    if state["kg_for"] != state["opened"]:  # a new checkpoint (the store was written)
        store = CheckpointStore(state["opened"], origin=task["origin"], generation=task["generation"],
                                raw=state["store"])
        app.state.kg = WorkerKnowledgeGraph(store, state["settings"])
        state["kg_for"] = state["opened"]
    kg: WorkerKnowledgeGraph = app.state.kg
    kg.writes = []
    answer: dict[str, Any] = {"status": 500, "headers": [], "body": b""}
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))

    try:
        state["loop"].run_until_complete(app(dict(payload["scope"]), receive, send))
    except Exception as exc:
        # A bug in a route: Starlette answers 500 and then raises the error again. It must stay
        # the 500 it is (the sandbox would take a ValueError or RuntimeError for a bad query, 400).
        if not answer["headers"]:
            from api.app import render_error

            status, body = render_error(exc)
            answer["status"], answer["headers"] = status, [(b"content-type", b"application/json"),
                                                           (b"content-length", str(len(body)).encode())]
            chunks[:] = [body]
        else:
            log.error("unexpected error in a read route", exc_info=exc)
    answer["body"] = b"".join(chunks)
    answer["writes"] = kg.writes if 200 <= answer["status"] < 300 else []
    return answer
