"""What the installation forgets, and when: the retention schedule and the data key's rotation.

Why purge at all: a team's records hold what supervisors wrote about workers and cases, and what
is no longer needed must not stay readable. What goes is the *content* (the sealed fields and
rows of a record and of every revision, the bytes of its issued copies) and the subject's keyed
hash; what stays is the register: number, form, template version, dates and the SHA-256 of each
issued file, so a copy presented years later is still recognised as issued (and its content as gone).

- Saved records (drafts, issued and annulled) are purged ``RETENTION_DAYS`` after their last
  change (the later of their last edit and their last issue); their status stays. The reasons
  and notes of their annulments (records.annulments) go with their content.
- Records in the trash for more than ``TRASH_DAYS`` are purged and become ``deleted``.
- Jobs (a batch's spreadsheet and documents, a PDF) go ``JOB_RESULTS_HOURS`` after they were
  last touched: they exist only to be downloaded (the job watcher removes them sooner, see
  jobs.service).
- Submissions kept while their author signed in again go after ``pending.KEPT_FOR``.

The records' conditions are evaluated by the database in the very statement that purges them
(``UPDATE … RETURNING``), so a record edited while the purge runs is never purged on stale data.
Times are bound as UTC: SQLite keeps ``DateTime(timezone=True)`` values as UTC text without their
zone, so a bound value in another zone would compare wrongly.

Why rotate the data key: a key that may have leaked (a former administrator, a lost backup of
``instance/``) must stop opening anything. :func:`rotate_data_key` seals every value again with
the current key, in one transaction, once the former key is among ``OLD_DATA_KEYS``; then the
former key can be thrown away.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, delete, func, inspect, or_, select, update

from webforms import clock
from webforms.accounts import roster
from webforms.audit import trail as audit
from webforms.forms import FORMS
from webforms.jobs import service as jobs
from webforms.records import annulments, events, issued_copies, pending
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import PendingSubmission, Record, RecordRevision
from webforms.storage.sealing import InvalidToken, sealer

PENDING_SEALED_AS = "pending"  # the purpose records.pending seals with


class PurgedRecord(NamedTuple):
    id: int
    number: str | None

    @property
    def label(self) -> str:
        """The number when it has one (issued), else the record's id (a draft)."""
        return self.number or f"#{self.id}"


@dataclass
class PurgeReport:
    """What a purge removed (or, in a dry run, would remove)."""

    dry_run: bool
    expired: list[PurgedRecord] = field(default_factory=list)  # past the retention period
    deleted: list[PurgedRecord] = field(default_factory=list)  # past the trash period
    batch_jobs: list[str] = field(default_factory=list)
    pending_submissions: int = 0

    def counts(self) -> dict[str, int]:
        return {"records_expired": len(self.expired), "records_deleted": len(self.deleted),
                "batch_jobs": len(self.batch_jobs),
                "pending_submissions": self.pending_submissions}


@dataclass
class RotationReport:
    """How many sealed values were sealed again with the current key."""

    records: int = 0
    revisions: int = 0
    pending_submissions: int = 0
    copies: int = 0  # issued copies kept (records.issued_copies)
    annulments: int = 0
    roster: int = 0  # the names of the teams' rosters (accounts.roster)

    def counts(self) -> dict[str, int]:
        return {"records": self.records, "revisions": self.revisions,
                "pending_submissions": self.pending_submissions, "copies": self.copies,
                "annulments": self.annulments, "roster": self.roster}


class UnreadableContent(Exception):
    """A sealed value opens with none of the keys: the rotation stops and changes nothing."""


# --- purge --------------------------------------------------------------------------------------
def as_utc(moment: dt.datetime | None) -> dt.datetime:
    """``moment`` (now by default) in UTC; a naive value is taken as UTC already."""
    moment = moment or clock.now()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def retention_ended(now: dt.datetime):
    """Drafts and issued records not changed nor issued since before the retention period."""
    cutoff = now - dt.timedelta(days=current_app.config["RETENTION_DAYS"])
    return and_(Record.status.in_((saved_records.DRAFT, saved_records.ISSUED,
                                   saved_records.ANNULLED)),
                Record.purged_at.is_(None), Record.updated_at < cutoff,
                or_(Record.issued_at.is_(None), Record.issued_at < cutoff))


def trash_period_ended(now: dt.datetime):
    """Records in the trash since before the trash period."""
    cutoff = now - dt.timedelta(days=current_app.config["TRASH_DAYS"])
    return and_(Record.status == saved_records.TRASH, Record.trashed_at.is_not(None),
                Record.trashed_at < cutoff)


