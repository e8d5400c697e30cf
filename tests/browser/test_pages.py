"""What an analyst does in the browser (seeds + every import): search by name or CBS code,
open Barneveld, open an arrangement, filter the matrix, click a network node, ask the
wind-turbine question, run SPARQL; every page drawn is the view of its JSON twin, fits
390 px and 1400 px, speaks Dutch, and never turns a stored javascript: IRI into a link."""

from __future__ import annotations

import re

import pytest

from graph.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
BASE = "https://w3id.org/regiokg/id/"

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def clean(page) -> None:
    assert not page.problems.all(), "\n".join(page.problems.all())


def twin(page) -> dict:
    href = page.locator('link[rel=alternate][type="application/json"]').get_attribute("href")
    response = page.request.get(page.base + href)
    assert response.status == 200, href
    return response.json()


def test_search_by_cbs_code_opens_barneveld(page):
    page.goto(page.base + "/")
    assert page.locator("h1").inner_text().startswith("Wie werkt met wie samen")
    page.locator("#map[data-ready=true]").wait_for()
    box = page.locator("#search-input")
    box.click()
    box.type("GM0203")
    option = page.locator("#search-suggestions li[role=option]").first
    option.wait_for()
    assert "Barneveld" in option.inner_text() and "gemeente" in option.inner_text()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "sugg-0"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/id/gemeente/GM0203$"))
    assert page.locator("h1").inner_text().startswith("Barneveld")
    page.locator("#map[data-ready=true]").wait_for()
    clean(page)


def test_home_map_has_a_legend(page):
    page.goto(page.base + "/")
    page.locator("#map[data-ready=true]").wait_for()
    legend = page.locator("#map-legend")
    assert legend.is_visible()
    assert "samenwerkingsverbanden" in legend.inner_text()
    features = page.request.get(page.base + "/ui-api/geo/municipalities.geojson").json()["features"]
    assert str(max(f["properties"]["arrangements"] for f in features)) in legend.inner_text()
    clean(page)


def test_municipality_page_is_the_view_of_its_twin(page):
    page.goto(page.base + "/id/gemeente/GM0203")
    page.locator("#map[data-ready=true]").wait_for()
    data = twin(page)
    assert data["iri"] == BASE + "gemeente/GM0203"
    shown = {a.get_attribute("data-arrangement") for a in page.locator("[data-arrangement]").all()}
    assert shown == {a["arrangement"]["iri"] for a in data["arrangements"]}
    assert {r.get_attribute("data-region") for r in page.locator("[data-region]").all()} == \
        {r["region"]["iri"] for r in data["regions"]}
    assert {p.get_attribute("data-person") for p in page.locator("[data-person]").all()} == \
        {p["person"]["iri"] for p in data["people"]}
    assert page.locator("[data-figures]").count() == 1  # one analysis block
    assert page.locator("[data-figure=degree]").inner_text() == str(data["analysis"]["degree"])
    assert page.locator("[data-figure=community]").inner_text().startswith(str(data["analysis"]["community"]))
    text = page.locator("main").inner_text()
    assert not re.search(r"\d[.,]\d{6,}", text), "a figure with more digits than a person reads"
    # the map says what its colours mean: Barneveld highlighted, the other municipalities grey
    legend = page.locator("#map-legend")
    assert legend.is_visible() and "Legenda" in legend.inner_text() and "Barneveld" in legend.inner_text()
    assert "andere gemeenten" in legend.inner_text()
    for heading in ("Samenwerkingsverbanden", "Regio-indelingen", "Personen en functies", "Ervaring"):
        assert page.locator("h2", has_text=heading).count() >= 1
    clean(page)


def test_arrangement_page_lists_the_members_of_its_twin_on_the_map(page):
    listed = page.request.get(page.base + "/api/arrangements?limit=1000").json()["items"]
    biggest = max(listed, key=lambda a: (a["members"], a["iri"]))
    page.goto(page.base + biggest["page"])
    page.locator("#map[data-ready=true]").wait_for()
    data = twin(page)
    assert page.locator("h1").inner_text().startswith(data["name"])
    rows = page.locator("#members tbody tr")
    assert rows.count() == len(data["members"])
    assert rows.locator("a.src").count() == rows.count()
    codes = {m["cbs_code"] for m in data["members"] if m["cbs_code"]}
    # the map draws today's municipalities: the members among them are highlighted
    features = page.request.get(page.base + "/ui-api/geo/municipalities.geojson").json()["features"]
    on_map = codes & {f["properties"]["cbs"] for f in features}
    assert on_map
    assert int(page.locator("#map").get_attribute("data-highlighted")) == len(on_map)
    legend = page.locator("#map-legend")
    assert legend.is_visible() and "deelnemers" in legend.inner_text() and "andere gemeenten" in legend.inner_text()
    shot(page, "arrangement")
    clean(page)


