"""Annulling an issued record in Chromium: the member asks on the record's page with a reason, the
number stays valid on /verificar while the request waits, a `calidad` user approves it in the
queue, and /verificar then says annulled with the date. Screenshots of the request and of the
queue, in Spanish and English at 1280 and 390 px, go to output/screenshots for a person to look
at; neither page sticks out sideways on a phone."""
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER, TEST_KEYS
from tests.browser.pages import serious_violations
from tests.database import database_config
from tests.factories import issue
from tests.helpers import sign_in
from webforms import create_app
from webforms.records.numbering import check_code

SCREENSHOTS = Path(__file__).resolve().parents[2] / "output" / "screenshots"
LOOKS = [("es-CO", "es", 1280), ("es-CO", "es", 390), ("en-US", "en", 1280),
         ("en-US", "en", 390)]
REASON = "Se emitió para el equipo equivocado; el acta correcta es otra."


@pytest.fixture(scope="module")
def issued_server(tmp_path_factory):
    """A server of its own (approval on, the default) with one issued Registro: its record id,
    number and check code."""
    folder = tmp_path_factory.mktemp("annul")
    app = create_app({**TEST_KEYS, "OUTPUT_DIR": folder / "output", **database_config(folder),
                      "WTF_CSRF_ENABLED": False})
    record_id, number = issue(app, sign_in(app.test_client(), TEAM_MEMBER))
    app.config["WTF_CSRF_ENABLED"] = True  # the browser posts with its tokens, as in production
    with app.test_request_context():
        code = check_code(number)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", record_id, number, code
    server.shutdown()


def signed_in_page(browser, base: str, email: str, locale: str = "es-CO", width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/cuenta/ingresar")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{base}/")
    return context, page


def verification_text(page, base: str, number: str, code: str) -> str:
    page.goto(f"{base}/verificar?numero={number}&codigo={code}")
    return page.locator("main").inner_text()


def looks(browser, base: str, email: str, path: str, name: str) -> None:
    """Screenshots of ``path`` as ``email`` sees it, in each language and width; nothing wider
    than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for locale, language, width in LOOKS:
        context, page = signed_in_page(browser, base, email, locale, width)
        page.goto(base + path)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than the screen by {overflow}px at {width}px"
        context.close()


def test_a_request_keeps_the_number_valid_until_calidad_approves_it(browser, issued_server):
    base, record_id, number, code = issued_server
    context, member = signed_in_page(browser, base, TEAM_MEMBER)
    member.goto(f"{base}/registros/{record_id}")
    member.get_by_role("button", name="Solicitar anulación").click()
    member.wait_for_load_state()
    assert "Escriba el motivo" in member.locator("main").inner_text()  # refused without one
    member.get_by_label("Motivo de la anulación").fill(REASON)
    member.get_by_role("button", name="Solicitar anulación").click()
    pending = member.locator("#annulment-pending")
    assert REASON in pending.inner_text() and "sigue válido" in pending.inner_text()
    assert serious_violations(member) == []
    assert "Documento registrado" in verification_text(member, base, number, code)
    looks(browser, base, TEAM_MEMBER, f"/registros/{record_id}", "annulment-request")

    quality_context, quality = signed_in_page(browser, base, ROLE_ACCOUNTS["calidad"])
    quality.get_by_role("link", name="Anulaciones por decidir").first.click()
    item = quality.locator(".annulment-item", has_text=number)
    assert item.count() == 1 and REASON in item.inner_text()  # the reason it judges
    assert serious_violations(quality) == []
    looks(browser, base, ROLE_ACCOUNTS["calidad"], "/registros/anulaciones", "annulment-queue")
    item.get_by_label("Nota (opcional)").fill("Aprobada tras revisar con el equipo.")
    item.get_by_role("button", name="Aprobar y anular el número").click()
    assert "quedó anulado" in quality.locator("main").inner_text()

    verified = verification_text(member, base, number, code)
    assert "Documento anulado" in verified and "Documento registrado" not in verified
    assert re.search(rf"{re.escape(number)} está anulado desde el \d+ \w+\.? \d{{4}}", verified)
    member.goto(f"{base}/registros/{record_id}")
    assert "Aprobada: número anulado" in member.locator("main").inner_text()
    context.close()
    quality_context.close()
