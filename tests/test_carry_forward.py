"""Carry-forward without uploads: a new Registro opens with every action still open (the action
tracker's, tests/test_actions.py), a new Conferencia with the commitments still open (the last
action plan among them), and a Supervisión loads, on
request, the learning goals of the previous session with the worker typed. Only the team's own
issued records are offered (never another team's, a draft or one in the trash), reading one is
audited, and copies issued with the Registro's template version 1 still render byte for byte."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
import tomlkit

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.factories import CONFERENCE_URL, SUPERVISION_URL, fill, new_account, post_conference, supervision
from tests.helpers import (
    REGISTRO_URL,
    annul,
    error_for,
    find_table,
    has_textarea_text,
    input_value,
    issue_through_page,
    open_docx,
    sign_in,
    table_rows,
    textarea_value,
    valid_registro,
)
from webforms import create_app
from webforms.config import PROJECT_ROOT
from webforms.documents.embedded_data import read_embedded_data
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, Record

SHIPPED = PROJECT_ROOT / "doc_templates"


def issued(client, **overrides):
    """Issue a Registro; its document."""
    return document_of(issue_through_page(client, REGISTRO_URL, data=valid_registro(**overrides)))


def issued_supervision(client, **overrides):
    return document_of(fill(client, SUPERVISION_URL, supervision(**overrides)))


def document_of(response):
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:2000]
    assert response.mimetype.endswith("wordprocessingml.document")
    return open_docx(response.data)


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def record_id_of(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Record.id).where(Record.number == number))


def follow_up(**rows) -> dict:
    """The previous actions' rows as posted: ``{index: (action, responsible, deadline, status,
    note)}``."""
    fields = ("action", "responsible", "deadline", "status", "note")
    return {f"previous_actions-{index}-{name}": value for index, values in rows.items()
            for name, value in zip(fields, values)}


# --- Registro -----------------------------------------------------------------------------------
def test_a_new_registro_offers_the_previous_meetings_actions_and_prints_their_follow_up(
        app, client, fixed_today):
    issued(client)
    page = page_of(client.get(REGISTRO_URL))
    assert "Se cargaron 2 acciones abiertas el 2 de diciembre de 2026." in page
    assert textarea_value(page, "previous_actions-0-action") == "Gestionar cupo con el operador."
    assert input_value(page, "previous_actions-0-responsible") == "Marta Gómez"
    assert input_value(page, "previous_actions-0-deadline") == "2026-11-27"
    assert textarea_value(page, "previous_actions-1-action") == "Actualizar planes de caso."
    assert input_value(page, "previous_actions-1-responsible") == "Luis Ortega"
    assert textarea_value(page, "supervisor_actions-0-action") == ""  # the new ones are new

    second = issued(client, meeting_date="2026-11-27", next_meeting_date="2026-12-04",
                    **{"supervisor_actions-0-action": "Coordinar la visita conjunta."}, **follow_up(
        **{"0": ("Gestionar cupo con el operador.", "Marta Gómez", "2026-11-27", "done",
                 "Cupo asignado."),
           "1": ("Actualizar planes de caso.", "Luis Ortega", "2026-11-25", "in_progress",
                 "Faltan dos planes.")}))
    rows = table_rows(find_table(second, "Acción acordada"))
    assert rows[0] == ["Acción acordada", "Responsable", "Plazo", "Estado", "Nota"]
    assert rows[1:] == [
        ["Gestionar cupo con el operador.", "Marta Gómez", "27 de noviembre de 2026", "Cumplido",
         "Cupo asignado."],
        ["Actualizar planes de caso.", "Luis Ortega", "25 de noviembre de 2026", "En curso",
         "Faltan dos planes."]]
    # The follow-up sits before the new actions, which keep their own tables.
    headers = [table.rows[0].cells[0].text for table in second.tables]
    assert headers.index("Acción acordada") < headers.index("Acción")

    # The next new Registro takes what is still open, by the date agreed: the action in
    # progress (agreed again: the same action), the new one, never the one done.
    page = page_of(client.get(REGISTRO_URL))
    assert "Se cargaron 2 acciones abiertas el 2 de diciembre de 2026." in page
    assert textarea_value(page, "previous_actions-0-action") == "Actualizar planes de caso."
    assert textarea_value(page, "previous_actions-1-action") == "Coordinar la visita conjunta."
    assert not has_textarea_text(page, "Gestionar cupo con el operador.")


def test_reading_the_previous_record_is_audited(app, client):
    number = issued(client).core_properties.identifier
    client.get(REGISTRO_URL)
    with app.app_context():
        viewed = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action == "record_viewed")).all()
    assert [(entry.target, entry.details["purpose"], entry.details["number"])
            for entry in viewed] == [(str(record_id_of(app, number)), "carry_forward", number)]
    assert "Gestionar cupo" not in str(viewed[0].details)  # ids, never content


def test_each_previous_action_needs_its_status(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**follow_up(
        **{"0": ("Gestionar cupo con el operador.", "Marta Gómez", "2026-11-27", "", "")})))
    assert response.status_code == 400
    assert "Indique si la acción se cumplió" in error_for(unescape(
        response.get_data(as_text=True)), "previous_actions-0-status")


def test_a_meeting_without_actions_says_so(client, fixed_today):
    issued(client, **{f"{group}-0-{name}": "" for group in ("supervisor_actions", "worker_actions")
                      for name in ("action", "responsible", "deadline")})
    page = page_of(client.get(REGISTRO_URL))
    assert "Ninguna acción abierta el 2 de diciembre de 2026." in page
    assert textarea_value(page, "previous_actions-0-action") == ""


def test_a_first_registro_opens_empty(client):
    page = page_of(client.get(REGISTRO_URL))
    assert "Documento de origen" not in page
    assert textarea_value(page, "previous_actions-0-action") == ""


def test_a_record_of_another_team_is_never_offered(app, client):
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    issued(south, **{"supervisor_actions-0-action": "Acción del equipo Sur."})
    page = page_of(client.get(REGISTRO_URL))
    assert "Acción del equipo Sur." not in page and "Documento de origen" not in page
    assert "Acción del equipo Sur." in page_of(south.get(REGISTRO_URL))  # their own, yes


def test_a_draft_or_an_annulled_record_is_not_offered(app, client):
    number = issued(client).core_properties.identifier
    annul(app, client, record_id_of(app, number))
    draft = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        save="draft", **{"supervisor_actions-0-action": "Acción de un borrador."}))
    assert draft.status_code == 303
    page = page_of(client.get(REGISTRO_URL))
    assert "Documento de origen" not in page
    assert "Gestionar cupo con el operador." not in page
    assert "Acción de un borrador." not in page


# --- Supervisión Individual ---------------------------------------------------------------------
def test_the_previous_session_with_the_same_worker_gives_its_learning_goals(app, client):
    issued_supervision(client)
    issued_supervision(client, worker_name="Carmen Ruiz", session_date="2026-11-21",
                       **{"learning_goals-0-goal": "Meta de Carmen."})
    page = page_of(client.get(SUPERVISION_URL))
    assert "Documento de origen" not in page  # on request only: the worker is not known yet
    assert 'value="load:last"' in page
    assert "Cargar los objetivos y acuerdos de la sesión anterior con este trabajador/a" in page

    response = fill(client, SUPERVISION_URL, supervision(**{
        "worker_name": "  luis   ORTEGA ", "session_date": "2026-12-04",
        "previous_session_date": "", "learning_goals-0-goal": "Objetivo ya escrito.",
        "learning_goals-0-action": "", "learning_goals-0-target_date": "",
        "row_action": "load:last"}))
    page = page_of(response)
    assert "Se cargó 1 objetivo de aprendizaje de la sesión anterior." in page
    assert textarea_value(page, "learning_goals-0-goal") == "Objetivo ya escrito."
    assert textarea_value(page, "learning_goals-1-goal") == "Entrevista a adolescentes."
    assert input_value(page, "learning_goals-1-target_date") == "2026-12-20"
    assert "Meta de Carmen." not in page
    assert input_value(page, "previous_session_date") == "2026-11-20"
    assert input_value(page, "session_date") == "2026-12-04"  # what was typed stays

    again = fill(client, SUPERVISION_URL, supervision(**{
        "worker_name": "Luis Ortega", "learning_goals-0-goal": "Entrevista a adolescentes.",
        "row_action": "load:last"}))
    assert "Se cargaron 0 objetivos" in page_of(again)  # pressed twice: nothing doubled
    assert "learning_goals-1-goal" not in page_of(again)


def test_the_button_says_clearly_when_there_is_nothing_to_load(client):
    issued_supervision(client)
    unknown = page_of(fill(client, SUPERVISION_URL, supervision(
        worker_name="Pedro Páez", row_action="load:last")))
    assert re.search(r'id="load_last-message" role="alert"><span>Su equipo no ha emitido ningún '
                     r"documento anterior de este formulario sobre «Pedro Páez».", unknown)
    nameless = page_of(fill(client, SUPERVISION_URL, supervision(
        worker_name="", row_action="load:last")))
    assert "Escriba primero «Trabajador/a social»" in nameless


# --- Conferencia ampliada -----------------------------------------------------------------------
def test_a_new_conference_opens_with_the_last_action_plan_as_commitments(client, fixed_today):
    post_conference(client)
    page = page_of(client.get(CONFERENCE_URL))
    # The action plan, and the commitment followed "en curso" (one of its own: it matched none).
    assert "Se cargaron 3 acciones abiertas el 2 de diciembre de 2026." in page
    assert textarea_value(page, "commitments-0-commitment") == "Visitas conjuntas."
    assert textarea_value(page, "commitments-1-commitment") == "Mesa con la EPS para priorizar citas."
    assert input_value(page, "commitments-2-deadline") == "2027-01-20"
    assert input_value(page, "commitments-1-responsible") == "Enlace de Salud"
    assert not has_textarea_text(page, "Actualizar el directorio de servicios.")  # done


# --- copies issued with version 1 of the Registro's template ------------------------------------
def catalogue_at_version_1(folder) -> None:
    """The Registro's catalogue entry as it was before version 2 (its only template, v1)."""
    path = folder / "catalogue.toml"
    text = tomlkit.parse(path.read_text(encoding="utf-8"))
    entry = text["documents"]["registro_reunion"]
    first = entry["changes"][0]
    entry["version"], entry["issued"], entry["template"] = 1, first["date"], first["template"]
    for name in ("template", "sha256"):
        first.pop(name, None)
    del entry["changes"][1:]
    path.write_text(tomlkit.dumps(text), encoding="utf-8")


@pytest.fixture
def versioned_app(tmp_path):
    folder = tmp_path / "doc_templates"
    shutil.copytree(SHIPPED, folder)
    catalogue_at_version_1(folder)
    app = create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                      "TWO_FACTOR_FOR_ADMINS": False, "OUTPUT_DIR": tmp_path / "out",
                      "DOC_TEMPLATES_DIR": folder, **database_config(tmp_path)})
    return app, folder


def test_a_copy_issued_with_version_1_renders_again_byte_for_byte(versioned_app):
    from webforms.records import saved as saved_records

    app, folder = versioned_app
    client = sign_in(app.test_client(), TEAM_MEMBER)
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert response.status_code == 200
    old = open_docx(response.data)
    assert old.core_properties.version == "1"
    assert "previous_actions" not in read_embedded_data(response.data)["data"]  # as older code wrote it

    shutil.copy(SHIPPED / "catalogue.toml", folder / "catalogue.toml")  # versions 2 and 3 arrive
    with app.test_request_context():
        record = db.session.get(Record, record_id_of(app, old.core_properties.identifier))
        again = saved_records.issued_copy(record)
    assert again.data == response.data
    assert open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data
                     ).core_properties.version == "3"
