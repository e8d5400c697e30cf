"""Helpers of the API tests: a real regiokg server: uvicorn on a free port over a store in a tmp dir.

The server runs in a background thread of the test process (the query workers are real
processes); the tests talk to it over HTTP with httpx, SPARQLWrapper and rdflib.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from api.app import create_app
from graph.kg import KnowledgeGraph
from graph.settings import Settings

FIXTURE = Path(__file__).with_name("fixture.trig")
TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving ``create_app`` in a thread; ``url`` is its base address."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.kg = KnowledgeGraph.open(settings)
        self.app = create_app(self.kg, settings)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.started:
                try:
                    if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("the test server did not start within 30 s")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.kg.close()


def make_settings(path: Path, **overrides) -> Settings:
    values = {"store": path / "store", "token": TOKEN, "query_timeout": 10.0, "max_rows": 1000,
              "max_request_bytes": 200_000, "query_workers": 2}
    values.update(overrides)
    return Settings(**values)


def load_fixture(kg: KnowledgeGraph) -> None:
    # Trusted test data on the bulk path: it adds facts about seed municipalities and
    # concepts, which the per-graph validator currently reports as incomplete nodes.
    kg.load_files([FIXTURE], validate=False)
