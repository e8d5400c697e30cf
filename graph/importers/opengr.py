"""OpenGR: participants of gemeenschappelijke regelingen (Open State Foundation, 2016).

One row = one participant (``Deelnemer``) of one arrangement (``Gemeenschappelijke
regeling``), with the arrangement's postcode, place and reporting province. The import:

* deduplicates arrangement names (:func:`graph.importers.names.dedupe_arrangements`; every
  variant kept as ``skos:altLabel``) and reuses the IRI of an arrangement the store already
  knows under the same name (e.g. ``samenwerking/regio-foodvalley`` from the seeds);
* applies the reviewed reconciliation table (:mod:`graph.importers.reconcile`): a name the
  table maps onto a canonical IRI (``Regio Stedendriehoek`` -> ``samenwerking/stedendriehoek``
  of the seeds; ``Plassenschap Loosdrecht en omgeving`` -> the Recreatieschap) is written on
  that IRI, and the IRI it would have had gets ``owl:sameAs`` the canonical one; a name of
  an arrangement the seeds state becomes a ``skos:altLabel`` (the seed's label stays the
  one ``rdfs:label``). Pairs the proposer finds and the table does not decide are listed in
  the report as candidates;
* resolves every participant (:mod:`graph.importers.resolve`) to the actor that existed on
  the dataset's date (2016-03-01): Bedum's memberships belong to Bedum (GM0005), not to Het
  Hogeland, formed in 2019. Who holds them *today* is a question of lineage, answered when
  asked (:mod:`graph.timeline`: "via Bedum, attested 2016-03-01"). The name as written is
  kept on the membership (``rk:memberAsNamed``); a name of a municipality merged before 2016
  lands on its 2016 successor;
* dates every membership to the dataset (``rk:attestedOn``);
* gives an arrangement whose name says it was dissolved an end: ``rk:dissolvedOn`` ("opgeheven
  per 25 januari 2016") or ``rk:endedBy`` ("in liquidatie", "(in 2016 opgeheven)"), see
  :func:`graph.importers.names.dissolution_in_name`;
* writes everything into ``graph/import/opengr``, described as an ``rk:DatasetImport``.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter, defaultdict

from graph.coverage import add_coverage
from graph.errors import BadInput
from graph.importers.gazetteer import gazetteer_from_store
from graph.importers.names import (
    arrangement_key,
    clean,
    dedupe_arrangements,
    dissolution_in_name,
    fold,
    preferred_label,
    slugify,
)
from graph.importers.rdfbuild import (
    ORG,
    OWL,
    RDF,
    RDFS,
    RK,
    SCHEMA,
    SKOS,
    Literal,
    URIRef,
    date_literal,
    describe,
    graph_iri,
    municipality,
    new_graph,
    province,
    rk_id,
)
from graph.importers.reconcile import Body, Table, load_table, postcode, propose
from graph.importers.report import ImportReport
from graph.importers.resolve import Gazetteer, Resolution
from graph.importers.sources import SourceFile, combined_sha256, decode_text, read_sources

COLUMNS = ("Deelnemer", "Gemeenschappelijke regeling", "Postcode", "Plaats", "Provincie")
DATASET_DATE = "2016-03-01"   # published by Open State Foundation in March 2016 (openstate.eu/nl/2016/03/...)
PUBLISHER = "Open State Foundation (OpenGR, github.com/openstate/datasets)"
GRAPH = graph_iri("opengr")


def read_rows(source: SourceFile) -> list[dict[str, str]]:
    """The CSV rows with their line numbers (``_line``); a clear error for a wrong header."""
    reader = csv.DictReader(io.StringIO(decode_text(source)))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadInput(f"{source.location}: not an OpenGR membership file: missing column(s) "
                       f"{', '.join(missing)} (found {', '.join(reader.fieldnames or [])})")
    rows = []
    for row in reader:
        row["_line"] = str(reader.line_num)
        if not (row.get("Deelnemer") or "").strip() or not (row.get("Gemeenschappelijke regeling") or "").strip():
            raise BadInput(f"{source.location}, line {reader.line_num}: empty participant or arrangement name")
        rows.append(row)
    return rows


def known_arrangements(kg, labels: dict[str, set[str]] | None = None) -> dict[frozenset[str], str]:
    """Arrangements stated outside the imports (seeds): word key -> IRI (first IRI wins).
    ``labels``, when given, is filled with IRI -> the names the seeds give it.

    Names stated by import graphs are left out, so what this import maps to does not depend
    on earlier imports (a re-run gives the same graph)."""
    known: dict[frozenset[str], str] = {}
    imports = graph_iri("")
    for row in kg.select("import_arrangement_iris"):
        if row["g"].value.startswith(imports) or row["lg"].value.startswith(imports):
            continue
        known.setdefault(arrangement_key(row["label"].value).words, row["arrangement"].value)
        if labels is not None:
            labels.setdefault(row["arrangement"].value, set()).add(row["label"].value)
    return known


def node_of(target: str) -> URIRef:
    """An arrangement target as an IRI: a full IRI from the store, or a path under the base."""
    return URIRef(target) if "://" in target else rk_id(target)


def actor_iri(res: Resolution, arrangement_targets: dict[str, str]) -> URIRef:
    """The IRI a resolved participant gets (its kind decides the IRI pattern)."""
    target = res.target  # set for every kind but "ambiguous"
    if res.kind == "municipality" and target is not None:
        return municipality(target)
    if res.kind == "province" and target is not None:
        return province(target)
    if res.kind == "water_board":
        return rk_id(f"waterschap/{target}")
    if res.kind == "arrangement" and target is not None:
        return node_of(arrangement_targets[target])
    return rk_id(f"organisatie/{target}")


def cluster_arrangements(rows: list[dict[str, str]], known: dict[frozenset[str], str],
                         table: Table | None = None):
    """Dedupe arrangement names and apply the reconciliation table.

    Returns (raw name -> IRI text, IRI text -> (label, variants), IRI text -> the IRIs the
    table replaced by it: each gets ``owl:sameAs`` the canonical one)."""
    counts = Counter(r["Gemeenschappelijke regeling"] for r in rows)
    seats: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        seats[r["Gemeenschappelijke regeling"]].add(fold(r["Plaats"]))
    groups = dedupe_arrangements(counts, seats=seats)
    by_name: dict[str, str] = {}
    variants_of: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    used_slugs: Counter[str] = Counter()
    own_label: dict[str, str] = {}
    for variants in groups:
        label = preferred_label(variants, counts)
        canonical = next((table.same("opengr", v) for v in variants if table and table.same("opengr", v)), None)
        target = next((known[arrangement_key(v).words] for v in variants if arrangement_key(v).words in known), None)
        if target is None:
            slug = slugify(label)
            used_slugs[slug] += 1
            target = f"samenwerking/{slug}" + (f"-{used_slugs[slug]}" if used_slugs[slug] > 1 else "")
        target = str(node_of(target))
        if canonical is not None and str(node_of(canonical)) != target:
            aliases[str(node_of(canonical))].add(target)
            target = str(node_of(canonical))
            own_label.setdefault(target, "")
        else:
            own_label[target] = label  # the group that has the canonical IRI itself names it
        for v in variants:
            by_name[v] = target
        variants_of[target].update(variants)
    described: dict[str, tuple[str, list[str]]] = {}
    for target, names in variants_of.items():
        label = own_label.get(target) or preferred_label(sorted(names), counts)
        described[target] = (label, sorted({clean(v) for v in names} - {label}))
    return by_name, described, {k: sorted(v) for k, v in sorted(aliases.items())}


def resolve_participants(gz: Gazetteer, rows: list[dict[str, str]], by_name: dict[str, str]):
    """Resolve every row's participant; ambiguous names are settled per arrangement by the
    provinces of the arrangement and of its other (unambiguous) members."""
    resolved = gz.resolve_all([r["Deelnemer"] for r in rows])
    report_province = {r["Provincie"]: gz.resolve(r["Provincie"]) for r in rows}
    provinces_of: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        res = resolved[r["Deelnemer"]]
        arrangement = by_name[r["Gemeenschappelijke regeling"]]
        if res.kind == "municipality" and res.target is not None:
            record = gz.municipalities.get(res.target)
            if record and record.province:
                provinces_of[arrangement][record.province] += 1
        reported = report_province[r["Provincie"]]
        if reported.kind == "province" and reported.target is not None:
            provinces_of[arrangement][reported.target] += 1
    per_row = []
    for r in rows:
        res = resolved[r["Deelnemer"]]
        if res.kind == "ambiguous":
            res = gz.disambiguate(res, provinces_of[by_name[r["Gemeenschappelijke regeling"]]])
        per_row.append(res)
    return resolved, per_row, report_province


def build_graph(rows, per_row, by_name, described, report_province, *, files: list[SourceFile],
                seed_labels: dict[str, set[str]] | None = None, aliases: dict[str, list[str]] | None = None):
    """The OpenGR graph (rdflib) and figures for the report. ``seed_labels``: IRI -> the
    names the seeds give an arrangement (its names here become alternative labels);
    ``aliases``: canonical IRI -> IRIs that are ``owl:sameAs`` it."""
    seed_labels = seed_labels or {}
    g = new_graph()
    describe(g, GRAPH, title="OpenGR: deelnemers van gemeenschappelijke regelingen (provincies, 2015-2016)",
             publisher=PUBLISHER, date=DATASET_DATE, sources=[f.location for f in files],
             sha256=combined_sha256(files),
             description="Participants of joint arrangements as the 12 provinces reported them in 2015-2016, "
                         "obtained by Open State Foundation through a re-use request and published in March "
                         "2016. Names resolved to the municipalities that existed on 2016-03-01.")
    attested = date_literal(DATASET_DATE)
    iri = {target: node_of(target) for target in described}
    for target, (label, others) in sorted(described.items()):
        node = iri[target]
        g.add((node, RDF.type, RK.CooperationArrangement))
        stated = seed_labels.get(str(node), set())
        if stated:  # the seeds name it: one rdfs:label (theirs); our names are variants
            for name in sorted({label, *others} - stated):
                g.add((node, SKOS.altLabel, Literal(name)))
        else:
            g.add((node, RDFS.label, Literal(label)))
            for other in others:
                g.add((node, SKOS.altLabel, Literal(other)))
        for name in (label, *others):
            dissolved, ended = dissolution_in_name(name, DATASET_DATE)
            if dissolved:
                g.add((node, RK.dissolvedOn, date_literal(dissolved)))
            if ended:
                g.add((node, RK.endedBy, date_literal(ended)))
    for canonical, old in sorted((aliases or {}).items()):
        for alias in old:
            g.add((URIRef(alias), OWL.sameAs, URIRef(canonical)))
    seat: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        seat[by_name[r["Gemeenschappelijke regeling"]]].add((r["Postcode"].strip(), clean(r["Plaats"])))
        reported = report_province[r["Provincie"]]
        node = iri[by_name[r["Gemeenschappelijke regeling"]]]
        if reported.kind == "province":
            g.add((node, RK.registeredInProvince, province(reported.target)))
        elif reported.kind == "foreign":
            g.add((node, RK.registeredInProvince, rk_id(f"organisatie/{reported.target}")))
    for target, places in sorted(seat.items()):
        address = URIRef(f"{iri[target]}/adres")
        g.add((iri[target], SCHEMA.address, address))
        g.add((address, RDF.type, SCHEMA.PostalAddress))
        for place in sorted({p for _, p in places}):
            g.add((address, SCHEMA.addressLocality, Literal(place)))
        codes = sorted({c for c, _ in places if c})
        if len(codes) == 1:  # several codes for one seat are a spreadsheet fill-down artefact: left out
            g.add((address, SCHEMA.postalCode, Literal(codes[0])))
    actors: dict[str, Resolution] = {}
    memberships: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    for r, res in zip(rows, per_row, strict=True):
        target = by_name[r["Gemeenschappelijke regeling"]]
        member = str(actor_iri(res, by_name))
        actors.setdefault(member, res)
        memberships[(target, member)].append(res)
    for member, res in sorted(actors.items()):
        node = URIRef(member)
        if res.kind == "water_board":
            g.add((node, RDF.type, RK.WaterBoard))
        elif res.kind in ("organisation", "foreign"):
            g.add((node, RDF.type, ORG.Organization))
            if res.kind == "foreign":
                g.add((node, SCHEMA.addressCountry, Literal("DE")))
        elif res.kind in ("unresolved", "ambiguous"):
            g.add((node, RDF.type, RK.UnresolvedActor))
        if res.kind in ("water_board", "organisation", "foreign", "unresolved", "ambiguous"):
            labels = sorted({x.label for (t, m), xs in memberships.items() if m == member for x in xs})
            g.add((node, RDFS.label, Literal(labels[0])))
            for other in labels[1:]:
                g.add((node, SKOS.altLabel, Literal(other)))
    for (target, member), results in sorted(memberships.items()):
        member_slug = member.rsplit("/", 1)[-1].lower()
        node = rk_id(f"lidmaatschap/{str(iri[target]).rsplit('/', 1)[-1]}/{member_slug}")
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, ORG.member, URIRef(member)))
        g.add((node, ORG.organization, iri[target]))
        g.add((node, RK.attestedOn, attested))
        g.add((iri[target], ORG.hasMember, URIRef(member)))
        for res in results:
            g.add((node, RK.memberAsNamed, Literal(res.label)))
            for former in res.via:  # only municipalities dissolved before the dataset's date
                g.add((node, RK.formerMember, municipality(former)))
    return g, memberships, actors


def folded_rows(rows, per_row, by_name) -> dict[str, int]:
    """Why rows share a membership: counts of the extra rows by reason."""
    groups: dict[tuple[str, str], list[tuple[dict[str, str], Resolution]]] = defaultdict(list)
    for r, res in zip(rows, per_row, strict=True):
        groups[(by_name[r["Gemeenschappelijke regeling"]], f"{res.kind}:{res.target}")].append((r, res))
    reasons: Counter[str] = Counter()
    for items in groups.values():
        seen: set[tuple[str, str]] = set()
        first_arrangement = items[0][0]["Gemeenschappelijke regeling"]
        for r, res in items:
            key = (r["Gemeenschappelijke regeling"], r["Deelnemer"])
            if not seen:
                seen.add(key)
                continue
            if key in seen:
                reasons["repeated row"] += 1
            elif r["Gemeenschappelijke regeling"] != first_arrangement:
                reasons["other arrangement spelling"] += 1
            elif res.via or res.historic:
                reasons["merged municipality"] += 1
            else:
                reasons["other member spelling"] += 1
            seen.add(key)
    return dict(sorted(reasons.items()))


def import_opengr(kg, path_or_url=None, *, validate: bool = False) -> ImportReport:
    """Import the OpenGR membership CSV into ``graph/import/opengr`` (replacing it atomically)."""
    started = time.perf_counter()
    files = read_sources(path_or_url, dataset="opengr", suffixes=("opengr_provincies.csv",))
    rows = [row for f in files for row in read_rows(f)]
    table = load_table()
    seed_labels: dict[str, set[str]] = {}
    known = known_arrangements(kg, seed_labels)
    by_name, described, aliases = cluster_arrangements(rows, known, table)
    gz = gazetteer_from_store(kg, arrangement_names=sorted(by_name), as_of=DATASET_DATE)
    resolved, per_row, report_province = resolve_participants(gz, rows, by_name)
    g, memberships, actors = build_graph(rows, per_row, by_name, described, report_province, files=files,
                                         seed_labels=seed_labels, aliases=aliases)
    report = ImportReport("opengr", GRAPH, ", ".join(f.location for f in files), rows_read=len(rows))
    # Names are counted once each; an ambiguous name settled per arrangement counts as normalised.
    final: dict[str, Resolution] = {}
    for r, res in zip(rows, per_row, strict=True):
        if final.get(r["Deelnemer"]) is None or final[r["Deelnemer"]].category == "unresolved":
            final[r["Deelnemer"]] = res
    categories = Counter(res.category for res in final.values())
    report.distinct_names = len(final)
    report.matched_exact = categories["exact"]
    report.matched_lineage = categories["lineage"]
    report.matched_normalised = categories["normalised"]
    report.new_bodies = categories["new-body"]
    report.unresolved = sorted(clean(n) for n, res in final.items() if res.category == "unresolved")
    report.arrangements_before = len(by_name)
    report.arrangements_after = len(described)
    kinds = Counter(res.kind for res in actors.values())
    folded = folded_rows(rows, per_row, by_name)
    report.counts = {
        "memberships": len(memberships),
        "rows folded": len(rows) - len(memberships),
        **{f"folded: {k}": v for k, v in folded.items()},
        **{f"actors: {k}": v for k, v in sorted(kinds.items())},
    }
    report.notes = ["rows folded = rows that add no new (arrangement, member) pair: the old municipalities "
                    "of one merged municipality, another spelling of the arrangement or of the member, or a "
                    "repeated row; the names are kept (rk:memberAsNamed, skos:altLabel)",
                    f"members are the actors of {DATASET_DATE} (Bedum, not Het Hogeland); today's holders follow "
                    "the lineage when asked (graph/timeline.py)"]
    merged = [sorted({v for v, t in by_name.items() if t == target}) for target in described]
    report.details = {
        "merged_arrangements": [m for m in merged if len(m) > 1],
        "resolutions": {n: {"kind": r.kind, "method": r.method, "target": r.target, "via": list(r.via)}
                        for n, r in sorted(final.items())},
        "arrangement_iri_from_store": sorted(t for t in described if t in set(known.values())),
    }
    merged, candidates = reconciliation_summary(rows, by_name, described, memberships, aliases, table)
    report.counts["merged by the reconciliation table"] = len(merged)
    report.counts["candidates left for review"] = len(candidates)
    report.details["reconciliation"] = {"merged": merged, "candidates": candidates}
    report.listings["merged by the reconciliation table"] = [
        f"{m['name']} -> {m['canonical']}" + (f" (old IRI {', '.join(m['old_iris'])} is owl:sameAs it)" if m["old_iris"] else "")
        + ("" if m["found"] else " [name not in this input]") for m in merged]
    report.listings["candidates left for review (not merged)"] = [
        f"{c['a_name']} ~ {c['b_name']} (score {c['score']:.2f}: {'; '.join(c['reasons'])})" for c in candidates]
    add_coverage(g, GRAPH)   # what this graph covers (graph/coverage.py)
    report.triples = kg.replace_graph(GRAPH, g, validate=validate)
    report.seconds = time.perf_counter() - started
    return report


def reconciliation_summary(rows, by_name, described, memberships, aliases, table: Table):
    """What the table merged (names onto canonical IRIs) and the pairs of arrangements of
    this import the proposer finds alike that the table does not decide."""
    merged = []
    for d in table.of_source("opengr"):
        names = sorted(n for n in by_name if fold(n) == fold(d.other))
        if d.decision == "same":
            canonical = str(node_of(d.canonical))
            merged.append({"name": d.other, "found": bool(names), "canonical": canonical,
                           "old_iris": aliases.get(canonical, []), "reason": d.reason, "note": d.note})
    decided = {fold(d.other) for d in table.of_source("opengr")}
    bodies: dict[str, Body] = {}
    for r in rows:
        target = by_name[r["Gemeenschappelijke regeling"]]
        body = bodies.setdefault(target, Body(target, [described[target][0], *described[target][1]]))
        if r["Postcode"].strip():
            body.postcodes.add(postcode(r["Postcode"]))
        body.places.add(clean(r["Plaats"]))
    for (target, member) in memberships:
        bodies[target].members = bodies[target].members | {member}
    candidates = [c.to_dict() for c in propose([bodies[k] for k in sorted(bodies)], threshold=CANDIDATE_SCORE)
                  if fold(c.a_name) not in decided and fold(c.b_name) not in decided]
    return merged, candidates


#: Pairs within OpenGR scoring at least this are listed (names alone are often alike:
#: "GGD X" and "Veiligheidsregio X" share their area words).
CANDIDATE_SCORE = 0.9
