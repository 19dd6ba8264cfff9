"""How tests make things, in one place: accounts with roles and teams, a Registro issued through
its page, drafts, filled forms, spreadsheets for a batch and the queue run as a consumer would.
Test modules import these from here, never from one another."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import shutil
import struct
import time
import zipfile
import zlib
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import wtforms
from openpyxl import Workbook
from sqlalchemy import update
from werkzeug.datastructures import MultiDict
from wtforms.validators import Length, NumberRange

from tests.accounts import PASSWORD, TEST_KEYS, ensure_team
from tests.database import database_config
from tests.helpers import REGISTRO_URL, issue_through_page, open_docx, page_defaults, sign_in, valid_registro
from webforms import create_app
from webforms.accounts.service import create_user
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.rendering import render_blank
from webforms.forms.fields import MaxLines, RowGroup
from webforms.records import retention
from webforms.storage.database import db
from webforms.storage.models import Action, ActionEvent, Record


def save_draft(client, url: str = REGISTRO_URL, **overrides) -> int:
    """Save a draft through the form page, as "Guardar borrador" does; its record's id."""
    data = valid_registro(save="draft", **overrides) if url == REGISTRO_URL else {
        "save": "draft", **overrides}
    response = client.post(url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(parse_qs(urlparse(response.headers["Location"]).query)["registro"][0])


def issue(app, client, **overrides) -> tuple[int, str]:
    """Issue a Registro (downloading its Word copy); its record's id and its number."""
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**overrides))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    number = open_docx(response.data).core_properties.identifier
    with app.app_context():
        record_id = db.session.scalar(db.select(Record.id).where(Record.number == number))
    return record_id, number


def new_account(app, email: str, roles: tuple[str, ...], team: str):
    """A signed-in client of a new account in ``team`` (created when missing)."""
    with app.app_context():
        ensure_team(team)
        create_user(email, PASSWORD, roles=roles, teams=[team])
    return sign_in(app.test_client(), email)


def place_in_region(app, team: str, region: str) -> None:
    with app.app_context():
        ensure_team(team).region_id = ensure_team(region, region=True).id
        db.session.commit()


BATCH_URL = "/formularios/tdr_gestor_casos/lote/"


HEADERS = ["Nombre del/de la gestor/a de casos", "Título del puesto", "Organización",
           "El puesto está en", "Lugar de destino", "Fecha de inicio", "Fecha de finalización",
           "Duración", "Reporta a", "Otro cargo al que reporta",
           "Agrupación de modalidades de atención", "Idioma del documento"]


def person(number, **changes):
    row = {"Nombre del/de la gestor/a de casos": f"Persona {number}",
           "Título del puesto": "Gestor/a de casos", "Organización": "Corporación Niñez",
           "El puesto está en": "Agencia socia", "Lugar de destino": f"Ciudad {number}",
           "Fecha de inicio": "15/01/2027", "Fecha de finalización": "",
           "Duración": "12 meses", "Reporta a": "Supervisor/a de caso",
           "Otro cargo al que reporta": "", "Agrupación de modalidades de atención": "Ninguna",
           "Idioma del documento": "Español"}
    row.update(changes)
    return row


