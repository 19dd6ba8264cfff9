"""A job's own page: its progress while the consumer works on it, then its file.

A page that hands work to the job consumer (a PDF, the trainers' pack) waits a few seconds for it;
when the job takes longer the browser comes here, and the page refreshes itself until the file is
ready. Only the job's owner reaches it (a job started without signing in, by its unguessable id).
"""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, render_template

from ..services import audit, jobs
from .access import public
from .helpers import attachment

bp = Blueprint("jobs", __name__, url_prefix="/trabajos")


def visible_job(job_id: str):
    job = jobs.find(job_id)
    if not jobs.visible_to_current_user(job) or job.kind == "batch":
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
    audit.record("job_downloaded", target=job.id, kind=job.kind)
    return attachment(jobs.result(job), job.result_mimetype, job.result_name)

