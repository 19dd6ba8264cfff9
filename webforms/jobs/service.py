"""Jobs: long work (a batch, a PDF, the purge) handed to the job consumer instead of a web worker.

A job is a row of ``jobs`` (storage.models.Job) and a message on the queue (webforms.jobs). The
row is the truth every server shares: the web server creates it and sends the browser to its
progress page; the consumer takes it (``queued`` → ``running``, in one conditional update, so a
message delivered twice runs once), reports progress and a heartbeat, and ends it ``done`` with its
result, or ``failed`` with an error code the page words in the user's language.

A consumer may die mid-job (a restart, kill -9): :func:`recover` finds running jobs whose heartbeat
stopped and queues them again, up to ``MAX_ATTEMPTS`` attempts, after which they fail with
"interrupted". Results live ``JOB_RESULTS_HOURS`` (24 h by default), then :func:`expire` removes
the job. Inputs and results are sealed like records: they may hold what someone typed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import PurePath

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from webforms import jobs as queue
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import Job, JobPart, Record
from webforms.storage.sealing import NAMES_SEALED_AS, InvalidToken, seal_text, sealer

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A batch whose rows were checked and await the user's go-ahead (its report listed problems).
CHECKED = "checked"
LIVE = (CHECKED, QUEUED, RUNNING)
MAX_ATTEMPTS = 3
ERRORS = {
    "interrupted": _l("El trabajo se interrumpió varias veces y se detuvo."),
    "pdf_unavailable": _l("No se pudo generar el PDF en este momento: descargue el documento en "
                          "Word, o inténtelo de nuevo más tarde."),
    "failed": _l("El trabajo falló. No se entregó ningún archivo incompleto; inténtelo de nuevo "
                 "y, si se repite, avise al equipo técnico."),
}

# Parts read from the database at once when they are sent (a batch's document: some 60 KB sealed).
PARTS_AT_ONCE = 20


class ResultGone(LookupError):
    """A job's input or result no longer opens (sealed with a data key since retired)."""


class QueueUnavailable(OSError):
    """The queue cannot be reached, or no consumer takes its jobs."""


def _sealer():
    return sealer("job")


def dedupe_key(kind: str, owner, *parts: bytes | str) -> str:
    """The same work asked twice by the same person (``owner``, None for nobody signed in): the
    same key."""
    digest = hashlib.sha256(f"{kind}:{owner_id(owner)}".encode())
    for part in parts:
        digest.update(hashlib.sha256(part if isinstance(part, bytes) else part.encode()).digest())
    return digest.hexdigest()


def owner_id(owner) -> int | None:
    """The id of who asks for a job: a signed-in account, or None."""
    return owner.id if getattr(owner, "is_authenticated", False) else None


def create(kind: str, payload: bytes, *, owner, label: str = "", document_key: str | None = None,
           total: int = 0, state: str = QUEUED, dedupe: str | None = None,
           locale: str | None = None, record_id: int | None = None) -> tuple[Job, bool]:
    """A new job of ``owner`` (committed) and True, or the one created with the same ``dedupe``
    key that has not failed, and False. ``record_id``: the saved record whose copy the job makes."""
    if dedupe is not None:
        existing = db.session.scalar(select(Job).where(
            Job.dedupe_key == dedupe, Job.state.in_((*LIVE, DONE))).limit(1))
        if existing is not None:
            return existing, False
    job = Job(id=uuid.uuid4().hex, kind=kind, state=state, owner_id=owner_id(owner),
              document_key=document_key, dedupe_key=dedupe, label=label[:255], locale=locale,
              record_id=record_id, done=0, total=total, attempts=0, payload=seal(payload))
    db.session.add(job)
    db.session.commit()
    return job, True


def submit(job: Job) -> None:
    """Put the job on the queue (``checked`` jobs become ``queued`` once, here)."""
    if job.state == CHECKED:
        moved = db.session.execute(update(Job).where(Job.id == job.id, Job.state == CHECKED)
                                   .values(state=QUEUED, updated_at=now())).rowcount
        db.session.commit()
        if not moved:  # a second click: the first one queued it
            return
    queue.submit(job.kind, job.id)


def submit_slice(job: Job, index: int, slices: int) -> None:
    """Put slice ``index`` of ``slices`` of a running batch on the queue, for another worker."""
    queue.submit("batch_slice", job.id, index, slices)  # the task of batch.tasks


def requested(kind: str, payload: bytes, *, owner, label: str, dedupe: str,
              record_id: int | None = None) -> Job:
    """Work a page waits for briefly (a PDF, the trainers' pack): the job, submitted unless the
    same one exists, as it is after ``PDF_WAIT_SECONDS`` at most."""
    job, new = create(kind, payload, owner=owner, label=label, dedupe=dedupe,
                      record_id=record_id)
    if new:
        submit(job)
    return wait(job, current_app.config["PDF_WAIT_SECONDS"])


