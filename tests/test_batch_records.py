"""Batches without duplicates: a batch's ToRs are team records; a person who already holds a ToR
is flagged at the check and skipped or given a revision; every row's outcome is on the done page,
in the ZIP's report and in the batch history."""
import hashlib
import re

from sqlalchemy import func, select, update

from tests.accounts import ROLE_ACCOUNTS
from tests.factories import BATCH_URL, as_csv, person, upload, wait_for_zip
from tests.helpers import batch_documents, batch_report, labelled_value, open_docx, sign_in
from webforms.storage.database import db
from webforms.storage.models import IssuedCopy, IssuedDocument, Record, RecordRevision

NAME = "Nombre del/de la gestor/a de casos"
BAD_DATE = {"Fecha de inicio": "32/01/2027"}


def intake(fixed: bool) -> list[dict]:
    """Ten people; rows 4, 7 and 10 of the file (people 2, 5, 8) have a wrong date until fixed."""
    return [person(number, **({} if fixed or number not in (2, 5, 8) else BAD_DATE))
            for number in range(10)]


def generate(client, page: str, **choice):
    action = re.search(r'action="([^"]*/generar)"', page).group(1)
    started = client.post(action, data=choice)
    assert started.status_code == 303
    return started.headers["Location"]


def counts(app) -> tuple[int, int, int]:
    """Numbers in the register, ToR records, and their issued revisions."""
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(IssuedDocument)),
                db.session.scalar(select(func.count()).select_from(Record).where(
                    Record.document_key == "tdr_gestor_casos")),
                db.session.scalar(select(func.count()).select_from(RecordRevision)))


def first_batch(app, client) -> str:
    """The first file, 3 rows wrong: its 7 valid rows issued; the status page's URL."""
    checked = upload(client, as_csv(intake(fixed=False)), "cohorte.csv")
    assert checked.status_code == 422
    status_url = generate(client, checked.get_data(as_text=True))
    wait_for_zip(client, status_url)
    assert counts(app) == (7, 7, 7)
    return status_url


def test_a_corrected_file_uploaded_again_issues_only_the_rows_fixed(app, client):
    first = first_batch(app, client)
    first_page = client.get(first).get_data(as_text=True)
    assert "Listo: 7 documentos." in first_page
    assert re.search(r"<td>4</td>\s*<td></td>\s*<td>No generada: la fila tiene problemas", first_page)
    # Records issued before people were compared hold no key of their person: found all the same.
    with app.app_context():
        db.session.execute(update(Record).values(subject_digest=None))
        db.session.commit()

    corrected = intake(fixed=True)
    corrected[0][NAME] = "  PERSÓNA   0 "  # the same person, written otherwise
    checked = upload(client, as_csv(corrected), "cohorte corregida.csv")
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "7 filas son de personas que ya tienen el documento." in page
    assert re.search(r"<td>2</td><td>La persona ya tiene el documento F2\.G34\.P-\d{4}-000001</td>",
                     page)
    assert counts(app) == (7, 7, 7)  # nothing issued before the user chooses

    status_url = generate(client, page)  # the default: skip them
    archive = wait_for_zip(client, status_url)
    assert counts(app) == (10, 10, 10)
    assert [name[:3] for name in batch_documents(archive)] == ["004", "007", "010"]
    report = batch_report(archive)
    assert report[0] == ["Fila", "Número", "Revisión", "Resultado"]
    assert len(report) == 11
    assert report[1] == ["2", "", "", "No generada: la persona ya tiene el documento "
                         + number_of(app, "Persona 0")]
    assert report[3][:3] == ["4", number_of(app, "Persona 2"), "1"]
    done = client.get(status_url).get_data(as_text=True)
    assert "Listo: 3 documentos." in done and "7 filas del archivo no se generaron" in done


def test_asked_to_the_same_people_get_a_revision_of_their_record_not_a_new_number(app, client):
    first_batch(app, client)
    moved = intake(fixed=True)
    moved[1]["Lugar de destino"] = "Pasto"
    checked = upload(client, as_csv(moved), "cohorte con cambios.csv")
    archive = wait_for_zip(client, generate(client, checked.get_data(as_text=True),
                                            duplicates="revise"))
    assert counts(app) == (10, 10, 17)  # 3 numbers, 7 second revisions
    number = number_of(app, "Persona 1")
    [revised] = [name for name in batch_documents(archive) if name.startswith("003 ")]
    assert number in revised
    assert labelled_value(open_docx(archive.read(revised)), "Lugar de destino") == "Pasto"
    assert batch_report(archive)[2] == ["3", number, "2",
                                        "Revisión 2 del documento ya emitido"]


