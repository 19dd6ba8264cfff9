"""Annulling an issued record: a request with a reason, then (by default) a reviewer's decision.

Why not a delete: an issued number is in someone's hands on paper, so taking it back is a
decision of its own, not a click. The record's page offers "Solicitar anulación" instead of the
trash (drafts still go to the trash freely); the request says why, and while it waits the number
stays valid (``/verificar`` says so). With ``ANNUL_NEEDS_APPROVAL`` (on by default) a reviewer
approves or rejects it on the queue page; approval annuls the number, and ``/verificar`` then says
*anulado* with the day. Without approval the request annuls at once. The requester may withdraw a
request that still waits.

Who (records.need_to_know is the rule for records):

- **requests, withdraws**: who may change the record (its team's members holding a role of its
  form); withdrawing is only for the one who asked.
- **decides**: ``calidad``, organisation-wide like the audit log it keeps, and the coordinators of
  the region the record's team belongs to (those who oversee it). Never the requester.
- **reads the reason and the note**: who may read the record. A reviewer who may not read it sees
  the request's number, form, team, people and dates, never the text.

The reason and the note are typed text: sealed (storage.sealing, their own purpose) and emptied
when the record's content is purged. Audit entries carry ids and numbers, never the text.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import or_, select, update

from webforms.audit import trail as audit
from webforms.clock import now
from webforms.records import events, need_to_know
from webforms.records.saved import ANNULLED, ISSUED
from webforms.storage.database import db
from webforms.storage.models import Annulment, Record, Team
from webforms.storage.sealing import sealer

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"
STATES = (PENDING, APPROVED, REJECTED, WITHDRAWN)
SEALED_AS = "annulment"  # the purpose the reason and note are sealed with (models.Annulment)
MAX_TEXT = 1000
REVIEWING_ROLE = "calidad"


class NotAllowed(Exception):
    """The action does not apply: the record is not issued, a request already waits, or the
    request was decided meanwhile."""


def needs_approval() -> bool:
    return bool(current_app.config["ANNUL_NEEDS_APPROVAL"])


def pending_for(record: Record) -> Annulment | None:
    return db.session.scalar(select(Annulment).where(
        Annulment.record_id == record.id, Annulment.state == PENDING))


def approved_for(record: Record) -> Annulment | None:
    return db.session.scalar(select(Annulment).where(
        Annulment.record_id == record.id, Annulment.state == APPROVED))


def history_of(record: Record) -> list[Annulment]:
    """Every request made for ``record``, the newest first."""
    return list(db.session.scalars(select(Annulment).where(Annulment.record_id == record.id)
                                   .order_by(Annulment.id.desc())))


# --- who ----------------------------------------------------------------------------------------
def may_request(user, record: Record) -> bool:
    return (record.status == ISSUED and need_to_know.may_change(user, record)
            and pending_for(record) is None)


def may_withdraw(user, annulment: Annulment) -> bool:
    return annulment.state == PENDING and annulment.requested_by == user.id


def region_ids_overseen(user) -> set[int]:
    """The regions whose teams' annulments ``user`` decides as their coordinator."""
    if not need_to_know.oversees(user):
        return set()
    return {team.id for team in getattr(user, "teams", ()) if team.is_region}


def reviews(user, annulment: Annulment) -> bool:
    """Whether ``user`` is one of the reviewers of ``annulment``'s record, whatever its state."""
    return user.has_role(REVIEWING_ROLE) or (
        annulment.record.team.region_id in region_ids_overseen(user))


def may_decide(user, annulment: Annulment) -> bool:
    return (annulment.state == PENDING and annulment.requested_by != user.id
            and reviews(user, annulment))


def may_read_text(user, annulment: Annulment) -> bool:
    """Whether ``user`` reads the reason and the decision's note: who may read the record, and
    whoever may decide the request (an approver judges the reason, not the record's content)."""
    return need_to_know.may_read(user, annulment.record) or may_decide(user, annulment)


