"""Regioatlas: regional divisions of the Netherlands (Ministerie van BZK, via Open State, 2016).

Each file ``<domain>/<division>.csv`` (``;``-separated, UTF-8 with BOM; columns Gemeente,
CBS, <division name>, Inwoneraantal van regio) becomes an ``rk:RegionalDivision``
``indeling/<file stem>``; each value a ``rk:Region`` ``regio/<division>/<slug>``; each row an
``rk:RegionAssignment`` plus the shortcut ``?municipality rk:inRegion ?region``. The CBS
code of 2016 (no ``GM``, sometimes without leading zeros) is followed through the lineage
to today's municipality; the code as written is kept (``rk:sourceCode``), and the dissolved
municipality too (``rk:formerMember``). When merged municipalities lay in different regions
of one division, today's municipality is in both: kept, and listed as a conflict.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter, defaultdict
from pathlib import PurePosixPath

from graph.coverage import add_coverage
from graph.errors import BadInput
from graph.importers.gazetteer import gazetteer_from_store
from graph.importers.names import clean, slugify
from graph.importers.rdfbuild import RDF, RDFS, RK, Literal, date_literal, describe, graph_iri, municipality, new_graph, rk_id
from graph.importers.reconcile import load_table
from graph.importers.report import ImportReport
from graph.importers.resolve import Gazetteer
from graph.importers.sources import SourceFile, combined_sha256, decode_text, read_sources

DATASET_DATE = "2016-03-01"  # scraped from regioatlas.nl by Open State after 29 February 2016 (its README)
PUBLISHER = "Ministerie van BZK (regioatlas.nl), via Open State Foundation (github.com/openstate/datasets)"
GRAPH = graph_iri("regioatlas")


def read_division(source: SourceFile) -> tuple[str, list[tuple[int, str, str, str]]]:
    """(division label, rows of (line, municipality name, code as written, region)) of one file."""
    reader = csv.reader(io.StringIO(decode_text(source)), delimiter=";")
    header = next(reader, None)
    if not header or len(header) < 3 or clean(header[0]).lower() != "gemeente" or clean(header[1]).upper() != "CBS":
        raise BadInput(f"{source.location}: not a Regioatlas division file (expected the header "
                       f"Gemeente;CBS;<division>;..., found {';'.join(header or [])!r})")
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or not row[1].strip().isdigit() or not row[2].strip():
            raise BadInput(f"{source.location}, line {number}: expected a municipality, a numeric CBS code "
                           f"and a region, found {row!r}")
        rows.append((number, clean(row[0]), row[1].strip(), clean(row[2])))
    return clean(header[2]), rows


def resolve_code(gz: Gazetteer, code: str, name: str) -> tuple[str | None, tuple[str, ...], str]:
    """(current CBS code, dissolved codes passed, category) for a row's code, else by its name."""
    cbs = "GM" + code.zfill(4)
    if cbs in gz.municipalities:
        current, via = gz.current(cbs)
        return current, via, "lineage" if via else "exact"
    res = gz.resolve(name)
    if res.kind == "municipality":
        return res.target, res.via, "normalised"
    return None, (), "unresolved"


