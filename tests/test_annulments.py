"""Annulling an issued record: a request with a reason, approved (or rejected) by calidad or the
region's coordinators, withdrawn by its requester, or immediate with approval off. Until approved
the number stays valid; once approved /verificar says annulled, with the date. Who may ask and who
may decide follow need-to-know; the reason is sealed and never in the audit trail."""
import datetime as dt
import re
import secrets
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.accounts import ROLE_ACCOUNTS
from tests.factories import aged, issue, new_account, place_in_region, purge, rotated_to
from tests.helpers import (
    REGISTRO_URL,
    annul,
    audit_entries,
    decide_annulment,
    issue_through_page,
    page_text,
    pending_annulment_id,
    request_annulment,
    sign_in,
    valid_registro,
)
from webforms.records.numbering import check_code
from webforms.storage.database import db
from webforms.storage.models import Annulment, AuditEntry, Record

REASON = "Se emitió con el nombre de otra persona (Rosa Marcadora 5521)."
MARKER = "Marcadora 5521"


def verify(app, client, number: str) -> str:
    with app.test_request_context():
        code = check_code(number)
    return page_text(client.get("/verificar", query_string={"numero": number, "codigo": code}))


def status_of(app, record_id: int) -> str:
    with app.app_context():
        return db.session.get(Record, record_id).status


def reviewer(app):
    return sign_in(app.test_client(), ROLE_ACCOUNTS["calidad"])


def test_an_issued_record_offers_an_annulment_request_instead_of_the_trash(app, client):
    record_id, _number = issue(app, client)
    text = page_text(client.get(f"/registros/{record_id}"))
    assert "Solicitar anulación" in text and "Motivo de la anulación" in text
    assert "Eliminar" not in text
    assert client.post(f"/registros/{record_id}/eliminar").status_code == 303
    assert status_of(app, record_id) == "issued"  # an issued record never goes to the trash


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_request_without_a_reason_is_refused_with_the_form_kept(app, client, reason):
    record_id, number = issue(app, client)
    response = request_annulment(client, record_id, reason)
    assert response.status_code == 400
    text = page_text(response)
    assert "Escriba el motivo: una anulación sin motivo no se registra." in text
    assert number in text and "Solicitar anulación" in text
    assert pending_annulment_id(app, record_id) is None and status_of(app, record_id) == "issued"


def test_a_reason_too_long_is_refused_and_shown_again(app, client):
    record_id, _number = issue(app, client)
    typed = "Motivo largo " + "x" * 1000
    response = request_annulment(client, record_id, typed)
    assert response.status_code == 400
    assert typed in response.get_data(as_text=True)  # what was typed comes back
    assert pending_annulment_id(app, record_id) is None


def test_a_request_leaves_the_number_valid_until_calidad_approves_it(app, client):
    record_id, number = issue(app, client)
    assert request_annulment(client, record_id, REASON).status_code == 303
    assert "Documento registrado" in verify(app, client, number)
    page = page_text(client.get(f"/registros/{record_id}"))
    assert "Solicitud de anulación pendiente" in page and REASON in page
    assert "sigue válido" in page and "Retirar la solicitud" in page
    quality = reviewer(app)
    queue = page_text(quality.get("/registros/anulaciones"))
    assert number in queue and "Equipo Norte" in queue
    assert MARKER in queue  # the approver reads the reason it judges (not the record)
    annulment_id = pending_annulment_id(app, record_id)
    assert decide_annulment(quality, annulment_id, "approve").status_code == 303
    assert status_of(app, record_id) == "annulled"
    text = verify(app, client, number)
    with app.app_context():
        decided_at = db.session.get(Annulment, annulment_id).decided_at
    assert "Documento anulado" in text and "Documento registrado" not in text
    assert re.search(rf"El número {re.escape(number)} está anulado desde el \d", text)
    local = decided_at.replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"]))
    assert f"Anulado el {local:%Y-%m-%d %H:%M}" in text
    assert MARKER not in text
    assert "No hay solicitudes de anulación esperando su decisión" in page_text(
        quality.get("/registros/anulaciones"))  # decided: no longer waiting


def test_the_region_s_coordinator_approves_and_reads_the_reason(app, client):
    record_id, number = issue(app, client)
    request_annulment(client, record_id, REASON)
    coordinator = new_account(app, "region@example.org", ("coordinador",), "Oficina Regional")
    assert number not in page_text(coordinator.get("/registros/anulaciones"))  # not its region
    place_in_region(app, "Equipo Norte", "Oficina Regional")
    queue = page_text(coordinator.get("/registros/anulaciones"))
    assert number in queue and MARKER in queue  # the coordinator reads the record
    assert decide_annulment(coordinator, pending_annulment_id(app, record_id)).status_code == 303
    assert status_of(app, record_id) == "annulled"


