"""/invoer in Chromium: upload a document, see its spans highlighted, accept and reject
facts (one by one and a whole kind), and the answers change (over a fresh store with a
write token, not the suite's shared read-only server)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from graph.kg import KnowledgeGraph
from graph.settings import Settings

NEWS = Path(__file__).resolve().parent.parent / "ingest_docs" / "nieuws_windpark_zeewolde.txt"
TOKEN = "invoer-test-token"
ZEEWOLDE = "https://w3id.org/regiokg/id/gemeente/GM0050"


@pytest.fixture
def invoer_server(tmp_path):
    import socket

    import uvicorn

    from api.app import create_app

    kg = KnowledgeGraph.open(Settings(store=tmp_path / "store", token=TOKEN))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(kg), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    kg.close()


@pytest.fixture
def invoer_page(browser, invoer_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    problems: list[str] = []

    def guard(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"request leaving the machine: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and "401" not in msg.text and "403" not in msg.text else None)
    page.base = invoer_server
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def _status(base: str, doc_id: str) -> dict[str, str]:
    doc = httpx.get(f"{base}/api/documents/{doc_id}", timeout=30).json()
    return {p["id"]: p["status"] for p in doc["proposals"]}


def test_upload_highlight_accept_reject(invoer_page):
    page, base = invoer_page, invoer_page.base
    page.goto(f"{base}/invoer")
    assert "Er staan geen documenten in de wachtrij" in page.inner_text("main")
    page.set_input_files("#file", str(NEWS))
    page.fill("#publisher", "Gemeente Zeewolde")
    page.fill("#token", "wrong-token")
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#upload-status.error")
    assert "wrong token" in page.inner_text("#upload-status")
    assert httpx.get(f"{base}/api/documents", timeout=30).json() == []   # nothing queued
    page.fill("#token", TOKEN)
    page.click("#upload button[type=submit]")
    page.wait_for_url(f"{base}/invoer/*")
    doc_id = page.url.rsplit("/", 1)[-1]
    view = httpx.get(f"{base}/api/documents/{doc_id}", timeout=30).json()
    assert page.title().startswith("Windpark Zeewolde in gebruik genomen")

    # every proposal is listed and its span is highlighted in the text
    assert page.locator(".proposal").count() == len(view["proposals"])
    built = next(p for p in view["proposals"] if p["kind"] == "experience" and p["data"]["actor"] == ZEEWOLDE)
    marked = page.locator(f"mark[data-ids~='{built['id']}']")
    assert marked.count() >= 1
    assert "gebouwd" in " ".join(marked.all_inner_texts())
    marked.first.click()
    assert "focus" in page.get_attribute(f"#p-{built['id']}", "class")

    # accept one fact: the page reloads with it accepted and the experts answer has Zeewolde
    page.click(f"#p-{built['id']} button.accept")
    page.wait_for_selector(f"#p-{built['id']}.s-accepted")
    assert "aanvaard" in page.inner_text(f"#p-{built['id']} .status")
    assert page.inner_text(f"#p-{built['id']} .summary") == "Zeewolde — heeft het gedaan — windturbines"
    experts = httpx.get(f"{base}/api/experts", params={"topic": "windmolens"}, timeout=60).json()
    assert next(e for e in experts["experts"] if e["actor"] == ZEEWOLDE)["expertise"] is True
    page.goto(f"{base}/ervaring?q=windmolens")   # the expertise page shows it too, with the document
    assert "Zeewolde" in page.inner_text("main")
    assert "Windpark Zeewolde in gebruik genomen" in page.inner_text("main")
    page.goto(f"{base}/invoer/{doc_id}")

    # reject another: remembered, the graph keeps only the accepted one
    asks = next(p for p in view["proposals"] if p["kind"] == "experience" and p["data"]["actor_label"] == "Lelystad")
    page.click(f"#p-{asks['id']} button.reject")
    page.wait_for_selector(f"#p-{asks['id']}.s-rejected")
    experts = httpx.get(f"{base}/api/experts", params={"topic": "windmolens"}, timeout=60).json()
    assert "Lelystad" not in {e["label"] for e in experts["experts"]}

    # accept every proposal of one kind
    page.click("button.accept-kind[data-kind='actor']")
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelectorAll('.proposal.s-accepted').length > 1")
    status = _status(base, doc_id)
    actors = [p["id"] for p in view["proposals"] if p["kind"] == "actor"]
    assert actors and all(status[i] == "accepted" for i in actors)
    assert status[asks["id"]] == "rejected"
    assert all(status[p["id"]] == "pending" for p in view["proposals"] if p["kind"] == "topic")
    assert page.locator("mark.s-accepted").count() >= len(actors)

    # the list page counts the decisions
    page.goto(f"{base}/invoer")
    row = page.locator("table.invoer-documents tbody tr").first
    assert row.locator("a").inner_text() == NEWS.name
