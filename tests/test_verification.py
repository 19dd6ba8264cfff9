"""The verification page once numbers have a history: a saved record issued again keeps its
number with a new revision, and a record annulled leaves its number annulled. A copy in someone's
hands must say which of these it is, and still nothing of its content."""
import datetime as dt
import re

from tests.helpers import (
    REGISTRO_URL,
    SECRET,
    annul,
    footer_of,
    issue_through_page,
    record_id_of,
    register_number,
    valid_registro,
)
from webforms.control.verification import parse
from webforms.records.numbering import check_code
from webforms.storage.database import db
from webforms.storage.models import Record


def verify(client, number: str, code: str):
    response = client.get("/verificar", query_string={"numero": number, "codigo": code})
    return response, response.get_data(as_text=True)


def issue_twice(app, client) -> tuple[str, str, int]:
    """A Registro issued, reopened and issued again: its number, code and record id."""
    number, suffix, code = footer_of(issue_through_page(client, REGISTRO_URL, data=valid_registro(
        supervisor_name=SECRET)))
    assert suffix == ""
    record_id = record_id_of(app, number)
    again = footer_of(issue_through_page(client, REGISTRO_URL, data=valid_registro(
        supervisor_name=SECRET, record=str(record_id), closing_notes="Corregido.",
        revision_reason="Se añadió el cierre.")))
    assert again == (number, " rev. 2", code)  # same number, same code, the next revision
    return number, code, record_id


def test_a_first_issue_is_registered_and_current(app, client):
    number, _suffix, code = footer_of(issue_through_page(client, REGISTRO_URL, data=valid_registro(
        supervisor_name=SECRET)))
    with app.test_request_context():
        assert code == check_code(number)
    response, text = verify(client, number, code)
    assert response.status_code == 200
    assert "Documento registrado" in text and "rev. 1" in text
    assert "Es la revisión vigente de este número." in text
    assert "Existe una revisión más reciente" not in text and "anulado" not in text
    assert SECRET not in text


def test_a_superseded_revision_says_a_newer_one_exists(app, client):
    number, code, _record_id = issue_twice(app, client)
    for typed in (f"{number} rev. 1", number, f"{number.lower()}  REV.1"):
        response, text = verify(client, typed, code)
        assert response.status_code == 200
        assert re.search(r"Existe una revisión más reciente: rev\. 2 del \d{4}-\d\d-\d\d \d\d:\d\d",
                         text), typed
        assert "Revisión verificada" in text and "vigente" in text and "reemplazada" in text
        assert SECRET not in text
    response, text = verify(client, f"{number} rev. 2", code)
    assert response.status_code == 200
    assert f"{number} rev. 2" in text and "Es la revisión vigente de este número." in text
    assert "Existe una revisión más reciente" not in text


def test_a_revision_that_was_never_issued_is_not_found(app, client):
    number, code, _record_id = issue_twice(app, client)
    for typed in (f"{number} rev. 3", f"{number} rev. 0"):
        response, text = verify(client, typed, code)
        assert response.status_code == 404
        assert "No se encontró ningún documento" in text


def test_an_annulled_record_leaves_its_number_annulled_without_content(app, client):
    number, code, record_id = issue_twice(app, client)
    annul(app, client, record_id)
    for typed in (number, f"{number} rev. 2"):
        response, text = verify(client, typed, code)
        assert response.status_code == 200
        assert "Documento anulado" in text and f"El número {number} está anulado desde el" in text
        assert "Documento registrado" not in text and "Versión de la plantilla" not in text
        assert SECRET not in text
    response, text = verify(client, number, "AAAA-AAAA")  # a wrong code: as unknown as before
    assert response.status_code == 404
    assert "No se encontró ningún documento" in text and "anulado" not in text


def test_a_wrong_code_is_not_found_for_a_revised_number(app, client):
    number, code, _record_id = issue_twice(app, client)
    for wrong in ("", "AAAA-AAAA", code[::-1]):
        response, text = verify(client, f"{number} rev. 2", wrong)
        assert response.status_code == 404
        assert "Versión de la plantilla" not in text and "rev. 2" not in text.split("<h2>")[-1]


def test_a_number_without_a_saved_record_behaves_as_before(app, client):
    """A number of a batch of ToR: registered, one issue, no revisions to list."""
    issued_at = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.timezone.utc)
    with app.app_context():
        number = register_number("F1.G34.P", "tdr_gestor_casos", 1, "ab" * 32,
                                 issued_at).number
    with app.test_request_context():
        code = check_code(number)
    response, text = verify(client, number, code)
    assert response.status_code == 200
    assert "Documento registrado" in text and "Versión de la plantilla" in text
    assert "Revisiones de este número" not in text and "Revisión verificada" not in text
    assert verify(client, f"{number} rev. 2", code)[0].status_code == 404


def test_what_is_typed_is_read_as_printed():
    assert parse("F1.G34.P-2026-000042").revision is None
    assert parse(" f1.g34.p-2026-000042   rev.  2 ") == parse("F1.G34.P-2026-000042 REV. 2")
    assert parse("F1.G34.P-2026-000042 rev. 2").number == "F1.G34.P-2026-000042"
    assert parse("F1.G34.P-2026-000042 rev. x") is None
    assert parse("<script>x</script>") is None


def test_a_record_put_in_the_trash_before_annulments_reads_annulled_from_that_day(app, client):
    """Installations hold issued records deleted to the trash before annulments existed."""
    number, code, record_id = issue_twice(app, client)
    with app.app_context():
        record = db.session.get(Record, record_id)
        record.status = "trash"
        record.trashed_at = dt.datetime(2026, 3, 1, 15, tzinfo=dt.timezone.utc)
        db.session.commit()
    response, text = verify(client, number, code)
    assert response.status_code == 200
    assert f"El número {number} está anulado desde el 1 mar 2026" in text
