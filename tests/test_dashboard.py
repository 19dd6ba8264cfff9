"""The team's dashboard: rhythm gaps computed from sample calendars with known answers (no record
yet, two meetings on one day, a gap that began before the period, a record deleted to the trash),
the caseload chart and its text alternative, the spreadsheet, who
may see which team, and the demo region."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl

from tests.accounts import PASSWORD, ensure_team
from tests.factories import issue, new_account, place_in_region
from tests.helpers import TODAY, annul, page_text, row_text, sign_in
from webforms.accounts.service import create_user
from webforms.actions import tracker
from webforms.dashboard import export as dashboard_export
from webforms.dashboard import rhythms
from webforms.dashboard.chart import Point, line_chart, nice_top
from webforms.dashboard.wording import findings, next_due
from webforms.demo import service as demo
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, Team, User

D = dt.date
START = D(2026, 1, 1)


def weekly(first: D, count: int) -> list[D]:
    return [first + dt.timedelta(weeks=week) for week in range(count)]


# --- rhythms, with known answers ----------------------------------------------------------------
def test_a_gap_of_sixteen_days_between_meetings_breaks_the_rhythm():
    days = [D(2026, 11, 1), D(2026, 11, 8), D(2026, 11, 24), D(2026, 11, 30)]
    rhythm = rhythms.meetings([(day, 60) for day in days], START, TODAY)
    assert rhythm.gaps == (rhythms.Gap(D(2026, 11, 8), D(2026, 11, 24), 16, 2),)
    assert rhythm.dates == tuple(days) and rhythm.last == D(2026, 11, 30)
    assert rhythm.due == D(2026, 12, 14) and rhythm.overdue == 0 and rhythm.broken == 1


def test_fourteen_days_between_meetings_still_holds():
    rhythm = rhythms.meetings([(D(2026, 11, 4), 60), (D(2026, 11, 18), 60)], START, TODAY)
    assert rhythm.gaps == () and rhythm.due == D(2026, 12, 2) and rhythm.overdue == 0


def test_the_gap_since_the_last_meeting_counts_once_it_is_overdue():
    rhythm = rhythms.meetings([(D(2026, 11, 12), 90)], START, TODAY)
    assert rhythm.overdue == 6 and rhythm.due == D(2026, 11, 26)
    assert rhythm.gaps == (rhythms.Gap(D(2026, 11, 12), TODAY, 20, 6, ongoing=True),)


def test_no_record_yet():
    for rhythm in (rhythms.meetings([], START, TODAY), rhythms.conferences([], START, TODAY),
                   rhythms.extended_sessions([], START, TODAY),
                   rhythms.internal_tables([], START, TODAY)):
        assert rhythm.never and rhythm.gaps == () and rhythm.missed_months == ()
        assert rhythm.dates == () and rhythm.broken == 0
    assert rhythms.meetings([], START, TODAY).due == TODAY
    assert rhythms.supervision([], START, TODAY) == []


def test_two_meetings_on_one_day_are_one_day_held_and_each_short_one_is_flagged():
    sessions = [(D(2026, 11, 20), 40), (D(2026, 11, 20), 50), (D(2026, 11, 27), 60)]
    rhythm = rhythms.meetings(sessions, START, TODAY)
    assert rhythm.dates == (D(2026, 11, 20), D(2026, 11, 27)) and rhythm.gaps == ()
    assert rhythm.short == (rhythms.Short(D(2026, 11, 20), 40), rhythms.Short(D(2026, 11, 20), 50))


def test_a_gap_that_began_before_the_period_counts_one_that_ended_before_does_not():
    days = [D(2025, 12, 1), D(2025, 12, 20), D(2026, 1, 10)]  # gaps of 19 and 21 days
    rhythm = rhythms.meetings([(day, 60) for day in days], START, D(2026, 1, 12))
    assert [(gap.start, gap.end, gap.days) for gap in rhythm.gaps] == [
        (D(2025, 12, 20), D(2026, 1, 10), 21)]
    assert rhythm.dates == (D(2026, 1, 10),)


def test_a_month_without_extended_session_breaks_it_the_current_month_not_yet():
    days = [D(2026, 8, 7), D(2026, 9, 4), D(2026, 11, 6)]
    rhythm = rhythms.extended_sessions(days, D(2026, 8, 1), TODAY)
    assert rhythm.missed_months == (D(2026, 10, 1),)
    assert rhythm.due == D(2026, 12, 31) and rhythm.overdue == 0
    held_this_month = rhythms.internal_tables([*days, D(2026, 10, 5), D(2026, 12, 1)],
                                              D(2026, 8, 1), TODAY)
    assert held_this_month.missed_months == () and held_this_month.due == D(2027, 1, 31)


def test_a_conference_more_than_three_months_after_the_last_is_overdue():
    rhythm = rhythms.conferences([D(2026, 2, 10), D(2026, 5, 25), D(2026, 8, 20)], START,
                                 TODAY)
    assert rhythm.gaps[0] == rhythms.Gap(D(2026, 2, 10), D(2026, 5, 25), 104, 15)
    assert rhythm.due == D(2026, 11, 20) and rhythm.overdue == 12
    assert rhythm.gaps[-1] == rhythms.Gap(D(2026, 8, 20), TODAY, 104, 12, ongoing=True)


def test_individual_supervision_per_worker_numbered_never_named():
    sessions = [("digest-b", day, 60) for day in weekly(D(2026, 10, 3), 9)] + [
        ("digest-a", D(2026, 10, 5), 60), ("digest-a", D(2026, 11, 2), 45),
        ("digest-old", D(2025, 6, 1), 60)]
    workers = rhythms.supervision(sessions, D(2026, 10, 1), TODAY)
    assert [worker.subject for worker in workers] == [1, 2]  # the one of 2025 is not listed
    first, second = workers
    assert first.gaps == () and first.due == D(2026, 12, 12)
    assert second.gaps[0] == rhythms.Gap(D(2026, 10, 5), D(2026, 11, 2), 28, 14)
    assert second.short == (rhythms.Short(D(2026, 11, 2), 45),)
    assert second.overdue == 16 and second.gaps[-1].ongoing


def test_the_findings_in_words(app):
    with app.test_request_context():
        meetings = rhythms.meetings([(D(2026, 11, 8), 60), (D(2026, 11, 24), 60)], START, TODAY)
        assert findings(meetings)[0].text == (
            "16 días sin reunión de gestión de casos (del 8 nov 2026 al 24 nov 2026).")
        extended = rhythms.extended_sessions([D(2026, 9, 4), D(2026, 11, 6)], D(2026, 9, 1),
                                             TODAY)
        assert [item.text for item in findings(extended)] == [
            "Sin sesión extendida en octubre de 2026."]
        conference = rhythms.conferences([D(2026, 8, 20)], START, TODAY)
        assert findings(conference)[0].text.startswith(
            "Conferencia ampliada vencida hace 12 días")
        assert next_due(conference) == "Vencida desde el 20 nov 2026 (hace 12 días)."
        assert "se espera ahora" in next_due(rhythms.meetings([], START, TODAY))


# --- the chart and the spreadsheet --------------------------------------------------------------
def test_the_chart_is_svg_with_a_text_alternative_and_every_point():
    points = [Point(D(2026, 10, 2), (24, 3, 5)), Point(D(2026, 10, 9), (26, 4, 6))]
    svg = str(line_chart(points, ["Casos <abiertos>", "Alto", "Medio"], D(2026, 10, 1),
                         D(2026, 10, 31), "Carga & casos", "Dos reuniones", str, "c"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Carga &amp; casos</title>' in svg
    assert '<desc id="c-desc">Dos reuniones</desc>' in svg
    assert "Casos &lt;abiertos&gt;, 2026-10-09: 26" in svg and "Medio, 2026-10-02: 5" in svg
    assert "<abiertos>" not in svg and "style=" not in svg and "<script" not in svg
    assert svg.count("<polyline") == 3
    assert nice_top(0) == (1, 1) and nice_top(26) == (30, 10) and nice_top(7) == (8, 2)


def test_a_spreadsheet_cell_never_runs_as_a_formula():
    book = openpyxl.Workbook()
    sheet = book.active
    dashboard_export.put(sheet, ["=HYPERLINK(\"http://x\")", "+1", 3, D(2026, 1, 2)])
    cells = list(sheet[1])
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    assert cells[1].data_type == "s" and cells[2].value == 3
    buffer = io.BytesIO()
    book.save(buffer)
    reopened = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert reopened["A1"].data_type == "s"


# --- through the pages --------------------------------------------------------------------------
def issue_meeting(app, client, day: D, open_cases: int = 24) -> int:
    record_id, _number = issue(app, client, meeting_date=day.isoformat(), next_meeting_date=None,
                               open_cases=str(open_cases), high_risk_cases="3",
                               medium_risk_cases="5")
    return record_id


def team_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Team.id).where(Team.name == name))


def test_the_dashboard_shows_the_gaps_actions_and_caseload(app, client, fixed_today):
    issue_meeting(app, client, D(2026, 11, 1), 20)
    trashed = issue_meeting(app, client, D(2026, 11, 8), 22)
    issue_meeting(app, client, D(2026, 11, 17), 25)
    url = f"/panel/{team_id(app, 'Equipo Norte')}"
    assert "16 días" not in page_text(client.get(url))
    annul(app, client, trashed)
    response = client.get(url)
    assert response.status_code == 200
    text = page_text(response)
    assert "16 días sin reunión de gestión de casos (del 1 nov 2026 al 17 nov 2026)." in text
    assert "8 nov 2026" not in text  # the annulled record is not counted
    assert "Fechas en que se realizó (2)" in text
    page = response.get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "Casos abiertos, 2026-11-17: 25" in page
    assert "Marta Gómez" not in page and "Luis Ortega" not in page
    assert "Gestionar cupo con el operador." not in page  # an action's text is never shown
    assert re.search(r'href="/registros/\d+">F1\.G34\.P-\d{4}-\d{6}</a>', page)


def test_the_spreadsheet_has_the_figures_and_no_names(app, client, fixed_today):
    issue_meeting(app, client, D(2026, 11, 10), 31)
    response = client.get(f"/panel/{team_id(app, 'Equipo Norte')}.xlsx?meses=6")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Ritmos", "Acciones", "Carga de casos"]
    caseload = [[cell.value for cell in row] for row in book["Carga de casos"].iter_rows()]
    assert caseload[1][:4] == [dt.datetime(2026, 11, 10), 31, 3, 5]
    everything = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                          for cell in row if cell.value is not None)
    assert "Reuniones de gestión de casos" in everything and "Supervisor/a" in everything
    for name in ("Marta Gómez", "Luis Ortega", "Carmen Ruiz", "Gestionar cupo"):
        assert name not in everything


def test_viewing_and_exporting_are_audited_without_content(app, client, fixed_today):
    norte = team_id(app, "Equipo Norte")
    client.get(f"/panel/{norte}?meses=24")
    client.get(f"/panel/{norte}.xlsx")
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action.in_(("dashboard_viewed", "dashboard_exported")))
            .order_by(AuditEntry.id)).all()
        assert [(entry.action, entry.target, entry.details["months"]) for entry in entries] == [
            ("dashboard_viewed", str(norte), 24), ("dashboard_exported", str(norte), 12)]


def test_another_teams_dashboard_is_not_found_a_coordinator_sees_the_region(app, client):
    new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    south = team_id(app, "Equipo Sur")
    assert client.get(f"/panel/{south}").status_code == 404
    assert client.get(f"/panel/{south}.xlsx").status_code == 404
    assert client.get("/panel/999999").status_code == 404
    place_in_region(app, "Equipo Sur", "Equipo Norte")
    assert client.get(f"/panel/{south}").status_code == 200  # a coordinator of the region
    assert f'href="/panel/{south}"' in client.get("/panel/").get_data(as_text=True)
    supervisor = sign_in(app.test_client(), "supervisor@example.org")
    assert supervisor.get(f"/panel/{south}").status_code == 404  # in Norte, not a coordinator
    assert f'href="/panel/{south}"' not in supervisor.get("/panel/").get_data(as_text=True)


def test_the_dashboard_is_linked_for_supervisors_and_coordinators_only(app, client):
    assert 'href="/panel/"' in client.get("/").get_data(as_text=True)
    hr = sign_in(app.test_client(), "talento_humano@example.org")
    assert 'href="/panel/"' not in hr.get("/").get_data(as_text=True)
    assert hr.get("/panel/").status_code == 403


def test_the_dashboard_in_english_and_printable(app, client, fixed_today):
    issue_meeting(app, client, D(2026, 10, 2))
    url = f"/panel/{team_id(app, 'Equipo Norte')}"
    client.set_cookie("lang", "en")
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in page and "2 Oct 2026" in page
    assert client.get(url, query_string={"meses": "9999"}).status_code == 200  # the default
    printable = client.get(url, query_string={"vista": "imprimir"}).get_data(as_text=True)
    assert 'class="dates" open' in printable and 'name="meses"' not in printable


# --- the demo region ----------------------------------------------------------------------------
def test_the_demo_command_creates_two_teams_and_a_year_of_records(app, fixed_today):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "region", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "panel de demostracion 2026" in result.output
    with app.app_context():
        teams = {team.name: team for team in db.session.scalars(db.select(Team))}
        region = teams["Regional Demo"]
        assert {team.name for team in region.region_teams} == {"Equipo Demo Río",
                                                              "Equipo Demo Montaña"}
    assert re.search(r"registro_reunion (\d+)", result.output).group(1) == "101"
    again = runner.invoke(args=["demo", "region"])
    assert again.exit_code == 1 and "ya existe" in again.output
    coordinator = sign_in(app.test_client(), "coordinacion.demo@example.org",
                          "panel de demostracion 2026")
    river = page_text(coordinator.get(f"/panel/{team_id(app, 'Equipo Demo Río')}"))
    assert "16 días sin reunión de gestión de casos" in river
    assert "Reunión del 12 feb 2026: 45 minutos (menos de 1 hora)." in river
    assert "Sin sesión extendida en septiembre de 2026." in river
    assert "Conferencia ampliada vencida hace 12 días" in river
    assert "28 días sin supervisión individual (trabajador/a 3)" in river
    mountain = page_text(coordinator.get(f"/panel/{team_id(app, 'Equipo Demo Montaña')}"))
    assert "18 días sin reunión de gestión de casos, desde el 14 nov 2026." in mountain
    assert PASSWORD not in result.output
    # The demo's records feed the action tracker: each meeting's two new actions, and those
    # followed "en curso" or "no cumplido" still open, the last meeting's among them.
    river_team = team_id(app, "Equipo Demo Río")
    with app.app_context():
        still_open = tracker.open_actions(river_team, TODAY)
        last_meeting = max(action.day for action in still_open if action.family == "meetings")
    assert sum(1 for action in still_open if action.day == last_meeting) == 2
    assert "Acciones abiertas del equipo" in page_text(coordinator.get(f"/panel/{river_team}"))


# --- the mesa interna of the region and the region's own panel ----------------------------------
def file_mesas(app, team: str, modality: str, days: list[D]) -> None:
    """Mesas interna of ``modality`` issued under ``team`` by a coordinator of it (the region's
    coordinators keep it under the region), as the form's page would."""
    email = f"coordinacion.{len(team)}.{modality}@example.org"
    with app.app_context():
        place = ensure_team(team)
        author = db.session.scalar(db.select(User).where(User.email == email)) or create_user(
            email, PASSWORD, ("coordinador",), [team]).user
        demo.issue_all(author, place, [demo.Issued("mesa_interna", day, [
            ["modality" if name == "modality" else name, modality if name == "modality" else value]
            for name, value in demo.mesa_pairs(day)]) for day in days])
        db.session.commit()


