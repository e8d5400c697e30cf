"""bench/http.py's recorder: the store queries regiokg runs for a request, written to a file.

Installed in every process of a regiokg server started by the bench (the server and its
query workers, which answer the /api reads: ``api/readworker.py``) through a
``sitecustomize`` module on the child's ``PYTHONPATH`` when ``BENCH_RECORD`` names the
file. A request sent with the header ``x-bench-record: <id>`` has its store queries
appended as JSON lines (id, query text, dataset arguments), so the Oxigraph server can be
sent exactly the SPARQL regiokg ran for each answer.
"""

from __future__ import annotations

import contextvars
import json
import os
import threading
from pathlib import Path
from typing import Any

HEADER = "x-bench-record"
CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("bench_record", default=None)
_lock = threading.Lock()

SITECUSTOMIZE = "from bench.query_recorder import install_from_env\ninstall_from_env()\n"


def _write(sparql: str, kwargs: dict[str, Any]) -> None:
    request_id = CURRENT.get()
    if request_id is None:
        return
    line = json.dumps({"id": request_id, "query": sparql, "default_graph": kwargs.get("default_graph"),
                       "named_graphs": kwargs.get("named_graphs"),
                       "substitutions": bool(kwargs.get("substitutions")), "pid": os.getpid()})
    with _lock, Path(os.environ["BENCH_RECORD"]).open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def install_from_env() -> None:
    if not os.environ.get("BENCH_RECORD"):
        return
    from graph import store

    original = store.OxigraphStore.query  # CheckpointStore (the workers' store) inherits it

    def query(self: Any, sparql: str, **kwargs: Any) -> Any:
        _write(sparql, kwargs)
        return original(self, sparql, **kwargs)

    store.OxigraphStore.query = query  # type: ignore[method-assign]
    try:
        from api import readworker
    except ImportError:
        return
    handle = readworker.handle

    def recorded_handle(state: dict[str, Any], task: dict[str, Any]) -> Any:
        headers = dict(task["payload"]["scope"].get("headers") or [])
        value = headers.get(HEADER.encode())
        token = CURRENT.set(value.decode() if value else None)
        try:
            return handle(state, task)
        finally:
            CURRENT.reset(token)

    readworker.handle = recorded_handle


def asgi(app: Any) -> Any:
    """The server's app with the request id set for reads answered in the server process."""
    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        value = dict(scope.get("headers") or []).get(HEADER.encode()) if scope["type"] == "http" else None
        token = CURRENT.set(value.decode() if value else None)
        try:
            await app(scope, receive, send)
        finally:
            CURRENT.reset(token)

    return wrapped
