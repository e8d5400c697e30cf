"""The ontology, the SKOS schemes and the SHACL shapes (ontology/*.ttl).

Every file parses; every term has Dutch and English labels, a definition and the vocabulary
it comes from; the schemes are consistent; the shapes reject broken data with a message that
names the node and the constraint.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from graph.kg import ontology_graph

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
VOCABULARY_FILES = sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p != SHAPES)
RK = rdflib.Namespace("https://w3id.org/regiokg/def#")
ID = "https://w3id.org/regiokg/id/"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@pytest.fixture(scope="session")
def ontology() -> rdflib.Graph:
    """All vocabulary files (not the shapes) in one graph."""
    graph = rdflib.Graph()
    for path in VOCABULARY_FILES:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def languages(graph: rdflib.Graph, node, predicate) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, Literal)}


def validate(data_turtle: str, ontology: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    data = rdflib.Graph().parse(data=data_turtle, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", advanced=True)
    return conforms, text


# -- parsing and headers ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_ontology_file_parses(path: Path):
    graph = rdflib.Graph().parse(path, format="turtle")
    assert len(graph) > 20
    assert not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple) or path == SHAPES


@pytest.mark.parametrize("path", VOCABULARY_FILES, ids=lambda p: p.name)
def test_vocabulary_file_header_describes_its_graph(path: Path):
    graph = rdflib.Graph().parse(path, format="turtle")
    headers = [n for n in set(graph.subjects(RDF.type, OWL.Ontology)) | set(graph.subjects(RDF.type, SKOS.ConceptScheme))
               if (n, DCTERMS.title, None) in graph]
    assert len(headers) == 1, f"{path.name}: expected one described header, found {headers}"
    header = headers[0]
    assert languages(graph, header, DCTERMS.title) >= {"nl", "en"}
    assert graph.value(header, DCTERMS.publisher) is not None
    assert graph.value(header, DCTERMS.date).datatype == rdflib.XSD.date
    # the core turns that header into the self-description of graph/ontology/<stem>
    iri, quads = ontology_graph(path)
    assert iri == f"https://w3id.org/regiokg/graph/ontology/{path.stem}"
    described = {q.predicate.value for q in quads if q.subject.value == iri}
    assert {str(DCTERMS.title), str(DCTERMS.publisher), str(DCTERMS.date)} <= described


# -- terms -----------------------------------------------------------------------------------------

def test_every_rk_term_has_labels_definition_and_source(ontology: rdflib.Graph):
    terms = {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if str(s).startswith(str(RK))}
    assert {RK.Municipality, RK.CooperationArrangement, RK.Experience, RK.cbsCode, RK.experienceKind} <= terms
    for term in sorted(terms):
        assert languages(ontology, term, RDFS.label) >= {"nl", "en"}, term
        assert languages(ontology, term, SKOS.definition) >= {"nl", "en"}, term
        assert ontology.value(term, RDFS.isDefinedBy) == URIRef("https://w3id.org/regiokg/def"), term


def test_reused_terms_name_their_vocabulary(ontology: rdflib.Graph):
    reused = {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if not str(s).startswith(str(RK))}
    assert {ORG.Membership, ORG.Post, URIRef("https://schema.org/Event"), SKOS.Concept} <= reused
    for term in sorted(reused):
        source = ontology.value(term, RDFS.isDefinedBy)
        assert source is not None and str(term).startswith(str(source).rstrip("#/")), term
        assert languages(ontology, term, RDFS.label) >= {"nl", "en"}, term
        assert languages(ontology, term, SKOS.definition) >= {"nl", "en"}, term


def test_municipality_is_an_organisation_and_arrangement_a_collaboration(ontology: rdflib.Graph):
    assert (RK.Municipality, RDFS.subClassOf, ORG.Organization) in ontology
    assert (RK.CooperationArrangement, RDFS.subClassOf, ORG.OrganizationalCollaboration) in ontology
    assert (RK.SourceDocument, RDFS.subClassOf, RK.Source) in ontology
    # no rdfs:domain/range on our properties: RDFS inference must never add types
    assert not list(ontology.triples((None, RDFS.domain, None)))
    assert not list(ontology.triples((None, RDFS.range, None)))


# -- schemes ---------------------------------------------------------------------------------------

def test_every_concept_has_dutch_and_english_labels_in_a_scheme(ontology: rdflib.Graph):
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for concept in concepts:
        assert languages(ontology, concept, SKOS.prefLabel) >= {"nl", "en"}, concept
        assert ontology.value(concept, SKOS.inScheme) is not None, concept
        for label in ontology.objects(concept, SKOS.prefLabel):
            assert (concept, SKOS.altLabel, label) not in ontology, f"{concept}: {label} is both pref- and altLabel"


def test_broader_and_narrower_agree_and_have_no_cycles(ontology: rdflib.Graph):
    for child, parent in ontology.subject_objects(SKOS.broader):
        assert (parent, SKOS.narrower, child) in ontology, (child, parent)
    for parent, child in ontology.subject_objects(SKOS.narrower):
        assert (child, SKOS.broader, parent) in ontology, (parent, child)
    for concept in set(ontology.subjects(SKOS.broader, None)):
        seen, node = set(), concept
        while node is not None:
            assert node not in seen, f"cycle through {concept}"
            seen.add(node)
            node = ontology.value(node, SKOS.broader)


def topic(slug: str) -> URIRef:
    return URIRef(f"{ID}onderwerp/{slug}")


def test_wind_turbines_sit_under_wind_energy_under_energy_transition(ontology: rdflib.Graph):
    assert ontology.value(topic("windturbines"), SKOS.broader) == topic("windenergie")
    assert ontology.value(topic("windenergie"), SKOS.broader) == topic("energietransitie")
    alt = {str(o) for o in ontology.objects(topic("windturbines"), SKOS.altLabel)}
    assert {"windmolens", "windmills"} <= alt
    assert str(ontology.value(topic("windturbines"), SKOS.prefLabel)) in {"windturbines", "wind turbines"}


@pytest.mark.parametrize("slug, english", [
    ("omgevingswet", "Environment and Planning Act"), ("arbeidsmarkt", "labour market"),
    ("sociaal-domein", "social domain"), ("infrastructuur", "infrastructure"), ("a6", "A6 motorway"),
    ("raad-betrekken", "involving the council in regional cooperation"),
])
def test_topic_thesaurus_covers_the_topics_of_the_issue(ontology: rdflib.Graph, slug: str, english: str):
    assert Literal(english, lang="en") in set(ontology.objects(topic(slug), SKOS.prefLabel))


def test_cooperation_forms_hold_the_wgr_and_non_wgr_forms_and_the_four_types(ontology: rdflib.Graph):
    def labels(scheme: str) -> set[str]:
        return {str(label) for concept in ontology.subjects(SKOS.inScheme, URIRef(ID + scheme))
                for label in ontology.objects(concept, SKOS.prefLabel) if label.language == "nl"}
    forms = labels("samenwerkingsvorm")
    assert {"openbaar lichaam", "gemeenschappelijk orgaan", "bedrijfsvoeringsorganisatie", "centrumgemeenteconstructie",
            "regeling zonder meer", "convenant", "stichting", "vereniging", "netwerk"} <= forms
    wgr = {str(ontology.value(c, SKOS.prefLabel)) for c in ontology.objects(URIRef(ID + "samenwerkingsvorm/wgr-vorm"), SKOS.narrower)}
    assert len(wgr) == 5
    types = {c for c in ontology.subjects(SKOS.inScheme, URIRef(ID + "samenwerkingstype"))}
    wanted = ("regionaal-strategisch", "politiek", "beleid-en-diensten", "ambtelijk")
    assert {URIRef(ID + "samenwerkingstype/" + s) for s in wanted} == types


def test_experience_kinds_are_the_seven_agreed_ones(ontology: rdflib.Graph):
    kinds = {str(c).rsplit("/", 1)[1] for c in ontology.subjects(SKOS.inScheme, URIRef(ID + "ervaringssoort"))}
    assert kinds == {"heeft-gedaan", "adviseert", "portefeuille", "lid-van-samenwerking", "bijeenkomst", "vraagt-hulp", "heeft-interesse"}
    shows = {str(c).rsplit("/", 1)[1] for c in ontology.objects(URIRef(ID + "ervaringssoort/toont-ervaring"), SKOS.member)}
    assert "vraagt-hulp" not in shows and "heeft-interesse" not in shows and "heeft-gedaan" in shows


# -- shapes ----------------------------------------------------------------------------------------

PREFIXES = """@prefix rk: <https://w3id.org/regiokg/def#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix id: <https://w3id.org/regiokg/id/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""


