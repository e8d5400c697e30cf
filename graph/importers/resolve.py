"""Resolve participant names of open data to actors (pure; the tables come from the caller).

A :class:`Gazetteer` holds what is known about municipalities (current and dissolved, with
their names and successors), provinces and municipalities that merged before 2016.
:meth:`Gazetteer.resolve` turns one name as the data spells it into a :class:`Resolution`.

Order of the rules (first hit wins), each reported as the ``method``:

1. ``(Duitsland)`` suffix: a foreign body (kind ``foreign``).
2. ``Provincie X``: a province by X (exact, folded, or one letter off: ``Overrijssel``).
3. ``Waterschap/Hoogheemraadschap/Wetterskip X`` (prefix one letter off allowed): a water
   board, grouped by its significant words so spelling variants are one board.
4. Municipalities: ``exact`` (the name as written, trimmed, is a current or 2016 name),
   ``normalised`` (equal after :func:`~graph.importers.names.fold`: case, diacritics,
   mojibake, hyphens), ``historic`` (a municipality merged before 2016, from the table in
   ``mergers_before_2016.csv``), ``base-name`` (the name without a suffix such as ``(L.)``;
   may be ambiguous: ``Bergen``), ``short-form`` (the part before ``-``/``,``/``.`` of exactly
   one name: ``Hoogezand``, ``Nuenen``), ``spelling`` (one letter off exactly one name of 6+
   letters: ``Haasbergen``). A dissolved municipality is followed to its successor (``via``).
5. The name of an arrangement of the same dataset: that arrangement (kind ``arrangement``).
6. A water board's name without its prefix (``De Dommel``): that water board.
7. A name containing an organisation word (``Stichting``, ``Ministerie``, ``BV``,
   ``Veiligheidsregio``, ...): an organisation.
8. Otherwise: ``unresolved`` (imported as ``rk:UnresolvedActor`` and listed).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources

from graph.importers.names import arrangement_key, clean, fold, levenshtein, slugify

WATER_BOARD_PREFIXES = ("waterschap", "hoogheemraadschap", "wetterskip")
ORGANISATION_WORDS = frozenset({
    "stichting", "ministerie", "kamer", "koophandel", "rijksarchief", "bv", "nv", "veiligheidsregio",
    "dienst", "recreatieschap", "plassenschap", "meerschap", "stadsregio", "rijk", "regionale",
    "gemeentelijke", "dienstverlening",
})
FOREIGN_SUFFIX = "(duitsland)"
SPELLING_MIN_LENGTH = 6


@dataclass(frozen=True)
class MunicipalityRecord:
    """A municipality under all the names the data may use for it."""

    code: str                      # CBS code, GMxxxx
    names: tuple[str, ...]         # official name first, then former/alternative names
    province: str | None = None    # PVxx
    successor: str | None = None   # CBS code of the current municipality if dissolved
    dissolved: str | None = None   # ISO date it ceased to exist (rk:dissolvedOn), if dissolved


@dataclass(frozen=True)
class HistoricMerger:
    """A municipality that merged before the oldest boundaries we hold (2016)."""

    name: str
    successor_name: str            # a name the gazetteer knows (2016 or 2025)
    date: str
    note: str = ""


@dataclass(frozen=True)
class Resolution:
    """What one participant name resolved to."""

    name: str                        # as in the data
    label: str                       # cleaned display form
    kind: str                        # municipality, province, water_board, foreign, organisation,
                                     # arrangement, unresolved, ambiguous
    target: str | None = None        # GMxxxx / PVxx / slug key of the body
    method: str = ""                 # exact, normalised, historic, base-name, short-form, spelling, ...
    via: tuple[str, ...] = ()        # dissolved municipality codes passed on the way
    historic: str | None = None      # pre-2016 municipality name used
    candidates: tuple[str, ...] = field(default=())  # for ambiguous names

    @property
    def category(self) -> str:
        """The report category: exact, lineage, normalised, new-body or unresolved."""
        if self.kind in ("unresolved", "ambiguous"):
            return "unresolved"
        if self.via or self.historic:
            return "lineage"
        if self.kind in ("foreign", "organisation") or (self.kind == "water_board" and self.method == "new"):
            return "new-body"
        return "exact" if self.method == "exact" else "normalised"


def load_historic_mergers() -> list[HistoricMerger]:
    """The bundled table of mergers before 2016 (``mergers_before_2016.csv``)."""
    text = resources.files("graph.importers").joinpath("mergers_before_2016.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return [HistoricMerger(r["old_name"], r["successor_name"], r["date"], r.get("note") or "") for r in rows]


def _strip_suffix(folded: str) -> str:
    """``bergen l`` -> ``bergen``: drop the one- or two-letter province suffix of a name."""
    parts = folded.split()
    suffixes = {"l", "nh", "o", "zh", "z", "gld", "u", "fr", "dr", "gr", "nb"}
    return " ".join(parts[:-1]) if len(parts) > 1 and parts[-1] in suffixes else folded


class Gazetteer:
    """Lookup tables over municipalities, provinces and historic mergers."""

    def __init__(self, municipalities: list[MunicipalityRecord], provinces: dict[str, str],
                 *, historic: list[HistoricMerger] | None = None, arrangement_names: list[str] | None = None,
                 as_of: str | None = None):
        #: Resolve to the municipality that existed on this ISO date (None: today's).
        self.as_of = as_of
        self.municipalities = {m.code: m for m in municipalities}
        self.provinces = dict(provinces)
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.folded: dict[str, set[str]] = defaultdict(set)
        self.base: dict[str, set[str]] = defaultdict(set)
        for m in municipalities:
            for n in m.names:
                self.exact[" ".join(n.split())].add(m.code)
                self.folded[fold(n)].add(m.code)
                self.base[_strip_suffix(fold(n))].add(m.code)
        self.historic = {fold(h.name): h for h in (historic or [])}
        self.province_by_name = {fold(name): code for code, name in provinces.items()}
        self.arrangements = {arrangement_key(n).words: n for n in (arrangement_names or [])}
        self.water_boards: dict[tuple[str, ...], str] = {}

    # -- municipalities -------------------------------------------------------------------------
    def current(self, code: str) -> tuple[str, tuple[str, ...]]:
        """The municipality standing for ``code`` on :attr:`as_of` (today's when None) and the
        dissolved codes passed on the way: successors are followed only past dissolutions on
        or before that date, so a 2016 source's "Bedum" stays Bedum (dissolved 2019)."""
        via: list[str] = []
        seen = set()
        while (code in self.municipalities and self.municipalities[code].successor and code not in seen
               and (self.as_of is None or (self.municipalities[code].dissolved or "") <= self.as_of)):
            seen.add(code)
            via.append(code)
            code = self.municipalities[code].successor  # type: ignore[assignment]
        return code, tuple(via)

    def _municipality_candidates(self, name: str) -> tuple[set[str], str, str | None]:
        text = " ".join(clean(name).split())
        key = fold(text)
        if " ".join(name.split()) in self.exact:
            return self.exact[" ".join(name.split())], "exact", None
        if key in self.folded:
            return self.folded[key], "normalised", None
        if key in self.historic:
            merger = self.historic[key]
            codes = self.folded.get(fold(merger.successor_name), set())
            return codes, "historic", merger.name
        if key in self.base:
            return self.base[key], "base-name", None
        short = {c for n, codes in self.exact.items() for c in codes
                 if len(n) > len(text) and n.startswith(text) and n[len(text)] in "-,." }
        if short:
            return short, "short-form", None
        if len(key) >= SPELLING_MIN_LENGTH:
            near = {c for k, codes in self.folded.items() if abs(len(k) - len(key)) <= 1
                    and levenshtein(k, key, limit=1) <= 1 for c in codes}
            if near:
                return near, "spelling", None
        return set(), "", None

    def _as_municipality(self, name: str, codes: set[str], method: str, historic: str | None) -> Resolution:
        targets: dict[str, tuple[str, ...]] = {}
        for code in sorted(codes):
            current, via = self.current(code)
            targets.setdefault(current, via)
        if len(targets) > 1:
            return Resolution(name, clean(name), "ambiguous", None, method, candidates=tuple(sorted(targets)))
        (target, via), = targets.items()
        return Resolution(name, clean(name), "municipality", target, method, via, historic)

    def disambiguate(self, resolution: Resolution, province_counts: Counter[str]) -> Resolution:
        """Pick the candidate of an ambiguous name whose province is most common among
        ``province_counts`` (the provinces of the arrangement and its other members)."""
        if resolution.kind != "ambiguous":
            return resolution
        scored = sorted(((province_counts.get(self.municipalities[c].province or "", 0), c)
                         for c in resolution.candidates if c in self.municipalities), reverse=True)
        if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return resolution
        target, via = self.current(scored[0][1])
        return Resolution(resolution.name, resolution.label, "municipality", target,
                          resolution.method + "+province", via)

    # -- everything -----------------------------------------------------------------------------
    def resolve(self, name: str) -> Resolution:
        """Resolve one participant name (see the module docstring for the rules)."""
        label = clean(name)
        key = fold(label)
        words = key.split()
        if label.lower().endswith(FOREIGN_SUFFIX):
            return Resolution(name, label[: -len(FOREIGN_SUFFIX)].strip(), "foreign",
                              slugify("de " + key.removesuffix(" duitsland")), "suffix")
        if words and words[0] == "provincie":
            rest = " ".join(words[1:])
            if rest in self.province_by_name:
                method = "exact" if label.removeprefix("Provincie ") in self.provinces.values() else "normalised"
                return Resolution(name, label, "province", self.province_by_name[rest], method)
            near = [c for k, c in self.province_by_name.items() if levenshtein(k, rest, limit=1) <= 1]
            if len(near) == 1:
                return Resolution(name, label, "province", near[0], "spelling")
        if words and any(levenshtein(words[0], p, limit=1) <= 1 for p in WATER_BOARD_PREFIXES):
            return self._water_board(name, label, words)
        codes, method, historic = self._municipality_candidates(name)
        if codes:
            return self._as_municipality(name, codes, method, historic)
        arrangement = self.arrangements.get(arrangement_key(label).words)
        if arrangement:
            return Resolution(name, label, "arrangement", arrangement, "arrangement-name")
        board_key = tuple(w for w in words if w not in {"de", "het", "van", "en"})
        if board_key in self.water_boards:
            return Resolution(name, label, "water_board", self.water_boards[board_key], "board-name")
        if set(words) & ORGANISATION_WORDS:
            return Resolution(name, label, "organisation", slugify(key), "organisation-word")
        return Resolution(name, label, "unresolved", slugify(key), "")

    def _water_board(self, name: str, label: str, words: list[str]) -> Resolution:
        board_key = tuple(w for w in words[1:] if w not in {"de", "het", "van", "en", "t"})
        known = board_key in self.water_boards
        slug = self.water_boards.setdefault(board_key, "-".join(["waterschap" if words[0].startswith("water") else
                                                                   "wetterskip" if words[0].startswith("wetter")
                                                                   else "hoogheemraadschap", *words[1:]]))
        return Resolution(name, label, "water_board", slug, "normalised" if known else "new")

    def resolve_all(self, names: list[str]) -> dict[str, Resolution]:
        """Resolve names in two passes so that water boards are known before bare board names."""
        ordered = sorted(set(names), key=lambda n: (not any(levenshtein(fold(n).split()[0] if fold(n) else "", p, limit=1) <= 1
                                                            for p in WATER_BOARD_PREFIXES), n))
        return {n: self.resolve(n) for n in ordered}