def test_a_mesa_filed_under_the_region_counts_for_the_teams_of_its_modality(app, client,
                                                                           fixed_today):
    place_in_region(app, "Equipo Norte", "Región Andina")
    place_in_region(app, "Equipo Sur", "Región Andina")
    with app.app_context():
        ensure_team("Equipo Norte").modalities = ["residential_care"]
        ensure_team("Equipo Sur").modalities = ["family_support"]
        db.session.commit()
    file_mesas(app, "Región Andina", "residential_care", [D(2026, 10, 5), D(2026, 11, 5)])
    norte = client.get(f"/panel/{team_id(app, 'Equipo Norte')}?meses=3")
    table = row_text(norte, "Mesa interna mensual · Acogimiento Residencial")
    assert "Sin registros" not in table and "5 nov 2026" in table
    assert "Fechas en que se realizó (2)" in page_text(norte)
    # Sur works in another modality: the region's mesa of residential care is not its.
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    sur = south.get(f"/panel/{team_id(app, 'Equipo Sur')}?meses=3")
    assert "Sin registros" in row_text(sur, "Mesa interna mensual · Modalidades de Apoyo")


def test_a_team_without_modalities_counts_every_mesa_of_its_region(app, client, fixed_today):
    place_in_region(app, "Equipo Norte", "Región Andina")
    file_mesas(app, "Región Andina", "family_support", [D(2026, 11, 20)])
    norte = client.get(f"/panel/{team_id(app, 'Equipo Norte')}?meses=3")
    assert "Sin registros" not in row_text(norte, "Mesa interna mensual")


