"""The seed graph (seeds/): one described named graph per source document plus reference facts.

Each file parses, keeps its default graph empty, describes every graph it fills, validates
against the shapes on its own; the reference file is exactly what seeds/build_reference.py
derives from ../shared; and the competency questions of the issue are answered by the
named queries in graph/queries/cq_*.rq over ontology + seeds, with their sources.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
SEEDS_DIR = ROOT / "seeds"
QUERY_DIR = ROOT / "graph" / "queries"
SEED_FILES = sorted(SEEDS_DIR.rglob("*.trig"))
SOURCE_SEEDS = sorted(SEEDS_DIR.glob("0*.trig"))
REFERENCE_FILE = SEEDS_DIR / "reference" / "gemeenten-2025.trig"
RK = rdflib.Namespace("https://w3id.org/regiokg/def#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
ID = "https://w3id.org/regiokg/id/"
GRAPH = "https://w3id.org/regiokg/graph/"
SOURCE_KINDS = {RK.SourceDocument, RK.DatasetImport, RK.AnalysisRun, RK.Vocabulary, RK.ReferenceData}
DATE_TYPES = {XSD.date, XSD.gYear, XSD.dateTime}
XSD_DATE = ox.NamedNode(str(XSD.date))
SOURCE_000 = GRAPH + "source/000_90296d1bc9ec201b"

sys.path.insert(0, str(SEEDS_DIR))
import build_reference  # noqa: E402  (seeds/ is a folder of data plus this one script)


def read(path: Path) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(path, format="trig")
    return dataset


def named_graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g) and g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


# -- files and graphs ------------------------------------------------------------------------------

def test_there_is_one_seed_file_per_source_document_and_a_reference_file():
    assert [p.stem for p in SOURCE_SEEDS] == ["000_90296d1bc9ec201b", "001_7caac940aba3b21f", "002_fac9fb6c79f0e752",
                                             "003_edc8197e25a54393", "004_876664bd19358e88"]
    assert REFERENCE_FILE in SEED_FILES


def test_seed_files_match_the_source_texts(shared_dir: Path):
    texts = sorted(p.stem for p in (shared_dir / "sources").glob("*.txt"))
    assert [p.stem for p in SOURCE_SEEDS] == texts


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_file_keeps_every_fact_in_a_described_named_graph(path: Path):
    dataset = read(path)
    assert len(dataset.default_graph) == 0, f"{path.name}: triples in the default graph"
    graphs = named_graphs(dataset)
    assert graphs, f"{path.name}: no named graph"
    for iri, graph in graphs.items():
        node = URIRef(iri)
        assert set(graph.objects(node, RDF.type)) & SOURCE_KINDS, f"{iri} is not typed as a source"
        assert graph.value(node, DCTERMS.title) is not None, f"{iri} has no dcterms:title"
        assert graph.value(node, DCTERMS.publisher) is not None, f"{iri} has no dcterms:publisher"
        dates = list(graph.objects(node, DCTERMS.date))
        assert len(dates) == 1 and dates[0].datatype in DATE_TYPES, f"{iri}: dcterms:date {dates}"
        assert graph.value(node, DCTERMS.source) is not None, f"{iri} has no dcterms:source"


@pytest.mark.parametrize("path", SOURCE_SEEDS, ids=lambda p: p.name)
def test_source_seed_graph_is_named_after_its_document(path: Path):
    graphs = named_graphs(read(path))
    iri = GRAPH + "source/" + path.stem
    assert list(graphs) == [iri]
    graph = graphs[iri]
    assert (URIRef(iri), RDF.type, RK.SourceDocument) in graph
    assert graph.value(URIRef(iri), DCTERMS.source) == Literal(path.stem + ".txt")


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_graph_conforms_to_the_shapes_on_its_own(path: Path, ontology, shapes):
    for iri, graph in named_graphs(read(path)).items():
        data = rdflib.Graph()
        for triple in graph:
            data.add(triple)
        conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", advanced=True)
        assert conforms, f"{iri}:\n{text}"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seeds_have_no_blank_nodes(path: Path):
    assert not [q for q in read(path).quads() if any(isinstance(t, BNode) for t in q[:3])]


def test_every_term_and_concept_the_seeds_use_is_defined(ontology):
    for path in SEED_FILES:
        for _s, p, o, _g in read(path).quads():
            for term in [p] + ([o] if p == RDF.type else []):
                assert (term, RDFS.label, None) in ontology, f"{path.name}: {term} is not declared in ontology/"
            if isinstance(o, URIRef) and any(str(o).startswith(ID + scheme + "/") for scheme in (
                    "onderwerp", "ervaringssoort", "rol", "samenwerkingsvorm", "samenwerkingstype", "beleidsdomein")):
                assert (o, SKOS.prefLabel, None) in ontology, f"{path.name}: unknown concept {o}"


def test_every_experience_cites_the_graph_it_sits_in():
    per_source = {}
    for path in SOURCE_SEEDS:
        for iri, graph in named_graphs(read(path)).items():
            for experience in graph.subjects(RDF.type, RK.Experience):
                assert graph.value(experience, DCTERMS.source) == URIRef(iri), experience
                assert graph.value(experience, DCTERMS.description).language == "nl", experience
                per_source[path.name] = per_source.get(path.name, 0) + 1
    assert set(per_source) == {path.name for path in SOURCE_SEEDS}  # every source states some


def test_municipality_codes_and_names_match_cbs(shared_dir: Path):
    def names(file: str) -> dict[str, str]:
        topology = json.loads((shared_dir / "data" / "geo" / file).read_text(encoding="utf-8"))
        (collection,) = topology["objects"].values()
        return {g["properties"]["statcode"]: g["properties"]["statnaam"] for g in collection["geometries"]}

    current, in_2016 = names("gemeente_2025.topojson"), names("gemeente_2016.topojson")
    outside_2025 = set()
    for path in SOURCE_SEEDS:
        graph = read(path).graph(URIRef(GRAPH + "source/" + path.stem))
        for s, code in graph.subject_objects(RK.cbsCode):
            label = str(graph.value(s, RDFS.label))
            assert str(s) == f"{ID}gemeente/{code}"
            if str(code) in current:
                assert current[str(code)] == label, (path.name, code, label)
            else:
                assert in_2016.get(str(code)) == label, (path.name, code, label)
                outside_2025.add(str(code))
    assert outside_2025 == {"GM0009"}  # Ten Boer (Soest slides), merged into Groningen in 2019


# -- reference facts -------------------------------------------------------------------------------

def test_reference_file_is_what_the_generator_derives_from_shared(shared_dir: Path, tmp_path: Path):
    out = tmp_path / "gemeenten-2025.trig"
    assert build_reference.main([str(shared_dir / "data" / "geo"), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == REFERENCE_FILE.read_text(encoding="utf-8")


def test_reference_generator_names_a_missing_input(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as exc:
        build_reference.main([str(tmp_path)])
    assert exc.value.code == 2
    assert f"{tmp_path / 'gemeente_2025.topojson'} not found" in capsys.readouterr().err


def test_reference_holds_342_municipalities_in_12_provinces_with_points():
    (graph,) = named_graphs(read(REFERENCE_FILE)).values()
    municipalities = set(graph.subjects(RDF.type, RK.Municipality))
    provinces = set(graph.subjects(RDF.type, RK.Province))
    assert len(municipalities) == 342 and len(provinces) == 12
    per_province: dict[str, int] = {}
    for m in municipalities:
        code = str(graph.value(m, RK.cbsCode))
        assert graph.value(m, OWL.sameAs) == URIRef(f"https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}")
        province = graph.value(m, RK.province)
        assert province in provinces
        name = str(graph.value(province, RDFS.label))
        per_province[name] = per_province.get(name, 0) + 1
        wkt = str(graph.value(graph.value(m, URIRef("http://www.opengis.net/ont/geosparql#hasCentroid")),
                              URIRef("http://www.opengis.net/ont/geosparql#asWKT")))
        lon, lat = (float(v) for v in wkt.removeprefix("POINT(").removesuffix(")").split())
        assert 3.3 < lon < 7.3 and 50.7 < lat < 53.6, (code, wkt)
    # CBS: municipalities per province on 1 January 2025
    assert per_province == {"Noord-Brabant": 56, "Gelderland": 51, "Zuid-Holland": 50, "Noord-Holland": 44,
                            "Limburg": 31, "Utrecht": 26, "Overijssel": 25, "Fryslân": 18, "Zeeland": 13,
                            "Drenthe": 12, "Groningen": 10, "Flevoland": 6}
    barneveld = URIRef(ID + "gemeente/GM0203")
    assert str(graph.value(barneveld, RDFS.label)) == "Barneveld"
    assert graph.value(barneveld, RK.province) == URIRef(ID + "provincie/PV25")
    assert graph.value(URIRef(ID + "provincie/PV25"), OWL.sameAs) == URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv25")


# -- people and organisations the texts name -------------------------------------------------------

@pytest.fixture(scope="session")
def seeds() -> rdflib.Graph:
    """The union of all source seed graphs."""
    union = rdflib.Graph()
    for path in SOURCE_SEEDS:
        for s, p, o, _ in read(path).quads():
            union.add((s, p, o))
    return union


def posts_of(seeds: rdflib.Graph, name: str) -> set[tuple[str, str]]:
    person = next(seeds.subjects(FOAF.name, Literal(name)))
    out = set()
    for post in seeds.objects(person, ORG.holds):
        role = str(seeds.value(post, ORG.role)).rsplit("/", 1)[1]
        org = seeds.value(post, ORG.postIn)
        out.add((role, str(seeds.value(org, RDFS.label))))
    return out


def test_people_hold_the_posts_the_texts_state(seeds):
    assert posts_of(seeds, "Ton van Amerongen") == {("wethouder", "Dronten")}
    assert posts_of(seeds, "Milo Schoenmaker") == {("burgemeester", "Gouda"), ("bestuurslid", "G32"),
                                                   ("voorzitter", "4e VNG Denktank")}
    assert posts_of(seeds, "Mariëtte Hamer") == {("voorzitter", "Sociaal-Economische Raad")}
    assert posts_of(seeds, "Jeroen van Gool") == {("secretaris", "Ondersteuningsprogramma Slim Samenwerken")}
    assert posts_of(seeds, "Gert Vos") == {("voorzitter", "Sociale pijler (PMG)")}


def test_members_of_parliament_present_with_their_parties(seeds):
    parties = {}
    for membership in seeds.subjects(RDF.type, ORG.Membership):
        person, party = seeds.value(membership, ORG.member), seeds.value(membership, ORG.organization)
        parties[str(seeds.value(person, FOAF.name))] = str(seeds.value(party, RDFS.label))
    assert parties == {"Bruins Slot": "CDA", "Özütok": "GroenLinks", "Van Dijk": "PvdA", "Wörsdörfer": "VVD",
                       "Van Engelshoven": "D66"}
    mps = {str(seeds.value(seeds.value(p, ORG.heldBy), FOAF.name)) for p in seeds.subjects(ORG.role, URIRef(ID + "rol/tweede-kamerlid"))}
    assert mps == set(parties) | {"Dijkstra"}


def test_organisations_the_texts_name_are_in_the_graph(seeds):
    labels = {str(o) for s in seeds.subjects(RDF.type, None) for o in seeds.objects(s, RDFS.label)}
    for name in ("Sociaal-Economische Raad", "Vereniging van Nederlandse Gemeenten", "Platform Middelgrote Gemeenten",
                 "Platform31", "G32", "G4", "NSOB", "Erasmus Universiteit", "Economic Board Utrecht", "Drechtsteden",
                 "Regio FoodValley", "Metropoolregio Amsterdam", "Cleantech Regio", "Agrifood Capital"):
        assert name in labels, name


# -- competency questions over ontology + seeds (pyoxigraph, named queries, bound parameters) -------

@pytest.fixture(scope="session")
def store() -> ox.Store:
    """An in-memory store with every ontology file in its graph and every seed file."""
    st = ox.Store()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name != "shapes.ttl":
            st.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH + "ontology/" + path.stem))
    for path in SEED_FILES:
        st.load(path=str(path), format=ox.RdfFormat.TRIG)
    assert not list(st.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return st


def ask(store: ox.Store, name: str, **params) -> list[dict[str, str]]:
    """Run graph/queries/<name>.rq with parameters bound as substitutions; rows of plain strings."""
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    result = store.query(text, use_default_graph_as_union=True,
                         substitutions={ox.Variable(k): v for k, v in params.items()})
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def test_cq_who_has_experience_with_wind_turbines(store):
    rows = ask(store, "cq_experience_by_topic", topic=iri("onderwerp/windturbines"))
    experienced = {(r["actorLabel"], r["kindLabel"], r["attestedOn"], r["graph"], r["source"], r["publisherLabel"])
                   for r in rows if r["showsExperience"] == "true"}
    assert experienced == {
        ("Waalwijk", "kan adviseren", "2017-09-29", SOURCE_000, SOURCE_000, "Platform Middelgrote Gemeenten"),
        ("Dronten", "kan adviseren", "2017-09-29", SOURCE_000, SOURCE_000, "Platform Middelgrote Gemeenten"),
    }
    asking = {(r["actorLabel"], r["kindLabel"]) for r in rows if r["showsExperience"] == "false"}
    assert asking == {("Barneveld", "vraagt hulp")}
    assert all(r["sourceTitle"].startswith("Verslag van de ledenbijeenkomst") for r in rows)


def test_cq_asking_for_energy_transition_finds_wind_turbine_experience(store):
    rows = ask(store, "cq_experience_by_topic", topic=iri("onderwerp/energietransitie"))
    via_turbines = {r["actorLabel"] for r in rows if r["matchedTopic"] == ID + "onderwerp/windturbines"
                    and r["showsExperience"] == "true"}
    assert via_turbines == {"Waalwijk", "Dronten"}
    assert "G32" in {r["actorLabel"] for r in rows if r["matchedTopic"] == ID + "onderwerp/energietransitie"}


def test_cq_municipalities_at_the_meet_up_of_16_february_2017(store):
    rows = ask(store, "cq_meeting_participants", date=ox.Literal("2017-02-16", datatype=XSD_DATE))
    municipalities = {r["attendeeLabel"] for r in rows if r["isMunicipality"] == "true"}
    assert municipalities == {"Bergen op Zoom", "Coevorden", "De Ronde Venen", "Etten-Leur", "Gorinchem", "Harderwijk",
                              "Lochem", "Nieuwegein", "Oss", "Roermond", "Roosendaal", "Rijssen-Holten", "Soest",
                              "Veenendaal", "Veldhoven", "Waalwijk", "Zeist"}
    assert {r["graph"] for r in rows} == {GRAPH + "source/004_876664bd19358e88"}
    assert {r["attendeeLabel"] for r in rows if r["isMunicipality"] == "false"} == {"Platform Middelgrote Gemeenten", "Platform31"}


def test_cq_who_chaired_the_fourth_vng_denktank(store):
    rows = ask(store, "cq_chair_of", organization=iri("organisatie/vng-denktank-4"))
    assert [(r["personName"], r["attestedOn"], r["graph"]) for r in rows] == [
        ("Milo Schoenmaker", "2017-12-01", GRAPH + "source/002_fac9fb6c79f0e752")]


def test_cq_examples_of_political_cooperation_in_the_soest_slides(store):
    rows = ask(store, "cq_examples_of_cooperation_type", type=ox.NamedNode(ID + "samenwerkingstype/politiek"))
    assert {(r["arrangementLabel"], r["graph"]) for r in rows} == {
        ("Drechtsteden", GRAPH + "source/003_edc8197e25a54393"), ("Stedendriehoek", GRAPH + "source/003_edc8197e25a54393")}
    strategic = ask(store, "cq_examples_of_cooperation_type", type=ox.NamedNode(ID + "samenwerkingstype/regionaal-strategisch"))
    assert {r["arrangementLabel"] for r in strategic} == {"Metropoolregio Amsterdam", "Assen-Groningen 2030"}


def test_cq_topics_barneveld_raised_and_where(store):
    rows = ask(store, "cq_topics_raised_by", actor=iri("gemeente/GM0203"))
    assert [(r["topicLabel"], r["kindLabel"], r["speakerName"], r["eventDate"], r["placeLabel"], r["source"])
            for r in rows] == [("windturbines", "vraagt hulp", "Hans van Daalen", "2017-09-29", "Dronten", SOURCE_000)]
    assert "windmolens" in rows[0]["description"]


def test_cq_runs_through_the_core_on_a_bootstrapped_store(kg):
    rows = kg.select("cq_experience_by_topic", topic=iri("onderwerp/windturbines"))
    assert {r["actorLabel"].value for r in rows if r["showsExperience"].value == "true"} == {"Waalwijk", "Dronten"}
