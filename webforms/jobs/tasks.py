"""The tasks the consumer runs. Each takes a job's id, takes the job (jobs.service.start) and
ends it done or failed: a task never lets an exception escape, so Huey never retries on its own;
taking up interrupted jobs is jobs.service.recover's work."""
from __future__ import annotations

import time

from flask import current_app

from webforms.audit import trail as audit
from webforms.batch.service import generate_batch, issue_slice
from webforms.documents.pdf import PdfUnavailable
from webforms.jobs import service as jobs
from webforms.jobs.pdf import convert_job
from webforms.storage.database import db
from webforms.trainers.materials import make_pack


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


def pdf(job_id: str) -> None:
    run(job_id, convert_job)


def batch(job_id: str) -> None:
    run(job_id, generate_batch)


def batch_slice(job_id: str, index: int, slices: int) -> None:
    """A slice of a batch that another worker started (batch.service); nothing once the batch
    has ended."""
    job = jobs.find(job_id)
    if job is not None and job.state == jobs.RUNNING:
        work_on(job, lambda running: issue_slice(running, index, slices))


def pack(job_id: str) -> None:
    run(job_id, make_pack)


BY_KIND = {"pdf": pdf, "batch": batch, "pack": pack}


def purge() -> None:
    """The daily retention purge of saved records (records.retention), as a periodic task."""
    from webforms.records.retention import purge as purge_records

    report = purge_records()
    db.session.commit()
    current_app.logger.info("retention purge: %s", report)


def audit_checkpoint() -> None:
    """The daily checkpoint of the audit trail (audit.trail.checkpoint): the head anchored
    outside the database, or an error in the log when the chain does not hold."""
    broken, line = audit.checkpoint()
    if broken is not None:
        current_app.logger.error("audit trail broken at entry %s (%s): no checkpoint written",
                                 broken.entry_id, broken.problem)
        return
    current_app.logger.info("audit checkpoint: %s", line)


def watch_once() -> None:
    """Jobs whose consumer died go back on the queue (or fail); expired results are removed."""
    from webforms.jobs import submit  # the queue's package, which imports this module

    for kind, job_id in jobs.recover(jobs.stale_after()):
        submit(kind, job_id)
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