def test_matrix_is_the_view_of_its_twin_and_filters(page):
    page.goto(page.base + "/matrix")
    grid = page.locator("#matrix[data-ready=true]")
    grid.wait_for()
    data = page.request.get(page.base + "/api/membership-matrix?order=similarity").json()
    assert int(grid.get_attribute("data-rows")) == len(data["rows"])
    assert int(grid.get_attribute("data-cols")) == len(data["columns"])
    assert int(grid.get_attribute("data-cells")) == len(data["cells"])
    # the text alternative lists each municipality of the twin, in its order, with its arrangements
    page.click("#matrix-table-box summary")
    page.locator("#matrix-table tbody tr").first.wait_for()
    shown = page.eval_on_selector_all("#matrix-table tbody tr", """rows => rows.map((tr) => [
        tr.querySelector("th").innerText, [...tr.querySelectorAll("td a")].map((a) => a.getAttribute("href")).sort()])""")
    of_row: dict[int, list[str]] = {}
    for i, j, _ in data["cells"]:
        of_row.setdefault(i, []).append(data["columns"][j]["page"])
    assert shown == [[r["name"] or r["iri"], sorted(of_row.get(i, []))] for i, r in enumerate(data["rows"])]
    province = BASE + "provincie/PV25"
    page.select_option("#f-province", province)
    page.click("#matrix-filters button[type=submit]")
    page.locator("#matrix[data-ready=true]").wait_for()
    part = page.request.get(page.base + "/api/membership-matrix", params={"province": province}).json()
    assert int(page.locator("#matrix").get_attribute("data-rows")) == len(part["rows"]) < len(data["rows"])
    page.locator("#matrix rect.cell").first.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible() and "∈" in tip.inner_text() and "Bron:" in tip.inner_text()
    href = page.locator("#matrix-csv").get_attribute("href")
    assert "format=csv" in href and "province=" in href
    response = page.request.get(page.base + href)
    assert response.status == 200 and len(response.text().splitlines()) == len(part["cells"]) + 1
    shot(page, "matrix-filtered")
    clean(page)


def test_network_is_the_view_of_its_twin_and_click_opens_a_page(page):
    page.goto(page.base + "/netwerk")
    net = page.locator("#network[data-ready=true]")
    net.wait_for()
    data = page.request.get(page.base + "/api/network").json()
    assert int(net.get_attribute("data-nodes")) == len(data["nodes"])
    assert int(net.get_attribute("data-links")) == len(data["links"])
    drawn = page.eval_on_selector_all("#network a.node", "nodes => nodes.map((a) => a.dataset.id)")
    assert sorted(drawn) == sorted(n["id"] for n in data["nodes"])
    shot(page, "network")
    node = page.locator("#network a.node.kind-municipality").first
    target = node.get_attribute("href")
    assert target.startswith("/id/gemeente/")
    node.click(force=True)
    page.wait_for_url(page.base + target)
    assert page.locator("h1").is_visible()
    clean(page)


@pytest.mark.parametrize("topic", ["windmolens", "wind turbines", "windpark"])
def test_expertise_page_lists_the_ranked_actors_of_api_experts(page, topic):
    page.goto(page.base + "/ervaring")
    assert "Wie heeft ervaring met" in page.locator("h1").inner_text()
    page.fill("#exp-q", topic)
    page.select_option("#exp-near", label="Barneveld")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/ervaring\?q="))
    assert "near=GM0203" in page.url
    data = twin(page)
    for key in ("experts", "asking", "interested"):
        shown = [li.get_attribute("data-actor") for li in page.locator(f"#{key} li.expert").all()]
        assert shown == [e["actor"] for e in data[key]], key
    assert data["experts"], f"no actor with experience for {topic!r}"
    # Barneveld asked the question: it is listed as asking, never among the experts
    assert BASE + "gemeente/GM0203" not in [e["actor"] for e in data["experts"]]
    if topic == "windmolens":
        shot(page, "expertise")
    clean(page)


def test_sparql_editor_runs_prefixless_query_and_shows_truncation(page, server_settings):
    page.goto(page.base + "/sparql-editor")
    page.locator("#editor[data-ready=true]").wait_for()
    page.locator("[data-example]").first.click()
    page.locator("#sparql-results[data-ready=true]").wait_for()
    assert "rijen" in page.locator("#sparql-status").inner_text()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type('SELECT ?m WHERE { ?m rk:cbsCode "GM0203" }')
    page.keyboard.press("Control+Enter")
    page.locator("#sparql-results[data-ready=true] td").first.wait_for()
    assert "gemeente/GM0203" in page.locator("#sparql-results").inner_text()
    with page.expect_download() as download:
        page.click("#download-csv")
    with open(download.value.path(), encoding="utf-8") as f:
        text = f.read()
    assert text.splitlines()[0].strip() == "m" and "GM0203" in text
    # more rows than the server sends: the status says the answer was cut off, and where
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?s WHERE { ?s ?p ?o }")
    page.keyboard.press("Control+Enter")
    page.locator("#sparql-status[data-truncated=true]").wait_for()
    status = page.locator("#sparql-status")
    assert status.get_attribute("data-truncated") == "true"
    assert "afgekapt" in status.inner_text() and str(server_settings.max_rows) in status.inner_text()
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


