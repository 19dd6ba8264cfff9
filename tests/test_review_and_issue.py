"""Review, then issue; revise with a reason (records.review, records.fill_views): the review step
issues exactly what it showed and only once, a correction needs a reason that is printed in the
copy, sealed in its revision and audited without its text."""
from html import unescape

from sqlalchemy import select

from tests.factories import issue as issue_registro
from tests.helpers import (
    REGISTRO_URL,
    database_dump,
    footer_text,
    issued_numbers,
    page_token,
    review_form,
    the_record,
    valid_registro,
)
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, Record, RecordRevision

# The marker is a word no random hex, base64 or hash can spell: the dump holds many of those.
MARKER = "Marcadorzqw"
REASON = f"Faltaba el apellido de la supervisora: Ríos. {MARKER}."


def review_of(client, **overrides) -> tuple[str, dict, str]:
    """The review step of a Registro: its action, hidden fields and page."""
    response = client.post(REGISTRO_URL, data=valid_registro(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:1000]
    action, fields = review_form(page)
    return action, fields, page


def issued_record(app, client) -> Record:
    """A Registro issued (tests/factories.py): its record."""
    return the_record(app, issue_registro(app, client)[1])


def test_the_review_shows_the_copy_unnumbered_and_issues_once_however_often_confirmed(app,
                                                                                      client):
    action, fields, page = review_of(client, complex_cases="Caso de la familia en revisión.")
    assert "Caso de la familia en revisión." in unescape(page)  # the copy as it will read
    assert issued_numbers(app) == 0 and the_record(app).status == "draft"
    issued = client.post(action, data=fields)
    record = the_record(app)
    assert issued.status_code == 303
    assert issued.headers["Location"].endswith(f"/registros/{record.id}")
    landed = unescape(client.get(issued.headers["Location"]).get_data(as_text=True))
    assert f"Documento emitido: N.º {record.number}" in landed and "Corregir" in landed
    for _again in range(2):  # a second click, a reload of the confirmation
        again = client.post(action, data=fields)
        assert again.status_code == 303 and again.headers["Location"] == issued.headers[
            "Location"]
    assert issued_numbers(app) == 1 and the_record(app).revision == 1


def test_a_review_issues_only_what_it_showed(app, client):
    action, fields, _page = review_of(client)
    tampered = client.post(action, data=fields | {"reviewed": "0" * 64})
    assert tampered.status_code == 303 and "/formularios/" in tampered.headers["Location"]
    record = the_record(app)
    client.post(f"{REGISTRO_URL}/borrador", data=valid_registro(
        record=str(record.id), supervisor_name="Otra persona"))  # changed in another tab
    outdated = client.post(action, data=fields)
    assert "/formularios/" in outdated.headers["Location"]
    assert issued_numbers(app) == 0 and the_record(app).status == "draft"


def test_the_same_new_page_sent_twice_at_once_makes_one_record(app, client, monkeypatch):
    """The second of two requests of one new page looked for the page's record before the first
    had kept it: its insert is refused by the token's unique constraint, and it goes on with the
    first's record (never a 500)."""
    token = page_token(client)
    first = review_of(client, issue_token=token)[1]
    looked_up = saved_records.record_of_page
    calls = []

    def not_yet_kept(*args):  # what the second request saw: nothing kept under the token yet
        calls.append(args)
        return None if len(calls) == 1 else looked_up(*args)

    monkeypatch.setattr(saved_records, "record_of_page", not_yet_kept)
    second = review_of(client, issue_token=token)[1]
    assert second["record"] == first["record"] and len(calls) == 2
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Record)) == 1


def test_a_correction_needs_a_reason_shows_its_changes_and_prints_the_reason(app, client):
    record = issued_record(app, client)
    refused = client.post(REGISTRO_URL, data=valid_registro(
        record=str(record.id), supervisor_name="Marta Gómez Ríos"))
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "Escriba el motivo de la corrección" in page
    assert 'value="Marta Gómez Ríos"' in page  # the form kept
    action, fields, page = review_of(client, record=str(record.id),
                                     supervisor_name="Marta Gómez Ríos", revision_reason=REASON)
    changes = unescape(page.split('id="changes"', 1)[1].split("<tbody>", 1)[1].split("</table>")[0])
    assert "Marta Gómez" in changes and "Marta Gómez Ríos" in changes
    assert changes.count("<tr>") == 1  # only the field that changed
    assert client.post(action, data=fields).status_code == 303
    copy = client.get(f"/registros/{record.id}/documento.docx")
    assert f"{record.number} rev. 2" in footer_text(copy.data)
    assert f"Rev. 2 — motivo: {REASON}" in footer_text(copy.data)
    assert "motivo" not in footer_text(client.get(
        f"/registros/{record.id}/documento.docx?revision=1").data)


def test_the_reason_is_sealed_in_the_history_and_audited_without_its_text(app, client):
    record = issued_record(app, client)
    action, fields, _page = review_of(client, record=str(record.id),
                                      supervisor_name="Marta Gómez Ríos", revision_reason=REASON)
    client.post(action, data=fields)
    with app.app_context():
        kept = db.session.get(RecordRevision, (record.id, 2))
        assert saved_records.reason_of(kept) == REASON
        assert MARKER not in database_dump()  # sealed, like the content
        issued = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "document_issued").order_by(AuditEntry.id)).all()
        assert [(entry.details["revision"], entry.details["with_reason"]) for entry in issued
                ] == [(1, False), (2, True)]
        assert MARKER not in repr([(entry.target, entry.details) for entry in issued])
