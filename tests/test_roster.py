"""The team roster: kept by the team's supervisors and administrators, audited without names,
sealed at rest; offered on the form pages of the team; counted on the dashboard (never-supervised
workers flagged, those who left dropped, the supervisor-to-worker ratio)."""
from __future__ import annotations

import datetime as dt
import re

from tests.accounts import ROLE_ACCOUNTS
from tests.factories import (
    SUPERVISION_URL,
    add_to_roster,
    fill,
    new_account,
    place_in_region,
    roster_url,
    rotated_to,
    supervision,
)
from tests.helpers import REGISTRO_URL, audit_entries, page_text, sign_in
from webforms.accounts import roster, teams
from webforms.accounts.extension import security
from webforms.dashboard import rhythms
from webforms.dashboard import service as dashboard
from webforms.dashboard.staffing import Staffing, warning
from webforms.storage.database import db
from webforms.storage.models import RosterWorker

D = dt.date
TODAY = D(2026, 12, 2)
NEVER, SEEN, LEFT = "Ana Nunca Vista", "Luis Ortega", "Pedro Que Salió"


def dashboard_url(app, team: str = "Equipo Norte") -> str:
    with app.app_context():
        return f"/panel/{teams.find(team).id}"


def issued_supervision(client, worker: str, day: str) -> None:
    response = fill(client, SUPERVISION_URL, supervision(
        worker_name=worker, session_date=day, previous_session_date=None,
        next_session_date=None))
    assert response.status_code == 200, response.get_data(as_text=True)[:400]


# --- the rhythm, with known answers --------------------------------------------------------------
def test_roster_workers_are_each_shown_and_those_who_left_are_dropped():
    sessions = [("seen", D(2026, 11, 25), 60), ("gone", D(2026, 10, 1), 60),
                ("stranger", D(2026, 11, 1), 60), ("before", D(2026, 8, 1), 60)]
    workers = rhythms.supervision(sessions, D(2026, 10, 1), TODAY,
                                  roster=["seen", "never", "before"], left=["gone"])
    by_digest = {rhythm.digest: rhythm for rhythm in workers}
    assert list(by_digest) == ["stranger", "seen", "never", "before"]
    assert [rhythm.subject for rhythm in workers] == [1, 2, 3, 4]
    assert by_digest["never"].never and by_digest["never"].overdue == 0
    assert not by_digest["seen"].never and by_digest["seen"].overdue == 0
    assert by_digest["before"].overdue == (TODAY - D(2026, 8, 15)).days  # seen before the period
    assert by_digest["stranger"].overdue == (TODAY - D(2026, 11, 15)).days  # not on the roster


def test_without_a_roster_the_workers_are_those_seen_in_the_period():
    sessions = [("a", D(2026, 11, 25), 60), ("b", D(2026, 8, 1), 60)]
    assert [rhythm.digest for rhythm in rhythms.supervision(sessions, D(2026, 10, 1),
                                                            TODAY)] == ["a"]


def test_the_ratio_warns_above_six_workers_per_supervisor():
    assert warning(Staffing(supervisors=1, workers=6)) is None
    assert Staffing(supervisors=2, workers=9).per_supervisor == 4.5
    assert "Más de 6" in warning(Staffing(supervisors=1, workers=7))
    assert "Ningún supervisor" in warning(Staffing(supervisors=0, workers=2))


# --- the dashboard ------------------------------------------------------------------------------
def test_a_never_supervised_worker_is_flagged_one_who_left_is_not(app, client, fixed_today):
    url = roster_url(app, "Equipo Norte")
    for name, end in ((NEVER, ""), (SEEN, ""), (LEFT, "2026-11-01")):
        assert add_to_roster(client, url, name, end_date=end).status_code == 302
    issued_supervision(client, SEEN, "2026-11-25")
    issued_supervision(client, LEFT, "2026-10-01")  # overdue, were they still on the team
    text = page_text(client.get(dashboard_url(app)))
    assert "Nunca supervisado/a" in text and "1 trabajador/a nunca supervisado/a" in text
    assert f"Trabajador/a 2 · {NEVER}" in text and f"Trabajador/a 1 · {SEEN}" in text
    assert LEFT not in text and "supervisión vencida" not in text
    assert "Trabajador/a 3" not in text


