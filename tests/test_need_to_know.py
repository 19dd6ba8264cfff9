"""Need to know by role, everywhere a record is reached: every role × every form × every record
action, allowed or refused exactly as the roles table says (README, "Accounts, roles and
teams"; each form's ``roles``), for a member of the record's team holding only that role, a
coordinator of the team's region (reads, never acts), and a member of another team (404 always).
Then what a refusal leaves: an audit entry; another team's form page token; a job's file.

The records are issued once for the module (one per form, revision 2, so revision 1 is a
superseded copy to download); the PDF converter is replaced by a stand-in, since what is tested
is the route's decision, not the conversion."""
from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import select

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER, TEST_KEYS, ensure_team
from tests.database import database_config
from tests.factories import filled_formdata, issued_from_page, new_account, place_in_region
from tests.helpers import (
    REGISTRO_URL,
    audit_entries,
    issue_through_page,
    listed,
    open_docx,
    page_text,
    request_annulment,
    sign_in,
    stand_in_pdf,
    valid_registro,
)
from webforms import create_app
from webforms.accounts.extension import security
from webforms.accounts.service import set_membership
from webforms.forms import FORMS
from webforms.records import carry_forward
from webforms.storage.database import db
from webforms.storage.models import ROLES, Annulment, Job, Record

# The roles table as the README writes it: who fills (and so reads and changes) each form.
ROLES_TABLE = {"registro_reunion": ("supervisor",), "supervision_individual": ("supervisor",),
               "verificacion_hitos": ("supervisor", "gestor_caso"),
               "conferencia_ampliada": ("coordinador",),
               "mesa_interna": ("coordinador", "gestor_caso"),
               "tdr_gestor_casos": ("talento_humano",)}
OVERSEEING = "coordinador"  # reads every form's records of its teams and its region's
ACTIONS = ("list", "page", "word", "pdf", "revision", "reopen", "duplicate", "annul", "restore",
           "carry_forward")
# Who reaches the record: a member of its team holding only the role; a coordinator of the
# team's region; a member of another team (in another region) holding the role.
RELATIONS = ("member", "region", "other_team")
CASES = [(role, relation) for role in ROLES for relation in RELATIONS
         if relation != "region" or role == OVERSEEING]
FAKE_PDF = stand_in_pdf("stand-in")


def fake_pdf(*_args, **_kwargs) -> bytes:
    return FAKE_PDF


