"""Named SPARQL queries: ``graph/queries/<name>.rq``, loaded once, parameters bound."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from graph.errors import NotFound
from graph.sparqltext import tokens

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


# -- binding parameters ------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _tokens(query: str) -> Iterator[tuple[int, str]]:
    """``(offset, token)`` for each brace, word and variable of a SPARQL text (graph.sparqltext's
    tokens: IRIs, strings and comments skipped; prefixed names come as words with their ``:``).

    >>> list(_tokens('ASK { ?s <urn:a> "{" ; rk:p. } # {'))
    [(0, 'ASK'), (4, '{'), (6, '?s'), (23, 'rk:p'), (29, '}')]
    """
    for t in tokens(query):
        if t.kind in ("word", "var") or t.text in ("{", "}"):
            yield t.start, t.text


def where_brace(query: str) -> int | None:
    """Offset of the ``{`` that opens the query's outermost WHERE group, skipping IRIs,
    strings, comments and a CONSTRUCT template; for SELECT/ASK without the WHERE keyword,
    the first group. ``None`` when there is none (DESCRIBE without WHERE).

    >>> q = 'PREFIX a: <http://x/#> SELECT ?x WHERE { ?x a:p "WHERE {" }'
    >>> q[where_brace(q):]
    '{ ?x a:p "WHERE {" }'
    >>> where_brace("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    29
    >>> where_brace("ASK { ?s ?p ?o }"), where_brace("DESCRIBE <http://x/a>")
    (4, None)

    Complexity: O(length of the query text).
    """
    form, depth, after_where = None, 0, False
    for offset, token in _tokens(query):
        word = token.upper()
        if token == "{":
            if depth == 0 and (after_where or form in ("SELECT", "ASK")):
                return offset
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and word == "WHERE":
            after_where = True
        elif depth == 0 and form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = word
    return None


def bind_values(query: str, params: dict) -> str | None:
    """The query with ``params`` ({variable name: pyoxigraph NamedNode or Literal}) bound by
    a ``VALUES`` block at the start of its WHERE group, so the query planner sees them as
    constants (pyoxigraph's ``substitutions`` are applied after planning: a parameter that
    should drive the plan made queries 20x slower). The terms are written by pyoxigraph
    (IRIs validated, literals escaped), so nothing from a caller is pasted as text.
    ``None`` when the query has no WHERE group or a value is not an IRI or literal.

    >>> import pyoxigraph as ox
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('say "hi"', language="en")})
    'SELECT ?s WHERE { VALUES (?o) { ("say \\\\"hi\\\\""@en) } ?s ?p ?o }'

    Complexity: O(length of the query text).
    """
    import pyoxigraph as ox

    if not params or not all(isinstance(v, (ox.NamedNode, ox.Literal)) for v in params.values()):
        return None
    if not all(_WORD.fullmatch(name) for name in params):
        raise ValueError(f"parameter names must be SPARQL variable names: {sorted(params)}")
    at = where_brace(query)
    if at is None:
        return None
    names = sorted(params)
    block = (f" VALUES ({' '.join('?' + name for name in names)}) "
             f"{{ ({' '.join(str(params[name]) for name in names)}) }}")
    return query[:at + 1] + block + query[at + 1:]


def with_prefixes(query: str, prefixes: dict[str, str] | None = None) -> str:
    """``query`` with a ``PREFIX`` line for each of ``prefixes`` (default: the project's,
    ``rk:``, ``org:``, ``skos:``, ...) that it uses but does not declare, all on one line
    before it (error positions are one line lower); for queries typed at the command line.

    >>> with_prefixes("SELECT ?m WHERE { ?m a rk:Municipality }", {"rk": "https://w3id.org/regiokg/def#"})
    'PREFIX rk: <https://w3id.org/regiokg/def#>\\nSELECT ?m WHERE { ?m a rk:Municipality }'
    >>> with_prefixes("PREFIX rk: <urn:x#> ASK { ?s rk:p ?o }", {"rk": "https://w3id.org/regiokg/def#"})
    'PREFIX rk: <urn:x#> ASK { ?s rk:p ?o }'
    >>> with_prefixes('ASK { ?s rk:p "PREFIX rk: <urn:x#>" }', {"rk": "urn:rk#"})  # a string declares nothing
    'PREFIX rk: <urn:rk#>\\nASK { ?s rk:p "PREFIX rk: <urn:x#>" }'

    Complexity: O(length of the query text + number of prefixes).
    """
    if prefixes is None:
        from graph.namespaces import PREFIXES

        prefixes = PREFIXES
    words = [token for _, token in _tokens(query)]
    declared = {name[:-1] for keyword, name in zip(words, words[1:], strict=False)
                if keyword.upper() == "PREFIX" and name.endswith(":")}
    used = {token.split(":", 1)[0] for token in words if ":" in token and not token.startswith(("?", "$"))}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name in used and name not in declared]
    return " ".join(lines) + "\n" + query if lines else query
