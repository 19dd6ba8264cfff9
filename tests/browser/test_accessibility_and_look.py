"""axe-core on every page, and screenshots at desktop and phone width for a person to look at."""
import pytest

from tests.browser.conftest import AXE
from tests.browser.scenarios import SCENARIOS

PAGES = ["/", "/documentos", "/verificar", "/verificar?numero=X-2026-000001", "/formadores/",
         "/formularios/tdr_gestor_casos/lote/", "/no-existe",
         *(f"/formularios/{s.key}" for s in SCENARIOS)]


def serious_violations(page):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(js_page, live_server, path):
    js_page.goto(live_server + path)
    assert js_page.locator("html").get_attribute("lang") == "es"
    assert serious_violations(js_page) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_form_with_errors_has_no_serious_violation(js_page, live_server, scenario):
    js_page.goto(live_server + f"/formularios/{scenario.key}")
    js_page.get_by_role("button", name="Descargar documento").click()
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
