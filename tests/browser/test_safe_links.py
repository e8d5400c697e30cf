"""Stored XSS on click (issue 14): an IRI with a javascript: scheme, put in the store
directly (writes over HTTP refuse such IRIs), is shown as text on the arrangement page,
the expertise page and in the SPARQL editor's results, never as a link, and clicking it
runs nothing. Labels with markup stay escaped."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.kg import KnowledgeGraph
from graph.settings import Settings
from graph.store import Change

pytestmark = pytest.mark.browser

ID = "https://w3id.org/regiokg/id/"
RK = "https://w3id.org/regiokg/def#"
ORG = "http://www.w3.org/ns/org#"
EVIL = "javascript:alert(document.domain)//"
GRAPH = "https://w3id.org/regiokg/graph/source/xss-test"
MARKUP = "<img src=x onerror=alert(1)> Samenwerking & co"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, serve):
    kg = KnowledgeGraph.open(Settings(store=tmp_path_factory.mktemp("xss") / "store"))
    g = ox.NamedNode(GRAPH)
    arrangement, membership = ox.NamedNode(ID + "samenwerking/xss-test"), ox.NamedNode(ID + "lidmaatschap/xss-test")
    experience, evil = ox.NamedNode(ID + "ervaring/xss-test"), ox.NamedNode(EVIL)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = [
        ox.Quad(g, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("XSS-test"), g),
        ox.Quad(arrangement, rdf_type, ox.NamedNode(RK + "CooperationArrangement"), g),
        ox.Quad(arrangement, label, ox.Literal(MARKUP), g),
        ox.Quad(membership, rdf_type, ox.NamedNode(ORG + "Membership"), g),
        ox.Quad(membership, ox.NamedNode(ORG + "organization"), arrangement, g),
        ox.Quad(membership, ox.NamedNode(ORG + "member"), evil, g),
        ox.Quad(experience, rdf_type, ox.NamedNode(RK + "Experience"), g),
        ox.Quad(experience, ox.NamedNode(RK + "actor"), evil, g),
        ox.Quad(experience, ox.NamedNode(RK + "topic"), ox.NamedNode(ID + "onderwerp/windturbines"), g),
        ox.Quad(experience, ox.NamedNode(RK + "experienceKind"), ox.NamedNode(ID + "ervaringssoort/heeft-gedaan"), g),
    ]
    # straight into the store (the backend's apply, below the one write path, which refuses such IRIs)
    kg.store.apply(Change(add=quads))
    kg.store.rebuild_default_graph()
    with serve(kg) as url:
        yield url
    kg.close()


def no_script_links(page) -> None:
    hrefs = page.evaluate("[...document.body.querySelectorAll('[href], [*|href]')].map((a) => a.getAttribute('href'))")
    bad = [h for h in hrefs if h and not h.startswith(("/", "#", "http://", "https://"))]
    assert not bad, f"unsafe links rendered: {bad}"
    assert 'href="javascript:' not in page.content()


def click_the_text(page, dialogs) -> None:
    target = page.get_by_text(EVIL, exact=False).first
    target.wait_for()
    target.click()
    page.wait_for_timeout(300)
    assert dialogs == [], f"clicking ran script: {dialogs}"


@pytest.fixture
def hostile_page(browser, hostile_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_arrangement_page_shows_javascript_member_as_text(hostile_page, hostile_server):
    page = hostile_page
    page.goto(hostile_server + "/id/samenwerking/xss-test")
    assert page.locator("h1").inner_text().startswith(MARKUP)  # markup shown as text, escaped
    assert page.locator("h1 img").count() == 0
    no_script_links(page)
    click_the_text(page, page.dialogs)


def test_expertise_page_shows_javascript_actor_as_text(hostile_page, hostile_server):
    page = hostile_page
    page.goto(hostile_server + "/ervaring?q=windturbines")
    assert page.locator(f'li.expert[data-actor="{EVIL}"]').count() == 1
    no_script_links(page)
    click_the_text(page, page.dialogs)


def test_sparql_results_show_javascript_iri_as_text(hostile_page, hostile_server):
    page = hostile_page
    page.goto(hostile_server + "/sparql-editor")
    page.locator("#editor[data-ready=true]").wait_for()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?m ?a WHERE { ?x org:member ?m ; org:organization ?a }")
    page.keyboard.press("Control+Enter")
    page.locator("#sparql-results[data-ready=true] td").first.wait_for()
    assert EVIL in page.locator("#sparql-results").inner_text()
    assert page.locator("#sparql-results a", has_text="xss-test").count() == 1  # our own IRIs stay links
    no_script_links(page)
    click_the_text(page, page.dialogs)
