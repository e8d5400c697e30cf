"""Municipal lineage derived from two sets of boundaries (e.g. 2016 and 2025).

For every old municipality the successor is the new municipality that holds the largest
part of its area. CBS codes persist when a municipality continues (it may absorb others:
Groningen GM0014 absorbed Haren and Ten Boer in 2019, and a code never passes to another
municipality), so:

* an old code that still exists is that same municipality (possibly renamed: the 2016
  ``Hengelo`` is the 2025 ``Hengelo (O.)``); its old name is kept as ``skos:altLabel``;
* an old code that no longer exists was dissolved: it keeps its own IRI (``gemeente/<old
  code>``) with its name, code, ``rk:dissolvedOn`` and ``dcterms:isReplacedBy`` its successor,
  and an ``org:ChangeEvent`` per (successor, date) links the originals to the result.

Boundaries show *that* a municipality was dissolved, not *when*; the dates come from
:data:`DISSOLUTION_DATES` (CBS "Gemeentelijke herindelingen"), keyed by the old CBS code. A
dissolved code missing from that table is dated with the newer boundaries' date and
reported, so the table's gaps are visible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shapely import make_valid
from shapely.strtree import STRtree

from graph.importers.names import slugify
from graph.importers.topojson import Feature

#: When each municipality that existed on 2016-01-01 but not on 2025-01-01 ceased to exist
#: (source: CBS, Gemeentelijke herindelingen 2017-2023). Keyed by its CBS code.
DISSOLUTION_DATES: dict[str, str] = {
    # 2017: Meierijstad
    "GM0844": "2017-01-01", "GM0846": "2017-01-01", "GM0860": "2017-01-01",
    # 2018: Midden-Groningen, Westerwolde, Waadhoeke, Leeuwarden, Zevenaar
    "GM0018": "2018-01-01", "GM0040": "2018-01-01", "GM1987": "2018-01-01",
    "GM0007": "2018-01-01", "GM0048": "2018-01-01",
    "GM0063": "2018-01-01", "GM0070": "2018-01-01", "GM1908": "2018-01-01", "GM0140": "2018-01-01",
    "GM0081": "2018-01-01", "GM0196": "2018-01-01",
    # 2019: Groningen, Het Hogeland, Westerkwartier, Noardeast-Fryslân, West Betuwe,
    # Haarlemmermeer, Noordwijk, Hoeksche Waard, Vijfheerenlanden, Molenlanden, Altena, Beekdaelen
    "GM0009": "2019-01-01", "GM0017": "2019-01-01",
    "GM0005": "2019-01-01", "GM0053": "2019-01-01", "GM1651": "2019-01-01", "GM1663": "2019-01-01",
    "GM0015": "2019-01-01", "GM0022": "2019-01-01", "GM0025": "2019-01-01", "GM0056": "2019-01-01",
    "GM0058": "2019-01-01", "GM0079": "2019-01-01", "GM1722": "2019-01-01",
    "GM0236": "2019-01-01", "GM0304": "2019-01-01", "GM0733": "2019-01-01",
    "GM0393": "2019-01-01", "GM0576": "2019-01-01",
    "GM0584": "2019-01-01", "GM0585": "2019-01-01", "GM0588": "2019-01-01", "GM0611": "2019-01-01",
    "GM0617": "2019-01-01",
    "GM0545": "2019-01-01", "GM0620": "2019-01-01", "GM0707": "2019-01-01",
    "GM0689": "2019-01-01", "GM1927": "2019-01-01",
    "GM0738": "2019-01-01", "GM0870": "2019-01-01", "GM0874": "2019-01-01",
    "GM0881": "2019-01-01", "GM0951": "2019-01-01", "GM0962": "2019-01-01",
    # 2021: Eemsdelta; Haaren divided over Vught, Oisterwijk, Tilburg and Boxtel
    "GM0003": "2021-01-01", "GM0010": "2021-01-01", "GM0024": "2021-01-01", "GM0788": "2021-01-01",
    # 2022: Purmerend, Dijk en Waard, Land van Cuijk, Maashorst; Weesp into Amsterdam on 24 March
    "GM0370": "2022-01-01", "GM0398": "2022-01-01", "GM0416": "2022-01-01",
    "GM0756": "2022-01-01", "GM0786": "2022-01-01", "GM0815": "2022-01-01", "GM1684": "2022-01-01",
    "GM1702": "2022-01-01", "GM0856": "2022-01-01", "GM1685": "2022-01-01", "GM0457": "2022-03-24",
    # 2023: Voorne aan Zee
    "GM0501": "2023-01-01", "GM0530": "2023-01-01", "GM0614": "2023-01-01",
}
#: Below this share of its area going to the successor, a dissolution is reported as a split.
SPLIT_THRESHOLD = 0.9
#: A divided municipality is ``rk:partlyReplacedBy`` every other successor with at least this
#: share of its area (its memberships pass to each: graph/timeline.py).
SPLIT_PART_MIN = 0.05
#: Area shares below this are boundary noise of the simplified maps, not territory.
MIN_SHARE = 0.01


@dataclass(frozen=True)
class Succession:
    """An old municipality and where its area went."""

    old_code: str
    old_name: str
    successor_code: str
    successor_name: str
    shares: tuple[tuple[str, float], ...]   # (new code, share of the old area), largest first
    continues: bool                          # the old code still exists (same municipality)
    date: str | None = None                  # dissolution date (None while it continues)

    @property
    def is_split(self) -> bool:
        return self.shares[0][1] < SPLIT_THRESHOLD


def derive_lineage(old: list[Feature], new: list[Feature]) -> list[Succession]:
    """Pair every old municipality with its successor (largest area share), sorted by old code.

    Complexity: O(n log n) with an STR tree over the new geometries.
    """
    new_geoms = [make_valid(f.geometry) for f in new]
    new_codes = [f.properties["statcode"] for f in new]
    new_names = dict(zip(new_codes, (f.properties["statnaam"] for f in new), strict=True))
    tree = STRtree(new_geoms)
    result = []
    for feature in sorted(old, key=lambda f: f.properties["statcode"]):
        code, name = feature.properties["statcode"], feature.properties["statnaam"]
        geom = make_valid(feature.geometry)
        shares = []
        for i in tree.query(geom):
            share = geom.intersection(new_geoms[i]).area / geom.area if geom.area else 0.0
            if share >= MIN_SHARE:
                shares.append((new_codes[i], round(share, 3)))
        shares.sort(key=lambda s: (-s[1], s[0]))
        continues = code in new_names
        successor = code if continues else (shares[0][0] if shares else None)
        if successor is None:
            continue  # no overlap at all (cannot happen for Dutch land municipalities)
        result.append(Succession(code, name, successor, new_names[successor], tuple(shares), continues,
                                 None if continues else DISSOLUTION_DATES.get(code)))
    return result


def change_events(successions: list[Succession], *, fallback_date: str) -> dict[str, dict]:
    """Group dissolutions into change events keyed by their IRI path ``wijziging/<date>-<slug>``."""
    events: dict[str, dict] = defaultdict(lambda: {"originals": [], "result": None, "date": None, "name": ""})
    for s in successions:
        if s.continues:
            continue
        date = s.date or fallback_date
        path = f"wijziging/{date}-{slugify(s.successor_name)}"
        event = events[path]
        event["originals"].append(s)
        event["result"], event["date"], event["name"] = s.successor_code, date, s.successor_name
    return dict(sorted(events.items()))
