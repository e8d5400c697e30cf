"""GET /health: is the server up, how big is the store, are the query workers alive."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    triples: int
    graphs: int
    query_workers: int
    queries_stopped_by_timeout: int


@router.get("/health", response_model=Health)
async def get_health(request: Request) -> Health:
    """Liveness and size of the store (cheap: no query runs; on the event loop, so it never
    waits for the thread pool that slow routes may fill)."""
    kg = request.app.state.kg
    sandbox = request.app.state.sandbox
    return Health(
        status="ok" if kg is not None else "starting",
        triples=kg.store.count() if kg is not None else 0,
        graphs=len(kg.store.named_graphs()) if kg is not None else 0,
        query_workers=sandbox.worker_count() if sandbox is not None else 0,
        queries_stopped_by_timeout=sandbox.killed if sandbox is not None else 0,
    )