def test_names_are_shown_only_to_who_may_read_the_teams_records(app, client, fixed_today):
    add_to_roster(client, roster_url(app, "Equipo Norte"), NEVER)
    assert NEVER in page_text(client.get(dashboard_url(app)))  # the team's supervisor
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    add_to_roster(south, roster_url(app, "Equipo Sur"), "Sonia Sur")
    place_in_region(app, "Equipo Sur", "Equipo Norte")  # overseen by Norte's coordinators
    assert "Sonia Sur" in page_text(client.get(dashboard_url(app, "Equipo Sur")))
    assert "Sonia Sur" in page_text(south.get(dashboard_url(app, "Equipo Sur")))
    with app.test_request_context():  # a member who does not read the supervision records
        team = teams.find("Equipo Norte")
        staff = roster.workers_of(team.id)
        case_manager = security.datastore.find_user(email=ROLE_ACCOUNTS["gestor_caso"])
        supervisor = security.datastore.find_user(email=ROLE_ACCOUNTS["supervisor"])
        assert dashboard.worker_names(team, staff, case_manager, TODAY) == {}
        assert list(dashboard.worker_names(team, staff, supervisor, TODAY).values()) == [NEVER]


def test_the_ratio_is_computed_from_the_roster(app, client, fixed_today):
    url = roster_url(app, "Equipo Norte")
    add_to_roster(client, url, "Marta Gómez", role="supervisor")
    for number in range(1, 8):
        add_to_roster(client, url, f"Trabajador {number}")
    add_to_roster(client, url, "Trabajador que salió", end_date="2026-11-30")
    text = page_text(client.get(dashboard_url(app)))
    assert "1 supervisor/a y 7 trabajadores/as en la plantilla: 1 supervisor/a por cada 7 " \
           "trabajadores/as." in text
    assert "La guía sugiere 1 supervisor/a por cada 5–6 trabajadores sociales." in text
    assert "Más de 6 trabajadores/as por supervisor/a" in text
    add_to_roster(client, url, "Carmen Ruiz", role="supervisor")
    text = page_text(client.get(dashboard_url(app)))
    assert "por cada 3,5 trabajadores/as" in text and "Más de 6" not in text


def test_a_team_without_a_roster_shows_no_ratio(app, client, fixed_today):
    issued_supervision(client, SEEN, "2026-11-25")
    text = page_text(client.get(dashboard_url(app)))
    assert "en la plantilla" not in text and "Trabajador/a 1" in text
    assert "Nunca supervisado/a" not in text


def test_a_rotated_data_key_keeps_the_roster_matched_with_the_supervisions(app, client,
                                                                          fixed_today):
    add_to_roster(client, roster_url(app, "Equipo Norte"), SEEN)
    issued_supervision(client, SEEN, "2026-11-25")
    with app.app_context():
        before = db.session.scalar(db.select(RosterWorker.name_digest))
    rotated_to(app, "a-new-data-key")
    with app.app_context():
        worker = db.session.scalar(db.select(RosterWorker))
        assert worker.name == SEEN and worker.name_digest != before
    text = page_text(client.get(dashboard_url(app)))
    assert f"Trabajador/a 1 · {SEEN}" in text and "Nunca supervisado/a" not in text


