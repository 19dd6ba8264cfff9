"""The team's dashboard in Chromium, with the demo region seeded: axe-core finds no serious
violation (chart included), nothing sticks out sideways on a phone, the chart's latest month is
in sight on a phone, the page printed to A4 portrait keeps every column on page 1, and
screenshots at 1280 px and 390 px go to output/screenshots for a person to look at."""
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.accounts import TEST_KEYS
from tests.browser.pages import serious_violations
from tests.database import database_config
from webforms import create_app
from webforms.demo import service as demo
from webforms.storage.database import db
from webforms.storage.models import Team

# A year of the demo team printed: 7 pages each before the print styles, then 3 (the page) and 4
# (the printable view, every date listed); the roster's workers (one line each, the
# never-supervised ones included) add a page to the printable view.
PRINTED_PAGES = {"": 3, "?vista=imprimir": 5}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "output" / "screenshots"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server of its own whose database holds the demo region (a year up to today)."""
    folder = tmp_path_factory.mktemp("demo")
    app = create_app({**TEST_KEYS, "OUTPUT_DIR": folder / "output", **database_config(folder)})
    assert app.test_cli_runner().invoke(args=["demo", "region"]).exit_code == 0
    with app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.name == demo.TEAMS[0]))
        # Two modalities: the longest rhythm names a page prints (one mesa interna each).
        team.modalities = ["family_support", "residential_care"]
        team_id = team.id
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", team_id
    server.shutdown()


def coordinator_page(browser, base: str, width: int, language: str = "es-CO"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/cuenta/ingresar")
    page.fill("#email", demo.COORDINATOR)
    page.fill("#password", demo.PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{base}/")
    return context, page


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_reads_well_and_has_no_serious_violation(browser, demo_server, width):
    base, team_id = demo_server
    context, page = coordinator_page(browser, base, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in ((f"/panel/{team_id}", "dashboard"), ("/panel/", "dashboard-teams")):
        page.goto(base + path)
        assert page.locator("svg.chart").count() == (1 if name == "dashboard" else 0)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than the screen by {overflow}px at {width}px"
        assert serious_violations(page) == []
    context.close()



def test_the_spreadsheet_keeps_the_accents_of_the_team_name(browser, demo_server):
    """The file of "Equipo Demo Montaña" is saved as such (RFC 5987), not "Monta-a"."""
    base, _ = demo_server
    context, page = coordinator_page(browser, base, 1280)
    page.goto(base + "/panel/")
    page.get_by_role("link", name=demo.TEAMS[1]).first.click()
    response = page.request.get(page.url.split("?")[0] + ".xlsx")
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''panel-Equipo-Demo-Monta%C3%B1a-" in disposition
    assert "filename=panel-Equipo-Demo-Montana-" in disposition.replace('"', "")
    context.close()


def pdf_pages(data: bytes) -> tuple[int, str]:
    """How many pages a PDF has, and page 1's text (poppler's pdfinfo and pdftotext)."""
    info = subprocess.run(["pdfinfo", "-"], input=data, check=True, capture_output=True)
    pages = int(next(line.split()[-1] for line in info.stdout.decode().splitlines()
                     if line.startswith("Pages:")))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", "-", "-"], input=data,
                           check=True, capture_output=True).stdout.decode()
    return pages, first


@pytest.mark.parametrize("view", ["", "?vista=imprimir"])
def test_the_dashboard_prints_on_a4_portrait_with_every_column(browser, demo_server, view):
    """Printed as a person prints it (the page, and its printable view): the rhythm table's five
    columns on page 1, none cut, and a few pages for a year of a team's records."""
    base, team_id = demo_server
    context, page = coordinator_page(browser, base, 1280)
    page.goto(f"{base}/panel/{team_id}{view}")
    pages, first = pdf_pages(page.pdf(format="A4", print_background=True))
    context.close()
    for header in ("Ritmo", "Veces", "Última vez", "Estado", "Próxima"):
        assert header in first, f"{header!r} is not on page 1:\n{first}"
    assert "Conferencia ampliada" in first and "Acogimiento Residencial" in first
    assert pages <= PRINTED_PAGES[view], f"{pages} pages"


def test_on_a_phone_the_chart_opens_on_the_recent_months(browser, demo_server):
    """At 375 px the chart scrolls sideways: it opens on its end, the latest month's label in
    sight (the oldest months are the ones scrolled away)."""
    base, team_id = demo_server
    context, page = coordinator_page(browser, base, 375)
    page.goto(f"{base}/panel/{team_id}")
    months = page.locator("svg.chart text.month")
    latest, oldest = months.last.bounding_box(), months.first.bounding_box()
    assert latest["x"] >= 0 and latest["x"] + latest["width"] <= 375, latest
    assert oldest["x"] < 0, oldest  # the chart is wider than the phone: the oldest month is away
    context.close()
