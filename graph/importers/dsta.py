"""DSTA list of joint arrangements (Open State Foundation): addresses and CBS GR codes.

``gemeenschappelijke_regelingen_dsta.csv`` lists ~400 arrangements by the name the
Dutch State Treasury Agency (DSTA) uses, with a postal address and, where CBS knows it, the
CBS name and code (``GR0316``). Each row is matched to an arrangement the store already
knows (OpenGR import or seeds):

1. by the reviewed reconciliation table (:mod:`graph.importers.reconcile`; ``same`` gives
   the canonical IRI, ``different`` rules the proposed candidate out);
2. else by the same significant words (:func:`graph.importers.names.arrangement_key`) of
   the DSTA name or the CBS name;
3. a body no other source lists as an arrangement but Regioatlas holds as a region (GGD
   Zuid-Limburg) is matched when the table's ``regioatlas`` row names the arrangement this
   import mints for the row (``samenwerking/ggd-zuid-limburg``) as canonical.

A matched arrangement gets, in ``graph/import/dsta``: its GR code, the DSTA name as
``skos:altLabel`` and the DSTA address. A row matching nothing is imported as an
arrangement of its own (``samenwerking/<slug>`` with its name, address and code; no
members: no source lists them), and the report lists it with the reason: the best
candidate the proposer found and its score, the table's "different" note, or "no
arrangement with a similar name, postcode or place".
"""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict

from graph.coverage import add_coverage
from graph.errors import BadInput
from graph.importers.names import arrangement_key, clean, slugify
from graph.importers.rdfbuild import RDF, RDFS, RK, SCHEMA, SKOS, Literal, URIRef, describe, graph_iri, new_graph, rk_id
from graph.importers.reconcile import Body, bodies_from_store, load_table, postcode, propose
from graph.importers.report import ImportReport
from graph.importers.sources import combined_sha256, decode_text, read_sources

COLUMNS = ("DSTA_GR_naam", "Adres", "Postcode", "Plaats", "CBS_GR_naam", "CBS_GR_code")
DATASET_DATE = "2016-03-01"  # compiled by Open State Foundation in early 2016 with the OpenGR set
PUBLISHER = "Open State Foundation (github.com/openstate/datasets), from DSTA and CBS lists"
GRAPH = graph_iri("dsta")