def test_the_same_person_twice_in_one_file_is_issued_once(app, client):
    rows = [person(1), person(2), person(1, **{NAME: "persona  1"})]
    checked = upload(client, as_csv(rows), "repetida.csv")
    page = checked.get_data(as_text=True)
    assert "<td>4</td><td>No generada: la misma persona que la fila 2</td>" in page
    archive = wait_for_zip(client, generate(client, page))
    assert len(batch_documents(archive)) == 2 and counts(app)[0] == 2
    assert batch_report(archive)[3] == ["4", "", "", "No generada: la misma persona que la fila 2"]


def test_batch_tors_are_team_records_and_the_history_lists_the_batch(app, client):
    response = upload(client, as_csv([person(1), person(2)]), "Cohorte Montaña.csv")
    status_url = response.headers["Location"]
    wait_for_zip(client, status_url)
    number = number_of(app, "Persona 2")
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(Record.number == number))
    assert number in client.get("/registros/").get_data(as_text=True)
    record_page = client.get(f"/registros/{record_id}")
    assert record_page.status_code == 200 and number in record_page.get_data(as_text=True)
    copy = client.get(f"/registros/{record_id}/documento.docx")
    assert copy.status_code == 200  # rendered again, the very file the batch issued
    assert labelled_value(open_docx(copy.data), "Lugar de destino") == "Ciudad 2"
    assert f'href="/registros/{record_id}"' in client.get(status_url).get_data(as_text=True)

    # Another member of the team with the form's role sees the batch, and its status page.
    colleague = sign_in(app.test_client(), ROLE_ACCOUNTS["talento_humano"])
    history = colleague.get(BATCH_URL + "historial")
    page = history.get_data(as_text=True)
    assert history.status_code == 200
    assert "Cohorte Montaña.csv" in page and "ZIP hasta el" in page
    assert re.search(r"<td>2</td>\s*<td>2</td>\s*<td>0</td>", page)
    assert colleague.get(status_url).status_code == 200
    with app.app_context():
        assert not db.session.scalar(select(func.count()).select_from(Record).where(
            Record.subject_digest.is_(None)))


def test_a_bad_choice_gets_a_message_and_only_who_uploaded_a_file_starts_it(app, client):
    checked = upload(client, as_csv([person(1), person(1)]), "dos.csv")
    action = re.search(r'action="([^"]*/generar)"', checked.get_data(as_text=True)).group(1)
    colleague = sign_in(app.test_client(), ROLE_ACCOUNTS["talento_humano"])
    assert colleague.post(action).status_code == 404
    response = client.post(action, data={"duplicates": "both"})
    assert response.status_code == 400
    assert "Elija si omite las filas" in response.get_data(as_text=True)
    refused = client.post(BATCH_URL, data={"output": "xps"})
    assert refused.status_code == 400 and "Elija Word, PDF o ambos." in refused.get_data(
        as_text=True)


def number_of(app, name: str) -> str:
    """The number of the ToR issued to ``name`` (read from its ZIP part's name in the register
    would need the content: the records are opened instead)."""
    from webforms.records import saved as saved_records

    with app.test_request_context():
        for record in db.session.scalars(select(Record).where(Record.number.is_not(None))):
            if saved_records.form_of(record).case_manager_name.data == name:
                return record.number
    raise AssertionError(f"no ToR for {name}")



def test_a_batch_tor_downloads_as_the_exact_copy_kept_at_issue(app, client):
    """A batch keeps each row's exact copy as a page does (records.issued_copies), so its
    download never depends on rendering it again."""
    status_url = upload(client, as_csv([person(1)]), "cohorte.csv").headers["Location"]
    wait_for_zip(client, status_url)
    with app.app_context():
        record_id = db.session.scalar(select(Record.id).where(
            Record.document_key == "tdr_gestor_casos"))
        kept = db.session.scalars(select(IssuedCopy).where(IssuedCopy.record_id == record_id)).all()
        assert [(copy.revision, copy.format) for copy in kept] == [(1, "docx")]
        sha = kept[0].sha256
    download = client.get(f"/registros/{record_id}/documento.docx")
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == sha
