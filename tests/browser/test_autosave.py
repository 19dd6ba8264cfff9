"""The draft that saves itself, in Chromium under the site's own Content-Security-Policy: what a
person typed survives a reload and a change of interface language without them pressing
"Guardar borrador"."""
import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from tests.browser.pages import download_docx, fill
from tests.browser.scenarios import SCENARIOS
from tests.helpers import body_text

FORM = "/formularios/registro_reunion"
SAVED = re.compile(r"^Borrador guardado a las \d\d:\d\d\.$")
REOPENED = re.compile(r"/formularios/registro_reunion\?registro=\d+$")


@pytest.fixture
def strict_page(browser, signed_in_as):
    """JavaScript on and the policy enforced (no bypass): a script the policy refused, or any
    error in the page, is collected in ``page.problems``."""
    context = browser.new_context(locale="es-CO", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900},
                                  storage_state=signed_in_as())
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(
        "Failed to load resource") and page.problems.append(message.text))  # e.g. favicon.ico
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith(
        "/favicon.ico") and page.problems.append(f"{response.status} {response.url}"))
    yield page
    context.close()


def autosave_every(page, milliseconds: int) -> None:
    """The page's autosave interval (30 seconds unless the form says otherwise)."""
    page.evaluate("ms => document.getElementById('document-form')"
                  ".setAttribute('data-autosave-every', ms)", str(milliseconds))


def autosaves(page) -> list[str]:
    """The autosave requests the page sends from now on."""
    sent = []
    page.on("request", lambda request: request.url.endswith("/borrador") and sent.append(
        request.method))
    return sent


def test_the_draft_saves_itself_and_survives_a_reload_and_a_change_of_language(strict_page,
                                                                               live_server):
    page = strict_page
    page.goto(live_server + FORM)
    autosave_every(page, 1500)
    page.fill("#supervisor_name", "Marta Gómez")
    page.fill("#workers-0-name", "Luis Ortega")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    expect(page).to_have_url(REOPENED)  # a reload now opens the draft

    page.reload()
    expect(page.locator("#supervisor_name")).to_have_value("Marta Gómez")
    expect(page.locator("#workers-0-name")).to_have_value("Luis Ortega")

    # Typed just before changing the language: saved on the way, long before the timer.
    autosave_every(page, 600_000)
    page.fill("#welcome_notes", "Se aprobó la agenda.")
    page.locator("nav.languages a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(REOPENED)
    expect(page.locator("#supervisor_name")).to_have_value("Marta Gómez")
    expect(page.locator("#workers-0-name")).to_have_value("Luis Ortega")
    expect(page.locator("#welcome_notes")).to_have_value("Se aprobó la agenda.")
    assert page.problems == []


def test_a_page_nobody_changed_is_not_saved(strict_page, live_server):
    """Opening a form, or a record (an issued one stays as issued), saves nothing."""
    page = strict_page
    page.goto(live_server + FORM)
    sent = autosaves(page)
    autosave_every(page, 100)
    page.wait_for_timeout(800)
    page.locator("nav.languages a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert sent == []
    assert page.problems == []


def slow_saves(page, milliseconds: int) -> None:
    """Every autosave takes ``milliseconds`` longer to leave (the page's script calls fetch)."""
    page.evaluate("""ms => {
        const original = window.fetch;
        window.fetch = (...args) => new Promise(done => setTimeout(done, ms))
            .then(() => original(...args));
    }""", milliseconds)


def test_issuing_waits_for_the_save_in_flight_and_is_not_saved_again(strict_page, live_server):
    """The document is reviewed and issued in the record the autosave made (not a second one),
    and the page is not saved again afterwards: that would mark the record just issued as
    changed."""
    page = strict_page
    scenario = next(s for s in SCENARIOS if s.key == "registro_reunion")
    page.goto(live_server + FORM)
    slow_saves(page, 3000)
    autosave_every(page, 100)
    issuing = []
    page.on("request", lambda request: request.method == "POST" and request.url.endswith(
        FORM) and issuing.append(request.post_data or ""))
    page.fill("#welcome_notes", "Se aprobó la agenda.")
    page.wait_for_timeout(300)  # the first save is now in flight, for a few seconds
    fill(page, scenario)  # done well before that save (well under a second)
    assert "Marta Gómez" in body_text(download_docx(page))
    assert len(issuing) == 1 and parse_qs(issuing[0]).get("record", [""])[0].isdigit()
    # On the record's page, issued as it was reviewed: nothing saved after the review.
    expect(page.locator(".record-facts")).not_to_contain_text("cambios sin emitir")
    sent = autosaves(page)
    page.wait_for_timeout(1000)
    assert sent == []
    assert page.problems == []


def test_a_failed_save_stays_quiet_and_the_language_still_changes(strict_page, live_server):
    page = strict_page
    page.route("**/borrador", lambda route: route.abort())
    page.goto(live_server + FORM)
    autosave_every(page, 100)
    page.fill("#supervisor_name", "Marta Gómez")
    page.wait_for_timeout(500)
    assert page.locator("#autosave-status").count() == 0  # nothing claims it was saved
    page.locator("nav.languages a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert [problem for problem in page.problems if "borrador" not in problem] == []
