"""The job queue: PDFs and batches done by the job consumer, progress pages, one job for the same
work asked twice, jobs taken up again when their consumer dies, and real processes: a consumer
killed mid-batch, two web servers and one consumer sharing the database and Redis, the converter
kept warm and replaced after N conversions (its trust boundary: tests/test_converter.py)."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import uuid
import zipfile

import pytest
from sqlalchemy import func, select, update
from wtforms.validators import ValidationError

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.factories import BATCH_URL, as_xlsx, huey_of, person, run_queue
from tests.helpers import (
    HAS_PDF,
    audit_entries,
    batch_documents,
    edited_package,
    labelled_value,
    needs_pdf,
    open_docx,
    part_xml,
    sign_in,
)
from tests.processes import (
    command_line,
    consumer,
    converter,
    csrf_token,
    descendants,
    environment,
    is_warm,
    kill_all,
    libreoffice_profiles,
    running,
    signed_in,
    wait_until,
    web_server,
)
from webforms import create_app
from webforms.config import converter_secret, default_converter_socket
from webforms.documents.pdf import Converter, PdfUnavailable, to_pdf, warm_pdf
from webforms.jobs import service as jobs
from webforms.jobs.converter import small_docx, uno_python
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, IssuedDocument, Job, JobPart

BLANK_PDF = "/formularios/registro_reunion/en-blanco.pdf"
REDIS_URL = os.environ.get("WEBFORMS_TEST_REDIS_URL")


class Killed(BaseException):
    """The consumer's process dying mid-job (nothing in it catches this)."""


@pytest.fixture
def queued_app(tmp_path):
    """An app whose jobs wait on the queue (a SQLite file) until the test runs them, as a consumer
    would, and whose pages do not wait for them."""
    return create_app({"TESTING": True, **TEST_KEYS, "TWO_FACTOR_FOR_ADMINS": False,
                       "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": tmp_path / "output",
                       **database_config(tmp_path), "JOBS_IMMEDIATE": False,
                       "PDF_WAIT_SECONDS": 0})


@pytest.fixture
def queued_client(queued_app):
    return sign_in(queued_app.test_client(), TEAM_MEMBER)


def job_of(app, job_id: str) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def job_id_in(location: str) -> str:
    return re.search(r"([0-9a-f]{32})", location).group(1)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- PDFs ----------------------------------------------------------------------------------------
@needs_pdf
def test_a_pdf_not_ready_at_once_shows_its_progress_then_the_file(queued_app, queued_client,
                                                                   tmp_path):
    response = queued_client.get(BLANK_PDF)
    assert response.status_code == 303
    status_url = response.headers["Location"]
    page = queued_client.get(status_url).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "En cola" in page
    assert queued_client.get(status_url + "/archivo").status_code == 404

    assert run_queue(queued_app) == 1

    page = queued_client.get(status_url).get_data(as_text=True)
    assert "refresh" not in page and "Descargar" in page
    download = queued_client.get(status_url + "/archivo")
    assert download.mimetype == "application/pdf"
    assert "Registro de la Reunión de Gestión de Casos" in pdf_text(download.data, tmp_path)


@needs_pdf
def test_a_jobs_file_taken_from_its_page_is_audited_without_content(queued_app, queued_client):
    status_url = queued_client.get(BLANK_PDF).headers["Location"]
    run_queue(queued_app)
    assert queued_client.get(status_url + "/archivo").status_code == 200
    entries = audit_entries(queued_app, "job_downloaded")
    assert [(entry.target, entry.details["kind"]) for entry in entries] == [
        (job_id_in(status_url), "pdf")]
    assert entries[0].user_email == TEAM_MEMBER


def test_the_same_pdf_asked_twice_is_one_job(queued_app, queued_client):
    first, second = queued_client.get(BLANK_PDF), queued_client.get(BLANK_PDF)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(huey_of(queued_app)) == 1


def test_a_document_made_again_a_second_later_is_the_same_pdf_job(queued_app, queued_client):
    """Two clicks on a blank a clock tick apart make two packages that differ only in their
    dates: one conversion. Another language is another document."""
    from webforms.jobs.pdf import conversion_key

    blank = queued_client.get("/formularios/registro_reunion/en-blanco.docx").data
    later = edited_package(blank, lambda name, text: re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*", r"\g<1>2031-01-01T00:00:01Z", text)
        if name == "docProps/core.xml" else text)
    assert part_xml(later, r"docProps/core\.xml") != part_xml(blank, r"docProps/core\.xml")
    english = queued_client.get("/formularios/registro_reunion/en-blanco.docx?idioma=en").data
    with queued_app.test_request_context():
        key = conversion_key(blank, None)
        assert conversion_key(later, None) == key
        assert conversion_key(english, None) != key


