"""The deadline of the request being served, for work that runs outside a killable worker.

On an embedded store a read route runs in a query worker that is killed at the timeout. On
a remote store (``graph/store_remote.py``) it runs in the server, so the request guard
(``api/app.py``) sets this deadline for the route's task instead; it is a context variable,
so it follows the route into the threads it runs queries in (``run_in_threadpool`` copies
the context). The remote store checks it before every query and caps the query's own
timeout (the one sent to the engine, and the HTTP client's) by what is left: once a 503
has been sent for the request, the route's next query raises :class:`QueryTimeout` and
its work ends there instead of running on in the server and on the engine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("regiokg_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Work started inside this block (tasks, threads given its context) must end within ``seconds``."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left before the current deadline (<= 0: passed), or None when there is none."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - time.monotonic()


def budget() -> float | None:
    """The whole budget of the current deadline in seconds (for messages), or None."""
    current = _DEADLINE.get()
    return None if current is None else current[1]
