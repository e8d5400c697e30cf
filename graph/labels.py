"""The one label precedence: which of a resource's names is its display label.

Every surface (analysis results, the JSON API, linked-data pages, the web UI) picks a
label with :func:`best_label` from the statements that the named query
``analysis_node_labels`` returns (``?node ?p ?value``; bind ``?node`` for one resource,
leave it unbound for all). The order:

1. ``rdfs:label``;
2. ``skos:prefLabel`` in the wanted language (Dutch unless asked otherwise);
3. any other ``skos:prefLabel``;
4. ``foaf:name``;
5. ``dcterms:title``;

within one predicate a literal in the wanted language first, then one without a language
tag, then the others; last the alphabetically first text (so the choice is stable).

The JSON API's named queries (``graph/queries/api_*.rq``) read one label predicate each and
apply the same order within it in SPARQL, so that every engine gives the same label:
``SUBSTR(MIN(CONCAT(IF(LANGMATCHES(LANG(?l), "nl"), "0", IF(LANG(?l) = "", "1", "2")),
STR(?l))), 2)``. The arrangement list (``api_arrangements``) returns its labels as rows and
picks with :func:`best_label` (api/routes/arrangements.py ``fold_arrangements``).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LABEL_PREDICATES", "label_key", "best_label", "best_labels"]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
#: The label predicates in order of precedence.
LABEL_PREDICATES = (RDFS_LABEL, SKOS_PREF_LABEL, FOAF_NAME, DCTERMS_TITLE)
_RANK = {RDFS_LABEL: 1, SKOS_PREF_LABEL: 3, FOAF_NAME: 4, DCTERMS_TITLE: 5}


def _matches(language: str | None, lang: str) -> bool:
    language = (language or "").lower()
    return bool(language) and (language == lang or language.startswith(lang + "-"))


def label_key(predicate: str, language: str | None, text: str, *, lang: str = "nl") -> tuple[int, int, str]:
    """The sort key of one label statement (lower wins); see the module docstring.

    >>> label_key(RDFS_LABEL, None, "Alpha") < label_key(SKOS_PREF_LABEL, "nl", "Alfa")
    True
    >>> label_key(SKOS_PREF_LABEL, "en", "wind turbines", lang="en") < label_key(SKOS_PREF_LABEL, "nl", "windturbines", lang="en")
    True
    """
    rank = _RANK.get(predicate, 9)
    matches = _matches(language, lang)
    if predicate == SKOS_PREF_LABEL and matches:
        rank = 2
    return rank, 0 if matches else (1 if not language else 2), text


def best_label(statements: Iterable[tuple[str, str | None, str]], *, lang: str = "nl") -> str | None:
    """The display label among ``(predicate, language, text)`` statements (None when none).

    >>> best_label([(SKOS_PREF_LABEL, "en", "wind turbines"), (SKOS_PREF_LABEL, "nl", "windturbines")])
    'windturbines'
    >>> best_label([(FOAF_NAME, None, "Ton"), (DCTERMS_TITLE, None, "Dr.")]), best_label([])
    ('Ton', None)
    """
    keys = [label_key(p, language, text, lang=lang) for p, language, text in statements]
    return min(keys)[2] if keys else None


def best_labels(rows: Iterable[tuple[str, str, str | None, str]], *, lang: str = "nl") -> dict[str, str]:
    """``{node: display label}`` from ``(node, predicate, language, text)`` rows.

    >>> best_labels([("a", FOAF_NAME, None, "Ann"), ("a", RDFS_LABEL, None, "A."), ("b", DCTERMS_TITLE, "nl", "B")])
    {'a': 'A.', 'b': 'B'}

    Complexity: O(rows).
    """
    best: dict[str, tuple[int, int, str]] = {}
    for node, predicate, language, text in rows:
        key = label_key(predicate, language, text, lang=lang)
        if node not in best or key < best[node]:
            best[node] = key
    return {node: key[2] for node, key in best.items()}
