"""Fixtures shared by the whole suite: real stores on disk, ../shared, the imported graph.

Fixtures that need ``../shared`` (the source documents and open data beside the
repository) skip with a message naming the missing path outside CI, and fail in CI
(``CI=true``), where ../shared is always present.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT, Settings

SHARED_DIR = Path(os.environ.get("REGIOKG_SHARED", PROJECT_ROOT.parent / "shared")).resolve()
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(path: Path, what: str) -> Path:
    """Return ``path`` if it exists; otherwise skip (outside CI) or fail (in CI) naming it."""
    if path.exists():
        return path
    message = f"{what} is missing: {path} (set REGIOKG_SHARED to the shared folder)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with sources/ and data/."""
    need(SHARED_DIR / "data", "the open data folder ../shared/data")
    need(SHARED_DIR / "sources", "the source documents ../shared/sources")
    return SHARED_DIR


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh store in a temporary directory."""
    return Settings(store=tmp_path / "store")


@pytest.fixture
def kg(settings: Settings):
    """A fresh knowledge graph on disk holding the ontology and the seeds."""
    graph = KnowledgeGraph.open(settings)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def imported_kg(tmp_path_factory, shared_dir: Path):
    """Seeds plus every import of ../shared/data, built once per session. Do not write to it."""
    from graph.importers import import_all

    graph = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("imported") / "store"))
    import_all(graph, shared_dir / "data")
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def trig_store(tmp_path_factory):
    """A function ``(name, trig) -> KnowledgeGraph``: a store on disk holding only the given
    hand-made TriG (no ontology or seeds), loaded without validation. Closed at the end."""
    opened = []

    def make(name: str, trig: str) -> KnowledgeGraph:
        directory = tmp_path_factory.mktemp(name)
        graph = KnowledgeGraph.open(Settings(store=directory / "store"), bootstrap=False)
        path = directory / f"{name}.trig"
        path.write_text(trig, encoding="utf-8")
        graph.load_files([path], validate=False)
        opened.append(graph)
        return graph

    yield make
    for graph in opened:
        graph.close()