def purge_records(condition, now: dt.datetime, **changes) -> list[PurgedRecord]:
    """Empty the content of the records matching ``condition`` and of their revisions."""
    purged = [PurgedRecord(*row) for row in db.session.execute(
        update(Record).where(condition)
        .values(sealed=None, subject_digest=None,
                purged_at=func.coalesce(Record.purged_at, now), **changes)
        .returning(Record.id, Record.number),
        execution_options={"synchronize_session": False})]
    ids = [record.id for record in purged]
    annulments.purge_texts(ids)
    if ids:
        db.session.execute(update(RecordRevision).where(RecordRevision.record_id.in_(ids))
                           .values(sealed=None),
                           execution_options={"synchronize_session": False})
    issued_copies.purge(ids)  # the kept files go with the content; their hashes stay
    if ids:
        events.purged.send("retention", record_ids=ids)  # what was copied from them goes too
    return sorted(purged)


def records_matching(condition) -> list[PurgedRecord]:
    return [PurgedRecord(*row) for row in db.session.execute(
        select(Record.id, Record.number).where(condition).order_by(Record.id))]


def old_pending(now: dt.datetime):
    return PendingSubmission.created_at < now - pending.KEPT_FOR


def purge(now: dt.datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Purge what the retention schedule says is due (see the module docstring). In a dry run
    nothing changes and the report says what would go; otherwise one audit entry with the counts
    is committed in the same transaction as the records' changes."""
    now = as_utc(now)
    report = PurgeReport(dry_run=dry_run)
    if dry_run:
        report.expired = records_matching(retention_ended(now))
        report.deleted = records_matching(trash_period_ended(now))
        report.pending_submissions = db.session.scalar(
            select(func.count()).select_from(PendingSubmission).where(old_pending(now)))
        report.batch_jobs = jobs.expire(now - jobs.results_kept_for(), dry_run=True)
        return report
    try:
        report.expired = purge_records(retention_ended(now), now)
        report.deleted = purge_records(trash_period_ended(now), now, status=saved_records.DELETED)
        report.pending_submissions = db.session.execute(
            delete(PendingSubmission).where(old_pending(now))).rowcount
        report.batch_jobs = jobs.expire(now - jobs.results_kept_for())
        audit.append("purge", **report.counts())  # commits the purge with its entry
    except Exception:
        db.session.rollback()
        raise
    return report


# --- the data key -------------------------------------------------------------------------------
def rotate_data_key() -> RotationReport:
    """Seal every sealed value again with the current key (``DATA_KEY``); the former key must be
    among ``OLD_DATA_KEYS``. One transaction, audited with the counts: if any value opens with
    none of the keys, nothing is changed (UnreadableContent)."""
    record_sealer = sealer(saved_records.SEALED_AS)
    try:
        report = RotationReport(
            records=resealed(Record, record_sealer),
            revisions=resealed(RecordRevision, record_sealer),
            pending_submissions=resealed(PendingSubmission, sealer(PENDING_SEALED_AS)),
            copies=resealed_copies(), annulments=resealed_annulments(),
            roster=resealed_roster())
        refresh_subject_digests()
        resealed_elsewhere()
        audit.append("data_key_rotated", **report.counts())  # commits the rotation
    except Exception:
        db.session.rollback()
        raise
    return report


def resealed_annulments() -> int:
    """The annulments' reasons and notes sealed again (records.annulments)."""
    try:
        return annulments.reseal_texts()
    except InvalidToken as exc:
        raise UnreadableContent("annulments: a reason or note opens with none of the data "
                                "keys") from exc


def resealed_roster() -> int:
    """The roster's names sealed again and their digests keyed with the new key."""
    try:
        return roster.reseal_names()
    except InvalidToken as exc:
        raise UnreadableContent("roster: a name opens with none of the data keys") from exc


def resealed(model, purpose_sealer) -> int:
    """Seal again every non-empty ``sealed`` of ``model``; returns how many."""
    count = 0
    for row in db.session.scalars(select(model).where(model.sealed.is_not(None))):
        try:
            row.sealed = purpose_sealer.reseal(row.sealed)
        except InvalidToken as exc:
            key = inspect(row).identity
            raise UnreadableContent(f"{model.__tablename__} {key}: opens with none of the "
                                    "data keys") from exc
        count += 1
    db.session.flush()
    return count


def resealed_elsewhere() -> None:
    """What features copied from records (the action tracker's texts and digests), sealed and
    keyed again by them (records.events.key_rotated)."""
    try:
        events.key_rotated.send("retention")
    except InvalidToken as exc:
        raise UnreadableContent("a text copied from a record opens with none of the data "
                                "keys") from exc


def resealed_copies() -> int:
    try:
        return issued_copies.reseal_all()
    except InvalidToken as exc:
        raise UnreadableContent(f"{exc}: opens with none of the data keys") from exc


def refresh_subject_digests() -> None:
    """The subject's hash is keyed with the data key: compute it again with the new one, or the
    previous session with the same person would no longer be found."""
    for record in db.session.scalars(select(Record).where(
            Record.subject_digest.is_not(None), Record.sealed.is_not(None))):
        form = FORMS[record.document_key](formdata=saved_records.open_pairs(record.sealed),
                                          meta={"csrf": False})
        record.subject_digest = saved_records.subject_digest(record.document_key, form)
