"""Form defects met while trying the record's life (#32), each as a person meets it in Chromium:
show/hide rules that name the wrong field, a checklist showing every moment, autosave leaving a
draft of a page nobody typed in, and wide tables at 1280 px."""
import re

from playwright.sync_api import expect

from tests.accounts import ROLE_ACCOUNTS
from tests.browser.pages import download_docx, fill

CONFERENCE = "/formularios/conferencia_ampliada"
CHECKLIST = "/formularios/verificacion_hitos"
REGISTRO = "/formularios/registro_reunion"


def test_ticking_asiste_shows_the_name_of_who_attends(js_page, live_server):
    page = js_page
    page.goto(live_server + CONFERENCE)
    name = page.locator("#regional_participants-0-name")
    expect(name).to_be_hidden()
    page.locator("#regional_participants-0-attending").check()
    expect(name).to_be_visible()
    name.fill("Ana Ruiz")
    page.locator("#regional_participants-0-attending").uncheck()
    expect(name).to_be_hidden()


def test_the_place_shows_for_in_person_and_hybrid_meetings_only(js_page, live_server):
    page = js_page
    page.goto(live_server + CONFERENCE)
    place = page.locator("#place")
    expect(place).to_be_visible()  # in person, chosen by default
    page.get_by_label("Presencial y virtual", exact=True).check()
    expect(place).to_be_visible()
    page.get_by_label("Virtual", exact=True).check()
    expect(place).to_be_hidden()


def test_the_checklist_shows_only_the_criteria_of_the_chosen_moments(js_page, live_server):
    page = js_page
    page.goto(live_server + CHECKLIST)
    marks = page.locator("input[type=radio][name^=criteria_][value=met]")
    expect(marks.first).to_be_hidden()
    page.get_by_label(re.compile("Reunificación$")).check()
    visible = [marks.nth(index).is_visible() for index in range(marks.count())]
    assert sum(visible) == 7  # the seven criteria of "Reunificación"
    expect(page.get_by_role("heading", name=re.compile("Reunificación"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Reintegración"))).to_be_hidden()


def test_the_lead_in_line_is_read_not_rated(js_page, live_server):
    page = js_page
    page.goto(live_server + CHECKLIST)
    page.get_by_label(re.compile("Implementación del plan de caso$")).check()
    lead_in = page.get_by_text("concurrencia de los actores en cada ámbito de gestión:")
    expect(lead_in).to_be_visible()
    group = page.locator("#criteria_case_plan_implementation")
    assert group.locator("input[type=radio][value=met]").count() == 10


def test_a_page_opened_and_left_leaves_no_draft(js_page, live_server):
    page = js_page
    page.goto(live_server + "/registros/")
    before = page.locator("table.team-records tbody tr").count()
    page.goto(live_server + REGISTRO)
    page.evaluate("document.getElementById('document-form')"
                  ".setAttribute('data-autosave-every', '100')")
    sent = []
    page.on("request", lambda request: request.url.endswith("/borrador") and sent.append(1))
    page.locator("#workers > button.add").click()  # a row added and removed: nothing typed
    page.locator("#workers > .row").last.locator("button.remove").click()
    page.locator("#supervisor_name").focus()
    page.wait_for_timeout(700)  # several autosave periods
    page.goto(live_server + "/registros/")
    assert sent == []
    assert page.locator("table.team-records tbody tr").count() == before


def no_sideways_scroll(page) -> list[str]:
    """The tables (and the page) wider than their box: each would be clipped or scroll."""
    return page.evaluate("""() => {
        const wide = [];
        if (document.documentElement.scrollWidth > window.innerWidth) wide.push("page");
        document.querySelectorAll(".table-wrap, table").forEach((element, index) => {
            if (element.scrollWidth > element.clientWidth + 1) wide.push(element.className + index);
        });
        return wide;
    }""")


MIXED_DATES = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
DAY_MONTH_YEAR = re.compile(r"\b\d{1,2} [a-z]{3}\.? \d{4}, \d\d:\d\d\b")


def one_date_format(page, url) -> bool:
    """The page writes its moments one way: "7 dic 2026, 07:38", never ISO nor 7/12/26."""
    page.goto(url)
    text = page.locator("main").inner_text()
    assert not MIXED_DATES.search(text), MIXED_DATES.search(text).group(0)
    return bool(DAY_MONTH_YEAR.search(text))


def test_records_list_and_audit_fit_1280_pixels(browser, live_server, js_page, signed_in_as):
    from tests.browser.scenarios import SCENARIOS

    page = js_page
    page.goto(live_server + REGISTRO)
    fill(page, next(s for s in SCENARIOS if s.key == "registro_reunion"))
    download_docx(page)  # an issued record: its number, its copies, its audit entries
    page.goto(live_server + "/registros/")
    expect(page.locator("table.team-records tbody tr").first).to_be_visible()
    assert no_sideways_scroll(page) == []
    context = browser.new_context(locale="es-CO", viewport={"width": 1280, "height": 900},
                                  storage_state=signed_in_as(ROLE_ACCOUNTS["calidad"]))
    quality = context.new_page()
    quality.goto(live_server + "/auditoria")
    expect(quality.locator("table").first).to_be_visible()
    assert no_sideways_scroll(quality) == []
    for path in ("/registros/", "/auditoria", "/cuenta/sesiones"):
        assert one_date_format(page if path == "/registros/" else quality, live_server + path)
    context.close()


def test_a_privacy_warning_names_its_words_and_leaves_durations_alone(js_page, live_server):
    from tests.browser.scenarios import SCENARIOS

    page = js_page
    page.goto(live_server + REGISTRO)
    fill(page, next(s for s in SCENARIOS if s.key == "registro_reunion"))
    page.fill("#welcome_notes", "Audiencias programadas a 3 meses.")
    page.fill("#closing_notes", "Llamar a la familia al 3001234567.")
    page.get_by_role("button", name="Revisar y emitir").click()  # the review lists warnings
    warnings = page.locator("#review-warnings")
    expect(warnings).to_contain_text("«3001234567»")
    expect(warnings).not_to_contain_text("3 meses")
