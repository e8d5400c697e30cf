"""Fixtures of the API tests: a real server (uvicorn on a free port) over a store in a tmp dir."""

from __future__ import annotations

import httpx
import pytest
from apiserver import Server, load_fixture, make_settings

from graph.kg import KnowledgeGraph


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A read-mostly server over ontology + seeds + the API fixture graph (tests must not write)."""
    settings = make_settings(tmp_path_factory.mktemp("api-read"))
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv:
        yield srv


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture
def timeout_server(tmp_path):
    """A fresh server with REGIOKG_QUERY_TIMEOUT=2 (its workers get killed by the tests)."""
    settings = make_settings(tmp_path, query_timeout=2.0)
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv:
        yield srv