def test_a_member_without_the_form_s_role_cannot_request(app, client):
    record_id, _number = issue(app, client)
    hr = new_account(app, "rrhh-norte@example.org", ("talento_humano",), "Equipo Norte")
    assert request_annulment(hr, record_id, REASON).status_code == 404
    place_in_region(app, "Equipo Norte", "Oficina Regional")
    coordinator = new_account(app, "region@example.org", ("coordinador",), "Oficina Regional")
    assert request_annulment(coordinator, record_id, REASON).status_code == 404  # reads only
    assert "Solicitar anulación" not in page_text(coordinator.get(f"/registros/{record_id}"))
    assert pending_annulment_id(app, record_id) is None


def test_a_non_approver_cannot_approve(app, client):
    record_id, number = issue(app, client)
    request_annulment(client, record_id, REASON)
    annulment_id = pending_annulment_id(app, record_id)
    supervisor = new_account(app, "otra@example.org", ("supervisor",), "Equipo Norte")
    assert decide_annulment(supervisor, annulment_id).status_code == 403
    elsewhere = new_account(app, "sur@example.org", ("coordinador",), "Oficina Sur")
    assert decide_annulment(elsewhere, annulment_id).status_code == 404
    assert decide_annulment(client, annulment_id).status_code == 404  # the requester
    assert pending_annulment_id(app, record_id) == annulment_id
    assert "Documento registrado" in verify(app, client, number)


def test_the_approver_reads_the_reason_it_judges_and_nobody_else_outside_the_team_does(app,
                                                                                      client):
    record_id, _number = issue(app, client)
    request_annulment(client, record_id, REASON)
    queue = reviewer(app).get("/registros/anulaciones")
    assert REASON in page_text(queue)
    # calidad may not open the record itself: the queue offers no link that would answer 404
    assert f'href="/registros/{record_id}"' not in queue.get_data(as_text=True)
    elsewhere = new_account(app, "sur@example.org", ("coordinador",), "Oficina Sur")
    assert REASON not in page_text(elsewhere.get("/registros/anulaciones"))
    assert elsewhere.get(f"/registros/{record_id}").status_code == 404


def test_a_rejection_leaves_the_number_valid_with_its_note(app, client):
    record_id, number = issue(app, client)
    request_annulment(client, record_id, REASON)
    quality = reviewer(app)
    response = decide_annulment(quality, pending_annulment_id(app, record_id), "reject",
                                "Corrija con una revisión en lugar de anular.")
    assert response.status_code == 303
    assert status_of(app, record_id) == "issued"
    assert "Documento registrado" in verify(app, client, number)
    page = page_text(client.get(f"/registros/{record_id}"))
    assert "Rechazada: el número sigue válido" in page
    assert "Corrija con una revisión en lugar de anular." in page
    assert "Solicitar anulación" in page  # another request may be made


@pytest.mark.parametrize("decision", [None, "perhaps"])
def test_a_decision_without_a_choice_is_refused_and_the_queue_shown_again(app, client,
                                                                          decision):
    record_id, _number = issue(app, client)
    request_annulment(client, record_id, REASON)
    annulment_id = pending_annulment_id(app, record_id)
    chosen = {f"a{annulment_id}-decision": decision} if decision else {}
    response = reviewer(app).post(f"/registros/anulaciones/{annulment_id}/decidir",
                                  data={f"a{annulment_id}-note": "Sin elegir", **chosen})
    assert response.status_code == 400
    assert "Elija aprobar o rechazar." in page_text(response) and "Sin elegir" in page_text(
        response)
    assert pending_annulment_id(app, record_id) == annulment_id


def test_the_requester_withdraws_and_nobody_else_does(app, client):
    record_id, number = issue(app, client)
    request_annulment(client, record_id, REASON)
    annulment_id = pending_annulment_id(app, record_id)
    colleague = new_account(app, "colega@example.org", ("supervisor",), "Equipo Norte")
    assert colleague.post(f"/registros/anulaciones/{annulment_id}/retirar").status_code == 303
    assert pending_annulment_id(app, record_id) == annulment_id  # not theirs to withdraw
    assert client.post(f"/registros/anulaciones/{annulment_id}/retirar").status_code == 303
    assert pending_annulment_id(app, record_id) is None
    assert status_of(app, record_id) == "issued"
    assert "Documento registrado" in verify(app, client, number)
    assert "Retirada por quien la pidió" in page_text(client.get(f"/registros/{record_id}"))
    assert decide_annulment(reviewer(app), annulment_id).status_code == 303  # nothing to decide
    assert status_of(app, record_id) == "issued"


