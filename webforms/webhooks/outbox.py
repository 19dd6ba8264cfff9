"""Events into the outbox, and the outbox to the queue once committed.

The records' signals (records.events: ``issued``, ``withdrawn``) and the batch's
(batch.events: ``finished``) arrive in the transaction of what happened: the receivers here only
write delivery rows (webhooks.service.announce), so an event is kept exactly when what it tells
is, and nothing is posted from inside that transaction. When the session commits, the ids it
wrote go to the job queue; when it rolls back, they are forgotten with their rows. With a queue
that runs each job at once in the submitting process (``JOBS_IMMEDIATE``) the ids wait for the
end of the application context (a job cannot use the session from inside its commit). Whatever
is missed there (a queue that could not be reached, a context that commits at its very end) is
taken up by the queue's sweep every minute (webhooks.tasks).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import event

from webforms import jobs as queue
from webforms.batch import events as batch_events
from webforms.batch import rows as batch_rows
from webforms.records import events as record_events
from webforms.storage.database import db
from webforms.storage.models import Job, Record
from webforms.webhooks import payloads, service

DELIVERY_TASK = "webhook_delivery"
COMMITTED = "webhooks.committed"  # session.info: ids committed, for the end of the context


def on_issued(record: Record, **_extra) -> None:
    first = record.revision <= 1
    service.announce(payloads.ISSUED if first else payloads.REVISED,
                     lambda: payloads.record(record))


def on_withdrawn(record: Record, **_extra) -> None:
    service.announce(payloads.ANNULLED, lambda: payloads.annulled(record))


def on_batch_finished(job: Job, issued: int = 0, **_extra) -> None:
    service.announce(payloads.BATCH_FINISHED, lambda: batch_finished(job, issued))


def batch_finished(job: Job, issued: int) -> dict:
    kept = batch_rows.batch_of(job)
    return payloads.batch_finished(job, kept.team_id if kept else None, issued)


def committed(session) -> None:
    """The session's new deliveries are kept: to the queue (or, when the queue runs jobs at
    once, to the end of the context)."""
    ids = session.info.pop(service.QUEUED, None)
    if not ids:
        return
    if current_app.config["JOBS_IMMEDIATE"]:
        session.info.setdefault(COMMITTED, []).extend(ids)
        return
    submit(ids)


def rolled_back(session) -> None:
    session.info.pop(service.QUEUED, None)


def submit(ids) -> None:
    for delivery_id in ids:
        try:
            queue.submit(DELIVERY_TASK, delivery_id)
        except Exception:  # the sweep posts it within a minute (webhooks.tasks)
            current_app.logger.exception("webhook delivery %s: not queued", delivery_id)


def end_of_context(_exc=None) -> None:
    ids = db.session.info.pop(COMMITTED, None)
    if ids:
        submit(ids)


def init_app(app) -> None:
    """Follow the records' and the batch's events, and the session's commits."""
    record_events.issued.connect(on_issued)
    record_events.withdrawn.connect(on_withdrawn)
    batch_events.finished.connect(on_batch_finished)
    if not event.contains(db.session, "after_commit", committed):
        event.listen(db.session, "after_commit", committed)
        event.listen(db.session, "after_rollback", rolled_back)
    app.teardown_appcontext(end_of_context)
