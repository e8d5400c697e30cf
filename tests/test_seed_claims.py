"""What the seeds say about the five source texts: no more than the texts attribute.

Each test names a reading of a source (../shared/sources) and checks the seed graph of that
source states it, and that the over-reading it replaces is absent.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import RDF, URIRef

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
ID = "https://w3id.org/regiokg/id/"
GRAPH = "https://w3id.org/regiokg/graph/source/"
RK = rdflib.Namespace("https://w3id.org/regiokg/def#")
SCHEMA = rdflib.Namespace("https://schema.org/")
DCTERMS = rdflib.namespace.DCTERMS


def source_graph(stem: str) -> rdflib.Graph:
    """The named graph of one source document, as its seed file states it."""
    path = next(SEEDS_DIR.glob(f"{stem}_*.trig"))
    dataset = rdflib.Dataset()
    dataset.parse(path, format="trig")
    name = GRAPH + path.stem
    return dataset.graph(URIRef(name))


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


def experiences_of(graph: rdflib.Graph, actor: URIRef) -> set[URIRef]:
    return {e for e in graph.subjects(RK.actor, actor) if (e, RDF.type, RK.Experience) in graph}


def test_004_attributes_no_theme_to_any_municipality_present():
    graph = source_graph("004")
    event = iri("bijeenkomst/2017-02-16-meet-up-pmg-platform31")
    present = [a for a in graph.objects(event, SCHEMA.attendee) if "/gemeente/" in str(a)]
    assert len(present) == 17
    for municipality in present:
        assert not experiences_of(graph, municipality), municipality
    # what is left are the themes PMG collected, stated as PMG's interest
    kinds = {graph.value(e, RK.experienceKind) for e in graph.subjects(RDF.type, RK.Experience)}
    assert kinds == {iri("ervaringssoort/heeft-interesse")}


def test_000_the_social_portfolio_is_gert_vos_not_hoogeveen():
    graph = source_graph("000")
    assert not experiences_of(graph, iri("gemeente/GM0118"))
    (statement,) = experiences_of(graph, iri("persoon/gert-vos"))
    assert graph.value(statement, RK.experienceKind) == iri("ervaringssoort/portefeuille")


def test_000_foodvalley_via_veenendaal_is_referenced_not_given_experience():
    graph = source_graph("000")
    assert not experiences_of(graph, iri("gemeente/GM0345"))
    assert not experiences_of(graph, iri("samenwerking/regio-foodvalley"))
    woerden = iri("ervaring/000-woerden-raad-betrekken")
    assert set(graph.objects(woerden, DCTERMS.references)) == {iri("samenwerking/regio-foodvalley"),
                                                               iri("gemeente/GM0345")}
    assert graph.value(woerden, RK.experienceKind) == iri("ervaringssoort/vraagt-hulp")


def test_003_seta_is_a_form_listed_beside_ssc_not_an_arrangement():
    graph = source_graph("003")
    seta_form = iri("samenwerkingsvorm/seta")
    assert (iri("samenwerking/seta"), None, None) not in graph
    assert {s for s in graph.subjects(RK.cooperationForm, seta_form)} == {
        iri("samenwerking/oostzaan-wormerland"), iri("samenwerking/k5"), iri("samenwerking/bel")}
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "cooperation-forms.ttl")
    assert (seta_form, RDF.type, rdflib.namespace.SKOS.Concept) in ontology


def test_001_the_kamer_asked_earlier_not_the_committee_at_the_meeting():
    graph = source_graph("001")
    request = iri("ervaring/001-tweede-kamer-regionale-samenwerking")
    assert graph.value(request, RK.actor) == iri("organisatie/tweede-kamer")
    assert graph.value(request, RK.statedAt) is None
    assert not experiences_of(graph, iri("organisatie/tweede-kamercommissie-binnenlandse-zaken"))


def test_000_platform31_meetings_are_the_004_meet_ups():
    graph = source_graph("000")
    statement = iri("ervaring/000-platform31-strategie-middelgrote-steden")
    referenced = set(graph.objects(statement, DCTERMS.references))
    assert {iri("bijeenkomst/2017-02-16-meet-up-etten-leur"), iri("bijeenkomst/2017-02-16-meet-up-rijssen")} <= referenced
    later = source_graph("004")
    for event in ("2017-02-16-meet-up-etten-leur", "2017-02-16-meet-up-rijssen"):
        assert (iri("bijeenkomst/" + event), RDF.type, SCHEMA.Event) in later


def test_000_dronten_has_40000_inhabitants_in_three_kernels():
    graph = source_graph("000")
    dronten = iri("gemeente/GM0303")
    assert graph.value(dronten, RK.inhabitants).toPython() == 40000
    kernels = set(graph.objects(dronten, SCHEMA.containsPlace))
    assert {str(graph.value(k, rdflib.RDFS.label)) for k in kernels} == {"Biddinghuizen", "Swifterbant",
                                                                         "Dronten (kern)"}
    assert all(graph.value(k, SCHEMA.containedInPlace) == dronten for k in kernels)


def claims(graph: rdflib.Graph) -> list[tuple[int, str]]:
    return sorted((graph.value(c, SCHEMA.position).toPython(), str(graph.value(c, SCHEMA.text)))
                  for c in graph.subjects(RDF.type, SCHEMA.Claim))


def test_000_the_seven_findings_of_the_discussion(shared_dir):
    graph = source_graph("000")
    found = claims(graph)
    assert [n for n, _ in found] == list(range(1, 8))
    report = " ".join((shared_dir / "sources" / "000_90296d1bc9ec201b.txt").read_text(encoding="utf-8").split())
    assert all(" ".join(claim.split()) in report for _, claim in found)  # the report's own sentences
    assert found[5][1] == "Schaalgrootte is nog steeds bepalend voor het succes."
    event = iri("bijeenkomst/2017-09-29-pmg-ledenbijeenkomst-dronten")
    assert {graph.value(c, RK.statedAt) for c in graph.subjects(RDF.type, SCHEMA.Claim)} == {event}


def test_003_the_three_gains_of_cooperation():
    graph = source_graph("003")
    found = claims(graph)
    assert [text.split(":")[0] for _, text in found] == [
        "Versterking (lokale) bedrijfsvoering", "Versterking lokaal bestuur",
        "Versterking gemeentelijk bestuur in de regio"]
    assert "Meer mogelijkheden voor subsidies".lower() in found[2][1].lower()


def test_002_the_denktank_contact_address():
    graph = source_graph("002")
    assert str(graph.value(iri("organisatie/vng-denktank-4"), SCHEMA.email)) == "denktank@vng.nl"