def as_csv(rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row[header] for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, filename: str):
    return client.post(BATCH_URL, data={"spreadsheet": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def wait_for_zip(client, status_url, timeout=120) -> zipfile.ZipFile:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(status_url).get_data(as_text=True)
        if "Descargar el ZIP" in page:
            response = client.get(status_url + "/zip")
            assert response.status_code == 200
            assert response.mimetype == "application/zip"
            return zipfile.ZipFile(io.BytesIO(response.data))
        assert "se interrumpió" not in page
        time.sleep(0.2)
    raise AssertionError("the batch did not finish in time")


def issue_batch(client, rows) -> zipfile.ZipFile:
    """Issue a batch of ToRs from valid ``rows`` (see :func:`person`) through its page: its
    ZIP."""
    started = upload(client, as_csv(rows), "lote.csv")
    assert started.status_code == 303, started.get_data(as_text=True)[:500]
    return wait_for_zip(client, started.headers["Location"])


def huey_of(app):
    return app.extensions["webforms.jobs"].huey


def run_queue(app) -> int:
    """Run what is on the queue, as a consumer does; returns how many messages ran."""
    huey, count = huey_of(app), 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count


CONFERENCE_URL = "/formularios/conferencia_ampliada"


def conference(client, **overrides):
    data = page_defaults(client, CONFERENCE_URL)
    values = {
        "regional_office": "Regional Norte de Santander", "conference_date": "2026-11-20",
        "place": "Sala de juntas", "convened_by": "modality_liaison",
        "convener_name": "Patricia León",
        "regional_participants-0-attending": "y", "regional_participants-0-name": "Defensora Ruiz",
        "regional_participants-8-attending": "y", "regional_participants-8-name": "Dr. Salas",
        "operator_participants-0-name": "Jorge Pinto",
        "operator_participants-0-modality": "foster_care",
        "operator_participants-1-name": "Lina Mora",
        "operator_participants-1-role": "coordinator",
        "operator_participants-1-modality": "residential_care",
        "barriers-0-barrier": "Demora en citas de salud mental.",
        "barriers-0-cases_affected": "4", "barriers-0-sector": "Salud",
        "barriers-1-barrier": "Falta de registro civil.",
        "barriers-1-cases_affected": "GC-12, GC-19", "barriers-1-sector": "Registraduría",
        "action_plan-0-action": "Mesa con la EPS para priorizar citas.",
        "action_plan-0-responsible": "Enlace de Salud", "action_plan-0-deadline": "2026-12-15",
        "action_plan-0-expected_result": "Citas asignadas en 15 días.",
        "action_plan-1-action": "Jornada de registro.",
        "action_plan-1-responsible": "Enlace SNBF", "action_plan-1-deadline": "2027-01-20",
        "commitments-0-commitment": "Actualizar el directorio de servicios.",
        "commitments-0-responsible": "Jorge Pinto", "commitments-0-status": "done",
        "commitments-1-commitment": "Visitas conjuntas.", "commitments-1-status": "in_progress",
        "commitments-1-observation": "Faltan dos municipios.",
        "next_conference_date": "2027-02-15",
    }
    for key, value in (values | overrides).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def post_conference(client, **overrides):
    response = issue_through_page(client, CONFERENCE_URL, data=conference(client, **overrides))
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:3000]
    assert response.mimetype.endswith("wordprocessingml.document")
    return response


SUPERVISION_URL = "/formularios/supervision_individual"


def fill(client, url, values):
    """The form sent and, once valid, issued through its review step."""
    return issue_through_page(client, url, data=sent(client, url, values))


def supervision(**overrides):
    return {
        "supervisor_name": "Marta Gómez", "worker_name": "Luis Ortega",
        "session_date": "2026-11-20", "start_time": "10:00", "duration_minutes": "60",
        "previous_session_date": "2026-11-10",
        "covered_management": ["1", "3"], "notes_management": "Revisamos la documentación.",
        "covered_development": ["1"], "notes_development": "Plan de aprendizaje actualizado.",
        "covered_support": ["1"], "notes_support": "Pausas activas.",
        "open_cases": "12", "high_risk_cases": "2", "medium_risk_cases": "4",
        "new_cases": "1", "closed_cases": "0",
        "learning_goals-0-goal": "Entrevista a adolescentes.",
        "learning_goals-0-action": "Curso virtual.", "learning_goals-0-target_date": "2026-12-20",
        "wellbeing": "Carga alta pero manejable.",
        "agreements-0-action": "Cerrar dos casos.", "agreements-0-responsible": "Luis Ortega",
        "next_session_date": "2026-11-27",
    } | overrides


def filled_formdata(form_class, at_limits: bool = False) -> MultiDict:
    """What a user who fills every field (and, ``at_limits``, as much as accepted) posts."""
    form = form_class(formdata=None, meta={"csrf": False})
    data = form.default_formdata()
    counters = {"date": itertools.count(), "number": itertools.count()}
    for field in form.content_fields():
        if isinstance(field, wtforms.FieldList):
            _fill_rows(data, field, at_limits, counters)
        else:
            _fill(data, field.name, field, at_limits, counters)
    return data


def _fill_rows(data: MultiDict, field: wtforms.FieldList, at_limits: bool, counters) -> None:
    group = RowGroup.of(field)
    count = group.maximum if at_limits or group.fixed else min(2, group.maximum)
    for key in [key for key in data if key.startswith(f"{field.name}-")]:
        del data[key]
    while len(field.entries) < count:
        field.append_entry()
    for entry in field.entries[:count]:
        for sub in entry.form:
            _fill(data, sub.name, sub, at_limits, counters)


def _fill(data: MultiDict, name: str, field, at_limits: bool, counters) -> None:
    if isinstance(field, wtforms.SelectMultipleField):
        values = [str(choice.value) for choice in field.iter_choices()]
        data.setlist(name, values if at_limits else values[:1])
    elif isinstance(field, (wtforms.RadioField, wtforms.SelectField)):
        values = [str(choice.value) for choice in field.iter_choices() if choice.value]
        data[name] = values[-1 if at_limits else 0]
    elif isinstance(field, wtforms.BooleanField):
        data[name] = "y"
    elif isinstance(field, wtforms.DateField):
        # Later fields, later dates; a "previous" date before them all.
        weeks = -1 if "previous" in name else next(counters["date"])
        data[name] = (FIRST_DATE + dt.timedelta(weeks=weeks)).isoformat()
    elif isinstance(field, wtforms.TimeField):
        data[name] = "09:30"
    elif isinstance(field, wtforms.IntegerField):
        data[name] = str(_number(field, next(counters["number"]), at_limits))
    elif isinstance(field, wtforms.TextAreaField):
        data[name] = _text(field, at_limits, lines=_max_lines(field))
    elif isinstance(field, wtforms.StringField):
        data[name] = _text(field, at_limits, lines=1)


def _number(field, index: int, at_limits: bool) -> int:
    """Halving numbers, so parts never exceed their total (e.g. risk cases among open ones)."""
    limit = next((v.max for v in field.validators if isinstance(v, NumberRange)), 100)
    return max(1, (limit if at_limits else 16) // 2 ** index)


def _text(field, at_limits: bool, lines: int) -> str:
    length = _length(field) or 200
    if not at_limits:
        return (f"{field.short_name}: {TRICKY}" + ("\nsegunda línea" if lines > 1 else ""))[:length]
    line = (TRICKY + " " + "x" * length)[:max(1, length // lines - 1)].strip()
    return "\n".join([line] * lines)[:length]


def _max_lines(field) -> int:
    return next((v.maximum for v in field.validators if isinstance(v, MaxLines)), 1)


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built by hand so the test needs no image library."""
    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x3a\x5f")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def faulty_app(tmp_path, **config):
    """An app with its own copy of doc_templates/ (in ``tmp_path``), for a test to break."""
    templates = tmp_path / "doc_templates"
    shutil.copytree(Path(__file__).parent.parent / "doc_templates", templates)
    return create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                       "OUTPUT_DIR": tmp_path / "output", "DOC_TEMPLATES_DIR": templates,
                       **database_config(tmp_path)} | config)


def issued_from_page(client, key: str, data) -> bytes:
    """Issue ``data`` through the form page and its review step: the issued Word copy."""
    response = issue_through_page(client, f"/formularios/{key}", data=data)
    assert response.status_code == 200 and response.mimetype != "text/html", response.status
    return response.data


def run_users(app, *args, password="una clave muy larga de prueba 1"):
    return app.test_cli_runner().invoke(args=["users", *args], input=password + "\n")


NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def set_record(app, record_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(update(Record).where(Record.id == record_id).values(**values))
        db.session.commit()


def aged(app, record_id: int, days: int) -> None:
    """Make the record's last change (edit and issue) ``days`` old."""
    then = NOW - dt.timedelta(days=days)
    set_record(app, record_id, updated_at=then, issued_at=then)


def purge(app, **options) -> retention.PurgeReport:
    with app.app_context():
        return retention.purge(now=NOW, **options)


def rotated_to(app, new_key: str) -> None:
    old_key = app.config["DATA_KEY"]
    app.config.update(DATA_KEY=new_key, OLD_DATA_KEYS=[old_key])
    with app.app_context():
        retention.rotate_data_key()
    app.config["OLD_DATA_KEYS"] = []


TRICKY = "& <b> \"'{{ x }} {%p if %} {_{ y }_} ñ\tá"


FIRST_DATE = dt.date(2026, 11, 20)


def _leaves(field):
    if isinstance(field, wtforms.FieldList):
        return [sub for entry in field.entries for sub in entry.form]
    return [field]


def _length(field) -> int:
    return next((v.max for v in field.validators if isinstance(v, Length) and v.max > 0), 0)


def sent(client, url, values):
    data = page_defaults(client, url)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# Distinctive strings typed in a record's texts: whatever must never leave the record (a reminder,
# an audit entry) is checked against them.
MARKERS = {"supervisor_name": "Supervisora-MARCA-1187", "workers-0-name": "Trabajador-MARCA-2291",
           "management_notes": "Nota-MARCA-3307", "complex_cases": "Caso-MARCA-4419",
           "supervisor_actions-0-action": "Accion-MARCA-5521",
           "supervisor_actions-0-responsible": "Responsable-MARCA-6613",
           "worker_actions-0-action": "Tarea-MARCA-7727",
           "next_meeting_programme": "Agenda-MARCA-8839"}


def issue_marked(app, client, **overrides) -> tuple[int, str]:
    """Issue a Registro (meeting of 20 Nov 2026, actions due 25 and 27 Nov) whose typed texts
    are the MARKERS; its record's id and number."""
    return issue(app, client, **(MARKERS | overrides))


def roster_url(app, team: str) -> str:
    """The roster page of ``team``."""
    from webforms.accounts import teams

    with app.app_context():
        return f"/equipos/{teams.find(team).id}/plantilla"


def add_to_roster(client, url: str, name: str, role: str = "trabajador_social",
                  start_date: str = "2026-01-05", end_date: str = "", modality: str = ""):
    """Put a worker on a team's roster through its page (``url``: :func:`roster_url`), as its
    supervisor or an administrator does; the page's answer."""
    return client.post(url, data={"name": name, "role": role, "modality": modality,
                                  "start_date": start_date, "end_date": end_date})


# --- the action tracker (webforms.actions) ------------------------------------------------------
ACTION_GROUPS = {"supervisor": "supervisor_actions", "worker": "worker_actions"}


def issue_meeting(client, day: dt.date, agreed=(), followed=(), **overrides) -> int:
    """Issue a Registro of ``day`` through its page with only the actions ``agreed`` (``(who,
    text, deadline)``, who being "supervisor" or "worker") and the follow-ups ``followed``
    (``(text, status)``); its record's id."""
    data = valid_registro(meeting_date=day.isoformat(), next_meeting_date=None,
                          **{"supervisor_actions-0-action": None,
                             "supervisor_actions-0-responsible": None,
                             "supervisor_actions-0-deadline": None,
                             "worker_actions-0-action": None, "worker_actions-0-responsible": None,
                             "worker_actions-0-deadline": None})
    counts: dict[str, int] = {}
    for who, text, deadline in agreed:
        group = ACTION_GROUPS[who]
        index = counts[group] = counts.get(group, -1) + 1
        data |= {f"{group}-{index}-action": text, f"{group}-{index}-responsible": "Marta Gómez"}
        if deadline:
            data[f"{group}-{index}-deadline"] = deadline
    for index, (text, status) in enumerate(followed):
        data |= {f"previous_actions-{index}-action": text,
                 f"previous_actions-{index}-responsible": "Equipo",
                 f"previous_actions-{index}-status": status}
    data.update(overrides)
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    number = open_docx(response.data).core_properties.identifier
    with client.application.app_context():
        return db.session.scalar(db.select(Record.id).where(Record.number == number))


def actions_of(app) -> list[dict]:
    """Every action the tracker holds (barriers aside), as plain values with their events."""
    with app.app_context():
        found = []
        for action in db.session.scalars(db.select(Action).where(Action.family != "barriers")
                                          .order_by(Action.id)):
            events = db.session.scalars(db.select(ActionEvent).where(
                ActionEvent.action_id == action.id).order_by(ActionEvent.effective_on,
                                                              ActionEvent.id)).all()
            found.append({"id": action.id, "text": action.text, "role": action.role,
                          "status": action.status, "agreed_on": action.agreed_on,
                          "deadline": action.deadline, "closed_on": action.closed_on,
                          "record": action.origin_record_id, "person": action.roster_worker_id,
                          "events": [(event.status, event.effective_on) for event in events
                                     if event.record_id is not None],
                          "notes": [event.note for event in events if event.note]})
        return found


def action_id_of(text: str) -> int:
    """The id of the (latest) action of ``text``, inside an app context."""
    return next(action.id for action in db.session.scalars(
        db.select(Action).order_by(Action.id.desc())) if action.text == text)


def blank_documents(folder: Path) -> dict[str, bytes]:
    """Every blank the pages offer, rendered by an app of its own in ``folder``: ``{code}.docx``
    -> its bytes (the PDF tests convert them together, in one LibreOffice start)."""
    app = create_app({"TESTING": True, **TEST_KEYS, "OUTPUT_DIR": folder / "output",
                      **database_config(folder)})
    with app.test_request_context():
        return {f"{document.code}.docx": render_blank(document).data
                for document in catalogue_for_pages()}
