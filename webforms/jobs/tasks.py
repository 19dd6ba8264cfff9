"""How a task runs a job, the PDF task, and the watcher of the jobs whose consumer died.

Each task takes a job's id, takes the job (jobs.service.start) and ends it done or failed: a task
never lets an exception escape, so Huey never retries on its own; taking up interrupted jobs is
jobs.service.recover's work. The features' tasks (batch.tasks, trainers.tasks) run their work
through :func:`run` and :func:`work_on`."""
from __future__ import annotations

import time

from flask import current_app

from webforms import jobs as queue
from webforms.common.health import dependency
from webforms.common.tasks import task
from webforms.documents.pdf import PdfUnavailable
from webforms.jobs import service as jobs
from webforms.jobs.pdf import convert_job
from webforms.storage.database import db


def run(job_id: str, work) -> None:
    job = jobs.start(job_id)
    if job is None:  # taken by another consumer, or already ended
        return
    work_on(job, work)


def work_on(job, work) -> None:
    """Run ``work``, then commit what it did (the task commits, not the services it calls);
    a failure rolls it back and marks the job failed."""
    try:
        work(job)
        db.session.commit()
    except PdfUnavailable:
        db.session.rollback()
        current_app.logger.exception("job %s: PDF conversion failed", job.id)
        jobs.fail(job, "pdf_unavailable")
    except Exception:  # the page says it failed; the traceback goes to the consumer's log
        db.session.rollback()
        current_app.logger.exception("job %s failed", job.id)
        jobs.fail(job, "failed")


@task("pdf")
def pdf(job_id: str) -> None:
    run(job_id, convert_job)


def watch_once() -> None:
    """Jobs whose consumer died go back on the queue (or fail); expired results are removed."""
    for kind, job_id in jobs.recover(jobs.stale_after()):
        queue.submit(kind, job_id)
    jobs.expire(jobs.now() - jobs.results_kept_for())
    db.session.commit()


def watch_forever(app) -> None:
    while True:
        with app.app_context():
            try:
                watch_once()
            except Exception:
                app.logger.exception("the job watcher failed; it tries again")
            pause = app.config["JOBS_WATCH_SECONDS"]
        time.sleep(pause)


dependency("jobs")(jobs.check_queue)  # the health check (common.health) asks the queue