def test_the_regions_own_panel_shows_what_a_region_holds(app, fixed_today):
    place_in_region(app, "Equipo Sur", "Región Andina")
    with app.app_context():
        ensure_team("Equipo Sur").modalities = ["family_support", "residential_care"]
        db.session.commit()
    file_mesas(app, "Región Andina", "family_support", [D(2026, 11, 20)])
    coordinator = sign_in(app.test_client(), f"coordinacion.{len('Región Andina')}."
                                             "family_support@example.org")
    new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    response = coordinator.get(f"/panel/{team_id(app, 'Región Andina')}?meses=3")
    text = page_text(response)
    for absent in ("Reuniones de gestión de casos", "Sesión extendida mensual",
                   "Carga de casos"):
        assert absent not in text.split("Equipos de la región")[0]
    assert "Supervisión individual" not in text.split("Equipos de la región")[0]
    assert "Sin registros" not in row_text(response, "Mesa interna mensual · Modalidades de")
    assert "Sin registros" in row_text(response, "Mesa interna mensual · Acogimiento")
    assert "Conferencia ampliada" in text
    assert "Equipo Sur" in text.split("Equipos de la región")[1]
    assert "Reunión vencida" in text  # Sur has held no meeting in the period


def test_content_read_once_is_not_served_once_the_keys_no_longer_open_it(app, client,
                                                                         fixed_today):
    """The facts of a record are kept in memory by its sealed bytes and the data keys: with
    other keys the record is unreadable, as it would be read afresh."""
    issue_meeting(app, client, D(2026, 11, 10), 31)
    url = f"/panel/{team_id(app, 'Equipo Norte')}"
    assert "Casos abiertos, 2026-11-10: 31" in client.get(url).get_data(as_text=True)
    app.config.update(DATA_KEY="another data key", OLD_DATA_KEYS=())
    text = page_text(client.get(url))
    assert "1 registro no se pudo leer" in text and "Fechas en que se realizó" not in text
