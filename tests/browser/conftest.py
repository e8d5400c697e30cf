"""Browser tests: the real app under uvicorn on 127.0.0.1, driven by Debian's Chromium.

Outside CI the tests skip with a message naming what is missing (/usr/bin/chromium, the
built bundle web/dist); in CI (``CI=true``) they fail instead. Every page fails the test
on a console error, an uncaught exception, or a request to any host but the server.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from graph.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
DIST = PROJECT_ROOT / "web" / "dist"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need(path: Path, what: str) -> None:
    if path.exists():
        return
    message = f"{what} is missing: {path}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ui_kg(imported_kg):
    """Seeds plus every import of ../shared/data (the suite's ``imported_kg``)."""
    return imported_kg


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(kg):
    """The real app (``api.app.create_app``) over ``kg``, served by uvicorn on a free local port."""
    import uvicorn

    from api.app import create_app

    port = _free_port()
    app = create_app(kg)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start under uvicorn within 30 s")
        time.sleep(0.05)
    # the first run of the analyses (seconds on a busy machine) is made at start-up, as
    # `regiokg serve` does; the tests look at pages once it is stored
    if not app.state.ui_warm.wait(timeout=180):
        pytest.fail("the default analysis runs were not ready within 180 s of start-up")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """``serve(kg)``: a context manager serving the app over another store."""
    return serving


@pytest.fixture(scope="session")
def server(ui_kg):
    """The app over seeds + every import."""
    with serving(ui_kg) as url:
        yield url


@pytest.fixture(scope="session")
def server_settings(ui_kg):
    """The settings the server runs with (row cap, base IRI)."""
    return ui_kg.settings


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless (never a downloaded browser build)."""
    _need(CHROMIUM, "Debian's chromium (apt-get install chromium)")
    _need(DIST / "d3.js", "the front-end bundle web/dist (npm ci && npm run build)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageProblems:
    """Console errors, page errors and off-machine requests seen by one page."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def all(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console] + [f"page error: {e}" for e in self.errors]
                + [f"request leaving the machine: {u}" for u in self.foreign])


@pytest.fixture
def page(browser, server, request):
    """A fresh page that records problems; the test fails on any, and a screenshot is saved."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    problems = PageProblems()

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            problems.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("console", lambda msg: problems.console.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.errors.append(str(exc)))
    pg.base = server
    pg.problems = problems
    yield pg
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()
    assert not problems.all(), "\n".join(problems.all())
