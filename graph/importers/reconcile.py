"""Reconciliation: one resource per real body across the seeds, OpenGR, DSTA and Regioatlas.

Two sources often name one body differently ("Stedendriehoek" in a source document,
"Regio Stedendriehoek" in OpenGR; "GGD Zeeland" in the DSTA list, "Gemeentelijke
Gezondheidsdienst Zeeland (GGD)" in OpenGR). Matching names by rule alone either misses
these or merges bodies that are not one, so the work is split in two:

* :func:`propose` scores pairs of bodies and lists *candidates*: name similarity after
  normalising generic words ("Regio", "Samenwerking", "Gemeenschappelijke regeling"),
  abbreviations and spelling forms (:func:`graph.importers.names.name_similarity`), the
  same postcode or place of the seat, and overlapping members;
* the reviewed mapping table ``reconciliation.csv`` (next to this file, committed) decides:
  each row says that a name or IRI of one source is the same body as a canonical IRI
  (``same``) or is not (``different``), with the reason and the reviewer's note.

The importers apply the table: OpenGR writes the memberships of a name the table maps onto
the canonical IRI, DSTA attaches its code and address to it, Regioatlas links a region
that is the same body to it (``rk:sameBodyAs``). An IRI an earlier version minted for the
other name (``samenwerking/regio-stedendriehoek``) gets ``owl:sameAs`` the canonical IRI
in the importer's graph, so old links keep resolving (:func:`graph.identity.canonical_iri`). Every import
report lists what the table merged and the candidates it left undecided.

Columns of the table: ``source`` (``opengr``, ``dsta``, ``regioatlas``), ``other`` (the
name as that source writes it, or for Regioatlas the region path ``regio/<division>/<slug>``),
``decision`` (``same`` / ``different``), ``canonical`` (path under the instance base,
e.g. ``samenwerking/stedendriehoek``; empty for ``different``), ``reason`` (what the
proposer found), ``note`` (the reviewer's note: why this is, or is not, the same body).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from graph.errors import BadInput
from graph.importers.names import clean, fold, name_similarity, reconciliation_words

TABLE_NAME = "reconciliation.csv"
TABLE_COLUMNS = ("source", "other", "decision", "canonical", "reason", "note")
SOURCES = ("opengr", "dsta", "regioatlas")
DECISIONS = ("same", "different")
#: A pair scoring at least this is listed as a candidate.
CANDIDATE_SCORE = 0.5
POSTCODE_BONUS = 0.25
PLACE_BONUS = 0.05
MEMBER_BONUS = 0.25
#: Member sets this alike (Jaccard) count as "the same members".
MEMBER_OVERLAP = 0.8


@dataclass(frozen=True)
class Decision:
    """One reviewed row of the mapping table."""

    source: str
    other: str
    decision: str
    canonical: str
    reason: str = ""
    note: str = ""
    line: int = 0


class Table:
    """The reviewed mapping table, looked up by (source, name or path); names are compared
    folded, so the table need not repeat the source's spacing or case."""

    def __init__(self, decisions: Iterable[Decision]):
        self.decisions = list(decisions)
        self._by_key: dict[tuple[str, str], Decision] = {}
        for d in self.decisions:
            self._by_key[(d.source, fold(d.other))] = d

    def get(self, source: str, other: str) -> Decision | None:
        return self._by_key.get((source, fold(other)))

    def same(self, source: str, other: str) -> str | None:
        """The canonical path for ``other`` when the table says it is the same body."""
        d = self.get(source, other)
        return d.canonical if d and d.decision == "same" else None

    def of_source(self, source: str) -> list[Decision]:
        return [d for d in self.decisions if d.source == source]


def parse_table(text: str, *, location: str = TABLE_NAME) -> Table:
    """Read the mapping table; a clear error naming the line for a malformed row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in TABLE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadInput(f"{location}: missing column(s) {', '.join(missing)} (expected {', '.join(TABLE_COLUMNS)})")
    rows: list[Decision] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        d = Decision(row["source"].strip(), clean(row["other"]), row["decision"].strip(), row["canonical"].strip(),
                     clean(row["reason"] or ""), clean(row["note"] or ""), line)
        if d.source not in SOURCES:
            raise BadInput(f"{location}, line {line}: source {d.source!r} is not one of {', '.join(SOURCES)}")
        if d.decision not in DECISIONS:
            raise BadInput(f"{location}, line {line}: decision {d.decision!r} is not one of {', '.join(DECISIONS)}")
        if d.decision == "same" and not d.canonical:
            raise BadInput(f"{location}, line {line}: a 'same' row needs the canonical IRI path")
        if not d.other:
            raise BadInput(f"{location}, line {line}: empty 'other'")
        key = (d.source, fold(d.other))
        if key in seen:
            raise BadInput(f"{location}, line {line}: {d.other!r} ({d.source}) is decided twice (also line {seen[key]})")
        seen[key] = line
        rows.append(d)
    return Table(rows)


def load_table() -> Table:
    """The committed mapping table (``graph/importers/reconciliation.csv``)."""
    text = resources.files("graph.importers").joinpath(TABLE_NAME).read_text(encoding="utf-8")
    return parse_table(text)


# -- proposing candidates -------------------------------------------------------------------

@dataclass
class Body:
    """What the proposer compares about one body: its key (IRI or path), names, seat and members."""

    key: str
    names: list[str]
    postcodes: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    members: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """A proposed pair with its score and the evidence behind it."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    a_name: str = ""
    b_name: str = ""

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "a_name": self.a_name, "b_name": self.b_name,
                "score": round(self.score, 2), "reasons": list(self.reasons)}