# --- the form pages -----------------------------------------------------------------------------
def test_the_registro_offers_the_roster_to_the_team_not_to_another(app, client):
    url = roster_url(app, "Equipo Norte")
    add_to_roster(client, url, NEVER)
    add_to_roster(client, url, LEFT, end_date="2026-01-31")
    add_to_roster(client, url, "Marta Gómez", role="supervisor")
    page = client.get(REGISTRO_URL).get_data(as_text=True)
    offered = re.search(r'<datalist id="roster-names">(.*?)</datalist>', page).group(1)
    assert f'<option value="{NEVER}">' in offered
    assert LEFT not in offered and "Marta Gómez" not in offered  # who left; a supervisor
    assert re.search(r'<input[^>]*id="workers-0-name"[^>]*list="roster-names"', page) or \
        re.search(r'<input[^>]*list="roster-names"[^>]*id="workers-0-name"', page)
    supervision_page = client.get(SUPERVISION_URL).get_data(as_text=True)
    assert re.search(r'<input[^>]*list="roster-names"[^>]*name="worker_name"|'
                     r'<input[^>]*name="worker_name"[^>]*list="roster-names"', supervision_page)
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    other = south.get(REGISTRO_URL).get_data(as_text=True)
    assert NEVER not in other and "roster-names" not in other


# --- keeping the roster -------------------------------------------------------------------------
def test_changes_are_audited_without_names_and_names_are_sealed(app, client):
    url = roster_url(app, "Equipo Norte")
    add_to_roster(client, url, NEVER)
    with app.app_context():
        worker = db.session.scalar(db.select(RosterWorker))
        worker_id, sealed = worker.id, worker.sealed_name
    assert NEVER.encode() not in sealed
    edited = client.post(f"{url}/{worker_id}", data={
        "name": NEVER, "role": "trabajador_social", "modality": "",
        "start_date": "2026-01-05", "end_date": "2026-11-30"})
    assert edited.status_code == 302
    entries = audit_entries(app, "roster_changed")
    assert [entry.details["change"] for entry in entries] == ["added", "left"]
    assert entries[1].details["fields"] == ["end_date"]
    for entry in entries + audit_entries(app, "roster_viewed"):
        assert "Ana" not in repr(entry.details) and "Nunca" not in (entry.target or "")


def test_bad_input_is_refused_with_the_form_filled_in(app, client):
    url = roster_url(app, "Equipo Norte")
    refused = add_to_roster(client, url, NEVER, start_date="2026-05-01", end_date="2026-04-01")
    assert refused.status_code == 400
    assert "La fecha de salida no puede ser anterior" in page_text(refused)
    assert NEVER in refused.get_data(as_text=True)
    assert add_to_roster(client, url, NEVER).status_code == 302
    twice = add_to_roster(client, url, f"  {NEVER.upper()} ")
    assert twice.status_code == 400 and "ya figura en la plantilla" in page_text(twice)
    assert add_to_roster(client, url, NEVER, role="director").status_code == 400
    assert client.post(f"{url}/999999", data={}).status_code == 404


def test_the_roster_is_kept_by_the_teams_supervisors_and_administrators(app, client):
    url = roster_url(app, "Equipo Norte")
    supervisor = sign_in(app.test_client(), ROLE_ACCOUNTS["supervisor"])
    assert supervisor.get(url).status_code == 200
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    assert south.get(url).status_code == 404  # another team's
    assert add_to_roster(south, url, "Intruso").status_code == 404
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    assert admin.get(roster_url(app, "Equipo Sur")).status_code == 200
    for role in ("coordinador", "gestor_caso", "calidad"):
        other = sign_in(app.test_client(), ROLE_ACCOUNTS[role])
        assert other.get(url).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RosterWorker)) == 0
    text = page_text(client.get(url))
    assert "nunca niños, niñas, adolescentes ni familias" in text


# --- the demo region ----------------------------------------------------------------------------
def test_the_demo_teams_have_a_roster_with_never_supervised_and_departed_workers(app,
                                                                               fixed_today):
    result = app.test_cli_runner().invoke(args=["demo", "region", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    coordinator = sign_in(app.test_client(), "coordinacion.demo@example.org",
                          "panel de demostracion 2026")
    river = page_text(coordinator.get(dashboard_url(app, "Equipo Demo Río")))
    assert "2 trabajadores/as nunca supervisados/as" in river
    assert "· Trabajadora Demo 1 Nunca supervisado/a" in river
    assert "Trabajador/a 3 · Trabajadora Demo 1.3" in river
    assert "Trabajadora Demo 1.4" not in river  # left 60 days ago: dropped
    assert "1 supervisor/a y 5 trabajadores/as en la plantilla" in river
