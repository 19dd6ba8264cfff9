"""Answering a page with a job's file: the file when the consumer made it within a few seconds,
the job's progress page when it takes longer, the 503 page (take the Word document) when it
failed. Used by the pages that offer PDFs (records, trainers)."""
from __future__ import annotations

from http import HTTPStatus

from flask import abort, redirect, url_for
from flask_security import current_user

from webforms.jobs import service as jobs
from webforms.jobs.pdf import pdf_job
from webforms.web.helpers import attachment


def pdf_download(rendered, record=None):
    """The PDF of ``rendered`` (a copy of ``record``, if any) when the job consumer makes it
    within a few seconds; its progress page when it takes longer; the 503 page that says to take
    the Word document when it fails."""
    return file_or_progress(pdf_job(rendered, current_user, record))


def file_or_progress(job):
    """The job's file when it is ready, the 503 page when it failed, else its progress page."""
    if job.state == jobs.DONE:
        return attachment(jobs.result(job), job.result_mimetype, job.result_name)
    if job.state == jobs.FAILED:
        abort(HTTPStatus.SERVICE_UNAVAILABLE)
    return redirect(url_for("jobs.status", job_id=job.id), code=HTTPStatus.SEE_OTHER)