def test_a_second_request_while_one_waits_changes_nothing(app, client):
    record_id, _number = issue(app, client)
    request_annulment(client, record_id, REASON)
    assert request_annulment(client, record_id, "Otra vez").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Annulment)) == 1


def test_with_approval_off_the_request_annuls_at_once(make_app):
    app = make_app(ANNUL_NEEDS_APPROVAL=False)
    client = sign_in(app.test_client(), "equipo@example.org")
    record_id, number = issue(app, client)
    page = page_text(client.get(f"/registros/{record_id}"))
    assert "Anular el número" in page and "La anulación es inmediata" in page
    assert request_annulment(client, record_id, "").status_code == 400  # still with a reason
    assert request_annulment(client, record_id, REASON).status_code == 303
    assert status_of(app, record_id) == "annulled"
    assert re.search(rf"El número {re.escape(number)} está anulado desde el",
                     verify(app, client, number))
    assert [entry.target for entry in audit_entries(app, "record_annulled")] == [str(record_id)]


def test_audit_entries_carry_ids_never_the_reason_and_the_reason_is_sealed(app, client):
    approved_id, approved_number = issue(app, client)
    rejected_id, _ = issue(app, client)
    withdrawn_id, _ = issue(app, client)
    for record_id in (approved_id, rejected_id, withdrawn_id):
        request_annulment(client, record_id, REASON)
    quality = reviewer(app)
    decide_annulment(quality, pending_annulment_id(app, approved_id), "approve", f"Nota {MARKER}")
    decide_annulment(quality, pending_annulment_id(app, rejected_id), "reject", f"Nota {MARKER}")
    client.post(f"/registros/anulaciones/{pending_annulment_id(app, withdrawn_id)}/retirar")
    expected = {"annulment_requested": [approved_id, rejected_id, withdrawn_id],
                "annulment_approved": [approved_id], "annulment_rejected": [rejected_id],
                "annulment_withdrawn": [withdrawn_id]}
    for action, record_ids in expected.items():
        assert [entry.target for entry in audit_entries(app, action)] == [
            str(record_id) for record_id in record_ids], action
    approved = audit_entries(app, "annulment_approved")[0]
    assert approved.details["number"] == approved_number and "annulment" in approved.details
    with app.app_context():
        dump = repr([(entry.target, entry.details) for entry in
                     db.session.scalars(select(AuditEntry))])
        sealed = db.session.scalars(select(Annulment.sealed_reason)).all()
    assert MARKER not in dump and "Rosa" not in dump
    assert sealed and all(MARKER.encode() not in token for token in sealed)


def test_the_reason_goes_with_the_record_s_content_when_retention_ends(app, client):
    record_id, number = issue(app, client)
    annul(app, client, record_id)
    aged(app, record_id, days=app.config["RETENTION_DAYS"] + 1)
    report = purge(app)
    assert [record.id for record in report.expired] == [record_id]
    with app.app_context():
        annulment = db.session.scalar(select(Annulment).where(Annulment.record_id == record_id))
        assert annulment.sealed_reason is None and annulment.state == "approved"
    assert status_of(app, record_id) == "annulled"
    assert re.search(rf"El número {re.escape(number)} está anulado desde el",
                     verify(app, client, number))


def test_a_rotated_data_key_still_opens_the_reason(app, client):
    record_id, _number = issue(app, client)
    request_annulment(client, record_id, REASON)
    rotated_to(app, "a-new-data-key")  # the former key is forgotten afterwards
    assert REASON in page_text(client.get(f"/registros/{record_id}"))


def test_the_page_that_issued_an_annulled_record_cannot_revive_its_number(app, client):
    data = valid_registro(issue_token=secrets.token_hex(16))
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 200
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(
            Record.issue_token == data["issue_token"]))
    annul(app, client, record_id)
    again = issue_through_page(client, REGISTRO_URL, data={**data, "closing_notes": "Otra vez",
                                                           "revision_reason": "Otra vez"})
    assert again.status_code == 400 and "no se emitió nada" in page_text(again)
    assert status_of(app, record_id) == "annulled"
    with app.app_context():
        assert db.session.get(Record, record_id).revision == 1
