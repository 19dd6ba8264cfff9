"""Batch generation of ToR from a spreadsheet: one .docx per row, errors by row and column."""
import datetime as dt
import io
import re
import uuid

import pytest
from openpyxl import load_workbook

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER
from tests.factories import BATCH_URL, HEADERS, as_csv, as_xlsx, person, upload, wait_for_zip
from tests.helpers import batch_documents, body_text, labelled_value, open_docx
from webforms.batch import spreadsheet as batch
from webforms.common.catalogue import catalogue
from webforms.common.rendering import render_filled
from webforms.documents.engine import Issue
from webforms.forms import FORMS


@pytest.mark.parametrize("filename, encode", [
    ("intake.csv", lambda rows: as_csv(rows)),
    ("intake_comma_latin1.csv", lambda rows: as_csv(rows, ",", "cp1252")),
    ("intake.xlsx", as_xlsx),
])
def test_a_good_file_gives_one_tor_per_row(client, filename, encode):
    rows = [person(1), person(2, **{"El puesto está en": "ACNUR",
                                    "Agrupación de modalidades de atención":
                                        "Acogimiento Residencial"}),
            person(3, **{"Nombre del/de la gestor/a de casos": "", "Duración": "",
                         "Fecha de finalización": "31/12/2027"})]
    response = upload(client, encode(rows), filename)
    assert response.status_code == 303
    archive = wait_for_zip(client, response.headers["Location"])
    names = batch_documents(archive)
    assert len(names) == 3
    assert names[0].startswith("002 Persona 1 - F2.G34.P")
    assert names[2].startswith("004 Vacante - F2.G34.P")
    first, second, third = (open_docx(archive.read(name)) for name in names)
    assert labelled_value(first, "Lugar de destino") == "Ciudad 1"
    assert labelled_value(second, "Organización") == "Corporación Niñez (ACNUR)"
    assert "Acogimiento Residencial" in [p.text for p in second.paragraphs]
    assert labelled_value(third, "Nombre del/de la gestor/a de casos") == "Vacante"
    assert labelled_value(third, "Duración") == "hasta el 31 de diciembre de 2027"
    # The lists take the form's defaults: every responsibility of the seed.
    assert sum(p.style.name == "List Number" for p in first.paragraphs) == 8