def test_a_job_is_only_its_owners(queued_app, queued_client):
    status_url = queued_client.get(BLANK_PDF).headers["Location"]
    assert queued_app.test_client().get(status_url).status_code == 404
    other = sign_in(queued_app.test_client(), "supervisor@example.org")
    assert other.get(status_url).status_code == 404
    assert other.get(status_url + "/archivo").status_code == 404
    assert queued_client.get(status_url).status_code == 200


def test_a_failed_conversion_says_so_and_the_next_request_tries_again(queued_app, queued_client,
                                                                      monkeypatch):
    def broken(*args, **kwargs):
        raise PdfUnavailable("LibreOffice crashed")

    monkeypatch.setattr("webforms.jobs.pdf.to_pdf", broken)
    status_url = queued_client.get(BLANK_PDF).headers["Location"]
    run_queue(queued_app)
    page = queued_client.get(status_url).get_data(as_text=True)
    assert "No se pudo generar el PDF en este momento" in page
    assert job_of(queued_app, job_id_in(status_url)).error == "pdf_unavailable"
    assert queued_client.get(BLANK_PDF).headers["Location"] != status_url  # a new job


def test_health_says_when_jobs_wait_and_no_consumer_takes_them(queued_app, queued_client):
    assert queued_client.get("/healthz").get_json()["dependencies"]["jobs"] == "ok"
    status_url = queued_client.get(BLANK_PDF).headers["Location"]
    with queued_app.app_context():
        job = db.session.get(Job, job_id_in(status_url))
        job.updated_at = jobs.now() - jobs.stale_after() - dt.timedelta(seconds=1)
        db.session.commit()
    response = queued_client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["dependencies"]["jobs"] == "down: QueueUnavailable"
    run_queue(queued_app)  # a consumer takes it
    assert queued_client.get("/healthz").get_json()["dependencies"]["jobs"] == "ok"


@needs_pdf
def test_a_result_sealed_with_a_retired_key_is_gone_not_an_error(queued_app, queued_client):
    status_url = queued_client.get(BLANK_PDF).headers["Location"]
    run_queue(queued_app)
    queued_app.config["DATA_KEY"] = "a new key, the former one retired"
    response = queued_client.get(status_url + "/archivo")
    assert response.status_code == 410
    assert "ya no se puede abrir" in response.get_data(as_text=True)