def test_valid_municipality_conforms(ontology, shapes):
    conforms, text = validate(PREFIXES + '<https://w3id.org/regiokg/id/gemeente/GM0203> a rk:Municipality ; '
                              'rdfs:label "Barneveld" ; rk:cbsCode "GM0203" .', ontology, shapes)
    assert conforms, text


def test_municipality_without_cbs_code_fails_naming_node_and_constraint(ontology, shapes):
    conforms, text = validate(PREFIXES + '<https://w3id.org/regiokg/id/gemeente/GM9999> a rk:Municipality ; '
                              'rdfs:label "Nergenshuizen" .', ontology, shapes)
    assert not conforms
    assert "Focus Node: <https://w3id.org/regiokg/id/gemeente/GM9999>" in text
    assert "MinCountConstraintComponent" in text
    assert "Result Path: rk:cbsCode" in text
    assert "needs exactly one rk:cbsCode" in text


@pytest.mark.parametrize("data, node, path, component", [
    ('<https://w3id.org/regiokg/id/gemeente/GM203> a rk:Municipality ; rdfs:label "X" ; rk:cbsCode "GM203" .',
     "gemeente/GM203", "rk:cbsCode", "PatternConstraintComponent"),
    ('<https://w3id.org/regiokg/id/gemeente/GM0001> a rk:Municipality ; rk:cbsCode "GM0001" .',
     "gemeente/GM0001", "rdfs:label", "MinCountConstraintComponent"),
    ('<https://w3id.org/regiokg/id/lidmaatschap/x> a org:Membership ; org:member <https://w3id.org/regiokg/id/gemeente/GM0203> .',
     "lidmaatschap/x", "org:organization", "MinCountConstraintComponent"),
    ('<https://w3id.org/regiokg/id/functie/x> a org:Post ; org:heldBy <https://w3id.org/regiokg/id/persoon/x> ; '
     'org:postIn <https://w3id.org/regiokg/id/gemeente/GM0203> .',
     "functie/x", "org:role", "MinCountConstraintComponent"),
    ('<https://w3id.org/regiokg/id/ervaring/x> a rk:Experience ; rk:actor <https://w3id.org/regiokg/id/gemeente/GM0203> ; '
     'rk:topic <https://w3id.org/regiokg/id/onderwerp/windturbines> ; '
     'rk:experienceKind <https://w3id.org/regiokg/id/ervaringssoort/vraagt-hulp> .',
     "ervaring/x", "dcterms:source", "MinCountConstraintComponent"),
    ('<https://w3id.org/regiokg/graph/source/x> a rk:SourceDocument ; dcterms:title "x" ; dcterms:date "2017-01-01"^^xsd:date .',
     "graph/source/x", "dcterms:publisher", "MinCountConstraintComponent"),
    ('<https://w3id.org/regiokg/graph/source/y> a rk:SourceDocument ; dcterms:title "y" ; dcterms:publisher "z" ; '
     'dcterms:date "gisteren" .',
     "graph/source/y", "dcterms:date", "OrConstraintComponent"),
])
def test_broken_data_fails_naming_node_path_and_constraint(ontology, shapes, data, node, path, component):
    conforms, text = validate(PREFIXES + data, ontology, shapes)
    assert not conforms
    assert f"Focus Node: <https://w3id.org/regiokg/{'' if node.startswith('graph/') else 'id/'}{node}>" in text
    assert f"Result Path: {path}" in text
    assert component in text


PREFIX_OF = {"https://w3id.org/regiokg/def#": "rk", "http://www.w3.org/ns/org#": "org", "http://xmlns.com/foaf/0.1/": "foaf",
             "https://schema.org/": "schema", "http://www.w3.org/2004/02/skos/core#": "skos",
             "http://www.opengis.net/ont/geosparql#": "geo", "http://www.w3.org/2006/time#": "time",
             "http://www.w3.org/ns/prov#": "prov", "http://purl.org/dc/terms/": "dcterms",
             "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf", "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
             "http://www.w3.org/2002/07/owl#": "owl"}


def test_model_doc_lists_every_term(ontology: rdflib.Graph):
    """docs/model.md has a row for every class and property the ontology declares."""
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    missing = []
    for term in {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t)}:
        namespace = next(ns for ns in PREFIX_OF if str(term).startswith(ns))
        qname = f"{PREFIX_OF[namespace]}:{str(term)[len(namespace):]}"
        if f"| `{qname}` |" not in doc:
            missing.append(qname)
    assert not missing, f"docs/model.md does not describe {sorted(missing)}"
