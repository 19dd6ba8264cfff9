"""Teams and regions kept by administrators (created, renamed, put in a region, given modalities,
deactivated: every change audited; accounts choose teams from a list), and case managers: the
mesa interna of their modality and the milestone checklist, and the dashboard's mesa interna
kept per modality of the team."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

from sqlalchemy import select

from tests.accounts import CASE_MANAGER_MODALITY, ROLE_ACCOUNTS, TEAM
from tests.factories import filled_formdata, issued_from_page, new_account, place_in_region
from tests.helpers import (
    REGISTRO_URL,
    audit_entries,
    body_text,
    issue_through_page,
    listed,
    open_docx,
    page_text,
    sign_in,
    valid_registro,
)
from webforms.accounts import teams
from webforms.accounts.extension import security
from webforms.dashboard import rhythms
from webforms.dashboard import service as dashboard
from webforms.dashboard.wording import findings, rhythm_name
from webforms.forms import FORMS
from webforms.storage.database import db
from webforms.storage.models import Record, Team

TEAMS_URL = "/administracion/equipos/"
CASE_MANAGER = ROLE_ACCOUNTS["gestor_caso"]
FAMILY, RESIDENTIAL = "family_support", "residential_care"
D = dt.date


def filled(app, key: str, **overrides):
    with app.test_request_context():
        data = filled_formdata(FORMS[key])
    for name, value in overrides.items():
        data[name] = value
    return data


def team_of(app, name: str) -> Team:
    with app.app_context():
        return db.session.scalar(select(Team).where(Team.name == name))


def set_modalities(app, name: str, modalities) -> None:
    with app.test_request_context():
        team = teams.find(name)
        teams.change(team, name=team.name, region=team.region, modalities=modalities,
                     active=team.active)
        db.session.commit()


# --- case managers ------------------------------------------------------------------------------
def test_a_case_manager_fills_the_mesa_interna_of_their_modality(app):
    manager = sign_in(app.test_client(), CASE_MANAGER)
    page = manager.get("/formularios/mesa_interna").get_data(as_text=True)
    assert f'value="{CASE_MANAGER_MODALITY}"' in page and f'value="{RESIDENTIAL}"' not in page
    other = issue_through_page(manager, "/formularios/mesa_interna", data=filled(
        app, "mesa_interna", modality=RESIDENTIAL))
    assert other.status_code == 400
    assert "Elija una de las modalidades en las que usted trabaja." in unescape(
        other.get_data(as_text=True))
    text = "Demoras en la valoración de salud en el municipio de Sardinata."
    document = open_docx(issued_from_page(manager, "mesa_interna", filled(
        app, "mesa_interna", modality=CASE_MANAGER_MODALITY, difficulties=text)))
    content = body_text(document)
    assert text in content
    assert "Modalidades de Apoyo y Fortalecimiento a la Familia o Red Vincular" in content
    number = document.core_properties.identifier
    with app.app_context():
        record = db.session.scalar(select(Record).where(Record.number == number))
        assert record.team.name == TEAM and record.document_key == "mesa_interna"
    assert record.id in listed(manager, formulario="mesa_interna")  # their team's, to read


def test_a_case_manager_fills_the_milestone_checklist(app):
    manager = sign_in(app.test_client(), CASE_MANAGER)
    assert manager.get("/formularios/verificacion_hitos").status_code == 200
    data = filled(app, "verificacion_hitos", case_code="GC-2026-118",
                  case_manager="Gestora de la modalidad")
    document = open_docx(issued_from_page(manager, "verificacion_hitos", data))
    assert "GC-2026-118" in body_text(document)
    assert "Gestora de la modalidad" in body_text(document)
    # The other forms stay closed to a case manager.
    assert manager.get(REGISTRO_URL).status_code == 403
    assert manager.get("/formularios/conferencia_ampliada").status_code == 403


def test_a_case_manager_reads_their_team_s_checklists_not_its_meetings(app, client):
    meeting = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    checklist = open_docx(issued_from_page(client, "verificacion_hitos", filled(
        app, "verificacion_hitos"))).core_properties.identifier
    with app.app_context():
        ids = {number: db.session.scalar(select(Record.id).where(Record.number == number))
               for number in (meeting.core_properties.identifier, checklist)}
    manager = sign_in(app.test_client(), CASE_MANAGER)
    assert manager.get(f"/registros/{ids[checklist]}").status_code == 200
    assert manager.get(f"/registros/{ids[meeting.core_properties.identifier]}").status_code == 404
    south = new_account(app, "gestora-sur@example.org", ("gestor_caso",), "Equipo Sur")
    assert south.get(f"/registros/{ids[checklist]}").status_code == 404


def test_a_coordinator_is_offered_the_modalities_of_the_team(app, client):
    set_modalities(app, TEAM, [RESIDENTIAL, "foster_care"])
    page = client.get("/formularios/mesa_interna").get_data(as_text=True)
    assert f'value="{RESIDENTIAL}"' in page and 'value="foster_care"' in page
    assert f'value="{FAMILY}"' not in page


# --- the dashboard, mesa interna per modality ---------------------------------------------------
def test_each_modality_keeps_its_own_monthly_mesa():
    tables = [(FAMILY, D(2026, 10, 5)), (FAMILY, D(2026, 11, 5)), (RESIDENTIAL, D(2026, 10, 7))]
    family, residential = rhythms.internal_tables_by_modality(
        tables, (FAMILY, RESIDENTIAL), D(2026, 10, 1), D(2026, 12, 2))
    assert (family.modality, family.missed_months, family.dates) == (
        FAMILY, (), (D(2026, 10, 5), D(2026, 11, 5)))
    assert (residential.modality, residential.missed_months) == (RESIDENTIAL, (D(2026, 11, 1),))


def test_the_dashboard_flags_a_missing_mesa_for_one_modality_of_a_two_modality_team(
        app, client, fixed_today):  # noqa: F811
    set_modalities(app, TEAM, [FAMILY, RESIDENTIAL])
    for day in (D(2026, 10, 5), D(2026, 11, 5)):
        issued_from_page(client, "mesa_interna", filled(
            app, "mesa_interna", modality=FAMILY, meeting_date=day.isoformat()))
    team_id = team_of(app, TEAM).id
    with app.test_request_context():
        board = dashboard.build(db.session.get(Team, team_id), None, months=3)
        tables = {rhythm.modality: rhythm for rhythm in board.rhythms
                  if rhythm.key == rhythms.INTERNAL_TABLE}
        assert set(tables) == {FAMILY, RESIDENTIAL}
        assert tables[FAMILY].dates == (D(2026, 10, 5), D(2026, 11, 5))
        assert not tables[FAMILY].broken and tables[RESIDENTIAL].never
        assert rhythm_name(tables[RESIDENTIAL]) == "Mesa interna mensual · Acogimiento Residencial"
    text = page_text(client.get(f"/panel/{team_id}?meses=3"))
    # The rows of the rhythms' table: name, times held, last time, state.
    assert "Mesa interna mensual · Acogimiento Residencial 0 — Sin registros" in text
    family = re.search(r"Mesa interna mensual · Modalidades de Apoyo y Fortalecimiento a la "
                       r"Familia o Red Vincular 2 5 nov 2026 (\S+ \S+)", text)
    assert family and family.group(1) != "Sin registros"


def test_a_missed_month_names_the_modality(app):
    with app.test_request_context():
        [rhythm] = rhythms.internal_tables_by_modality(
            [(RESIDENTIAL, D(2026, 10, 7))], (RESIDENTIAL,), D(2026, 10, 1), D(2026, 12, 2))
        assert [finding.text for finding in findings(rhythm)] == [
            "Sin mesa interna de Acogimiento Residencial en noviembre de 2026."]


# --- teams and regions on the administrators' page ----------------------------------------------
def admin_client(app):
    return sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])


def test_administrators_create_rename_and_place_teams_and_regions_audited(app):
    admin = admin_client(app)
    created = admin.post(TEAMS_URL, data={"name": "Regional  Cúcuta", "kind": "region"})
    assert created.status_code == 302
    region = team_of(app, "Regional Cúcuta")
    assert region.is_region and region.active
    response = admin.post(TEAMS_URL, data={"name": "Equipo Sur", "kind": "team",
                                           "region": str(region.id),
                                           "modalities": [FAMILY, RESIDENTIAL]})
    assert response.status_code == 302
    south = team_of(app, "Equipo Sur")
    assert south.region_id == region.id and south.modalities == [FAMILY, RESIDENTIAL]
    renamed = admin.post(f"{TEAMS_URL}{south.id}", data={
        "name": "Equipo Sur Oriente", "region": str(region.id), "modalities": [RESIDENTIAL],
        "active": "y"})
    assert renamed.status_code == 302
    south = team_of(app, "Equipo Sur Oriente")
    assert south.modalities == [RESIDENTIAL] and south.active
    listing = unescape(admin.get(TEAMS_URL).get_data(as_text=True))
    assert "Equipo Sur Oriente" in listing and "Acogimiento Residencial" in listing
    region_page = page_text(admin.get(f"{TEAMS_URL}{region.id}"))
    assert "Equipos de esta región: Equipo Sur Oriente" in region_page
    assert "Modalidades" not in region_page  # a region has none
    created_entries = audit_entries(app, "team_created")
    assert [(entry.user_email, entry.target) for entry in created_entries] == [
        ("admin@example.org", "Regional Cúcuta"), ("admin@example.org", "Equipo Sur")]
    assert created_entries[1].details["region"] == "Regional Cúcuta"
    [changed] = audit_entries(app, "team_changed")
    assert changed.target == "Equipo Sur Oriente" and changed.details == {
        "name": "Equipo Sur Oriente", "former_name": "Equipo Sur", "modalities": [RESIDENTIAL]}


def test_a_name_taken_or_empty_is_refused_with_the_form_kept(app):
    admin = admin_client(app)
    taken = admin.post(TEAMS_URL, data={"name": "equipo norte", "kind": "team",
                                        "modalities": [FAMILY]})
    assert taken.status_code == 400
    page = unescape(taken.get_data(as_text=True))
    assert "Ya existe un equipo o una región con el nombre «equipo norte»." in page
    assert 'value="equipo norte"' in page
    assert admin.post(TEAMS_URL, data={"name": "  ", "kind": "team"}).status_code == 400
    assert admin.post(TEAMS_URL, data={"name": "X", "kind": "team",
                                       "modalities": ["invented"]}).status_code == 400
    assert admin.get(f"{TEAMS_URL}999999").status_code == 404
    assert [team.name for team in teams_now(app)] == [TEAM]


def teams_now(app) -> list[Team]:
    with app.app_context():
        return teams.all_teams()


def test_a_deactivated_team_is_read_by_its_region_and_takes_no_new_work(app, client):
    number = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data
                       ).core_properties.identifier
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(Record.number == number))
    regional = new_account(app, "coordinacion-regional@example.org", ("coordinador",),
                           "Oficina Regional")
    place_in_region(app, TEAM, "Oficina Regional")
    norte = team_of(app, TEAM)
    admin = admin_client(app)
    response = admin.post(f"{TEAMS_URL}{norte.id}", data={"name": TEAM,
                                                          "region": str(norte.region_id)})
    assert response.status_code == 302 and not team_of(app, TEAM).active
    assert [entry.target for entry in audit_entries(app, "team_deactivated")] == [TEAM]
    assert regional.get(f"/registros/{record_id}").status_code == 200  # the region reads
    assert client.get(f"/registros/{record_id}").status_code == 200  # its members read
    assert client.post(f"/registros/{record_id}/eliminar").status_code == 404  # nobody changes
    refused = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert refused.status_code == 403  # no active team: nothing new is saved in it
    users_page = admin.get("/administracion/usuarios").get_data(as_text=True)
    assert f'value="{TEAM}"' not in users_page  # not offered to new accounts


def test_the_user_page_offers_the_active_teams_from_a_list(app):
    admin = admin_client(app)
    admin.post(TEAMS_URL, data={"name": "Equipo Sur", "kind": "team"})
    page = admin.get("/administracion/usuarios").get_data(as_text=True)
    assert 'type="checkbox" value="Equipo Norte"' in page
    assert 'type="checkbox" value="Equipo Sur"' in page
    typo = admin.post("/administracion/usuarios", data={
        "email": "typo@example.org", "password": "otra clave larga de prueba 9",
        "roles": ["supervisor"], "teams": ["Equipo Surr"], "active": "y"})
    assert typo.status_code == 400
    assert "Elija equipos de la lista." in unescape(typo.get_data(as_text=True))
    assert [team.name for team in teams_now(app)] == ["Equipo Norte", "Equipo Sur"]
    made = admin.post("/administracion/usuarios", data={
        "email": "gestora@example.org", "password": "otra clave larga de prueba 9",
        "roles": ["gestor_caso"], "teams": ["Equipo Sur"], "modality": RESIDENTIAL,
        "active": "y"})
    assert made.status_code == 302
    manager = sign_in(app.test_client(), "gestora@example.org", "otra clave larga de prueba 9")
    page = manager.get("/formularios/mesa_interna").get_data(as_text=True)
    assert f'value="{RESIDENTIAL}"' in page and f'value="{FAMILY}"' not in page


def test_the_command_line_sets_a_team_s_modalities(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "team", "Equipo Sur", "--modality", RESIDENTIAL,
                                 "--modality", FAMILY])
    assert result.exit_code == 0, result.output
    assert team_of(app, "Equipo Sur").modalities == [FAMILY, RESIDENTIAL]
    bad = runner.invoke(args=["users", "team", "Equipo Sur", "--modality", "otra"])
    assert bad.exit_code != 0
    made = runner.invoke(args=["users", "create", "g@example.org", "--role", "gestor_caso",
                               "--team", "Equipo Sur", "--modality", RESIDENTIAL,
                               "--password-stdin"], input="una clave muy larga de prueba 1\n")
    assert made.exit_code == 0, made.output
    with app.app_context():
        assert security.datastore.find_user(email="g@example.org").modality == RESIDENTIAL