# --- batches -------------------------------------------------------------------------------------
def upload(client, rows: int, name: str = "cohorte.xlsx", data: bytes | None = None):
    data = data or as_xlsx([person(number) for number in range(rows)])
    return client.post(BATCH_URL, data={"spreadsheet": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def numbers_issued(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(IssuedDocument))


def test_the_same_batch_uploaded_twice_starts_once(queued_app, queued_client):
    # One file: openpyxl writes the time into each file it makes, so two would differ.
    data = as_xlsx([person(number) for number in range(3)])
    first, second = upload(queued_client, 3, data=data), upload(queued_client, 3, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert run_queue(queued_app) == 1
    assert numbers_issued(queued_app) == 3


def test_a_batch_whose_consumer_died_goes_on_without_issuing_a_row_twice(queued_app,
                                                                         queued_client,
                                                                         monkeypatch):
    from webforms.batch import service as batch_service

    status_url = upload(queued_client, 8).headers["Location"]
    job_id = job_id_in(status_url)
    issue_group, calls = batch_service._issue_group, []

    def dies_at_the_second_group(*args):
        calls.append(args)
        if len(calls) == 2:
            raise Killed
        issue_group(*args)

    monkeypatch.setattr(batch_service, "ROWS_AT_ONCE", 3)
    monkeypatch.setattr(batch_service, "_issue_group", dies_at_the_second_group)
    with pytest.raises(Killed):
        run_queue(queued_app)
    assert job_of(queued_app, job_id).state == jobs.RUNNING
    assert numbers_issued(queued_app) == 3

    with queued_app.app_context():  # the watcher, once the heartbeat is stale
        again = jobs.recover(dt.timedelta(0))
        assert again == [("batch", job_id)]
        queued_app.extensions["webforms.jobs"].submit(*again[0])
    monkeypatch.setattr(batch_service, "_issue_group", issue_group)
    run_queue(queued_app)

    job = job_of(queued_app, job_id)
    assert (job.state, job.attempts, job.done) == (jobs.DONE, 2, 8)
    archive = zipfile.ZipFile(io.BytesIO(queued_client.get(status_url + "/zip").data))
    assert len(batch_documents(archive)) == 8 and numbers_issued(queued_app) == 8
    places = [labelled_value(open_docx(archive.read(name)), "Lugar de destino")
              for name in batch_documents(archive)]
    assert places == [f"Ciudad {number}" for number in range(8)]


def test_a_large_batch_is_cut_in_slices_that_other_workers_issue(queued_app, queued_client):
    """The first task issues the first slice and queues the others; whoever issues the last
    document finishes the job, once, and the ZIP keeps the spreadsheet's order."""
    queued_app.config.update(BATCH_SLICE_ROWS=3, JOBS_WORKERS=2)
    status_url = upload(queued_client, 8).headers["Location"]
    job_id = job_id_in(status_url)
    huey = huey_of(queued_app)
    huey.execute(huey.dequeue())  # the batch's task: its slice, rows 1 to 4
    job = job_of(queued_app, job_id)
    assert (job.state, job.done, numbers_issued(queued_app)) == (jobs.RUNNING, 4, 4)
    assert huey.pending_count() == 1  # the second slice, for another worker

    assert run_queue(queued_app) == 1
    job = job_of(queued_app, job_id)
    assert (job.state, job.done, numbers_issued(queued_app)) == (jobs.DONE, 8, 8)
    archive = zipfile.ZipFile(io.BytesIO(queued_client.get(status_url + "/zip").data))
    names = batch_documents(archive)
    assert [name.split(" - ")[0] for name in names] == [f"{row + 2:03d} Persona {row}"
                                                         for row in range(8)]
    places = [labelled_value(open_docx(archive.read(name)), "Lugar de destino") for name in names]
    assert places == [f"Ciudad {number}" for number in range(8)]
    with queued_app.app_context():
        finished = db.session.scalars(select(AuditEntry.target).where(
            AuditEntry.action == "batch_finished")).all()
    assert finished == [job_id]


def test_a_slice_issued_twice_at_once_keeps_one_part_and_one_number_per_row(queued_app,
                                                                         queued_client,
                                                                         monkeypatch):
    """A job taken up again while its first run still goes on: the second worker's rows clash
    with the parts already made, its transaction gives its numbers back, and it moves on."""
    from webforms.batch import service as batch_service

    queued_app.config.update(BATCH_SLICE_ROWS=3, JOBS_WORKERS=2)
    job_id = job_id_in(upload(queued_client, 8).headers["Location"])
    huey = huey_of(queued_app)
    huey.execute(huey.dequeue())  # the first slice: rows 1 to 4, numbers 1 to 4
    parts_started, calls = jobs.parts_started, []

    def read_before_the_other_worker_committed(job):
        calls.append(job.id)
        return set() if len(calls) == 1 else parts_started(job)

    monkeypatch.setattr(batch_service.jobs, "parts_started", read_before_the_other_worker_committed)
    with queued_app.app_context():
        batch_service.issue_slice(db.session.get(Job, job_id), 0, 2)
    assert len(calls) == 2 and numbers_issued(queued_app) == 4
    monkeypatch.setattr(batch_service.jobs, "parts_started", parts_started)
    run_queue(queued_app)
    assert job_of(queued_app, job_id).state == jobs.DONE and numbers_issued(queued_app) == 8


def test_a_row_the_form_no_longer_accepts_when_its_turn_comes_is_left_out_and_named(
        queued_app, queued_client, monkeypatch):
    """The form changed between the upload's check and the consumer's turn (a new release):
    the row is not issued, takes no number, and the job still finishes and says which row."""
    from webforms.forms.tdr import TdrGestorCasosForm

    status_url = upload(queued_client, 3).headers["Location"]
    job_id = job_id_in(status_url)

    def no_longer_a_duty_station(form, field):
        if field.data == "Ciudad 1":
            raise ValidationError("no longer a duty station")

    monkeypatch.setattr(TdrGestorCasosForm, "validate_duty_station", no_longer_a_duty_station,
                        raising=False)
    run_queue(queued_app)
    assert job_of(queued_app, job_id).state == jobs.DONE and numbers_issued(queued_app) == 2
    page = queued_client.get(status_url).get_data(as_text=True)
    assert "Listo: 2 documentos." in page
    assert "1 filas del archivo no se generaron" in page
    assert re.search(r"<td>3</td>\s*<td></td>\s*<td>No generada: el formulario cambió", page)
    download = queued_client.get(status_url + "/zip")
    names = batch_documents(zipfile.ZipFile(io.BytesIO(download.data)))
    assert [name.split(" - ")[0] for name in names] == ["002 Persona 0", "004 Persona 2"]
    assert "(2).zip" in download.headers["Content-Disposition"]
    [left_out] = audit_entries(queued_app, "batch_row_left_out")
    assert (left_out.target, left_out.details["row"]) == (job_id, 3)
    assert "Ciudad" not in repr(left_out.details)


def test_a_job_interrupted_too_often_fails_with_a_message(queued_app, queued_client):
    status_url = upload(queued_client, 2).headers["Location"]
    job_id = job_id_in(status_url)
    with queued_app.app_context():
        job = db.session.get(Job, job_id)
        job.state, job.attempts = jobs.RUNNING, jobs.MAX_ATTEMPTS
        db.session.commit()
        assert jobs.recover(dt.timedelta(0)) == []
    assert job_of(queued_app, job_id).state == jobs.FAILED
    page = queued_client.get(status_url).get_data(as_text=True)
    assert "El trabajo se interrumpió varias veces" in page and "refresh" not in page


@needs_pdf
def test_a_batch_in_word_and_pdf_holds_both_for_each_row(queued_app, queued_client, tmp_path):
    data = as_xlsx([person(number) for number in range(2)])
    response = queued_client.post(BATCH_URL, data={"spreadsheet": (io.BytesIO(data), "c.xlsx"),
                                                   "output": "both"},
                                  content_type="multipart/form-data")
    status_url = response.headers["Location"]
    run_queue(queued_app)
    archive = zipfile.ZipFile(io.BytesIO(queued_client.get(status_url + "/zip").data))
    names = batch_documents(archive)
    assert [(name.split(" - ")[0], name.rsplit(".", 1)[1]) for name in names] == [
        ("002 Persona 0", "docx"), ("002 Persona 0", "pdf"), ("003 Persona 1", "docx"),
        ("003 Persona 1", "pdf")]
    number = re.search(r"F2\.G34\.P-\d{4}-\d{6}", names[1]).group(0)
    assert number in pdf_text(archive.read(names[1]), tmp_path).replace("\n", " ")


@needs_pdf
def test_a_pdf_batch_stopped_before_its_pdfs_makes_them_without_issuing_again(
        queued_app, queued_client, monkeypatch):
    """The documents are numbered (and kept) before their PDFs are made, outside the
    transaction: a consumer that dies in between leaves the numbers, and the job taken up again
    makes the PDFs of the documents already numbered."""
    from webforms.batch import service as batch_service

    data = as_xlsx([person(number) for number in range(3)])
    response = queued_client.post(BATCH_URL, data={"spreadsheet": (io.BytesIO(data), "c.xlsx"),
                                                   "output": "pdf"},
                                  content_type="multipart/form-data")
    status_url, to_pdfs = response.headers["Location"], batch_service.to_pdfs

    def dies(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(batch_service, "to_pdfs", dies)
    with pytest.raises(Killed):
        run_queue(queued_app)
    job_id = job_id_in(status_url)
    assert (job_of(queued_app, job_id).done, numbers_issued(queued_app)) == (0, 3)
    with queued_app.app_context():
        queued_app.extensions["webforms.jobs"].submit(*jobs.recover(dt.timedelta(0))[0])
    monkeypatch.setattr(batch_service, "to_pdfs", to_pdfs)
    run_queue(queued_app)
    assert job_of(queued_app, job_id).state == jobs.DONE and numbers_issued(queued_app) == 3
    archive = zipfile.ZipFile(io.BytesIO(queued_client.get(status_url + "/zip").data))
    names = batch_documents(archive)
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert archive.read(names[0]).startswith(b"%PDF")


def test_results_expire_with_their_parts(queued_app, queued_client):
    status_url = upload(queued_client, 2).headers["Location"]
    run_queue(queued_app)
    with queued_app.app_context():
        assert jobs.expire(jobs.now() - jobs.results_kept_for()) == []
        assert jobs.expire(jobs.now() + dt.timedelta(seconds=1)) == [job_id_in(status_url)]
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(JobPart)) == 0
    assert queued_client.get(status_url).status_code == 404


def test_the_retention_purge_runs_daily_as_a_periodic_task(queued_app):
    huey = huey_of(queued_app)
    at = dt.datetime(2026, 12, 2, queued_app.config["PURGE_AT_HOUR"],
                     queued_app.config["PURGE_AT_MINUTE"])

    def purges(moment) -> int:  # (other tasks run every minute: the webhooks' sweep)
        return [task.name for task in huey.read_periodic(moment)].count("purge")

    assert purges(at) == 1
    assert purges(at + dt.timedelta(minutes=1)) == purges(at + dt.timedelta(hours=1)) == 0


# --- real processes ------------------------------------------------------------------------------
@pytest.fixture
def installation(tmp_path):
    """The database and settings several processes share; a queue of their own. A consumer's
    watcher takes up a job only after half an hour of silence: no live consumer, however busy the
    machine, loses its job to it (a test that wants a job taken up makes it silent, see below)."""
    config = database_config(tmp_path) | {"JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex[:8]}"}
    env = environment(tmp_path, config, WEBFORMS_JOBS_STALE_SECONDS="1800",
                      WEBFORMS_JOBS_WATCH_SECONDS="1",
                      WEBFORMS_JOBS_QUEUE_NAME=config["JOBS_QUEUE_NAME"])
    started, profiles = [], libreoffice_profiles()
    yield tmp_path, config, env, started
    kill_all(started, profiles)


def silent_since_long_ago(app, job_id: str) -> None:
    """The job's heartbeat as a dead consumer leaves it once the stale time has passed."""
    with app.app_context():
        db.session.execute(update(Job).where(Job.id == job_id).values(
            updated_at=jobs.now() - dt.timedelta(hours=1)))
        db.session.commit()


def test_a_consumer_killed_mid_batch_is_replaced_and_the_batch_completes(installation):
    """Two worker processes each, the batch cut in slices they issue side by side. The first
    consumer is killed -9 (all of it) right after its first group of parts is committed
    (tests.crashing_consumer), so the kill always falls mid-batch."""
    folder, config, env, started = installation
    env["WEBFORMS_BATCH_SLICE_ROWS"] = "50"
    app = create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                      "OUTPUT_DIR": folder / "output", **config, "JOBS_IMMEDIATE": False})
    client = sign_in(app.test_client(), TEAM_MEMBER)
    status_url = upload(client, 150).headers["Location"]
    job_id = job_id_in(status_url)

    first = consumer(folder, env, "first", workers=2, huey="tests.crashing_consumer.huey")
    started.append(first)
    assert first.popen.wait(300) == -signal.SIGKILL, first.output()
    stopped_at = job_of(app, job_id)
    assert stopped_at.state == jobs.RUNNING and 0 < stopped_at.done < 150
    assert 0 < numbers_issued(app) < 150

    silent_since_long_ago(app, job_id)
    second = consumer(folder, env, "second", workers=2)
    started.append(second)
    wait_until(lambda: job_of(app, job_id).state == jobs.DONE, 300, second.output)
    job = job_of(app, job_id)
    assert job.attempts == 2
    archive = zipfile.ZipFile(io.BytesIO(client.get(status_url + "/zip").data))
    assert len(batch_documents(archive)) == 150 and numbers_issued(app) == 150


@pytest.mark.skipif(not REDIS_URL, reason="no Redis (scripts/test starts one)")
def test_two_web_servers_and_one_consumer_share_the_database_and_redis(installation):
    folder, config, env, started = installation
    env["WEBFORMS_REDIS_URL"] = REDIS_URL
    (web_a, url_a), (web_b, url_b) = web_server(folder, env), web_server(folder, env)
    worker = consumer(folder, env)
    started.extend([web_a, web_b, worker])

    session = signed_in(url_a, TEAM_MEMBER)  # the cookie holds for both: one installation
    form = session.get(url_a + BATCH_URL).text
    response = session.post(url_a + BATCH_URL, data={"csrf_token": csrf_token(form)},
                            files={"spreadsheet": ("cohorte.xlsx", as_xlsx(
                                [person(number) for number in range(20)]))},
                            allow_redirects=False)
    assert response.status_code == 303, response.text[-2000:]
    for pid in web_a.children():  # the web worker that accepted the batch dies
        os.kill(pid, 9)

    status_path = response.headers["Location"].removeprefix(url_a)
    wait_until(lambda: "Descargar el ZIP" in session.get(url_b + status_path).text, 120,
               worker.output)
    archive = zipfile.ZipFile(io.BytesIO(session.get(url_b + status_path + "/zip").content))
    assert len(batch_documents(archive)) == 20
    first = open_docx(archive.read(batch_documents(archive)[0]))
    assert labelled_value(first, "Lugar de destino") == "Ciudad 0"
    wait_until(lambda: session.get(url_a + status_path).status_code == 200, 60, web_a.output)


needs_uno = pytest.mark.skipif(not (HAS_PDF and uno_python()),
                               reason="LibreOffice's uno is not installed")


def local_converter(folder) -> Converter:
    """The endpoint a web server of the installation in ``folder`` uses by default."""
    instance = folder / "instance"
    return Converter(str(default_converter_socket(instance)), converter_secret(instance))


@needs_uno
def test_the_warm_converter_converts_and_is_replaced_after_n_conversions(installation, app,
                                                                         monkeypatch):
    folder, _config, env, started = installation
    warm = converter(folder, env | {"WEBFORMS_CONVERTER_RESTART_AFTER": "2"})
    started.append(warm)
    endpoint = local_converter(folder)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    document = client.get("/formularios/registro_reunion/en-blanco.docx").data
    wait_until(lambda: is_warm(warm), 120, warm.output)

    def converted():
        try:
            return warm_pdf(endpoint, document, 60)
        except ConnectionError:
            return None

    for _ in range(3):  # the third after the restart: a new LibreOffice
        pdf = wait_until(converted, 120, warm.output, every=0.5)
        assert "Registro de la Reunión de Gestión de Casos" in pdf_text(pdf, folder)
    assert warm.output().count("started (pid") >= 2

    # What the consumer calls goes to the converter: without it, no LibreOffice could be started.
    monkeypatch.setattr("webforms.documents.pdf.soffice_path", lambda: None)

    def through_the_converter():
        try:
            return to_pdf(document, 60, (endpoint,))
        except PdfUnavailable:  # its LibreOffice was being replaced: the next try is served
            return None

    pdf = wait_until(through_the_converter, 120, warm.output, every=0.5)
    assert "Registro de la Reunión" in pdf_text(pdf, folder)
    with pytest.raises(PdfUnavailable):
        to_pdf(document, 60, (Converter("127.0.0.1:9", b"secret"),))


@needs_uno
def test_a_conversion_over_the_time_limit_is_cut_and_its_converter_replaced(installation):
    """As a hung conversion would: LibreOffice is stopped at the limit, the caller told so, and a
    new one serves the next document. The hang is made, not hoped for: the warm LibreOffice is
    frozen (SIGSTOP) before the document is sent, so the limit is passed on a fast machine and a
    busy one alike (a long document could end in time, or fail in another way, under load)."""
    folder, _config, env, started = installation
    warm = converter(folder, env | {"WEBFORMS_PDF_TIMEOUT": "1"})
    started.append(warm)
    wait_until(lambda: is_warm(warm), 120, warm.output)
    offices = [pid for pid in descendants(warm.popen.pid)
               if any("soffice" in part for part in command_line(pid))]
    assert offices, warm.output()
    for pid in offices:
        os.kill(pid, signal.SIGSTOP)

    # Asked to wait 60 s, the caller hears at the converter's limit of 1 s that it was cut.
    with pytest.raises(PdfUnavailable, match="time limit"):
        warm_pdf(local_converter(folder), small_docx(), 60)  # not tried again cold
    wait_until(lambda: not any(running(pid) for pid in offices), 60, warm.output)
    wait_until(lambda: is_warm(warm, 2), 120, warm.output)
    assert warm_pdf(local_converter(folder), small_docx(), 60).startswith(b"%PDF")