def postcode(text: str) -> str:
    """A Dutch postcode without spaces, upper case (``9700 as`` -> ``9700AS``)."""
    return "".join(text.split()).upper()


def score(a: Body, b: Body) -> Candidate:
    """Score one pair (see the module docstring); ``reasons`` says what matched.

    >>> score(Body("x", ["Regio Stedendriehoek"], {"7300AA"}), Body("y", ["Stedendriehoek"], {"7300AA"})).score
    1.0
    """
    best, why, names = 0.0, "", ("", "")
    for na in a.names:
        for nb in b.names:
            s, reason = name_similarity(na, nb)
            if s > best:
                best, why, names = s, reason, (na, nb)
    reasons = [f"name: {why} ({best:.2f})"] if best else []
    total = best
    if a.postcodes & b.postcodes:
        total += POSTCODE_BONUS
        reasons.append(f"postcode {sorted(a.postcodes & b.postcodes)[0]}")
    elif {fold(p) for p in a.places} & {fold(p) for p in b.places}:
        total += PLACE_BONUS
        reasons.append("same place")
    if len(a.members) >= 2 and len(b.members) >= 2:
        overlap = len(a.members & b.members) / len(a.members | b.members)
        if overlap >= MEMBER_OVERLAP:
            total += MEMBER_BONUS
            reasons.append(f"members {overlap:.0%} alike")
    return Candidate(a.key, b.key, min(total, 1.0), tuple(reasons), *names)


def propose(left: list[Body], right: list[Body] | None = None, *, threshold: float = CANDIDATE_SCORE,
            best_only: bool = False) -> list[Candidate]:
    """Candidate pairs between ``left`` and ``right`` (or within ``left``), best first.

    Only pairs sharing a significant name word, a postcode or members are scored.
    ``best_only`` keeps the best candidate(s) of each left body.

    Complexity: O(pairs sharing a word) name comparisons, via an inverted index.
    """
    within = right is None
    right = left if right is None else right
    index: dict[str, set[int]] = defaultdict(set)
    for j, b in enumerate(right):
        for n in b.names:
            for w in reconciliation_words(n):
                index["w:" + w].add(j)
        for p in b.postcodes:
            index["p:" + p].add(j)
    out: list[Candidate] = []
    for i, a in enumerate(left):
        keys = {"w:" + w for n in a.names for w in reconciliation_words(n)} | {"p:" + p for p in a.postcodes}
        found = []
        for j in sorted(set().union(*(index.get(k, set()) for k in keys)) if keys else set()):
            if within and j <= i:
                continue
            c = score(a, right[j])
            if c.score >= threshold:
                found.append(c)
        found.sort(key=lambda c: (-c.score, c.b))
        if best_only and found:
            found = [c for c in found if c.score == found[0].score]
        out.extend(found)
    return sorted(out, key=lambda c: (-c.score, c.a, c.b))


def bodies_from_store(kg, *, leave_out: str | None = None) -> list[Body]:
    """Every arrangement the store knows as a :class:`Body` (key = IRI), leaving out what
    graph ``leave_out`` states (an importer's own graph)."""
    found: dict[str, Body] = {}
    for row in kg.select("reconcile_arrangements"):
        if leave_out and row["g"].value == leave_out:
            continue
        key = row["arrangement"].value
        body = found.setdefault(key, Body(key, []))
        kind, value = row["kind"].value, row["value"].value
        if kind == "name" and value not in body.names:
            body.names.append(value)
        elif kind == "postcode":
            body.postcodes.add(postcode(value))
        elif kind == "place":
            body.places.add(value)
        elif kind == "member":
            body.members = body.members | {value}
    return [found[k] for k in sorted(found) if found[k].names]
