"""The importers on the real open data in ../shared/data, into a real store on disk.

One store per module: the seeds plus ``import_all`` run twice (the second run must leave
the dump byte-identical). The assertions are what a user of the issue would check.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import run_cli

from graph.errors import BadInput
from graph.importers import import_all, import_boundaries, import_opengr
from graph.importers.names import fold
from graph.kg import KnowledgeGraph
from graph.namespaces import RKG, RKID
from graph.settings import Settings
from graph.validation import validate_quads

pytestmark = [pytest.mark.shared, pytest.mark.slow]

IMPORT_GRAPHS = ["import/boundaries-2025", "import/lineage", "import/opengr", "import/dsta", "import/regioatlas"]
PREFIXES = """PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
"""


def gm(code: str) -> ox.NamedNode:
    return ox.NamedNode(f"{RKID}gemeente/{code}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory, shared_dir: Path):
    """(kg, reports of the first run, dump of run 1, dump of run 2)."""
    root = tmp_path_factory.mktemp("imports")
    kg = KnowledgeGraph.open(Settings(store=root / "store"))
    reports = import_all(kg, shared_dir / "data")
    kg.dump(root / "first.nq")
    import_all(kg, shared_dir / "data")
    kg.dump(root / "second.nq")
    yield kg, {r.dataset: r for r in reports}, root / "first.nq", root / "second.nq"
    kg.close()


def select(kg, text: str, **params):
    return kg.select_text(PREFIXES + text, **params)


def test_second_import_leaves_the_dump_unchanged(imported):
    _, _, first, second = imported
    assert first.read_bytes() == second.read_bytes()


def test_all_opengr_rows_are_accounted_for(imported):
    _, reports, _, _ = imported
    opengr = reports["opengr"]
    assert opengr.rows_read == 3752
    assert opengr.counts["memberships"] + opengr.counts["rows folded"] == 3752
    assert opengr.distinct_names == 608
    assert (opengr.matched_exact + opengr.matched_lineage + opengr.matched_normalised + opengr.new_bodies
            + len(opengr.unresolved)) == 608
    text = opengr.to_text()
    assert re.search(r"rows read +3752\n", text) and "464 names -> 455 after deduplication" in text
    assert opengr.counts["rows folded"] == sum(v for k, v in opengr.counts.items() if k.startswith("folded: "))


def test_unresolved_names_are_at_most_two_percent_and_listed(imported):
    kg, reports, _, _ = imported
    unresolved = reports["opengr"].unresolved
    assert 0 < len(unresolved) <= 0.02 * reports["opengr"].distinct_names
    labels = {r["label"].value for r in select(kg, "SELECT ?label WHERE { ?a a rk:UnresolvedActor ; rdfs:label ?label }")}
    assert set(unresolved) <= labels
    for name in unresolved:
        assert f"- {name}" in reports["opengr"].to_text()


def test_342_current_municipalities_have_geometry_and_centroid(imported):
    kg, _, _, _ = imported
    rows = select(kg, """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?m a rk:Municipality . FILTER NOT EXISTS { ?m rk:dissolvedOn ?d }
        ?m geo:hasGeometry/geo:asWKT ?wkt ; geo:hasCentroid/geo:asWKT ?point .
        FILTER(STRSTARTS(STR(?wkt), "POLYGON") || STRSTARTS(STR(?wkt), "MULTIPOLYGON"))
        FILTER(STRSTARTS(STR(?point), "POINT")) }""")
    assert int(rows[0]["n"].value) == 342
    one = select(kg, "SELECT * WHERE { GRAPH ?g { ?m geo:hasGeometry ?x } }", m=gm("GM0203"))
    assert [r["g"].value for r in one] == [f"{RKG}import/boundaries-2025"]


def test_memberships_belong_to_the_2016_municipality_and_pass_to_het_hogeland_by_lineage(imported):
    from graph.timeline import actor_memberships

    kg, _, _, _ = imported
    own = kg.select("memberships_with_former_names", member=gm("GM1966"))
    imported_own = [r for r in own if r["g"].value.startswith("https://w3id.org/regiokg/graph/import/")]
    assert imported_own == [], "Het Hogeland (formed 2019) is named by no 2016 source"
    # its own memberships come only from the curated pages of today (Regio Groningen-Assen)
    assert {r["g"].value for r in own} == {"https://w3id.org/regiokg/graph/reference/regionale-samenwerkingen"}
    bedum = kg.select("memberships_with_former_names", member=gm("GM0005"))
    assert {r["asNamed"].value for r in bedum} == {"Bedum"}
    from_opengr = {r["arrangement"].value for r in bedum if r["g"].value.endswith("/graph/import/opengr")}
    assert len(from_opengr) == 8  # Bedum's 9 OpenGR rows; two name one body (ARCG)
    # and the curated Regio Groningen-Assen membership (ended the day before the merger)
    assert {r["arrangement"].value for r in bedum} - from_opengr == {
        "https://w3id.org/regiokg/id/samenwerking/assen-groningen-2030"}
    holdings = actor_memberships(kg, gm("GM1966").value)
    inherited = [(a, h) for a, h in holdings if h.inherited]
    via = {h.via for _, h in inherited}
    assert via == {(gm(c).value,) for c in ("GM0005", "GM1651", "GM1663", "GM0053")}  # Bedum, Eemsmond, De Marne, Winsum
    assert all(h.since == "2019-01-01" for _, h in inherited)
    # its one own membership is the curated one, held directly (no predecessor in between)
    assert [(a["arrangement"].value, h.via) for a, h in holdings if not h.inherited] == [
        ("https://w3id.org/regiokg/id/samenwerking/assen-groningen-2030", ())]
    assert actor_memberships(kg, gm("GM1966").value, "2016-03-01") == []
    old = select(kg, """SELECT * WHERE {
        ?old rdfs:label ?label ; rk:dissolvedOn ?date ; dcterms:isReplacedBy ?successor ; org:changedBy ?event .
        ?event a org:ChangeEvent ; org:resultingOrganization ?successor ; dcterms:date ?date }""", old=gm("GM0005"))
    assert [(r["label"].value, r["successor"], r["date"].value) for r in old] == [("Bedum", gm("GM1966"), "2019-01-01")]


def test_lineage_dates_every_dissolution_from_the_table(imported):
    _, reports, _, _ = imported
    lineage = reports["lineage"]
    assert lineage.counts["dissolved"] == 66 and lineage.counts["continuing"] == 324
    assert not [n for n in lineage.notes if "no dissolution date" in n]
    assert lineage.details["dissolved"]["GM0017"][1] == "GM0014"  # Haren -> Groningen, code GM0014 persists


def test_no_label_contains_mojibake(imported):
    kg, _, _, _ = imported
    assert not kg.ask(PREFIXES + """ASK { ?s ?p ?o . FILTER(isLiteral(?o) && CONTAINS(STR(?o), "Ã")) }""")
    assert kg.ask(PREFIXES + 'ASK { ?w a rk:WaterBoard ; rdfs:label "Wetterskip Fryslân" }')


@pytest.mark.parametrize("spellings", [
    ("Gemeenschappelijk Belastingkantoor Lococensus - Tricijn (GBLT)",
     "Gemeenschappelijk Belastingkantoor gezamenlijke waterschappen Locosensus-Tricijn",
     "Gemeenschappelijk Belastingkantoor gezamenlijke waterschappen Locosensus-Tricijn (GBLT)"),
    ("Erfgoedcentrum Nieuw Land", "Nieuw Land Erfgoedcentrum"),
])
def test_spellings_of_one_arrangement_are_one_arrangement(imported, spellings):
    kg, _, _, _ = imported
    found = set()
    for name in spellings:
        rows = select(kg, """SELECT DISTINCT * WHERE { ?a a rk:CooperationArrangement .
            { ?a rdfs:label ?name } UNION { ?a skos:altLabel ?name } }""", name=ox.Literal(name))
        found |= {r["a"].value for r in rows}
    assert len(found) == 1


def test_barneveld_is_in_regio_foodvalley_and_its_labour_market_region(imported):
    kg, _, _, _ = imported
    foodvalley = ox.NamedNode(f"{RKID}samenwerking/regio-foodvalley")
    assert select(kg, "SELECT * WHERE { ?arrangement org:hasMember ?m . ?ms org:organization ?arrangement ; "
                  "org:member ?m ; rk:attestedOn ?d }", arrangement=foodvalley, m=gm("GM0203"))
    regions = select(kg, """SELECT * WHERE { ?m rk:inRegion ?region . ?region rk:division ?division ;
        rdfs:label ?label }""", m=gm("GM0203"), division=ox.NamedNode(f"{RKID}indeling/arbeidsmarktregios"))
    assert [fold(r["label"].value).replace(" ", "") for r in regions] == ["foodvalley"]


def test_old_regioatlas_codes_land_on_todays_municipality(imported):
    kg, reports, _, _ = imported
    report = reports["regioatlas"]
    assert report.rows_read == report.counts["assignments"] and not report.unresolved
    assert report.counts["divisions"] == 34
    rows = select(kg, """SELECT * WHERE { ?a a rk:RegionAssignment ; rk:member ?m ; rk:region ?r ;
        rk:sourceCode ?code ; rk:formerMember ?former . ?r rk:division ?division }""",
                  m=gm("GM1966"), division=ox.NamedNode(f"{RKID}indeling/arbeidsmarktregios"))
    assert {r["code"].value for r in rows} == {"0005", "1663", "1651", "0053"}


def test_dsta_codes_and_addresses_land_on_the_opengr_arrangement(imported):
    kg, reports, _, _ = imported
    dsta = reports["dsta"]
    assert dsta.rows_read == 400
    assert dsta.counts["rows matched"] + dsta.counts["not matched: own arrangement (listed in details)"] == 400
    rows = select(kg, """SELECT * WHERE { ?a rdfs:label ?name ; rk:grCode ?code ; org:hasMember ?m ;
        <https://schema.org/address>/<https://schema.org/postalCode> ?postcode }""",
                  name=ox.Literal("Afvalbeheer Regio Centraal Groningen (ARCG)"))
    assert {(r["code"].value, r["postcode"].value) for r in rows} == {("GR0316", "9700 AS")}


