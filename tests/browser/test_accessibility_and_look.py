"""axe-core on every page, and screenshots at desktop and phone width for a person to look at."""
import pytest

from tests.accounts import PASSWORD
from tests.browser.pages import serious_violations
from tests.browser.scenarios import SCENARIOS

PAGES = ["/", "/documentos", "/verificar", "/verificar?numero=X-2026-000001", "/formadores/",
         "/formularios/tdr_gestor_casos/lote/", "/formularios/tdr_gestor_casos/lote/historial",
         "/no-existe",
         *(f"/formularios/{s.key}" for s in SCENARIOS)]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(js_page, live_server, path):
    js_page.goto(live_server + path)
    assert js_page.locator("html").get_attribute("lang") == "es"
    assert serious_violations(js_page) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_form_with_errors_has_no_serious_violation(js_page, live_server, scenario):
    js_page.goto(live_server + f"/formularios/{scenario.key}")
    js_page.get_by_role("button", name="Revisar y emitir").click()
    assert js_page.locator("#error-summary").is_visible()
    assert serious_violations(js_page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, live_server, tmp_path_factory, width):
    """Saved for review in output/screenshots (not compared: a person looks at them)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-CO")
    page = context.new_page()
    for path in ["/", *(f"/formularios/{s.key}" for s in SCENARIOS), "/formadores/",
                 "/documentos"]:
        page.goto(live_server + path)
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        # Nothing may stick out sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than the screen by {overflow}px at {width}px"
    context.close()


@pytest.fixture
def visitor(browser):
    context = browser.new_context(locale="es-CO", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_sign_in_page_has_no_serious_violation(visitor, live_server):
    visitor.goto(live_server + "/cuenta/ingresar")
    assert serious_violations(visitor) == []
    visitor.fill("#email", "nadie@example.org")
    visitor.fill("#password", "no es esta")
    visitor.click("#submit")
    assert visitor.locator(".fs-error-msg").is_visible()
    assert serious_violations(visitor) == []


def test_the_account_pages_have_no_serious_violation(js_page, live_server):
    """Changing the password (refused: too common), confirming who one is, setting up two-step
    verification (up to its code: the account is left as it was), the sessions."""
    js_page.goto(live_server + "/cuenta/cambiar-clave")
    js_page.fill("#password", PASSWORD)
    js_page.fill("#new_password", "password1234")
    js_page.fill("#new_password_confirm", "password1234")
    js_page.click("#submit")
    assert js_page.get_by_text("Es una contraseña muy común.").is_visible()
    assert serious_violations(js_page) == []
    js_page.goto(live_server + "/cuenta/dos-pasos")
    assert js_page.url.startswith(live_server + "/cuenta/verify")
    assert serious_violations(js_page) == []
    js_page.fill("#password", PASSWORD)
    js_page.click("#submit")
    js_page.wait_for_url(live_server + "/cuenta/dos-pasos")
    assert serious_violations(js_page) == []
    js_page.check("input[value=authenticator]")
    js_page.click("#submit")
    assert js_page.locator("img, svg").first.is_visible()  # the QR code to scan
    assert serious_violations(js_page) == []
    js_page.goto(live_server + "/cuenta/sesiones")
    assert serious_violations(js_page) == []
