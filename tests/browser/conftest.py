"""A real server on loopback and headless Chromium (Debian's package) driven by Playwright.

No browser is downloaded: Playwright launches the system Chromium. The tests are skipped only
where Chromium or Playwright is missing; ``scripts/test`` installs both on a fresh machine.
"""
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.accounts import PASSWORD, TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from webforms import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The application, CSRF on as in production, served on 127.0.0.1 in a thread."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({**TEST_KEYS, "OUTPUT_DIR": folder / "output", **database_config(folder)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as playwright:
        # Playwright gives each launch a fresh, temporary user-data directory.
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


def sign_in(page, live_server, email: str = TEAM_MEMBER) -> None:
    """Sign in as a member of "Equipo Norte" (``email``: another of the test accounts), through
    the sign-in page, as a person would."""
    page.goto(f"{live_server}/cuenta/ingresar")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{live_server}/")


@pytest.fixture(scope="session")
def signed_in_as(browser, live_server):
    """``signed_in_as(email)``: the browser state (cookies) of ``email`` signed in to the live
    server, signed in through the sign-in page once per account and session, then reused by
    every test's new context (``browser.new_context(storage_state=...)``)."""
    states = {}

    def state(email: str = TEAM_MEMBER) -> dict:
        if email not in states:
            context = browser.new_context(locale="es-CO")
            sign_in(context.new_page(), live_server, email)
            states[email] = context.storage_state()
            context.close()
        return states[email]
    return state


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page(request, browser, signed_in_as):
    context = browser.new_context(java_script_enabled=request.param, accept_downloads=True,
                                  locale="es-CO", viewport={"width": 1280, "height": 900},
                                  storage_state=signed_in_as())
    page = context.new_page()
    page.javascript = request.param
    yield page
    context.close()


@pytest.fixture
def js_page(browser, signed_in_as):
    # bypass_csp: the accessibility tests inject axe-core, which the site's policy would refuse.
    context = browser.new_context(accept_downloads=True, locale="es-CO", bypass_csp=True,
                                  viewport={"width": 1280, "height": 900},
                                  storage_state=signed_in_as())
    page = context.new_page()
    yield page
    context.close()