def test_bad_rows_are_reported_by_row_and_column_and_valid_ones_can_be_generated(client):
    rows = [person(1), person(2, **{"Fecha de inicio": "32/01/2027"}),
            person(3, **{"Reporta a": "Jefe"}), person(4, **{"Lugar de destino": ""})]
    response = upload(client, as_csv(rows), "intake.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "3 de 4 filas tienen problemas" in page
    assert "<td>3</td><td>Fecha de inicio</td>" in page
    assert "<td>4</td><td>Reporta a</td><td>«Jefe» no es una opción válida." in page
    assert "<td>5</td><td>Lugar de destino</td><td>Este campo es obligatorio.</td>" in page
    assert "Generar solo las 1 filas válidas" in page

    job = re.search(r'action="([^"]*\/generar)"', page).group(1)
    started = client.post(job)
    assert started.status_code == 303
    archive = wait_for_zip(client, started.headers["Location"])
    assert len(batch_documents(archive)) == 1
    assert batch_documents(archive)[0].startswith("002 Persona 1")


@pytest.mark.parametrize("filename, data, message", [
    ("notes.txt", b"hola", "debe ser una hoja de cálculo .xlsx o .csv"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "Guarde la hoja como .xlsx"),
    ("fake.xlsx", b"not a zip", "No se pudo leer el archivo como .xlsx"),
    ("binary.csv", b"\x00\x01\x02", "no es un .csv de texto"),
    ("empty.csv", b"", "El archivo está vacío."),
    ("header_only.csv", ";".join(HEADERS).encode(), "no tiene filas de datos"),
    ("unknown.csv", b"Nombre;Color favorito\nAna;azul\n", "Columnas desconocidas: «Nombre», «Color favorito»"),
])
def test_unusable_files_get_a_clear_message(client, filename, data, message):
    response = upload(client, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_too_many_rows_is_refused(app, client):
    app.config["BATCH_MAX_ROWS"] = 5
    response = upload(client, as_csv([person(n) for n in range(6)]), "big.csv")
    assert response.status_code == 400
    assert "más de 5 filas" in response.get_data(as_text=True)


def test_oversized_upload_is_refused(client):
    response = upload(client, b"x" * (3 * 1024 * 1024), "huge.csv")
    assert response.status_code == 413


def test_example_spreadsheets_have_the_form_columns_and_pass_the_check(client):
    xlsx = client.get(BATCH_URL + "ejemplo.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    response = upload(client, xlsx.data, "ejemplo.xlsx")
    assert response.status_code == 303
    assert len(batch_documents(wait_for_zip(client, response.headers["Location"]))) == 2

    text = client.get(BATCH_URL + "ejemplo.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADERS)


def test_unknown_job_is_404(client):
    assert client.get(BATCH_URL + "0" * 32).status_code == 404
    assert client.get(BATCH_URL + "../../etc").status_code == 404


def running_job(app, email: str, **fields) -> str:
    """A batch job of ``email``'s, as the consumer leaves it while it works."""
    from webforms.storage.database import db
    from webforms.storage.models import Job, User

    with app.app_context():
        owner = db.session.scalar(db.select(User.id).where(User.email == email))
        job = Job(id=uuid.uuid4().hex, kind="batch", state="running", owner_id=owner,
                  document_key="tdr_gestor_casos", label="x.csv", attempts=1,
                  **{"done": 0, "total": 0, **fields})
        db.session.add(job)
        db.session.commit()
        return job.id


def test_status_page_refreshes_itself_while_running(app, client):
    job_id = running_job(app, TEAM_MEMBER, done=3, total=10)
    page = client.get(BATCH_URL + job_id).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="10" value="3"' in page
    assert "Generando 3 de 10 documentos" in page


def test_another_users_job_is_404(app, client):
    job_id = running_job(app, ROLE_ACCOUNTS["admin"])
    assert client.get(BATCH_URL + job_id).status_code == 404


def test_an_intake_of_300_rows_completes(client):
    """Completion only; the time is measured by tools/benchmark_render.py, not asserted here."""
    response = upload(client, as_xlsx([person(n) for n in range(300)]), "intake.xlsx")
    assert response.status_code == 303
    archive = wait_for_zip(client, response.headers["Location"], timeout=900)
    names = batch_documents(archive)
    assert len(names) == 300
    assert labelled_value(open_docx(archive.read(sorted(names)[-1])),
                          "Lugar de destino") == "Ciudad 299"


def test_a_batch_keeps_its_rows_as_read_and_still_reads_a_job_that_kept_the_file(app):
    """The consumer reads the rows back as the check read them, dates included, without parsing
    the spreadsheet again; a job queued with the file itself as its input is still read."""
    start = dt.datetime(2026, 12, 3, 9, 30)
    data = as_xlsx([person(1, **{"Fecha de inicio": start, "Fecha de finalización": start.date()}),
                    person(2)])
    with app.test_request_context():
        rows = batch.read_rows("cohorte.xlsx", data, 10)
        kept = batch.rows_payload(rows)
        assert not kept.startswith(b"PK") and b"Persona 1" in kept
        assert batch.payload_rows("cohorte.xlsx", kept, 10) == rows
        assert batch.payload_checked(kept)
        every_row_read = b"webforms-rows/1\n" + kept[len(batch.CHECKED_ROWS_FORMAT):]
        assert batch.payload_rows("cohorte.xlsx", every_row_read, 10) == rows
        assert not batch.payload_checked(every_row_read)
        assert batch.payload_rows("cohorte.xlsx", data, 10) == rows
        assert isinstance(rows[0][1]["Fecha de inicio"], dt.datetime)


@pytest.mark.parametrize("key", [key for key, form in FORMS.items() if form.batch_columns])
def test_the_upload_checks_only_the_columns_and_agrees_with_the_whole_form(app, key):
    """The upload's check leaves out the fields every row takes from the form's defaults; on
    every example row, and on each of them with each cell emptied or made nonsense, its verdicts
    and messages are the whole form's."""
    form_class = FORMS[key]
    with app.test_request_context():
        rows = _examples_and_variants(form_class)
        whole = list(batch.checked_forms(form_class, rows))
        checked = batch.check_rows(form_class, rows)
        built = batch.columns_form(form_class)(formdata=None, meta={"csrf": False})
        assert {field.name for field in built} == {*form_class.batch_columns, "warnings_seen"}
        assert checked.valid == [row.number for row in whole if row.valid]
        assert [(p.row, p.column, str(p.message)) for p in checked.problems] == \
            [(p.row, p.column, str(p.message)) for row in whole for p in row.problems]
    examples = len(form_class.batch_example)
    assert len(checked.valid) >= examples and len(checked.problems) >= (len(rows) - examples) // 2


@pytest.mark.parametrize("key", [key for key, form in FORMS.items() if form.batch_columns])
def test_the_consumer_builds_the_shared_defaults_once_and_issues_the_whole_forms_document(
        app, key):
    """The job consumer checks each row's columns and takes the other fields from one form of
    defaults shared by all rows: same verdicts as the whole form on every example row and every
    variant, and for each valid row the very same document, byte for byte, text and record."""
    form_class = FORMS[key]
    with app.test_request_context():
        document = catalogue().get(key)
        issue = Issue(number=f"{document.code}-2026-000007", version=document.version,
                      issued_at=dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.timezone.utc),
                      template_sha256="ab" * 32)
        rows = _examples_and_variants(form_class)
        whole = list(batch.checked_forms(form_class, rows))
        issued = list(batch.issued_forms(form_class, rows))
        assert [row.valid for row in issued] == [row.valid for row in whole]
        first_column = form_class.batch_columns[0]
        typed = []
        for by_whole, by_row in zip(whole, issued):
            if by_whole.valid:
                expected = render_filled(document, by_whole.form, issue).data
                produced = render_filled(document, by_row.form, issue).data
                assert produced == expected
                value = by_row.form[first_column].data
                if value:
                    assert value in body_text(open_docx(produced))
                    typed.append(value)
    assert len(typed) >= 2


def _examples_and_variants(form_class) -> list[tuple[int, dict]]:
    """The form's example rows, then each with each cell emptied or made nonsense, numbered as
    the spreadsheet's rows."""
    labels = dict(batch.columns(form_class))
    examples = [{labels[name]: value for name, value in example.items()}
                for example in form_class.batch_example]
    variants = [{**example, header: value} for example in examples for header in labels.values()
                for value in ("", "zzz 99/99/9999")]
    return list(enumerate([*examples, *variants], start=2))