def queue(user) -> list[Annulment]:
    """The requests waiting for a decision that ``user`` may take, the oldest first."""
    query = (select(Annulment).join(Record, Annulment.record_id == Record.id)
             .join(Team, Record.team_id == Team.id)
             .where(Annulment.state == PENDING,
                    or_(Annulment.requested_by.is_(None), Annulment.requested_by != user.id))
             .order_by(Annulment.requested_at, Annulment.id))
    if not user.has_role(REVIEWING_ROLE):
        regions = region_ids_overseen(user)
        if not regions:
            return []
        query = query.where(Team.region_id.in_(sorted(regions)))
    return list(db.session.scalars(query))


# --- what happens -------------------------------------------------------------------------------
def request(record: Record, reason: str, user) -> Annulment:
    """Ask to annul ``record``'s number because of ``reason``: it waits for a decision, or (with
    approval off) annuls at once. Raises NotAllowed when the record is not issued or a request
    already waits."""
    if record.status != ISSUED or pending_for(record) is not None:
        raise NotAllowed("only an issued record without a waiting request is annulled")
    annulment = Annulment(record_id=record.id, number=record.number, revision=record.revision,
                          requested_by=user.id, requested_at=now(whole_seconds=True), reason=reason,
                          state=PENDING)
    db.session.add(annulment)
    db.session.flush()
    if not needs_approval():
        settle(annulment, APPROVED, user, note=None)
        audit.append("record_annulled", target=record.id, annulment=annulment.id,
                     number=record.number, revision=record.revision, approval=False)
        return annulment
    audit.append("annulment_requested", target=record.id, annulment=annulment.id,
                 number=record.number, revision=record.revision)
    return annulment


def decide(annulment: Annulment, approve: bool, note: str | None, user) -> None:
    """Approve (the number is annulled from now) or reject (it stays valid) a waiting request."""
    if not may_decide(user, annulment):
        raise NotAllowed("this request is not waiting for this user's decision")
    settle(annulment, APPROVED if approve else REJECTED, user, note=note or None)
    audit.append("annulment_approved" if approve else "annulment_rejected",
                 target=annulment.record_id, annulment=annulment.id, number=annulment.number)


def withdraw(annulment: Annulment, user) -> None:
    if not may_withdraw(user, annulment):
        raise NotAllowed("only the requester withdraws a waiting request")
    annulment.state, annulment.decided_by, annulment.decided_at = WITHDRAWN, user.id, now(whole_seconds=True)
    audit.append("annulment_withdrawn", target=annulment.record_id, annulment=annulment.id,
                 number=annulment.number)


def settle(annulment: Annulment, state: str, user, note: str | None) -> None:
    """Write the decision; an approval annuls the record's number (its status)."""
    annulment.state, annulment.decided_by, annulment.decided_at = state, user.id, now(whole_seconds=True)
    annulment.note = note
    if state == APPROVED:
        annulment.record.status = ANNULLED
        events.withdrawn.send(annulment.record)


# --- the register's side ------------------------------------------------------------------------
def annulled_at(record_id: int) -> dt.datetime | None:
    """When the approved annulment of ``record_id`` took effect, if it has one."""
    return db.session.scalar(select(Annulment.decided_at).where(
        Annulment.record_id == record_id, Annulment.state == APPROVED))


def purge_texts(record_ids: list[int]) -> None:
    """Empty the reasons and notes of purged records (they may name the record's people)."""
    if record_ids:
        db.session.execute(update(Annulment).where(Annulment.record_id.in_(record_ids))
                           .values(sealed_reason=None, sealed_note=None),
                           execution_options={"synchronize_session": False})


def reseal_texts() -> int:
    """Seal every reason and note again with the current data key; returns how many rows."""
    purpose, count = sealer(SEALED_AS), 0
    for annulment in db.session.scalars(select(Annulment).where(or_(
            Annulment.sealed_reason.is_not(None), Annulment.sealed_note.is_not(None)))):
        if annulment.sealed_reason is not None:
            annulment.sealed_reason = purpose.reseal(annulment.sealed_reason)
        if annulment.sealed_note is not None:
            annulment.sealed_note = purpose.reseal(annulment.sealed_note)
        count += 1
    db.session.flush()
    return count


def by_id(annulment_id: int) -> Annulment | None:
    return db.session.get(Annulment, annulment_id)
