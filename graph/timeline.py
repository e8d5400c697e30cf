"""Memberships in time: who held a membership on a date, and whether it was valid then.

A membership belongs to the actor that held it when the source saw it (OpenGR 2016: Bedum,
GM0005). When that actor was later dissolved, its memberships pass along the municipal
lineage to its successor(s): ``dcterms:isReplacedBy`` and, for a divided municipality,
``rk:partlyReplacedBy`` every other successor (Haaren -> Vught, Oisterwijk, Tilburg, Boxtel,
each marked as a split). Nothing is rewritten in the store: every answer that follows the
lineage does it here and says so (:class:`Holder`: "via Bedum, since 2019-01-01").

The one place for these rules; the API routes, the CLI and the analysis views
(graph/analysis/views.py) all call :func:`lineage` and :func:`membership_valid_on`.

Rules for a date ``day`` (ISO ``YYYY-MM-DD``; ``None`` means today):

* a membership with stated begin/end (``org:memberDuring``) is valid when ``begin <= day``
  and ``day <= end`` (an unknown begin or end is open);
* an arrangement that ended (``rk:dissolvedOn``, ``rk:endedBy``: "opgeheven per ...", "in
  liquidatie") is not current on or after its end;
* the membership is held, on ``day``, by the member itself if it still existed then, else
  by its successors on that day (:meth:`Lineage.holders`).

>>> line = Lineage({"GM0005": "2019-01-01"}, {"GM0005": [("GM1966", False)]})
>>> [h.actor for h in line.holders("GM0005", "2016-03-01")]
['GM0005']
>>> h = line.holders("GM0005", "2020-01-01")[0]
>>> h.actor, h.via, h.since, h.split
('GM1966', ('GM0005',), '2019-01-01', False)
>>> [(p, h.since) for p, h in line.predecessors("GM1966", "2020-01-01")]
[('GM0005', '2019-01-01')]
>>> line.predecessors("GM1966", "2016-03-01")
[]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any


def today() -> str:
    """Today's date, ISO."""
    return dt.date.today().isoformat()


@dataclass(frozen=True)
class Holder:
    """Who holds a membership on a date: ``actor``; ``via`` the dissolved actors it passed
    through (oldest first; empty when the member itself holds it), ``since`` the date it
    passed to ``actor``, ``split`` when it passed through a division (one of several
    successors)."""

    actor: str
    via: tuple[str, ...] = ()
    since: str | None = None
    split: bool = False

    @property
    def inherited(self) -> bool:
        return bool(self.via)


class Lineage:
    """Dissolved actors (``dissolved``: actor -> ISO date) and their direct successors
    (``successors``: actor -> [(successor, is a part of a division)], main successor first)."""

    def __init__(self, dissolved: dict[str, str], successors: dict[str, list[tuple[str, bool]]]):
        self.dissolved = dissolved
        self.successors = successors

    def exists_on(self, actor: str, day: str | None = None) -> bool:
        """False when ``actor`` was dissolved on or before ``day``."""
        gone = self.dissolved.get(actor)
        return gone is None or gone > (day or today())

    def holders(self, actor: str, day: str | None = None, _seen: frozenset[str] = frozenset()) -> list[Holder]:
        """The actors holding ``actor``'s memberships on ``day`` (today when None): itself while
        it exists, else its successors on that day (several for a division; none for a body
        dissolved without a known successor).

        Complexity: O(length of the lineage chain x successors)."""
        day = day or today()
        if self.exists_on(actor, day):
            return [Holder(actor)]
        if actor in _seen:
            return []
        successors = self.successors.get(actor, [])
        divided = len(successors) > 1
        out: list[Holder] = []
        for successor, _part in successors:
            for h in self.holders(successor, day, _seen | {actor}):
                out.append(Holder(h.actor, (actor, *h.via), h.since if h.via else self.dissolved[actor],
                                  h.split or divided))
        return out

    def predecessors(self, actor: str, day: str | None = None) -> list[tuple[str, Holder]]:
        """``(dissolved actor, holder)`` for every dissolved actor whose memberships ``actor``
        holds on ``day`` (today when None), sorted. ``day="any"`` ignores dates: every actor
        whose memberships pass to ``actor`` at some time.

        Complexity: O(dissolved actors x chain length)."""
        out = []
        for old in sorted(self.dissolved):
            when = "9999-12-31" if day == "any" else day
            for h in self.holders(old, when):
                if h.actor == actor and h.via:
                    out.append((old, h))
        return out


