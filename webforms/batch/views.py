"""Generating many documents from one spreadsheet: upload, row report, progress, download."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_security import current_user

from webforms.audit import trail as audit
from webforms.batch import rows as batch_rows
from webforms.batch import spreadsheet as batch
from webforms.batch.service import checked_job, documents_issued, result_zip, start_batch
from webforms.documents.memory import release_free_memory
from webforms.documents.pdf import pdf_available
from webforms.jobs import service as jobs
from webforms.records import saved as saved_records
from webforms.records.fill_views import find
from webforms.web.access import for_document_roles
from webforms.web.helpers import attachment, streamed_attachment

bp = Blueprint("batch", __name__, template_folder="templates", url_prefix="/formularios/<key>/lote")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lookup(key: str):
    """A current form whose fields can come from a spreadsheet."""
    found = find(key)
    if found is None or not found[1].batch_columns:
        abort(HTTPStatus.NOT_FOUND)
    return found


@bp.get("/")
@for_document_roles
def upload_page(key: str):
    document, form_class = lookup(key)
    return render_template("batch/upload.html", **upload_context(document, form_class))


@bp.post("/")
@for_document_roles
def upload(key: str):
    response = make_response(checked_upload(key))
    # A large file's check: once the response is sent, the worker gives back what it freed
    # instead of carrying that peak for the rest of its life.
    response.call_on_close(release_free_memory)
    return response


def checked_upload(key: str):
    """Read and check the spreadsheet: its problems by row and column, or its job started."""
    document, form_class = lookup(key)
    team = saved_records.team_for_saving(current_user, request.form.get("team"))
    output = request.form.get("output") or batch_rows.OUTPUTS[0]
    upload_file = request.files.get("spreadsheet")
    if team is None:
        return upload_error(document, form_class, _(
            "Su cuenta no pertenece a ningún equipo activo: los documentos de un lote se "
            "guardan en los registros de un equipo. Pida a un administrador que le añada a uno."))
    if output not in batch_rows.OUTPUTS or (output != "docx" and not pdf_available()):
        return upload_error(document, form_class, _("Elija Word, PDF o ambos."))
    if upload_file is None or not upload_file.filename:
        return upload_error(document, form_class, _("Elija un archivo .xlsx o .csv."))
    data = upload_file.read()
    try:
        rows = batch.read_rows(upload_file.filename, data, max_rows())
        checked = batch.check_rows(form_class, rows, batch_rows.person_of(key))
    except batch.SpreadsheetError as error:
        return upload_error(document, form_class, str(error))
    job, new = checked_job(document, upload_file.filename, data, rows, checked, locale(), team,
                           current_user, output)
    if not new and job.state != jobs.CHECKED:  # the same file again: the job it started
        return redirect(url_for(".status", key=key, job_id=job.id), code=HTTPStatus.SEE_OTHER)
    people = batch_rows.waiting(batch_rows.rows_of(job.id))
    if checked.problems or people:
        return render_template("batch/report.html", document=document, checked=checked,
                               job_id=job.id, filename=upload_file.filename, people=people,
                               reason=batch_rows.reason), \
            HTTPStatus.UNPROCESSABLE_ENTITY if checked.problems else HTTPStatus.OK
    return started(job)


@bp.post("/<job_id>/generar")
@for_document_roles
def generate_valid_rows(key: str, job_id: str):
    """Generate only the rows without problems of a file already checked."""
    document, form_class = lookup(key)
    job = own_job(key, job_id, started_by_user=True)
    duplicates = request.form.get("duplicates") or batch_rows.SKIP
    if duplicates not in (batch_rows.SKIP, batch_rows.REVISE):
        return upload_error(document, form_class, _(
            "Elija si omite las filas de personas que ya tienen el documento o si emite una "
            "revisión."))
    if job.state == jobs.CHECKED:
        if not job.total:
            return upload_error(document, form_class, _("Ninguna fila es válida."))
        return started(job, duplicates)
    return redirect(url_for(".status", key=key, job_id=job_id), code=HTTPStatus.SEE_OTHER)


def started(job, duplicates: str = batch_rows.SKIP):
    """Start generating and send the browser to the job's progress page."""
    start_batch(job, duplicates)
    return redirect(url_for(".status", key=job.document_key, job_id=job.id),
                    code=HTTPStatus.SEE_OTHER)