def find(job_id: str) -> Job | None:
    if not isinstance(job_id, str) or len(job_id) != 32:
        return None
    return db.session.get(Job, job_id)


RECORD_READERS: list = []
"""Who may read a record: the records' rule (records.need_to_know.may_read), which the records
register here (records.tasks), the queue being below them. None registered: nobody."""


def visible_to(job: Job | None, user) -> bool:
    """A job is its owner's; a job started without signing in (a trainer's PDF) is reached by
    its unguessable id alone. A copy of a saved record is also that record's, checked each time
    it is asked for: someone moved out of the record's team, or whose roles changed, no longer
    gets it (records.need_to_know)."""
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    if job is None or job.owner_id not in (None, user_id):
        return False
    if job.record_id is None:
        return True
    record = db.session.get(Record, job.record_id)
    return record is not None and bool(RECORD_READERS) and all(
        may_read(user, record) for may_read in RECORD_READERS)


def payload(job: Job) -> bytes:
    return unseal(job.payload)


def result(job: Job) -> bytes:
    return unseal(job.result)


def seal(data: bytes) -> bytes:
    return _sealer().seal_bytes(data)


def unseal(token: bytes) -> bytes:
    try:
        return _sealer().open_bytes(token)
    except InvalidToken as exc:
        raise ResultGone("sealed with a data key no longer configured") from exc


# --- the consumer's side ---------------------------------------------------------------------
def start(job_id: str) -> Job | None:
    """Take a queued job: ``running``, one more attempt. None when another consumer has it, or it
    ended meanwhile (the same message delivered twice)."""
    taken = db.session.execute(update(Job).where(Job.id == job_id, Job.state == QUEUED).values(
        state=RUNNING, attempts=Job.attempts + 1, updated_at=now())).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if taken else None


def progress(job: Job) -> None:
    """Progress and heartbeat: the parts made so far, whichever worker made them."""
    db.session.execute(update(Job).where(Job.id == job.id).values(
        done=_parts_made(job.id), updated_at=now()))
    db.session.commit()


def finish_when_complete(job: Job) -> bool:
    """Done once all its ``total`` parts are made, whichever worker made the last: one
    conditional update, so exactly one of them finishes it (and gets True)."""
    finished = db.session.execute(update(Job).where(
        Job.id == job.id, Job.state == RUNNING, _parts_made(job.id) >= Job.total).values(
        state=DONE, done=Job.total, finished_at=now(), updated_at=now(), payload=None)).rowcount
    db.session.commit()
    return bool(finished)


def _parts_made(job_id: str):
    return select(func.count()).where(JobPart.job_id == job_id,
                                      JobPart.position > 0).scalar_subquery()


def finish(job: Job, data: bytes, name: str, mimetype: str) -> None:
    """Done, with its result (the input is no longer needed)."""
    job.result, job.result_name, job.result_mimetype = seal(data), name[:255], mimetype
    job.state, job.done, job.finished_at = DONE, job.total or job.done, now()
    job.updated_at, job.payload = job.finished_at, None
    db.session.commit()


def fail(job: Job, code: str) -> None:
    db.session.rollback()
    job.state, job.error = FAILED, code if code in ERRORS else "failed"
    job.finished_at = job.updated_at = now()
    db.session.commit()


def add_part(connection, job: Job, position: int, name: str, data: bytes,
             extra: bytes | None = None) -> None:
    """A finished piece, in ``connection``'s transaction (the one that took its number);
    ``extra``: a second file of it (a batch document's PDF beside its Word copy). A piece waiting
    for its second file is kept at its position negated (:func:`pending_parts`): it counts for
    nothing until :func:`complete_part`."""
    connection.execute(JobPart.__table__.insert().values(
        job_id=job.id, position=position, sealed_name=seal_text(name[:255]), data=seal(data),
        extra=None if extra is None else seal(extra)))


def parts_done(job: Job) -> set[int]:
    return set(db.session.scalars(select(JobPart.position).where(JobPart.job_id == job.id,
                                                                 JobPart.position > 0)))


def parts_started(job: Job) -> set[int]:
    """The positions with a piece, finished or waiting for its second file."""
    return {abs(position) for position in db.session.scalars(
        select(JobPart.position).where(JobPart.job_id == job.id))}


def pending_parts(job: Job, positions) -> list[tuple[int, str, bytes]]:
    """(position, name, data) of the pieces at ``positions`` still waiting for a second file."""
    wanted = [-position for position in positions]
    rows = db.session.execute(select(JobPart.position, JobPart.sealed_name, JobPart.data).where(
        JobPart.job_id == job.id, JobPart.position.in_(wanted)).order_by(JobPart.position.desc()))
    names = sealer(NAMES_SEALED_AS)
    return [(-position, names.open(name), unseal(data)) for position, name, data in rows]