def membership_valid_on(day: str | None, *, begin: str | None = None, end: str | None = None,
                        arrangement_end: str | None = None) -> bool:
    """Whether a membership counts on ``day`` (``None``: no date asked, always true).

    >>> membership_valid_on("2016-03-01", arrangement_end="2016-01-25")
    False
    >>> membership_valid_on("2010-01-01", begin="2012-05-01")
    False
    >>> membership_valid_on("2016-03-01", begin=None, end=None)
    True
    """
    if day is None:
        return True
    if begin is not None and begin > day:
        return False
    if end is not None and end < day:
        return False
    return arrangement_end is None or day < arrangement_end


_CACHE: dict[int, tuple[Any, Lineage, dict[str, str]]] = {}


def _load(kg) -> tuple[Lineage, dict[str, str]]:
    generation = getattr(kg.store, "generation", None)
    cached = _CACHE.get(id(kg))
    if cached is not None and generation is not None and cached[0] == generation:
        return cached[1], cached[2]
    dissolved: dict[str, str] = {}
    successors: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in kg.select("timeline_successions"):
        old = row["old"].value
        dissolved.setdefault(old, row["dissolved"].value)
        if "successor" in row:
            item = (row["successor"].value, row["part"].value == "true")
            if item not in successors[old]:
                successors[old].append(item)
    for items in successors.values():
        items.sort(key=lambda x: (x[1], x[0]))  # the main successor first
    ends = {row["arrangement"].value: row["end"].value for row in kg.select("timeline_arrangement_ends")}
    result = (Lineage(dissolved, dict(successors)), ends)
    _CACHE[id(kg)] = (generation, *result)
    return result


def lineage(kg) -> Lineage:
    """The store's municipal lineage (cached until the store's next write).

    Complexity: one query over dissolved actors; O(dissolved actors)."""
    return _load(kg)[0]


def arrangement_ends(kg) -> dict[str, str]:
    """Arrangement IRI -> the date from which it is not current (dissolved or ended by)."""
    return _load(kg)[1]


def describe_holder(holder: Holder, labels: dict[str, str] | None = None, attested: str | None = None) -> str:
    """The explanation shown with an inherited membership: "via Bedum (dissolved
    2019-01-01), attested 2016-03-01", "; one of several successors" for a division.

    >>> describe_holder(Holder("GM1966", ("GM0005",), "2019-01-01"), {"GM0005": "Bedum"}, "2016-03-01")
    'via Bedum (dissolved 2019-01-01), attested 2016-03-01'
    """
    labels = labels or {}
    names = " and ".join(labels.get(v, v.rsplit("/", 1)[-1]) for v in holder.via)
    text = f"via {names} (dissolved {holder.since})"
    if attested:
        text += f", attested {attested}"
    if holder.split:
        text += "; divided: passed to every successor"
    return text


def actor_memberships(kg, actor: str, day: str | None = None) -> list[tuple[dict, Holder]]:
    """The memberships ``actor`` holds on ``day`` with how it holds them: rows of
    ``api_actor_arrangements`` (arrangement, membership, begin, end, attested, graph) paired
    with a :class:`Holder` (``via`` empty: its own; else inherited through the lineage).

    ``day=None`` asks for no date: its own memberships and every membership that passes
    to it through the lineage at some time (each marked). With a date: its own while it
    existed, the inherited ones from the predecessors dissolved by then, each valid on
    that day (:func:`membership_valid_on`), arrangements that ended left out.

    Complexity: one anchored query per actor in the lineage chain (a few)."""
    import pyoxigraph as ox

    line = lineage(kg)
    ends = arrangement_ends(kg)
    sources: list[tuple[str, Holder]] = []
    if day is None or line.exists_on(actor, day):
        sources.append((actor, Holder(actor)))
    sources += line.predecessors(actor, day or "any")
    out = []
    for member, holder in sources:
        for row in kg.select("api_actor_arrangements", member=ox.NamedNode(member)):
            begin = row["begin"].value if "begin" in row else None
            end = row["end"].value if "end" in row else None
            if holder.inherited and end is not None and holder.since and end < holder.since:
                continue   # it ended before the predecessor was dissolved: nothing passed on
            if membership_valid_on(day, begin=begin, end=end, arrangement_end=ends.get(row["arrangement"].value)):
                out.append((row, holder))
    return out