@bp.get("/<job_id>")
@for_document_roles
def status(key: str, job_id: str):
    document, job = document_and_job(key, job_id)
    left_out = jobs.left_out(job) if job.state == jobs.DONE else []
    rows = batch_rows.rows_of(job_id) if job.state == jobs.DONE else []
    return render_template("batch/status.html", document=document, job=job, left_out=left_out,
                           documents=documents_issued(job, left_out), errors=jobs.ERRORS,
                           rows=rows, reason=batch_rows.reason, issued=batch_rows.ISSUED_AS,
                           kept_until=batch_rows.kept_until(job))


@bp.get("/historial")
@for_document_roles
def history(key: str):
    """The batches of this form in the user's teams: when, which file, how many rows issued or
    left out, and their status page while the job is kept."""
    document, _form_class = lookup(key)
    batches = [(kept, rows, job if job is not None and batch_rows.may_open(job, current_user)
                else None) for kept, rows, job in batch_rows.history(current_user, key)]
    return render_template("batch/history.html", document=document, batches=batches,
                           issued_count=batch_rows.issued_count, left_out=batch_rows.LEFT_OUT,
                           kept_until=batch_rows.kept_until,
                           teams={team.id: team.name for team in current_user.teams})


@bp.get("/<job_id>/zip")
@for_document_roles
def download(key: str, job_id: str):
    document, job = document_and_job(key, job_id)
    if job.state != jobs.DONE:
        abort(HTTPStatus.NOT_FOUND)
    name = f"{document.code} {document.title} ({documents_issued(job)}).zip"
    audit.append("batch_downloaded", target=job_id, document=key)
    return streamed_attachment(result_zip(job), "application/zip", name)


@bp.get("/ejemplo.xlsx")
@for_document_roles
def example_xlsx(key: str):
    document, form_class = lookup(key)
    return attachment(batch.example_xlsx(form_class), XLSX_MIMETYPE,
                      f"{document.code} ejemplo.xlsx")


@bp.get("/ejemplo.csv")
@for_document_roles
def example_csv(key: str):
    document, form_class = lookup(key)
    return attachment(batch.example_csv(form_class), "text/csv", f"{document.code} ejemplo.csv")


def document_and_job(key: str, job_id: str):
    """The form's document and the user's batch job of it, or 404."""
    document, _form_class = lookup(key)
    return document, own_job(key, job_id)


def own_job(key: str, job_id: str, started_by_user: bool = False):
    """The batch job of this form of the user or of their team (batch.rows.may_open),
    or 404; ``started_by_user``: only the user's own (who uploaded it starts it)."""
    job = jobs.find(job_id)
    allowed = jobs.visible_to if started_by_user else batch_rows.may_open
    if job is None or job.kind != "batch" or job.document_key != key \
            or not allowed(job, current_user):
        abort(HTTPStatus.NOT_FOUND)
    return job


def upload_context(document, form_class) -> dict:
    """The upload page's values: the form's columns, the user's teams, the choices sent."""
    return {"document": document, "columns": batch.columns(form_class), "max_rows": max_rows(),
            "teams": saved_records.working_teams(current_user),
            "chosen_team": request.form.get("team", ""),
            "chosen_output": request.form.get("output") or batch_rows.OUTPUTS[0],
            "pdf": pdf_available()}


def upload_error(document, form_class, message: str):
    return render_template("batch/upload.html", error=message,
                           **upload_context(document, form_class)), HTTPStatus.BAD_REQUEST


def max_rows() -> int:
    return current_app.config["BATCH_MAX_ROWS"]


def locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
