"""Build the :class:`~graph.importers.resolve.Gazetteer` from what the store holds.

Current municipalities and provinces come from the reference graph (seeds); dissolved ones,
former names and spatial provinces from the boundaries and lineage imports. So the
boundaries must be imported before OpenGR and Regioatlas (``import_all`` does that).
"""

from __future__ import annotations

from collections import defaultdict

from graph.errors import NotFound
from graph.importers.resolve import Gazetteer, MunicipalityRecord, load_historic_mergers

MIN_CURRENT_MUNICIPALITIES = 300   # fewer means the reference data is missing, not a real country


def _code(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def municipality_records(kg) -> list[MunicipalityRecord]:
    """Every municipality in the store with all its names, province and successor."""
    names: dict[str, list[str]] = defaultdict(list)
    info: dict[str, tuple[str | None, str | None]] = {}
    dissolved: dict[str, str] = {}
    for row in kg.select("import_municipality_names"):
        code = row["cbs"].value
        for key in ("label", "alt"):
            if key in row and row[key].value not in names[code]:
                names[code].append(row[key].value)
        province = _code(row["province"].value) if "province" in row else None
        successor = _code(row["successor"].value) if "successor" in row else None
        old = info.get(code, (None, None))
        info[code] = (old[0] or province, old[1] or successor)
        if "dissolved" in row:
            dissolved.setdefault(code, row["dissolved"].value)
    return [MunicipalityRecord(code, tuple(names[code]), *info[code], dissolved=dissolved.get(code))
            for code in sorted(names)]


def provinces(kg) -> dict[str, str]:
    """Province code -> name (the first label, in code order); alternative names are added by code."""
    result: dict[str, str] = {}
    for row in kg.select("import_provinces"):
        result.setdefault(row["cbs"].value, row["label"].value)
    return result


def gazetteer_from_store(kg, *, arrangement_names: list[str] | None = None, as_of: str | None = None) -> Gazetteer:
    """The gazetteer over the store's municipalities and provinces; a clear error if they are missing."""
    records = municipality_records(kg)
    current = [r for r in records if r.successor is None]
    if len(current) < MIN_CURRENT_MUNICIPALITIES:
        raise NotFound(f"the store knows only {len(current)} current municipalities; load the reference data "
                       "(graph/reference/gemeenten-2025, part of the seeds) and import the boundaries first "
                       "(regiokg import boundaries)")
    province_names = provinces(kg)
    if not province_names:
        raise NotFound("the store knows no provinces (rk:Province with rk:cbsCode); load the reference data first")
    return Gazetteer(records, province_names, historic=load_historic_mergers(), arrangement_names=arrangement_names,
                     as_of=as_of)
