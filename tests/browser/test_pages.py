"""What an analyst does in the browser: search, open Barneveld, open an arrangement,
filter the matrix, click a network node, ask the wind-turbine question, run SPARQL."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def clean(page) -> None:
    assert not page.problems.all(), "\n".join(page.problems.all())


def test_search_suggestions_open_barneveld(page):
    page.goto(page.base + "/")
    assert page.locator("h1").inner_text().startswith("Wie werkt met wie samen")
    page.locator("#map[data-ready=true]").wait_for()
    box = page.locator("#search-input")
    box.click()
    box.type("Barnev")
    option = page.locator("#search-suggestions li[role=option]").first
    option.wait_for()
    assert "Barneveld" in option.inner_text()
    assert "gemeente" in option.inner_text()
    shot(page, "search-suggestions")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "sugg-0"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/id/gemeente/GM0203$"))
    assert page.locator("h1").inner_text().startswith("Barneveld")
    page.locator("#map[data-ready=true]").wait_for()
    clean(page)


def test_municipality_page_shows_facts_with_sources(page):
    page.goto(page.base + "/id/gemeente/GM0203")
    assert page.title().startswith("Barneveld")
    page.locator("#map[data-ready=true]").wait_for()
    map_el = page.locator("#map")
    if int(map_el.get_attribute("data-features")) > 0:
        assert map_el.get_attribute("data-highlighted") == "1"
        assert page.locator("#map path.highlighted[data-cbs=GM0203]").count() == 1
    assert "GM0203" in page.locator("dl.key").first.inner_text()
    # every key fact names its source graph
    for row in page.locator("dl.key").first.locator("div").all():
        assert row.locator("a.src").count() >= 1, row.inner_text()
    for heading in ("Samenwerkingsverbanden", "Regio-indelingen", "Personen en functies", "Ervaring"):
        assert page.locator("h2", has_text=heading).count() == 1
    people = page.locator("section", has=page.locator("#ppl-h"))
    assert "Hans van Daalen" in people.inner_text()  # affiliated with Barneveld in the PMG report
    experience = page.locator("section", has=page.locator("#exp-h"))
    assert "windturbines" in experience.inner_text()
    assert experience.locator("a.src").count() >= 1
    clean(page)


def test_arrangement_page_lists_members_on_map(page):
    matrix = page.request.get(page.base + "/ui-api/matrix?order=name").json()
    assert matrix["cols"], "the imported graph has arrangements with municipality members"
    biggest = max(matrix["cols"], key=lambda c: (c["n"], c["label"]))
    page.goto(page.base + biggest["url"])
    assert page.locator("h1").inner_text().startswith(biggest["label"])
    page.locator("#map[data-ready=true]").wait_for()
    municipality_rows = page.locator("#members tbody tr", has=page.locator(".kind-municipality"))
    assert municipality_rows.count() == biggest["n"]
    assert page.locator("#members tbody tr a.src").count() == page.locator("#members tbody tr").count()
    if int(page.locator("#map").get_attribute("data-features")) > 0:
        assert int(page.locator("#map").get_attribute("data-highlighted")) == biggest["n"]
    shot(page, "arrangement")
    clean(page)


def test_matrix_filter_by_province_and_export(page):
    page.goto(page.base + "/matrix")
    grid = page.locator("#matrix[data-ready=true]")
    grid.wait_for()
    rows_all = int(grid.get_attribute("data-rows"))
    provinces = page.locator("#f-province option").all()
    assert rows_all > 0 and len(provinces) >= 2, "the imported graph has memberships of municipalities with provinces"
    province_iri = provinces[1].get_attribute("value")
    page.select_option("#f-province", province_iri)
    page.click("#matrix-filters button[type=submit]")
    page.locator("#matrix[data-ready=true]").wait_for()
    rows = int(page.locator("#matrix").get_attribute("data-rows"))
    assert 0 < rows < rows_all
    assert f"province={province_iri.replace(':', '%3A').replace('/', '%2F')}" in page.url
    # hover a cell: the tooltip names the membership and its source
    page.locator("#matrix rect.cell").first.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible()
    assert "∈" in tip.inner_text() and "Bron:" in tip.inner_text()
    shot(page, "matrix-filtered")
    # CSV export carries the same filter, one line per membership with its source
    href = page.locator("#matrix-csv").get_attribute("href")
    response = page.request.get(page.base + href)
    assert response.status == 200
    lines = list(csv.DictReader(io.StringIO(response.text())))
    assert lines and all(line["source_graph"].startswith("https://w3id.org/regiokg/graph/") for line in lines)
    assert len({line["municipality_iri"] for line in lines}) == rows
    assert int(page.locator("#matrix").get_attribute("data-cells")) == len(lines)
    clean(page)


def test_network_click_node_opens_page_and_exports(page):
    page.goto(page.base + "/netwerk")
    net = page.locator("#network[data-ready=true]")
    net.wait_for()
    assert int(net.get_attribute("data-nodes")) > 0, "the imported graph has memberships to draw a network of"
    shot(page, "network")
    node = page.locator("#network a.node.kind-municipality").first
    target = node.get_attribute("href")
    node.click(force=True)
    page.wait_for_url(page.base + target)
    assert page.locator("h1").is_visible()
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        response = page.request.get(f"{page.base}/ui-api/network.{fmt}")
        assert response.status == 200
        graph = reader(io.BytesIO(response.body()))
        assert graph.number_of_nodes() > 0
        assert all("community" in d and "label" in d for _, d in graph.nodes(data=True))
    clean(page)


def test_expertise_finder_answers_wind_turbine_question(page):
    page.goto(page.base + "/ervaring")
    assert "Wie heeft ervaring met" in page.locator("h1").inner_text()
    page.fill("#exp-q", "windmolens")
    page.select_option("#exp-near", label="Barneveld")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/ervaring\?q=windmolens"))
    topics = page.locator("#found-h + p").inner_text()
    assert "windturbines" in topics
    experts = page.locator("li.expert h3 a").all_inner_texts()
    # the source: Barneveld asked about wind turbines; Dronten and Waalwijk can advise it
    assert "Dronten" in experts and "Waalwijk" in experts
    assert "Barneveld" not in experts  # asking for help is not experience
    first = page.locator("li.expert").first
    assert first.locator("a.src").count() >= 1
    shot(page, "expertise")
    clean(page)


def test_sparql_editor_runs_example_and_downloads(page):
    page.goto(page.base + "/sparql-editor")
    page.locator("#editor[data-ready=true]").wait_for()
    page.locator("[data-example]").first.click()
    page.locator("#sparql-results[data-ready=true]").wait_for()
    assert "rijen" in page.locator("#sparql-status").inner_text()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?m WHERE { ?m <https://w3id.org/regiokg/def#cbsCode> \"GM0203\" }")
    page.keyboard.press("Control+Enter")
    page.locator("#sparql-results[data-ready=true] td").first.wait_for()
    assert "gemeente/GM0203" in page.locator("#sparql-results").inner_text()
    with page.expect_download() as download:
        page.click("#download-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].strip() == "m" and "GM0203" in text
    shot(page, "sparql")
    clean(page)


def test_language_switch_to_english_is_remembered(page):
    page.goto(page.base + "/")
    page.click("header a.lang")
    assert page.locator("h1").inner_text().startswith("Who cooperates with whom")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(page.base + "/matrix")
    assert page.locator("h1").inner_text() == "Membership matrix"
    page.click("header a.lang")
    assert page.locator("h1").inner_text() == "Deelnamematrix"
    clean(page)


def test_keyboard_skip_link_and_sources_page(page):
    page.goto(page.base + "/bronnen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    rows = page.locator("table.sources tbody tr")
    assert rows.count() >= 2
    assert page.locator("table.sources", has_text="https://w3id.org/regiokg/graph/source/000_90296d1bc9ec201b").count() == 1
    clean(page)