def email_of(role: str, relation: str) -> str:
    return {"member": ROLE_ACCOUNTS[role], "region": f"{role}-regional@example.org",
            "other_team": f"{role}-sur@example.org"}[relation]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app for the module: an issued record (revision 2) of every form in Equipo Norte, and
    a signed-in client for every case; PDFs "converted" by a stand-in while it lives."""
    folder = tmp_path_factory.mktemp("need-to-know")
    app = create_app({"TESTING": True, **TEST_KEYS, "TWO_FACTOR_FOR_ADMINS": False,
                      "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": folder / "output",
                      **database_config(folder)})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("webforms.jobs.pdf.to_pdf", fake_pdf)
        author = sign_in(app.test_client(), TEAM_MEMBER)
        records = {key: issued_twice(app, author, key) for key in FORMS}
        clients = {case: client_for(app, *case) for case in CASES}
        place_in_region(app, "Equipo Norte", "Oficina Regional")
        place_in_region(app, "Equipo Sur", "Oficina Sur")
        yield app, records, clients


def issued_twice(app, client, key: str) -> int:
    """A record of ``key`` issued, then corrected from the same page (its revision 2)."""
    data = filled_formdata(FORMS[key])
    data["issue_token"] = secrets.token_hex(16)
    number = open_docx(issued_from_page(client, key, data)).core_properties.identifier
    data["document_language"] = "en"
    data["revision_reason"] = "Emitido en inglés para la familia."
    issued_from_page(client, key, data)
    with app.app_context():
        record = db.session.scalar(select(Record).where(Record.number == number))
        assert record.revision == 2
        return record.id


def client_for(app, role: str, relation: str):
    if relation == "member":
        return sign_in(app.test_client(), ROLE_ACCOUNTS[role])
    team = "Oficina Regional" if relation == "region" else "Equipo Sur"
    return new_account(app, email_of(role, relation), (role,), team)


def expected(role: str, relation: str, key: str) -> dict[str, object]:
    """What the roles table allows: the response (or presence) each action must give."""
    fills = role in ROLES_TABLE[key]
    changes = relation == "member" and fills
    reads = changes or (role == OVERSEEING and relation in ("member", "region"))
    not_found = 403 if not fills else 404  # a form page refuses a role that does not fill it
    return {"list": reads, "page": 200 if reads else 404, "word": 200 if reads else 404,
            "pdf": 200 if reads else 404, "revision": 200 if reads else 404,
            "reopen": 200 if changes else not_found,
            "duplicate": 303 if changes else 404,
            "annul": (303, "pending") if changes else (404, None),
            "restore": (303, "issued") if changes else (404, "trash"),
            "carry_forward": changes}


def status_of(app, record_id: int) -> str:
    with app.app_context():
        return db.session.get(Record, record_id).status


def annulment_state(app, record_id: int) -> str | None:
    """"pending" when an annulment request of the record waits, which is then withdrawn (each
    case starts from an issued record without one); else None."""
    with app.app_context():
        annulment = db.session.scalar(select(Annulment).where(
            Annulment.record_id == record_id, Annulment.state == "pending"))
        if annulment is None:
            return None
        annulment.state = "withdrawn"
        db.session.commit()
        return "pending"


def set_status(app, record_id: int, status: str) -> None:
    with app.app_context():
        record = db.session.get(Record, record_id)
        record.status = status
        record.trashed_at = record.updated_at if status == "trash" else None
        db.session.commit()


def outcomes(app, client, email: str, key: str, record_id: int) -> dict[str, object]:
    """What each action on the record gives ``client``."""
    base = f"/registros/{record_id}"
    pdf = client.get(f"{base}/documento.pdf")
    assert pdf.status_code != 200 or pdf.data.startswith(FAKE_PDF)  # signed after it
    found = {"list": record_id in listed(client, formulario=key),
             "page": client.get(base).status_code,
             "word": client.get(f"{base}/documento.docx").status_code,
             "pdf": pdf.status_code,
             "revision": client.get(f"{base}/documento.docx?revision=1").status_code,
             "reopen": client.get(f"/formularios/{key}?registro={record_id}").status_code,
             "duplicate": client.post(f"{base}/duplicar").status_code}
    try:
        found["annul"] = (request_annulment(client, record_id).status_code,
                          annulment_state(app, record_id))
        assert client.post(f"{base}/eliminar").status_code in (303, 404)
        assert status_of(app, record_id) == "issued"  # an issued record never goes to the trash
        set_status(app, record_id, "trash")
        found["restore"] = (client.post(f"{base}/restaurar").status_code,
                            status_of(app, record_id))
    finally:
        set_status(app, record_id, "issued")
    found["carry_forward"] = carried_forward(app, email, key) == record_id
    return found


def carried_forward(app, email: str, key: str) -> int | None:
    """The record carry-forward would take for a new form of ``key`` by ``email``."""
    with app.test_request_context():
        user = security.datastore.find_user(email=email)
        subject = db.session.scalar(select(Record.subject_digest).where(
            Record.document_key == key, Record.status == "issued"))
        previous = carry_forward.previous_record(user, key, subject=subject)
        return previous.id if previous is not None else None


def test_the_forms_declare_the_roles_of_the_roles_table():
    assert {key: form.roles for key, form in FORMS.items()} == ROLES_TABLE


@pytest.mark.parametrize("key", sorted(ROLES_TABLE))
@pytest.mark.parametrize(("role", "relation"), CASES)
def test_each_role_reaches_each_form_s_records_as_the_roles_table_says(world, role, relation,
                                                                       key):
    app, records, clients = world
    found = outcomes(app, clients[role, relation], email_of(role, relation), key, records[key])
    assert found == expected(role, relation, key)
    assert set(found) == set(ACTIONS)


def test_the_dashboard_links_only_the_records_the_reader_may_open(world):
    """A supervisor's dashboard links the team's Registro, not its conference; a coordinator's
    links both."""
    app, records, clients = world
    registro, conference = records["registro_reunion"], records["conferencia_ampliada"]
    with app.app_context():
        team_id = db.session.get(Record, registro).team_id
    supervisor = clients["supervisor", "member"].get(f"/panel/{team_id}?meses=60")
    coordinator = clients[OVERSEEING, "region"].get(f"/panel/{team_id}?meses=60")
    assert supervisor.status_code == coordinator.status_code == 200
    assert f'href="/registros/{registro}"' in coordinator.get_data(as_text=True)
    assert f'href="/registros/{conference}"' in coordinator.get_data(as_text=True)
    assert f'href="/registros/{conference}"' not in supervisor.get_data(as_text=True)


# --- what a refusal leaves ----------------------------------------------------------------------
def test_a_refused_record_id_is_audited_without_its_content(app, client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    number = open_docx(response.data).core_properties.identifier
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(Record.number == number))
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    assert south.get(f"/registros/{record_id}").status_code == 404
    assert south.post(f"/registros/{record_id}/eliminar").status_code == 404
    assert south.get("/registros/999999").status_code == 404
    refused = audit_entries(app, "record_refused")
    assert [(entry.user_email, entry.target, entry.details) for entry in refused] == [
        ("sur@example.org", str(record_id), {"change": False}),
        ("sur@example.org", str(record_id), {"change": True}),
        ("sur@example.org", "999999", {"change": False})]
    assert client.get(f"/registros/{record_id}").status_code == 200
    assert len(audit_entries(app, "record_refused")) == 3  # a permitted reading is no refusal


def test_another_team_s_page_token_is_refused_with_the_page_kept_and_nothing_issued(app, client):
    token = secrets.token_hex(16)
    first = issue_through_page(client, REGISTRO_URL, data=valid_registro(issue_token=token))
    number = open_docx(first.data).core_properties.identifier
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    taken = issue_through_page(south, REGISTRO_URL, data=valid_registro(issue_token=token,
                                                         supervisor_name="Rosa Pardo"))
    assert taken.status_code == 400
    assert "Esta página corresponde a un registro que usted no puede modificar" in page_text(taken)
    page = taken.get_data(as_text=True)
    assert 'value="Rosa Pardo"' in page  # what was typed is on the page again
    new_token = re.search(r'name="issue_token" value="([0-9a-f]{32})"', page).group(1)
    assert new_token != token
    with app.app_context():
        records = db.session.scalars(select(Record)).all()
        assert [(record.number, record.revision) for record in records] == [(number, 1)]
    assert [entry.user_email for entry in audit_entries(app, "record_refused")] == [
        "sur@example.org"]
    again = issue_through_page(south, REGISTRO_URL, data=valid_registro(issue_token=new_token,
                                                         supervisor_name="Rosa Pardo"))
    assert again.status_code == 200
    assert open_docx(again.data).core_properties.identifier != number


def test_a_record_s_pdf_job_is_refused_once_its_owner_leaves_the_team(app, monkeypatch):
    monkeypatch.setattr("webforms.jobs.pdf.to_pdf", fake_pdf)
    mover = new_account(app, "mover@example.org", ("supervisor",), "Equipo Norte")
    number = open_docx(issue_through_page(mover, REGISTRO_URL, data=valid_registro()).data
                       ).core_properties.identifier
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(Record.number == number))
    assert mover.get(f"/registros/{record_id}/documento.pdf").data.startswith(FAKE_PDF)
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.record_id == record_id))
    assert mover.get(f"/trabajos/{job_id}/archivo").data.startswith(FAKE_PDF)
    with app.app_context():
        ensure_team("Equipo Sur")
        set_membership(security.datastore.find_user(email="mover@example.org"),
                       ("supervisor",), ("Equipo Sur",))
    assert mover.get(f"/trabajos/{job_id}/archivo").status_code == 404
    assert mover.get(f"/trabajos/{job_id}").status_code == 404
    assert [(entry.user_email, entry.target) for entry in audit_entries(
        app, "record_refused")] == [("mover@example.org", str(record_id))] * 2
    assert mover.get(f"/registros/{record_id}/documento.pdf").status_code == 404