def complete_part(job: Job, position: int, name: str, data: bytes, extra: bytes | None) -> None:
    """A waiting piece finished (committed); raises IntegrityError when another worker did."""
    add_part(db.session.connection(), job, position, name, data, extra)
    db.session.execute(delete(JobPart).where(JobPart.job_id == job.id,
                                             JobPart.position == -position))
    db.session.commit()


def parts(job: Job) -> Iterator[tuple[str, bytes]]:
    """(name, data) of each finished piece, and of its second file, in order (not the rows left
    out), read from the database a few at a time as they are taken. Nothing of ``job`` is read
    after this returns: a download goes on sending once its request's session is gone."""
    query = (select(JobPart.sealed_name, JobPart.data, JobPart.extra)
             .where(JobPart.job_id == job.id, JobPart.sealed_name.is_not(None),
                    JobPart.position > 0)
             .order_by(JobPart.position).execution_options(yield_per=PARTS_AT_ONCE))
    return _opened_parts(query)


def _opened_parts(query) -> Iterator[tuple[str, bytes]]:
    names = sealer(NAMES_SEALED_AS)
    for name, data, extra in db.session.execute(query):
        opened = names.open(name)
        yield opened, unseal(data)
        if extra is not None:
            yield str(PurePath(opened).with_suffix(".pdf")), unseal(extra)


def add_left_out(job: Job, position: int) -> None:
    """A part without a piece, added to the session: what stood at ``position`` (a batch's row)
    was left out, and the job no longer waits for it."""
    db.session.add(JobPart(job_id=job.id, position=position, sealed_name=None, data=seal(b"")))


def left_out(job: Job) -> list[int]:
    """The positions left out (:func:`add_left_out`), in order."""
    return list(db.session.scalars(select(JobPart.position).where(
        JobPart.job_id == job.id, JobPart.sealed_name.is_(None), JobPart.position > 0)
        .order_by(JobPart.position)))


def wait(job: Job, seconds: float) -> Job:
    """The job once it ends, or as it is after ``seconds`` (a warm PDF is worth waiting for)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire(job)  # read as it is now, even without waiting (seconds 0)
        if job.state not in LIVE or time.monotonic() >= deadline:
            return job
        time.sleep(0.05)


# --- keeping the queue healthy ---------------------------------------------------------------
def check_queue() -> None:
    """For the health check: the queue answers, and no job waits longer than a consumer would
    let it (no consumer running, or all of them stuck)."""
    try:
        queue.pending_count()
    except Exception as exc:  # SQLite or Redis, whatever their errors
        raise QueueUnavailable("the job queue does not answer") from exc
    waiting = db.session.scalar(select(Job.id).where(
        Job.state == QUEUED, Job.updated_at < now() - stale_after()).limit(1))
    if waiting is not None:
        raise QueueUnavailable("jobs wait and no consumer takes them")



def recover(stale_after: dt.timedelta) -> list[tuple[str, str]]:
    """Running jobs whose heartbeat stopped ``stale_after`` ago: queued again (their finished
    parts kept), or failed after MAX_ATTEMPTS. Each move is a conditional update, so several
    consumers' watchers agree: a job taken again meanwhile is left alone. Returns the (kind, id)
    of the jobs to put on the queue again."""
    cutoff = now() - stale_after
    stale = db.session.execute(select(Job.id, Job.kind, Job.attempts).where(
        Job.state == RUNNING, Job.updated_at < cutoff)).all()
    again = []
    for job_id, kind, attempts in stale:
        exhausted = attempts >= MAX_ATTEMPTS
        ended = {"state": FAILED, "error": "interrupted", "finished_at": now()}
        moved = db.session.execute(update(Job).where(
            Job.id == job_id, Job.state == RUNNING, Job.updated_at < cutoff).values(
            updated_at=now(), **(ended if exhausted else {"state": QUEUED}))).rowcount
        if moved and not exhausted:
            again.append((kind, job_id))
    db.session.commit()
    return again


def expire(before: dt.datetime, dry_run: bool = False) -> list[str]:
    """Remove the jobs (their input, parts and results) untouched since ``before``, in the
    session's transaction (the caller commits); returns their ids."""
    ids = list(db.session.scalars(select(Job.id).where(Job.updated_at < before).order_by(Job.id)))
    if ids and not dry_run:
        db.session.execute(delete(JobPart).where(JobPart.job_id.in_(ids)))
        db.session.execute(delete(Job).where(Job.id.in_(ids)))
    return ids


def stale_after() -> dt.timedelta:
    """A running job silent this long lost its consumer (a PDF reports once: its time limit and
    a margin)."""
    return dt.timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])


def results_kept_for() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["JOB_RESULTS_HOURS"])