def import_dsta(kg, path_or_url=None, *, validate: bool = False) -> ImportReport:
    """Attach DSTA addresses and CBS GR codes to known arrangements (``graph/import/dsta``)."""
    started = time.perf_counter()
    files = read_sources(path_or_url, dataset="dsta", suffixes=("gemeenschappelijke_regelingen_dsta.csv",
                                                                "gemeenschappelijke_regelingen.csv"))
    rows: list[dict[str, str]] = []
    for f in files:
        reader = csv.DictReader(io.StringIO(decode_text(f)))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadInput(f"{f.location}: not the DSTA arrangement list: missing column(s) {', '.join(missing)}")
        rows.extend(reader)
    known: dict[frozenset[str], str] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    for row in kg.select("import_arrangement_iris"):
        if GRAPH in (row["g"].value, row["lg"].value):
            continue  # what this graph itself states (a re-run must see what the first run saw)
        known.setdefault(arrangement_key(row["label"].value).words, row["arrangement"].value)
        labels[row["arrangement"].value].add(row["label"].value)
    g = new_graph()
    describe(g, GRAPH, title="Gemeenschappelijke regelingen met adres en CBS-code (DSTA-lijst, 2016)",
             publisher=PUBLISHER, date=DATASET_DATE, sources=[f.location for f in files],
             sha256=combined_sha256(files),
             description="Addresses and CBS arrangement codes of joint arrangements from the list of the Dutch "
                         "State Treasury Agency (DSTA) and CBS, compiled by Open State Foundation; attached to the "
                         "arrangements of the OpenGR import by name.")
    table = load_table()
    known_iris = set(known.values())
    matched, unmatched, conflicts = 0, [], []
    how: dict[str, int] = defaultdict(int)
    merged: list[dict] = []
    codes: dict[str, set[str]] = defaultdict(set)
    pending = []
    for row in rows:
        name = clean(row["DSTA_GR_naam"])
        keys = [arrangement_key(name).words] + ([arrangement_key(row["CBS_GR_naam"]).words]
                                                if row["CBS_GR_naam"].strip() else [])
        decision = table.get("dsta", name)
        target = None
        if decision and decision.decision == "same":
            target = str(rk_id(decision.canonical))
            if target not in known_iris:
                raise BadInput(f"{decision.canonical!r} (reconciliation table line {decision.line}, for {name!r}) "
                               "is not an arrangement the store knows; import OpenGR first or fix the table")
            how["by the reconciliation table"] += 1
            merged.append({"name": name, "canonical": target, "reason": decision.reason, "note": decision.note})
        elif decision is None:
            target = next((known[k] for k in keys if k in known), None)
            if target is not None:
                how["by the same significant words"] += 1
        if target is None:
            pending.append((row, name, decision))
            continue
        matched += 1
        node = URIRef(target)
        if name not in labels[target]:
            g.add((node, SKOS.altLabel, Literal(name)))
        if row["CBS_GR_code"].strip():
            codes[target].add(row["CBS_GR_code"].strip())
        _address(g, node, row)
    # Rows without a match: the proposer's best candidate says why they were left alone.
    bodies = bodies_from_store(kg, leave_out=GRAPH)
    used: set[str] = set()
    # A body OpenGR does not list may still be one Regioatlas holds: the table's regioatlas
    # row then names this row's own arrangement as the canonical one (GGD Zuid-Limburg).
    regions = {d.canonical: d for d in table.of_source("regioatlas") if d.decision == "same"}
    for row, name, decision in pending:
        names = [name] + ([clean(row["CBS_GR_naam"])] if row["CBS_GR_naam"].strip() else [])
        body = Body(name, names, {postcode(row["Postcode"])} if row["Postcode"].strip() else set(), {row["Plaats"]})
        best = propose([body], bodies, threshold=0.3, best_only=True)
        if decision is not None:
            reason = f"reconciliation table line {decision.line}: not {decision.reason.removeprefix('proposed: ')}: {decision.note}"
        elif best:
            reason = (f"candidate {best[0].b_name!r} (score {best[0].score:.2f}: {'; '.join(best[0].reasons)}) "
                      "not reviewed in the reconciliation table")
        else:
            reason = "no arrangement of OpenGR or the seeds with a similar name, postcode or place"
        slug = slugify(name)
        while slug in used or str(rk_id(f"samenwerking/{slug}")) in known_iris:
            slug += "-dsta"
        used.add(slug)
        node = rk_id(f"samenwerking/{slug}")
        g.add((node, RDF.type, RK.CooperationArrangement))
        g.add((node, RDFS.label, Literal(name)))
        if row["CBS_GR_naam"].strip() and clean(row["CBS_GR_naam"]) != name:
            g.add((node, SKOS.altLabel, Literal(clean(row["CBS_GR_naam"]))))
        region = regions.get(f"samenwerking/{slug}")
        if region is not None:
            matched += 1
            how["to a Regioatlas region by the reconciliation table"] += 1
            merged.append({"name": name, "canonical": str(node), "region": str(rk_id(region.other)),
                           "reason": region.reason, "note": region.note})
        else:
            unmatched.append({"name": name, "imported_as": str(node), "reason": reason})
        target = str(node)
        if row["CBS_GR_code"].strip():
            codes[target].add(row["CBS_GR_code"].strip())
        _address(g, node, row)
    for target, found in sorted(codes.items()):
        g.add((URIRef(target), RK.grCode, Literal(min(found))))  # rk:grCode is at most one per arrangement
        if len(found) > 1:
            conflicts.append(f"{target}: {', '.join(sorted(found))}; kept {min(found)}")
    report = ImportReport("dsta", GRAPH, ", ".join(f.location for f in files), rows_read=len(rows))
    report.counts = {"rows matched": matched, **{f"  matched {k}": v for k, v in sorted(how.items())},
                     "rows matched (%)": round(100 * matched / len(rows)) if rows else 0,
                     "GR codes attached": len(codes),
                     "not matched: own arrangement (listed in details)": len(unmatched)}
    report.notes = [f"GR code conflict: {c}" for c in conflicts]
    report.notes.append("a row not matched is imported as an arrangement of its own, without members (no source "
                        "lists them); details.unmatched gives each with the reason")
    report.details = {"unmatched": sorted(unmatched, key=lambda u: u["name"]), "merged": merged}
    report.listings["merged by the reconciliation table"] = [
        f"{m['name']} -> {m['canonical']}" + (f" (same body as region {m['region']})" if "region" in m else "")
        for m in merged]
    report.listings["not matched (own arrangement; reason)"] = [
        f"{u['name']}: {u['reason']}" for u in report.details["unmatched"]]
    add_coverage(g, GRAPH)   # what this graph covers (graph/coverage.py)
    report.triples = kg.replace_graph(GRAPH, g, validate=validate)
    report.seconds = time.perf_counter() - started
    return report


def _address(g, node: URIRef, row: dict[str, str]) -> None:
    """The DSTA address of a row as ``schema:address`` of ``node``."""
    address = URIRef(f"{node}/adres-dsta")
    g.add((node, SCHEMA.address, address))
    g.add((address, RDF.type, SCHEMA.PostalAddress))
    street = clean(row["Adres"])
    if street.lower().startswith("postbus"):
        g.add((address, SCHEMA.postOfficeBoxNumber, Literal(street.split(None, 1)[-1])))
    elif street:
        g.add((address, SCHEMA.streetAddress, Literal(street)))
    if row["Postcode"].strip():
        g.add((address, SCHEMA.postalCode, Literal(clean(row["Postcode"]))))
    if row["Plaats"].strip():
        g.add((address, SCHEMA.addressLocality, Literal(clean(row["Plaats"]))))
