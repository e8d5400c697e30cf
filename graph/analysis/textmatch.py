"""Topic text → thesaurus concepts: plural stripping, label matching (pure); folding is
:func:`graph.text.fold`, the one used for names too.

A question may say "Windturbines", "windmolens", "wind turbine", "WINDMOLENS" or
"windenergie": case, diacritics, spaces, hyphens and a Dutch or English plural must not
matter. Each phrase is turned into a set of *keys* (folded, spaces removed, with the last
word's plural endings stripped in every plausible way); a question matches a label when
their key sets intersect. Over-stripping ("molen" → "mol") is harmless because labels and
questions are stripped by the same rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from graph.text import fold

K = TypeVar("K", bound=Hashable)

__all__ = ["fold", "word_variants", "phrase_keys", "LabelIndex", "expand_narrower"]

_MIN_STEM = 3


def word_variants(word: str) -> set[str]:
    """The word and its possible singulars (Dutch -en, -s, -'s; English -s, -es, -ies).

    >>> sorted(word_variants("windmolens"))
    ['windmolen', 'windmolens']
    >>> sorted(word_variants("bedden"))
    ['bed', 'bedd', 'bedden']
    >>> sorted(word_variants("energies"))
    ['energi', 'energie', 'energies', 'energy']

    Complexity: O(len(word)).
    """
    variants = {word}
    if word.endswith("ies") and len(word) - 3 >= _MIN_STEM:
        variants.add(word[:-3] + "y")
    for suffix in ("es", "en", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            stem = word[: -len(suffix)]
            variants.add(stem)
            # Dutch doubles a consonant before -en (bedden → bed, wegen keeps weg)
            if suffix == "en" and len(stem) > _MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                variants.add(stem[:-1])
    return variants


def phrase_keys(text: str) -> set[str]:
    """Match keys of a phrase: folded words joined without spaces, with every variant of
    the last word (so "wind turbines" and "Windturbine" share the key "windturbine").

    >>> "windturbine" in phrase_keys("Wind turbines") & phrase_keys("windturbine")
    True
    >>> phrase_keys("WINDMOLENS") & phrase_keys("windmolens")  == phrase_keys("windmolens")
    True
    >>> phrase_keys("")
    set()

    Complexity: O(len(text)).
    """
    words = fold(text).split()
    if not words:
        return set()
    head = "".join(words[:-1])
    return {head + variant for variant in word_variants(words[-1])}


class LabelIndex:
    """Labels of concepts, indexed by match key.

    >>> index = LabelIndex([("c:wind", "Windturbines"), ("c:wind", "wind turbines"),
    ...                     ("c:mill", "windmolens"), ("c:energy", "Windenergie")])
    >>> index.match("wind turbine")
    (['c:wind'], 'exact')
    >>> index.match("turbine")
    (['c:wind'], 'partial')
    >>> index.match("ruimtevaart")
    ([], 'none')

    Complexity: building O(total label length); an exact match O(len(text)); a partial
    match scans the keys, O(number of labels · key length).
    """

    def __init__(self, labels: Iterable[tuple[Hashable, str]]):
        self.by_key: dict[str, set] = defaultdict(set)
        self.labels: dict[Hashable, set[str]] = defaultdict(set)
        for concept, label in labels:
            self.labels[concept].add(label)
            for key in phrase_keys(label):
                self.by_key[key].add(concept)

    def match(self, text: str, *, min_partial: int = 5) -> tuple[list, str]:
        """Concepts whose label matches ``text``: exactly (after folding and plural
        stripping), else partially (a key of the text inside a label key or the reverse,
        only for keys of at least ``min_partial`` characters). Returns ``(concepts, how)``.
        """
        keys = phrase_keys(text)
        found = set().union(*(self.by_key.get(key, set()) for key in keys)) if keys else set()
        if found:
            return sorted(found, key=str), "exact"
        long_keys = [key for key in keys if len(key) >= min_partial]
        for label_key, concepts in self.by_key.items():
            if any(key in label_key or (len(label_key) >= min_partial and label_key in key)
                   for key in long_keys):
                found |= concepts
        return sorted(found, key=str), ("partial" if found else "none")


def expand_narrower(concepts: Iterable[K], narrower: Mapping[K, Iterable[K]]) -> dict[K, int]:
    """Every concept reachable downwards (``narrower``) from ``concepts``, with its depth
    below the nearest start concept (0 for the starts themselves).

    >>> expand_narrower(["energy"], {"energy": ["wind"], "wind": ["turbines"]})
    {'energy': 0, 'wind': 1, 'turbines': 2}

    Complexity: O(concepts reached + narrower links followed).
    """
    depth: dict[K, int] = {}
    frontier = list(dict.fromkeys(concepts))
    for concept in frontier:
        depth[concept] = 0
    while frontier:
        following = []
        for concept in frontier:
            for child in narrower.get(concept, ()):
                if child not in depth:
                    depth[child] = depth[concept] + 1
                    following.append(child)
        frontier = following
    return depth
