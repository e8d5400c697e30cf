"""DSTA list of joint arrangements (Open State Foundation): addresses and CBS GR codes.

``gemeenschappelijke_regelingen_dsta.csv`` lists ~400 arrangements by the name the
Dutch State Treasury Agency (DSTA) uses, with a postal address and, where CBS knows it, the
CBS name and code (``GR0316``). An arrangement the store already knows (OpenGR import or
seeds) under the same significant words (:func:`graph.importers.names.arrangement_key`,
by the DSTA name or the CBS name) gets, in ``graph/import/dsta``: its GR code, the DSTA
name as ``skos:altLabel`` and the DSTA address. Rows that match no known arrangement are
listed in the report, not imported: without members they add nothing to the network.
"""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict

from graph.errors import BadInput
from graph.importers.names import arrangement_key, clean
from graph.importers.rdfbuild import RDF, RK, SCHEMA, SKOS, Literal, URIRef, describe, graph_iri, new_graph
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
    rows = []
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
    matched, unmatched, conflicts = 0, [], []
    codes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        name = clean(row["DSTA_GR_naam"])
        keys = [arrangement_key(name).words] + ([arrangement_key(row["CBS_GR_naam"]).words]
                                                if row["CBS_GR_naam"].strip() else [])
        target = next((known[k] for k in keys if k in known), None)
        if target is None:
            unmatched.append(name)
            continue
        matched += 1
        node = URIRef(target)
        if name not in labels[target]:
            g.add((node, SKOS.altLabel, Literal(name)))
        if row["CBS_GR_code"].strip():
            codes[target].add(row["CBS_GR_code"].strip())
        address = URIRef(f"{target}/adres-dsta")
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
    for target, found in sorted(codes.items()):
        g.add((URIRef(target), RK.grCode, Literal(min(found))))  # rk:grCode is at most one per arrangement
        if len(found) > 1:
            conflicts.append(f"{target}: {', '.join(sorted(found))}; kept {min(found)}")
    report = ImportReport("dsta", GRAPH, ", ".join(f.location for f in files), rows_read=len(rows))
    report.counts = {"arrangements matched": matched, "GR codes attached": len(codes),
                     "not matched (listed in details)": len(unmatched)}
    report.notes = [f"GR code conflict: {c}" for c in conflicts]
    report.details = {"unmatched": sorted(unmatched)}
    report.triples = kg.replace_graph(GRAPH, g, validate=validate)
    report.seconds = time.perf_counter() - started
    return report
