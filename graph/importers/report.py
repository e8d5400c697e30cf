"""The report every import prints: what was read, how names were matched, what was written."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

WIDTH = 28  # label column of to_text()


@dataclass
class ImportReport:
    """Figures of one import (one named graph). ``to_text()`` for people, ``to_dict()`` for JSON."""

    dataset: str
    graph: str
    source: str
    rows_read: int = 0
    triples: int = 0
    matched_exact: int = 0
    matched_lineage: int = 0
    matched_normalised: int = 0
    new_bodies: int = 0
    unresolved: list[str] = field(default_factory=list)
    distinct_names: int = 0          # how many things were matched (see ``unit``)
    unit: str = "distinct participant names"
    arrangements_before: int = 0
    arrangements_after: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    #: Lists printed in full by to_text (title -> lines), e.g. what reconciliation merged.
    listings: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        w = WIDTH
        lines = [f"{self.dataset}: {self.source}", f"  {'graph':<{w}} {self.graph}", f"  {'rows read':<{w}} {self.rows_read}"]
        if self.distinct_names:
            lines += [
                f"  {'matched':<{w}} {self.distinct_names} {self.unit}",
                f"    {'matched exactly':<{w - 2}} {self.matched_exact}",
                f"    {'through lineage':<{w - 2}} {self.matched_lineage}",
                f"    {'by normalised name':<{w - 2}} {self.matched_normalised}",
                f"    {'new bodies':<{w - 2}} {self.new_bodies} (water boards, foreign and other organisations)",
                f"    {'unresolved':<{w - 2}} {len(self.unresolved)}"
                + (f" ({100 * len(self.unresolved) / self.distinct_names:.1f}%)" if self.distinct_names else ""),
            ]
            lines += [f"      - {name}" for name in self.unresolved]
        if self.arrangements_before:
            lines.append(f"  {'arrangements':<{w}} {self.arrangements_before} names -> "
                         f"{self.arrangements_after} after deduplication")
        for key, value in self.counts.items():
            lines.append(f"  {key:<{w}} {value}")
        for title, items in self.listings.items():
            lines.append(f"  {title}:")
            lines += [f"    - {item}" for item in items]
        lines.append(f"  {'triples written':<{w}} {self.triples}")
        lines += [f"  note: {n}" for n in self.notes]
        lines.append(f"  {'time':<{w}} {self.seconds:.2f} s")
        return "\n".join(lines)