def test_every_import_graph_describes_itself_with_the_input_hash(imported, shared_dir):
    kg, _, _, _ = imported
    for name in IMPORT_GRAPHS:
        rows = select(kg, """SELECT * WHERE { GRAPH ?g { ?g a rk:DatasetImport ;
            dcterms:title ?title ; dcterms:publisher ?publisher ; dcterms:date ?date ; rk:sha256 ?sha } }""",
                      g=ox.NamedNode(f"{RKG}{name}"))
        assert len(rows) == 1, name
    opengr = select(kg, "SELECT * WHERE { GRAPH ?g { ?g rk:sha256 ?sha ; dcterms:date ?date } }",
                    g=ox.NamedNode(f"{RKG}import/opengr"))[0]
    data = (shared_dir / "data/opengr/opengr_provincies.csv").read_bytes()
    assert opengr["sha"].value == hashlib.sha256(data).hexdigest()
    assert opengr["date"].value == "2016-03-01"
    assert not kg.ask("ASK { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }")


def test_import_graphs_conform_to_the_shapes_with_the_reference_data(imported):
    kg, _, _, _ = imported
    target = ox.NamedNode(f"{RKG}import/opengr")
    quads = [ox.Quad(q.subject, q.predicate, q.object, target)
             for g in ["reference/gemeenten-2025", *IMPORT_GRAPHS] for q in kg.store.quads(f"{RKG}{g}")]
    # An arrangement the reconciliation maps onto a seed IRI has its rdfs:label in the seeds
    # (the import adds its names as skos:altLabel): those labels are included.
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for g in kg.graphs():
        if g.iri.startswith(f"{RKG}source/"):
            quads += [ox.Quad(q.subject, q.predicate, q.object, target) for q in kg.store.quads(g.iri)
                      if q.predicate == label and q.subject.value.startswith(f"{RKID}samenwerking/")]
    validate_quads(quads)  # raises ValidationFailed listing the violations


