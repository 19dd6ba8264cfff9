"""A job's own page: its progress while the consumer works on it, then its file.

A page that hands work to the job consumer (a PDF, the trainers' pack) waits a few seconds for it;
when the job takes longer the browser comes here, and the page refreshes itself until the file is
ready. Only the job's owner reaches it (a job started without signing in, by its unguessable id),
and a copy of a saved record only while the owner may still read that record.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_security import current_user

from webforms.audit import trail as audit
from webforms.jobs import service as jobs
from webforms.web.access import public
from webforms.web.errors import error_page
from webforms.web.helpers import attachment

bp = Blueprint("jobs", __name__, template_folder="templates", url_prefix="/trabajos")


@bp.app_errorhandler(jobs.ResultGone)
def result_gone(error):
    """A job's result that can no longer be opened, wherever it was asked for."""
    return error_page(HTTPStatus.GONE, _("Archivo no disponible"), _(
        "El archivo de este trabajo ya no se puede abrir. Pídalo de nuevo desde la página donde "
        "lo solicitó."))


def visible_job(job_id: str):
    """The job, if the current user may have it (a record's copy: while they may read the
    record); 404 otherwise, and a refused record's id is audited as its page's would be."""
    job = jobs.find(job_id)
    if not jobs.visible_to(job, current_user) or job.kind == "batch":
        if job is not None and job.record_id is not None:
            audit.append("record_refused", target=job.record_id, job=job.id)
        abort(HTTPStatus.NOT_FOUND)
    return job


@bp.get("/<job_id>")
@public  # the owner's, checked in visible_job
def status(job_id: str):
    return render_template("jobs/status.html", job=visible_job(job_id), errors=jobs.ERRORS)


@bp.get("/<job_id>/archivo")
@public  # the owner's, checked in visible_job
def download(job_id: str):
    job = visible_job(job_id)
    if job.state != jobs.DONE:
        abort(HTTPStatus.NOT_FOUND)
    audit.append("job_downloaded", target=job.id, kind=job.kind)
    return attachment(jobs.result(job), job.result_mimetype, job.result_name)