def test_sources_page_shows_sources_not_local_paths(page):
    page.goto(page.base + "/bronnen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    data = twin(page)
    assert page.locator("table.sources tbody tr").count() == data["total"]
    text = page.locator("main").inner_text()
    assert "../shared" not in text and "/work/" not in text
    # the Regioatlas import lists every file (division) it read, as its twin does
    [atlas] = [s for s in data["items"] if s["graph"].endswith("/import/regioatlas")]
    assert len(atlas["files"]) == 34 and all(f.startswith("regioatlas/") for f in atlas["files"])
    row = page.locator(f'tr[data-graph="{atlas["graph"]}"]')
    assert row.locator("details[data-files]").get_attribute("data-files") == "34"
    assert row.locator(".files li").count() == 34
    # titles in the page's language where the graph has one
    for s in data["items"]:
        if s["titles"].get("nl"):
            assert s["titles"]["nl"] in page.locator(f'tr[data-graph="{s["graph"]}"] strong').inner_text()
    clean(page)


def _person_page(page) -> str:
    people = page.request.get(page.base + "/api/people?limit=1000").json()["items"]
    return max(people, key=lambda p: (p["posts"], p["iri"]))["page"]


def pages_to_check(page) -> list[str]:
    listed = page.request.get(page.base + "/api/arrangements?limit=1000").json()["items"]
    biggest = max(listed, key=lambda a: (a["members"], a["iri"]))
    return ["/", "/?q=barneveld", "/id/gemeente/GM0203", biggest["page"], "/matrix", "/netwerk",
            "/ervaring?q=windmolens&near=GM0203", "/sparql-editor", "/bronnen", _person_page(page)]


READY = {"/": "#map[data-ready=true]", "/matrix": "#matrix[data-ready=true]", "/netwerk": "#network[data-ready=true]",
         "/sparql-editor": "#editor[data-ready=true]"}
#: words of the English interface that must not appear in the Dutch one's headings, labels,
#: buttons, table heads, summaries, captions and status lines
ENGLISH = re.compile(r"\b(Download|Search|Results?|Members?|Sources?|Loading|Error|truncated|Analysis|"
                     r"Query|Examples?|Run|Title|Publisher|Kind|Date|People|Arrangements?|zoom|None|Overview|"
                     r"Municipalit(y|ies)|Topic|Experience|Property|Value)\b")


@pytest.mark.parametrize("width", [390, 1400])
def test_pages_fit_the_screen_and_speak_dutch(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.base = server
    try:
        for path in pages_to_check(page):
            page.goto(server + path)
            page.locator(READY.get(path.split("?")[0], "main")).first.wait_for()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} is {scroll} px wide at {width} px"
            chrome = page.evaluate("""() => [...document.querySelectorAll(
                'header, h1, h2, h3, label, button, th, summary, figcaption, legend, [role=status], .legend, footer')]
                .map((el) => el.innerText).join('\\n')""")
            if path == "/sparql-editor":
                chrome = chrome.replace("SPARQL", "")
            found = ENGLISH.findall(chrome)
            assert not found, f"English words on the Dutch page {path}: {found}"
            if path != "/sparql-editor":  # the editor shows query results as the store holds them
                digits = re.findall(r"\d[.,]\d{6,}", page.locator("main").inner_text())
                assert not digits, f"{path} shows figures with more digits than a person reads: {digits[:3]}"
        if width == 390:
            shot(page, "municipality-390")
    finally:
        context.close()


def test_person_page_says_its_kind_once_and_labels_experiences(page):
    page.goto(page.base + _person_page(page))
    data = twin(page)
    assert page.locator(".badge.kind-person").count() == 1
    assert "type" not in page.locator("main").inner_text().lower().split("json")[0].replace("type=", "")
    text = page.locator("main").inner_text()
    for e in data["experience"]:
        if e["kind"]:
            assert e["kind"]["label"] in text
            assert e["kind"]["iri"].rsplit("/", 1)[-1] not in text.replace(e["kind"]["label"], "")
    clean(page)


def test_an_empty_member_list_says_what_was_searched_and_sources_state_coverage(page):
    # a body only the DSTA list names: no source lists its members, and the page says so
    page.goto(page.base + "/id/samenwerking/brandweer-delft-rijswijk")
    data = twin(page)
    assert data["members"] == [] and data["members_note"] and data["members_searched"]
    section = page.locator("section[aria-labelledby=mem-h]")
    assert section.locator("[data-field=members_note]").inner_text() == data["members_note"]
    assert "Dat zegt niet dat er geen deelnemers zijn" in section.inner_text()
    assert section.locator("[data-field=members_searched] li").count() == len(data["members_searched"])
    for s in data["members_searched"]:
        assert s["title"] in section.locator(f'[data-field=members_searched] li[data-graph="{s["graph"]}"]').inner_text()
    assert "Geen." not in section.inner_text()   # not the bare "none" that reads as "has no members"
    # the sources page states what the counts cover, as /api/sources does
    page.goto(page.base + "/bronnen")
    sources = twin(page)
    assert sources["coverage_note"]
    assert sources["coverage_note"] in page.locator("[data-field=coverage_note]").inner_text()
    assert "alleen de geïmporteerde soorten samenwerking" in page.locator("main").inner_text()
    clean(page)