def test_reimport_of_changed_input_replaces_only_its_graph(tmp_path, shared_dir):
    kg = KnowledgeGraph.open(Settings(store=tmp_path / "store"))
    try:
        import_boundaries(kg, shared_dir / "data/geo")
        full = import_opengr(kg, shared_dir / "data/opengr/opengr_provincies.csv")
        sizes = {g.iri: g.triples for g in kg.graphs()}
        lines = (shared_dir / "data/opengr/opengr_provincies.csv").read_text(encoding="utf-8").splitlines()
        smaller = tmp_path / "opengr_provincies.csv"
        smaller.write_text("\n".join(lines[:101]) + "\n", encoding="utf-8")
        part = import_opengr(kg, smaller)
        assert part.rows_read == 100 and part.triples < full.triples
        after = {g.iri: g.triples for g in kg.graphs()}
        assert after.pop(f"{RKG}import/opengr") == part.triples
        sizes.pop(f"{RKG}import/opengr")
        assert after == sizes
    finally:
        kg.close()


def test_cli_imports_boundaries_and_names_a_missing_path(tmp_path, shared_dir):
    store = tmp_path / "store"
    done = run_cli("import", "boundaries", str(shared_dir / "data/geo"), "--json", store=store, check=True)
    assert '"dataset": "lineage"' in done.stdout and '"municipalities": 342' in done.stdout
    missing = run_cli("import", "opengr", str(tmp_path / "nope.csv"), store=store)
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: no such file or folder " \
                                     "(give a opengr file, a folder of them, or a URL)"


def test_opengr_refuses_a_file_with_other_columns(tmp_path, shared_dir):
    kg = KnowledgeGraph.open(Settings(store=tmp_path / "store"))
    try:
        bad = tmp_path / "opengr_provincies.csv"
        bad.write_text("Naam,Plaats\nx,y\n", encoding="utf-8")
        before = {g.iri: g.triples for g in kg.graphs()}
        with pytest.raises(BadInput, match="not an OpenGR membership file: missing column"):
            import_opengr(kg, bad)
        assert {g.iri: g.triples for g in kg.graphs()} == before
    finally:
        kg.close()


