"""Generating many documents from one spreadsheet: upload, row report, progress, download."""
from __future__ import annotations

import datetime as dt
from http import HTTPStatus

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import batch
from ..services import audit
from ..services.batch import batch_store, start_batch
from .access import for_document_roles
from .helpers import attachment
from .records import find

bp = Blueprint("batch", __name__, url_prefix="/formularios/<key>/lote")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A job whose status has not moved for this long was interrupted (e.g. its server restarted).
STALLED_AFTER = dt.timedelta(minutes=3)


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
    return render_template("batch/upload.html", document=document,
                           columns=batch.columns(form_class), max_rows=max_rows())


@bp.post("/")
@for_document_roles
def upload(key: str):
    document, form_class = lookup(key)
    upload_file = request.files.get("spreadsheet")
    if upload_file is None or not upload_file.filename:
        return upload_error(document, form_class, _("Elija un archivo .xlsx o .csv."))
    data = upload_file.read()
    try:
        rows = batch.read_rows(upload_file.filename, data, max_rows())
        checked = batch.check_rows(form_class, rows)
    except batch.SpreadsheetError as error:
        return upload_error(document, form_class, str(error))

    store = batch_store()
    job_id = store.create(upload_file.filename, data, key=key, state="checked",
                          total=checked.total, valid=len(checked.valid))
    if checked.problems:
        return render_template("batch/report.html", document=document, checked=checked,
                               job_id=job_id, filename=upload_file.filename), \
            HTTPStatus.UNPROCESSABLE_ENTITY
    return started(document, form_class, job_id, checked.valid)


@bp.post("/<job_id>/generar")
@for_document_roles
def generate_valid_rows(key: str, job_id: str):
    """Generate only the rows without problems of a file already checked."""
    document, form_class = lookup(key)
    store = batch_store()
    status = store.status(job_id)
    if status is None or status.get("key") != key:
        abort(HTTPStatus.NOT_FOUND)
    if status.get("state") == "checked":
        rows = batch.read_rows(status["upload_name"], store.upload(job_id), max_rows())
        checked = batch.check_rows(form_class, rows)
        if not checked.valid:
            return upload_error(document, form_class, _("Ninguna fila es válida."))
        return started(document, form_class, job_id, checked.valid)
    return redirect(url_for(".status", key=key, job_id=job_id), code=HTTPStatus.SEE_OTHER)


def started(document, form_class, job_id: str, rows: list):
    """Start generating ``rows`` and send the browser to the job's progress page."""
    start_batch(document, form_class, job_id, rows, locale())
    return redirect(url_for(".status", key=document.key, job_id=job_id),
                    code=HTTPStatus.SEE_OTHER)


@bp.get("/<job_id>")
@for_document_roles
def status(key: str, job_id: str):
    document, _form_class = lookup(key)
    status = job_status(key, job_id)
    code = HTTPStatus.OK
    return render_template("batch/status.html", document=document, status=status,
                           job_id=job_id), code


@bp.get("/<job_id>/zip")
@for_document_roles
def download(key: str, job_id: str):
    document, _form_class = lookup(key)
    status = job_status(key, job_id)
    if status.get("state") != "done":
        abort(HTTPStatus.NOT_FOUND)
    name = f"{document.code} {document.title} ({status['total']}).zip"
    audit.record("batch_downloaded", target=job_id, document=key)
    return attachment(batch_store().result_path(job_id), "application/zip", name)


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


def job_status(key: str, job_id: str) -> dict:
    status = batch_store().status(job_id)
    if status is None or status.get("key") != key:
        abort(HTTPStatus.NOT_FOUND)
    if status.get("state") == "running":
        updated = dt.datetime.fromisoformat(status["updated_at"])
        if dt.datetime.now(dt.timezone.utc) - updated > STALLED_AFTER:
            status["state"] = "stalled"
    return status


def upload_error(document, form_class, message: str):
    return render_template("batch/upload.html", document=document,
                           columns=batch.columns(form_class), max_rows=max_rows(),
                           error=message), HTTPStatus.BAD_REQUEST


def max_rows() -> int:
    return current_app.config["BATCH_MAX_ROWS"]


def locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
