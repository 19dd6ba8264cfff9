"""Review, then issue; revise with a reason, in Chromium: the review step shows the copy, «Emitir
con número» lands on the record's page, reload and back issue nothing more, a correction without a
reason is refused and one with a reason is printed in rev. 2 with its changes shown first."""
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.pages import by_label, fill, open_form
from tests.browser.scenarios import SCENARIOS
from tests.helpers import open_docx

REGISTRO = next(scenario for scenario in SCENARIOS if scenario.key == "registro_reunion")
NUMBER = re.compile(r"F1\.G34\.P-\d{4}-\d{6}")
REASON = "Apellido de la supervisora completado a pedido de calidad."
SHOTS = Path("/work/shots32")


def register_numbers(page, base_url) -> set[str]:
    """The numbers of the team's records, as the list shows them."""
    page.goto(base_url + "/registros/")
    return set(NUMBER.findall(page.content()))


def word_copy(page) -> bytes:
    with page.expect_download() as download:
        page.locator(".record-facts").get_by_role("link", name=re.compile("^Word")).click()
    return Path(download.value.path()).read_bytes()


def footer_text(data: bytes) -> str:
    return "\n".join(paragraph.text for section in open_docx(data).sections
                     for paragraph in section.footer.paragraphs)


def test_review_issue_reload_back_and_revise_with_a_reason(js_page, live_server):
    page = js_page
    before = register_numbers(page, live_server)
    open_form(page, live_server, REGISTRO)
    fill(page, REGISTRO)
    page.get_by_role("button", name="Revisar y emitir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revise el documento antes de emitirlo")
    expect(page.locator(".preview-body")).to_contain_text("Cerró un plan.")
    page.get_by_role("button", name="Emitir con número").click()
    facts = page.locator(".record-facts")
    expect(facts).to_contain_text(re.compile(NUMBER.pattern + r" rev\. 1"))
    number = NUMBER.search(facts.inner_text()).group(0)
    record_url = page.url
    assert re.search(r"/registros/\d+$", record_url)

    page.reload()
    try:
        page.go_back()  # to the review step, whose «Emitir con número» was pressed already
    except PlaywrightError as error:  # Chromium keeps no copy of a form's answer and asks
        assert "ERR_CACHE_MISS" in str(error)  # «Confirm form resubmission»
        page.wait_for_url("chrome-error://**")
        page.reload()  # the form sent again: its record's page, nothing issued
    else:
        page.get_by_role("button", name="Emitir con número").click()
    expect(page.locator(".flash-info")).to_contain_text("ya se emitió")
    assert page.url == record_url
    expect(page.locator("table.revisions tbody tr")).to_have_count(1)
    assert register_numbers(page, live_server) - before == {number}

    page.goto(record_url)
    page.get_by_role("link", name="Corregir").click()
    by_label(page, "Nombre del Supervisor").fill("Marta Gómez Ríos")
    page.get_by_role("button", name="Revisar y emitir").click()
    expect(page.locator("#revision_reason-error")).to_be_visible()
    expect(by_label(page, "Nombre del Supervisor")).to_have_value("Marta Gómez Ríos")
    page.get_by_label("Qué cambia y por qué").fill(REASON)
    page.get_by_role("button", name="Revisar y emitir").click()
    changed = page.locator("#changes tbody tr")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Nombre del Supervisor")
    expect(changed.locator("ins")).to_have_text("Marta Gómez Ríos")
    page.get_by_role("button", name="Emitir con número").click()
    expect(page.locator(".record-facts")).to_contain_text(f"{number} rev. 2")
    footer = footer_text(word_copy(page))
    assert f"{number} rev. 2" in footer and f"Rev. 2 — motivo: {REASON}" in footer
    assert register_numbers(page, live_server) - before == {number}


FILLED_BY_ID = {"supervisor_name": "Marta Gómez", "meeting_date": "2026-11-20",
                "start_time": "09:30", "duration_minutes": "75", "open_cases": "10",
                "high_risk_cases": "2", "medium_risk_cases": "3", "workers-0-name": "Luis Ortega",
                "workers-0-success": "Cerró un plan con la familia."}


def top_of(page, path: Path, width: int) -> None:
    """The page's first 2,400 pixels: the summary, the changes, the action and the start of the
    document (the whole document would be too long to read in one picture)."""
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width,
                                                     "height": 2400})


def test_screenshots_of_review_record_and_changes(browser, live_server, signed_in_as):
    """Saved for the lead to look at (not compared): the review step, the record's page and a
    correction's changes, at 1280 and 390 px, in Spanish and English."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        for language in ("es", "en"):
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          locale="es-CO", storage_state=signed_in_as())
            page = context.new_page()
            page.goto(f"{live_server}/idioma/{language}?next=/formularios/registro_reunion")
            for field_id, value in FILLED_BY_ID.items():
                page.fill(f"#{field_id}", value)
            page.check("#no_personal_data")
            page.locator("button.primary[name=review]").click()
            top_of(page, SHOTS / f"review-{language}-{width}.png", width)
            page.locator("#issue-form button.primary").click()
            page.screenshot(path=SHOTS / f"record-{language}-{width}.png", full_page=True)
            page.locator(".record-actions a.button").first.click()
            page.fill("#supervisor_name", "Marta Gómez Ríos")
            page.fill("#revision_reason", REASON)
            page.locator("button.primary[name=review]").click()
            expect(page.locator("#changes")).to_be_visible()
            top_of(page, SHOTS / f"changes-{language}-{width}.png", width)
            context.close()
    assert len(list(SHOTS.glob("*.png"))) >= 12
