"""The one name resolver: which resource a name, code or IRI that a user typed denotes.

Used wherever a parameter names a thing (``near=`` of the experts ranking, path ends,
``/api/municipalities/{key}``), so "Barneveld", "barneveld", "GM0203", "gemeente/GM0203"
and the full IRI resolve the same way everywhere. Names are compared after
:func:`graph.text.fold`; display labels come from :mod:`graph.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph.errors import NotFound
from graph.text import fold

__all__ = ["Named", "resolve_name"]


@dataclass(frozen=True)
class Named:
    """A resource that can be named: its IRI, its names (labels, alternative labels), its
    code (a CBS code such as ``GM0203``, if any) and whether it still exists."""

    iri: str
    names: tuple[str, ...] = field(default=())
    code: str | None = None
    current: bool = True


def resolve_name(text: str, candidates: Iterable[Named], *, what: str = "actor, arrangement or person",
                 key: Callable[[str], str] = fold) -> str:
    """The IRI of the one candidate ``text`` names.

    The rule, stage by stage (the first stage with a match decides):

    1. ``text`` is a candidate's IRI;
    2. ``text`` is a candidate's code, or its IRI ends in ``/`` + ``text`` (case ignored:
       ``gm0203``, ``gemeente/GM0203``);
    3. ``text`` folded equals one of a candidate's names folded (``'s-Hertogenbosch``,
       ``s-hertogenbosch`` and ``’s Hertogenbosch`` are one name); ``key`` is the folding
       (:func:`graph.text.fold`, or one built on it such as the filters' ``Provincie``-less
       form).

    Several matches: current ones are preferred over dissolved ones; still several:
    :class:`NotFound` (code ``ambiguous_name``) naming them (give the IRI). None: :class:`NotFound` saying what to give.

    >>> towns = [Named("https://x/gemeente/GM0203", ("Barneveld",), "GM0203"),
    ...          Named("https://x/gemeente/GM0001", ("Barneveld",), "GM0001", current=False),
    ...          Named("https://x/gemeente/GM0796", ("'s-Hertogenbosch",), "GM0796")]
    >>> resolve_name("gm0203", towns) == resolve_name("barneveld", towns) == "https://x/gemeente/GM0203"
    True
    >>> resolve_name("s-hertogenbosch", towns)
    'https://x/gemeente/GM0796'
    >>> resolve_name("Bedum", towns)
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no actor, arrangement or person named 'Bedum'; give a name as it appears in the graph, ...

    Complexity: O(number of candidates · name length).
    """
    pool = list(candidates)
    wanted = text.strip()
    lowered, folded = wanted.casefold(), key(wanted)
    stages = (
        lambda c: c.iri == wanted,
        lambda c: (c.code or "").casefold() == lowered or c.iri.casefold().endswith("/" + lowered),
        lambda c: bool(folded) and any(key(name) == folded for name in c.names),
    )
    for matches in stages:
        found = {c.iri: c for c in pool if wanted and matches(c)}
        if not found:
            continue
        current = [iri for iri, c in found.items() if c.current]
        chosen = sorted(current or found)
        if len(chosen) == 1:
            return chosen[0]
        raise NotFound(f"{text!r} names {len(chosen)} resources ({', '.join(chosen[:5])}); give the IRI",
                       details={"candidates": chosen[:20]}, code="ambiguous_name")
    raise NotFound(f"no {what} named {text!r}; give a name as it appears in the graph, "
                   "a CBS code (GM0203) or an IRI")
