"""Each form, as a person uses it in Chromium: from the home page, through the review step and
the record's page, to the downloaded .docx."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import by_label, download_docx, fill, open_form
from tests.browser.scenarios import SCENARIOS
from tests.helpers import body_text

# The marks of the quality checklist: every criterion of the chosen moment needs one.


def row_count(page, group):
    return page.locator(f"#{group} > .row").count()


def add_and_remove_a_row(page, group):
    """Add a row and remove it again; with JavaScript this happens without reloading."""
    if page.javascript:
        page.evaluate("window.__same_page = true")
    before = row_count(page, group)
    page.locator(f"#{group} > button.add").click()
    expect(page.locator(f"#{group} > .row")).to_have_count(before + 1)
    last = page.locator(f"#{group} > .row").last
    last.get_by_role("button", name=re.compile("^Quitar")).click()
    expect(page.locator(f"#{group} > .row")).to_have_count(before)
    if page.javascript:
        assert page.evaluate("window.__same_page === true"), "the page was reloaded"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_fill_add_remove_rows_and_download(page, live_server, scenario):
    open_form(page, live_server, scenario)
    add_and_remove_a_row(page, scenario.row_group)
    fill(page, scenario)
    text = body_text(download_docx(page))
    for expected in scenario.expected:
        assert expected in text, expected


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_invalid_submission_shows_messages_and_keeps_everything(page, live_server, scenario):
    open_form(page, live_server, scenario)
    fill(page, scenario)
    label, field_id = scenario.required
    by_label(page, label).fill("")
    page.get_by_role("button", name="Revisar y emitir").click()
    error = page.locator(f"#{field_id}-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("obligatorio")
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert f"{field_id}-error" in field.get_attribute("aria-describedby")
    summary = page.locator("#error-summary")
    expect(summary.locator(f'a[href="#{field_id}"]')).to_be_visible()
    for other_label, value in scenario.texts:
        if other_label != label:
            expect(by_label(page, other_label)).to_have_value(value)
    first_row = page.locator(f"#{scenario.row_group}-0")
    for row_label, value in scenario.row_texts:
        expect(by_label(first_row, row_label)).to_have_value(value)


def test_keyboard_alone_adds_a_row(js_page, live_server):
    js_page.goto(live_server + "/formularios/registro_reunion")
    add = js_page.locator("#workers > button.add")
    add.focus()
    js_page.keyboard.press("Enter")
    expect(js_page.locator("#workers > .row")).to_have_count(4)
    focused = js_page.evaluate("document.activeElement.id")
    assert focused == "workers-3-name"
    expect(js_page.locator("#workers > .row").last.locator(".row-label").first).to_have_text(
        "Trabajador social 4")


def test_extended_meeting_fields_appear_only_when_chosen(js_page, live_server):
    js_page.goto(live_server + "/formularios/registro_reunion")
    topic = by_label(js_page, "Tema u orador invitado")
    expect(topic).to_be_hidden()
    js_page.get_by_label("Extendida (mensual)", exact=True).check()
    expect(topic).to_be_visible()


def test_a_text_near_its_limit_shows_a_counter_and_says_so_at_the_limit(js_page, live_server):
    js_page.goto(live_server + "/formularios/registro_reunion")
    name = js_page.locator("#supervisor_name")
    limit = int(name.get_attribute("maxlength"))
    name.fill("a" * (limit - 10))
    name.press("a")
    counter = js_page.locator("#supervisor_name-counter")
    expect(counter).to_have_text(f"{limit - 9} de {limit} caracteres")
    name.fill("b" * (limit - 1))
    name.press("b")
    name.press("b")  # the browser stops at the limit; the page says why
    expect(counter).to_have_text(
        f"Llegó al límite de {limit} caracteres: lo que escriba de más no se guardará.")
    assert len(name.input_value()) == limit
