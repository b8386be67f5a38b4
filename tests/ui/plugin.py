"""Browser-test plumbing: the `--screenshots` flag, headless Debian chromium, and ZAS served from a thread."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", default=False,
                     help="save a screenshot of each main page under tests/ui/screenshots/ (browser tests)")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session (Debian's: `playwright install` cannot download here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live_server(committed_app):
    """The committed app (real commits, so the browser's requests and job threads see the data) on a
    free loopback port, with CSRF protection on as in production."""
    from werkzeug.serving import make_server

    committed_app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, committed_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="zas-ui-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        committed_app.config["WTF_CSRF_ENABLED"] = False
        executor = committed_app.extensions.pop("zas_executor", None)
        if executor is not None:
            executor.shutdown(wait=True)  # no job thread may outlive the test's data


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at laptop size; nothing but the test server is reachable."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(15_000)

    def only_local(route):
        if route.request.url.startswith(live_server):
            return route.continue_()
        return route.abort()  # the UI must load nothing from the internet

    context.route("**/*", only_local)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def screenshot(request, page):
    """`screenshot(name)` saves the page as tests/ui/screenshots/<name>.png when run with --screenshots."""
    enabled = request.config.getoption("--screenshots")

    def take(name: str) -> None:
        if enabled:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