def import_regioatlas(kg, path_or_url=None, *, validate: bool = False) -> ImportReport:
    """Import every Regioatlas division file into ``graph/import/regioatlas`` (atomically)."""
    started = time.perf_counter()
    files = read_sources(path_or_url, dataset="regioatlas", suffixes=(".csv",))
    gz = gazetteer_from_store(kg)
    g = new_graph()
    describe(g, GRAPH, title="Regioatlas: regio-indelingen van gemeenten (2016)", publisher=PUBLISHER,
             date=DATASET_DATE, sources=[f.location for f in files], sha256=combined_sha256(files),
             description="Regional divisions (labour-market regions, safety regions, GGD regions, COROP, ...) "
                         "as regioatlas.nl listed them for the 390 municipalities of 2016, scraped by Open State "
                         "Foundation in 2016; municipalities followed to today's through municipal lineage.")
    attested = date_literal(DATASET_DATE)
    report = ImportReport("regioatlas", GRAPH, str(path_or_url or "public Regioatlas files"))
    categories: Counter[str] = Counter()
    unresolved: set[str] = set()
    conflicts: list[str] = []
    divisions = regions = 0
    for source in sorted(files, key=lambda f: f.name):
        label, rows = read_division(source)
        report.rows_read += len(rows)
        stem = slugify(PurePosixPath(source.name).stem)
        division = rk_id(f"indeling/{stem}")
        divisions += 1
        g.add((division, RDF.type, RK.RegionalDivision))
        g.add((division, RDFS.label, Literal(label, lang="nl")))
        domain = PurePosixPath(source.name).parent.name
        if domain:
            g.add((division, RDFS.comment, Literal(f"Regioatlas-domein: {domain}", lang="nl")))
        placed: dict[str, set[str]] = defaultdict(set)
        seen_regions: set[str] = set()
        for line, name, code, region_name in rows:
            region_slug = slugify(region_name)
            region = rk_id(f"regio/{stem}/{region_slug}")
            if region_slug not in seen_regions:
                seen_regions.add(region_slug)
                g.add((region, RDF.type, RK.Region))
                g.add((region, RDFS.label, Literal(region_name)))
                g.add((region, RK.division, division))
            current, via, category = resolve_code(gz, code, name)
            categories[category] += 1
            if current is None:
                unresolved.add(f"{name} ({code}, {source.name} line {line})")
                continue
            assignment = rk_id(f"regio/{stem}/{region_slug}/gemeente/GM{code.zfill(4)}")
            g.add((assignment, RDF.type, RK.RegionAssignment))
            g.add((assignment, RK.member, municipality(current)))
            g.add((assignment, RK.region, region))
            g.add((assignment, RK.attestedOn, attested))
            g.add((assignment, RK.sourceCode, Literal(code)))
            g.add((assignment, RK.memberAsNamed, Literal(name)))
            for old in via:
                g.add((assignment, RK.formerMember, municipality(old)))
            g.add((municipality(current), RK.inRegion, region))
            placed[current].add(region_name)
        regions += len(seen_regions)
        for current, names in sorted(placed.items()):
            if len(names) > 1:
                conflicts.append(f"{label}: {current} lies in {' and '.join(sorted(names))}")
    linked = link_regions(kg, g, table=load_table())
    report.matched_exact = categories["exact"]
    report.matched_lineage = categories["lineage"]
    report.matched_normalised = categories["normalised"]
    report.unresolved = sorted(unresolved)
    report.distinct_names = report.rows_read
    report.unit = "rows (by CBS code, else by name)"
    report.counts = {"divisions": divisions, "regions": regions, "assignments": report.rows_read - len(unresolved),
                     "conflicts": len(conflicts), "regions linked to an arrangement": len(linked)}
    report.notes = ["matched exactly = the CBS code is a current municipality; through lineage = a 2016 "
                    "code followed to its successor; by normalised name = code unknown, name resolved",
                    f"{len(conflicts)} conflicts: a current municipality in two regions of one division, because "
                    "municipalities of different regions merged or one was divided (both kept; see details)"]
    report.details = {"conflicts": conflicts, "reconciliation": {"linked": linked}}
    report.listings["regions linked to an arrangement (rk:sameBodyAs)"] = [
        f"{x['region']} -> {x['arrangement']}" for x in linked]
    add_coverage(g, GRAPH)   # what this graph covers (graph/coverage.py)
    report.triples = kg.replace_graph(GRAPH, g, validate=validate)
    report.seconds = time.perf_counter() - started
    return report


def link_regions(kg, g, *, table) -> list[dict]:
    """``rk:sameBodyAs`` from each region the reconciliation table says is the same body as
    an arrangement (``regio/arbeidsmarktregios/drechtsteden`` -> ``samenwerking/drechtsteden``).
    Rows naming a region this import does not hold (a single division imported) are skipped."""
    regions = {str(s) for s, p, o in g if p == RDF.type and o == RK.Region}
    linked = []
    for d in table.of_source("regioatlas"):
        region = rk_id(d.other)
        if str(region) not in regions or d.decision != "same":
            continue
        g.add((region, RK.sameBodyAs, rk_id(d.canonical)))
        linked.append({"region": str(region), "arrangement": str(rk_id(d.canonical)), "note": d.note})
    return linked
