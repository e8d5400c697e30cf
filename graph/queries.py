"""Named SPARQL queries: ``graph/queries/<name>.rq``, loaded once, parameters bound."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from graph.errors import NotFound

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@functools.lru_cache(maxsize=256)
def load_query(name: str) -> str:
    """The text of a named query; :class:`NotFound` for an unknown name."""
    if not _NAME.match(name):
        raise NotFound(f"no named query {name!r}: names are lower-case words joined by _")
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        raise NotFound(f"no named query {name!r} in {QUERY_DIR}; known: {', '.join(list_queries())}")
    return path.read_text(encoding="utf-8")


def list_queries() -> list[str]:
    """Names of all named queries, sorted."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def describe_query(name: str) -> str:
    """The leading ``#`` comment lines of a query: what it answers and its parameters."""
    lines = []
    for line in load_query(name).splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").rstrip())
    return "\n".join(lines)
