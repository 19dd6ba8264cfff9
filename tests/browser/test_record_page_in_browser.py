"""A record read on its page in Chromium: the issued copy's sections and rows, in Spanish and in
English, at 1280 px and 390 px, nothing sticking out sideways; screenshots go to
output/screenshots for a person to look at."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.pages import download_docx, fill, serious_violations
from tests.browser.scenarios import SCENARIOS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "output" / "screenshots"


@pytest.fixture
def issued_record(js_page, live_server) -> str:
    """The page of a Registro just issued from its form."""
    js_page.goto(live_server + "/formularios/registro_reunion")
    fill(js_page, next(s for s in SCENARIOS if s.key == "registro_reunion"))
    js_page.fill("#closing_notes", "Resumen de acuerdos:\nrevisar cupos.")
    number = download_docx(js_page).core_properties.identifier
    js_page.goto(live_server + "/registros/")
    js_page.get_by_role("link", name=f"Abrir {number}").click()
    return number


def test_the_record_reads_in_the_browser_in_both_languages_and_widths(js_page, issued_record):
    page = js_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reading = page.locator(".record-reading")
    for language, heading, worker in (("es", "Contenido del registro", "Trabajador social 1"),
                                      ("en", "Content of the record", "Social worker 1")):
        if language == "en":
            page.locator("nav.languages a[hreflang=en]").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(reading.get_by_role("heading", name=heading)).to_be_visible()
        for value in ("Marta Gómez", "Luis Ortega", "Cerró un plan.", "revisar cupos."):
            expect(reading).to_contain_text(value)
        expect(reading).to_contain_text(worker)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{overflow}px sideways at {width}px ({language})"
            page.screenshot(path=str(SCREENSHOTS / f"record-reading-{language}-{width}.png"),
                            full_page=True)
        assert serious_violations(page) == []
