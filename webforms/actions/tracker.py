"""The action tracker: the ``actions`` table kept in step with the issued records, and what it
answers (what is open at a date, what is overdue, what a team's page lists).

How a record is read (:func:`apply_record`, in the transaction that issues it: records.events).
Its follow-up rows come first: each is about the action of the same family (and, for a
supervision, the same worker) with the same text, case and spacing aside, agreed *before* the
record's date and still open on it; its status (cumplido, cancelado, en curso, no cumplido) is an
event of that action from the record's date. A follow-up that matches nothing (typed by hand, or
loaded from a document of another installation) is an action of its own, agreed in that record.
Then its agreements: an action agreed again while still open is the same action (its deadline
updated), any other is a new action. An action's status on a date is its latest event that took
effect by then, so a meeting dated 3 Dec but issued after the 7 Dec one changes nothing the
7 Dec one said, and its own actions are open from 3 Dec on.

Matching never unseals: the text is sealed (its own purpose), and a keyed digest of the
normalised text (``text_key``, the approach of records.saved.subject_digest) is what is compared.

A revision of a record replaces what its earlier revision said: its follow-up events go, its
actions are taken again (an action agreed again with the same text keeps its id and the later
records' follow-ups of it), and those it no longer agrees go with their history. An annulled
record's actions and events go altogether.

Barriers of the Conferencia ampliada are kept here too, as rows of the family ``barriers`` whose
status is never open: the same barrier in several conferences is then found by its digest
(:func:`recurring_barriers`) without opening any conference, and a revision or an annulment
updates them by the same code as the actions.

Nothing here commits: the request, command or task that called it does.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import lazyload
from werkzeug.datastructures import MultiDict

from webforms.accounts import roster
from webforms.actions.families import (
    BARRIER_ROWS,
    BARRIERS,
    CLOSED,
    CONFERENCE,
    CONFERENCE_ROLE,
    CONFERENCES,
    DONE,
    FAMILIES,
    NOTED,
    OPEN,
    STATUSES,
    STILL_OPEN,
    UNCLASSIFIED,
    Family,
)
from webforms.audit import trail as audit
from webforms.clock import now
from webforms.documents.contexts import CONTEXTS
from webforms.forms.carried import date_or_none
from webforms.records import events, need_to_know
from webforms.records.saved import ISSUED, RecordUnavailable, open_pairs
from webforms.storage.database import db
from webforms.storage.models import Action, ActionEvent, Record, RecordRevision, Team
from webforms.storage.sealing import sealer

OVERDUE = "overdue"  # an open action whose deadline passed (a state, never stored)
ROW_KEY = re.compile(r"^(?P<group>[a-z_]+)-(?P<index>\d{1,3})-(?P<field>[a-z_]+)$")
NOTE_LENGTH = 1000
SEALED_AS = "actions"  # the purpose the texts are sealed with (models.Action, ActionEvent)


class NotAllowed(Exception):
    """The update does not apply: the action is not the user's to change, or is closed."""


@dataclass(frozen=True)
class Tracked:
    """One action as the pages, the dashboard and the reminders see it: plain data, no text.
    ``day`` is the date it was agreed, ``followed`` its latest status ("" while never followed
    up)."""

    id: int
    team_id: int
    family: str
    record_id: int
    number: str
    document_key: str
    day: dt.date
    role: str
    deadline: dt.date | None
    status: str
    closed_on: dt.date | None = None

    @property
    def followed(self) -> str:
        return "" if self.status == OPEN else self.status

    def state(self, today: dt.date) -> str:
        """done (closed: cumplido or cancelado), overdue (its deadline passed) or open."""
        if self.status in CLOSED:
            return DONE
        return OVERDUE if self.deadline and self.deadline < today else OPEN


@dataclass
class Reading:
    """One record being read into the tracker."""

    record: Record
    family: Family
    subject: str | None
    reused: dict[tuple[str, str], Action]  # its earlier revision's, by (family, text_key)
    here: dict[tuple[str, str], Action] = field(default_factory=dict)
    closed_here: set[tuple[str, str]] = field(default_factory=set)
    touched: set[Action] = field(default_factory=set)
    new: set[Action] = field(default_factory=set)  # first agreed here, without events
    # Read once for the whole record: the open actions its rows may be about, by text_key
    # (latest agreed first), their status as its day begins, the statuses its follow-ups gave
    # them, and the team's roster.
    earlier: dict[str, list[Action]] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    roster_ids: dict[str, int] = field(default_factory=dict)

    @property
    def day(self) -> dt.date:
        return self.record.record_date


# --- keeping step with the records ---------------------------------------------------------------
def text_key(text) -> str | None:
    """A keyed digest of an action's text as follow-ups are matched to it (case and spacing
    ignored); None for an empty text."""
    normalized = " ".join(text.casefold().split()) if isinstance(text, str) else ""
    if not normalized:
        return None
    return hmac.new(current_app.config["DATA_KEY"].encode(), f"action:{normalized}".encode(),
                    hashlib.sha256).hexdigest()


def apply_record(record: Record, values: MultiDict, user=None) -> None:
    """Read an issued record (or its new revision) into the tracker: ``values`` is what it was
    issued with. A form that agrees no actions, or a record without a date, changes nothing."""
    family = FAMILIES.get(record.document_key)
    if family is None or record.record_date is None:
        return
    reading = Reading(record, family, record.subject_digest if family.per_subject else None,
                      forget(record) if record.revision != 1 else {},
                      roster_ids=roster.ids_by_digest(record.team_id))
    groups = rows_by_group(values)
    read_earlier(reading, groups)
    for row in groups.get(family.follow_up, ()):
        follow(reading, row)
    for group, text_field, role in family.agreements:
        for row in groups.get(group, ()):
            agree(reading, row, text_field, role)
    if record.document_key == CONFERENCE:
        note_barriers(reading, groups.get(BARRIER_ROWS[0], ()))
    drop(reading.reused.values())
    settling = reading.touched - reading.new  # a new action without events is open as made
    if settling:
        db.session.flush()  # the new actions written together (their ids)
        settle_all({action.id for action in settling})


def remove_record(record: Record) -> None:
    """An annulled record says nothing any more: its actions and its follow-ups go."""
    drop(forget(record).values())


def forget(record: Record) -> dict[tuple[str, str], Action]:
    """Take back the follow-ups ``record`` made (the actions they were about are settled again)
    and return the actions it agreed, by (family, text_key), to be taken again or dropped. A
    first issue (revision 1) has made none: :func:`apply_record` does not ask."""
    followed = set(db.session.scalars(select(ActionEvent.action_id).where(
        ActionEvent.record_id == record.id)))
    db.session.execute(delete(ActionEvent).where(ActionEvent.record_id == record.id),
                       execution_options={"synchronize_session": False})
    agreed = list(db.session.scalars(select(Action).where(Action.origin_record_id == record.id)))
    settle_all(followed - {action.id for action in agreed})
    return {(action.family, action.text_key): action for action in agreed}


def drop(actions) -> None:
    """Delete ``actions`` and their events (in bulk: the session forgets them first)."""
    actions = list(actions)
    ids = [action.id for action in actions]
    for action in actions:
        db.session.expunge(action)
    if ids:
        db.session.execute(delete(ActionEvent).where(ActionEvent.action_id.in_(ids)),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(Action).where(Action.id.in_(ids)),
                           execution_options={"synchronize_session": False})


def follow(reading: Reading, row: dict) -> None:
    """A follow-up row: the status it gives the open action it is about (or to an action of
    its own, agreed here, when it is about none)."""
    family, kind = reading.family, reading.record.document_key
    key = text_key(row.get(family.follow_up_text))
    if key is None:
        return
    wanted = (family.name, key)
    action = reading.here.get(wanted) or matching_open(reading, key) or taken(
        reading, wanted, row, family.follow_up_text, unmatched_role(family))
    action.deadline = action.deadline or date_or_none(row.get("deadline"))
    status = choice(kind, f"{family.follow_up}.status", row.get("status"))
    if status in STATUSES and status != OPEN:
        if action.id is None:
            db.session.flush()  # a new action's id, for its event
        db.session.add(ActionEvent(action_id=action.id, status=status, effective_on=reading.day,
                                   at=now(whole_seconds=True), record_id=reading.record.id))
        reading.statuses[action.id] = status  # the latest event on its day, from now on
        reading.new.discard(action)
        if status in CLOSED:
            reading.closed_here.add(wanted)
        else:
            reading.closed_here.discard(wanted)
    reading.here[wanted] = action
    reading.touched.add(action)


def agree(reading: Reading, row: dict, text_field: str, role: str) -> None:
    """An agreement row: the open action of the same text (followed up here or agreed before)
    gets its deadline; any other is a new action agreed here."""
    key = text_key(row.get(text_field))
    if key is None:
        return
    wanted = (reading.family.name, key)
    deadline = date_or_none(row.get("deadline"))
    action = reading.here.get(wanted) if wanted not in reading.closed_here else None
    action = action or matching_open(reading, key)
    if action is not None:
        action.deadline = deadline or action.deadline
    else:
        action = taken(reading, wanted, row, text_field, role)
    reading.closed_here.discard(wanted)
    reading.here[wanted] = action
    reading.touched.add(action)


def taken(reading: Reading, wanted: tuple[str, str], row: dict, text_field: str, role: str,
          status: str = OPEN) -> Action:
    """An action agreed in the record being read: its earlier revision's, taken again, or new."""
    record = reading.record
    action = reading.reused.pop(wanted, None)
    new = action is None
    action = action or Action(team_id=record.team_id, family=wanted[0],
                              origin_record_id=record.id, text_key=wanted[1])
    action.subject_digest, action.role, action.agreed_on = reading.subject, role, reading.day
    action.deadline = date_or_none(row.get("deadline"))
    action.text = " ".join(str(row.get(text_field) or "").split())
    action.responsible = str(row.get("responsible") or "").strip() or None
    action.roster_worker_id = roster.id_named(reading.roster_ids, action.responsible)
    action.status, action.closed_on = status, None
    db.session.add(action)  # written with the others (flushed when an id is needed)
    if new:
        reading.new.add(action)
    return action


# The statements every issue of a record with actions runs, built once (building one costs
# more than running it on SQLite).
SAME_TEXTS = (select(Action).where(
    Action.team_id == bindparam("team_id"), Action.family == bindparam("family"),
    Action.text_key.in_(bindparam("keys", expanding=True)), Action.agreed_on < bindparam("day"),
    Action.origin_record_id != bindparam("record_id"))
    .order_by(Action.agreed_on.desc(), Action.id.desc())
    .options(lazyload(Action.origin)))  # its record is not read to match it
SAME_TEXTS_AND_SUBJECT = SAME_TEXTS.where(Action.subject_digest == bindparam("subject"))
SAME_TEXTS_NO_SUBJECT = SAME_TEXTS.where(Action.subject_digest.is_(None))
EVENTS_BY = (select(ActionEvent.action_id, ActionEvent.status).where(
    ActionEvent.action_id.in_(bindparam("action_ids", expanding=True)),
    ActionEvent.effective_on <= bindparam("day"))
    .order_by(ActionEvent.effective_on, ActionEvent.at, ActionEvent.id))
STATUS_ON = (select(ActionEvent.status).where(
    ActionEvent.action_id == bindparam("action_id"), ActionEvent.effective_on <= bindparam("day"))
    .order_by(ActionEvent.effective_on.desc(), ActionEvent.at.desc(), ActionEvent.id.desc())
    .limit(1))


def read_earlier(reading: Reading, groups: dict[str, list[dict]]) -> None:
    """The actions of the same family (and worker) agreed before the record's date with a text
    its rows name, and each one's status on that date (its latest event by then): two queries
    for the whole record, before it adds anything."""
    family = reading.family
    texts = [row.get(family.follow_up_text) for row in groups.get(family.follow_up, ())]
    texts += [row.get(text_field) for group, text_field, _role in family.agreements
              for row in groups.get(group, ())]
    keys = sorted({key for key in map(text_key, texts) if key is not None})
    if not keys:
        return
    query = SAME_TEXTS
    if family.per_subject:
        query = SAME_TEXTS_NO_SUBJECT if reading.subject is None else SAME_TEXTS_AND_SUBJECT
    for action in db.session.scalars(query, {
            "team_id": reading.record.team_id, "family": family.name, "keys": keys,
            "day": reading.day, "record_id": reading.record.id, "subject": reading.subject}):
        reading.earlier.setdefault(action.text_key, []).append(action)
    ids = [action.id for actions in reading.earlier.values() for action in actions]
    if ids:
        reading.statuses.update(db.session.execute(
            EVENTS_BY, {"action_ids": ids, "day": reading.day}).all())


def matching_open(reading: Reading, key: str) -> Action | None:
    """The action of the same family (and worker), text, agreed before the record's date and
    open on it (its follow-ups here included); the latest agreed when there are several."""
    for action in reading.earlier.get(key, ()):
        if reading.statuses.get(action.id, OPEN) in STILL_OPEN:
            return action
    return None


def note_barriers(reading: Reading, rows) -> None:
    """The conference's barriers, kept to be counted across conferences (never open)."""
    for row in rows:
        key = text_key(row.get(BARRIER_ROWS[1]))
        wanted = (BARRIERS, key)
        if key is not None and wanted not in reading.here:
            reading.here[wanted] = taken(reading, wanted, row, BARRIER_ROWS[1], CONFERENCE_ROLE,
                                         status=NOTED)


def unmatched_role(family: Family) -> str:
    roles = {role for _group, _field, role in family.agreements}
    return roles.pop() if len(roles) == 1 else UNCLASSIFIED


def status_on(action_id: int, day: dt.date) -> str:
    """The action's status on ``day``: its latest event that took effect by then."""
    latest = db.session.scalar(STATUS_ON, {"action_id": action_id, "day": day})
    return latest or OPEN


def settle_all(action_ids) -> None:
    """Each action's current status and closing date, from its latest event."""
    if not action_ids:
        return
    db.session.flush()
    for action in db.session.scalars(select(Action).where(Action.id.in_(sorted(action_ids)),
                                                          Action.family != BARRIERS)):
        latest = db.session.execute(select(ActionEvent.status, ActionEvent.effective_on).where(
            ActionEvent.action_id == action.id).order_by(
            ActionEvent.effective_on.desc(), ActionEvent.at.desc(), ActionEvent.id.desc())
            .limit(1)).first()
        action.status = latest.status if latest else OPEN
        action.closed_on = latest.effective_on if latest and latest.status in CLOSED else None
    db.session.flush()


def rows_by_group(values: MultiDict) -> dict[str, list[dict]]:
    """The rows of each group (``group-index-field`` keys), in the order of their index."""
    groups: dict[str, dict[int, dict]] = {}
    for name, value in values.items():
        match = ROW_KEY.match(name)
        if match:
            rows = groups.setdefault(match["group"], {})
            rows.setdefault(int(match["index"]), {})[match["field"]] = value
    return {group: [rows[index] for index in sorted(rows)] for group, rows in groups.items()}


def choice(kind: str, path: str, value):
    """A choice's value under today's name (records issued before a rename)."""
    return CONTEXTS[kind].former_values.get(path, {}).get(value, value)


# --- what it answers -----------------------------------------------------------------------------
def tracked_query():
    return (select(Action, Record.number, Record.document_key)
            .join(Record, Record.id == Action.origin_record_id)
            .where(Action.family != BARRIERS))


def as_tracked(row) -> Tracked:
    action, number, document_key = row
    return Tracked(id=action.id, team_id=action.team_id, family=action.family,
                   record_id=action.origin_record_id, number=number or "",
                   document_key=document_key, day=action.agreed_on, role=action.role,
                   deadline=action.deadline, status=action.status, closed_on=action.closed_on)


def of_team(team: Team):
    """The WHERE of a team's actions: its own, and the conferences of its region (a team's
    Conferencia ampliada may be its region's, as the dashboard counts it)."""
    if team.region_id is None:
        return Action.team_id == team.id
    return or_(Action.team_id == team.id,
               and_(Action.team_id == team.region_id, Action.family == CONFERENCES))


def open_at(team_id: int, family: str, day: dt.date, subject: str | None = None
            ) -> list[Action]:
    """The actions of ``family`` agreed by the team before ``day`` and still open as that day
    begins, in the order of the meetings that agreed them (back-filled records included)."""
    query = select(Action).where(Action.team_id == team_id, Action.family == family,
                                 Action.agreed_on < day)
    if subject is not None:
        query = query.where(Action.subject_digest == subject)
    candidates = list(db.session.scalars(query.order_by(Action.agreed_on, Action.id)))
    latest: dict[int, str] = {}
    for action_id, status in db.session.execute(
            select(ActionEvent.action_id, ActionEvent.status)
            .where(ActionEvent.action_id.in_([action.id for action in candidates]),
                   ActionEvent.effective_on < day)
            .order_by(ActionEvent.effective_on, ActionEvent.at, ActionEvent.id)):
        latest[action_id] = status
    return [action for action in candidates if latest.get(action.id, OPEN) in STILL_OPEN]


def open_actions(team_id: int, today: dt.date | None = None, family: str | None = None,
                 role: str | None = None) -> list[Tracked]:
    """The team's actions still open (of ``family``, of ``role``), overdue on ``today`` first,
    then by deadline and date agreed."""
    team = db.session.get(Team, team_id)
    if team is None:
        return []
    today = today or now().date()
    query = tracked_query().where(of_team(team), Action.status.in_(STILL_OPEN))
    if family:
        query = query.where(Action.family == family)
    if role:
        query = query.where(Action.role == role)
    actions = [as_tracked(row) for row in db.session.execute(query)]
    return sorted(actions, key=lambda action: pending_order(action, today))


def pending_order(action: Tracked, today: dt.date):
    return (action.state(today) != OVERDUE, action.deadline or dt.date.max, action.day,
            action.id)


def overdue(team_id: int, today: dt.date) -> list[Tracked]:
    """The team's open actions whose deadline passed by ``today`` (reminders count them)."""
    team = db.session.get(Team, team_id)
    if team is None:
        return []
    query = tracked_query().where(of_team(team), Action.status.in_(STILL_OPEN),
                                  Action.deadline < today)
    return sorted((as_tracked(row) for row in db.session.execute(query)),
                  key=lambda action: pending_order(action, today))


def agreed_since(team: Team, start: dt.date) -> list[Tracked]:
    """The team's actions agreed from ``start`` on, whatever their status (the dashboard's)."""
    query = tracked_query().where(of_team(team), Action.agreed_on >= start).order_by(
        Action.agreed_on, Action.id)
    return [as_tracked(row) for row in db.session.execute(query)]


def find(action_id) -> Action | None:
    try:
        wanted = int(action_id)
    except (TypeError, ValueError):
        return None
    return db.session.get(Action, wanted) if 0 < wanted < 2**31 else None


@dataclass(frozen=True)
class Barrier:
    """A barrier named in several conferences: its text key, the conferences (record id and
    number, oldest first) and one record to read its text from."""

    key: str
    conferences: tuple[tuple[int, str], ...]
    action_id: int


def recurring_barriers(team: Team) -> list[Barrier]:
    """The barriers of the team's (and its region's) conferences named in more than one."""
    teams = [team.id] + ([team.region_id] if team.region_id else [])
    keys = select(Action.text_key).where(Action.family == BARRIERS, Action.team_id.in_(teams)) \
        .group_by(Action.text_key).having(func.count(func.distinct(Action.origin_record_id)) > 1)
    rows = db.session.execute(
        select(Action.text_key, Action.id, Record.id, Record.number)
        .join(Record, Record.id == Action.origin_record_id)
        .where(Action.family == BARRIERS, Action.team_id.in_(teams), Action.text_key.in_(keys))
        .order_by(Action.agreed_on, Action.id))
    found: dict[str, list] = {}
    for key, action_id, record_id, number in rows:
        found.setdefault(key, [action_id, []])[1].append((record_id, number or ""))
    return sorted((Barrier(key, tuple(conferences), first) for key, (first, conferences)
                   in found.items()), key=lambda barrier: -len(barrier.conferences))


# --- the owner's update --------------------------------------------------------------------------
def may_update(user, action: Action) -> bool:
    """Who may change the record that agreed it (records.need_to_know) records its progress."""
    return action.family != BARRIERS and need_to_know.may_change(user, action.origin)


def record_progress(action: Action, status: str, note: str | None, user, today: dt.date
                    ) -> None:
    """Record the progress of ``action`` (or close it: done, cancelled) from ``today``, by its
    owner; audited without the text or the note. Raises NotAllowed."""
    if not may_update(user, action) or action.status not in STILL_OPEN or \
            status not in STATUSES or status == OPEN:
        raise NotAllowed("this action is not this user's to update, or is closed")
    note = " ".join((note or "").split())[:NOTE_LENGTH] or None
    event = ActionEvent(action_id=action.id, status=status, effective_on=today,
                        at=now(whole_seconds=True), user_id=user.id)
    event.note = note
    db.session.add(event)
    settle_all({action.id})
    audit.append("action_updated", target=action.id, record=action.origin_record_id,
                 number=action.origin.number, status=status, with_note=bool(note))


# --- carried forward into a new record -----------------------------------------------------------
def carried_rows(form, team_id: int, day: dt.date, subject: str | None = None):
    """The follow-up rows of a new record of ``form``'s kind dated ``day``: every action of the
    team still open then, as (row group, text field, rows); None when the form follows no
    action up (or has no follow-up group yet)."""
    family = FAMILIES.get(getattr(form, "document_key", None))
    if family is None or family.follow_up not in form._fields or (
            family.per_subject and subject is None):
        return None
    carried = open_at(team_id, family.name, day, subject if family.per_subject else None)
    audit_reading({action.origin_record_id: action.origin for action in carried}.values())
    rows = [{family.follow_up_text: action.text or "", "responsible": action.responsible or "",
             "deadline": action.deadline, "status": "", family.note_field: ""}
            for action in carried]
    return family.follow_up, family.follow_up_text, rows


def audit_reading(records) -> None:
    """What a record agreed is read again as it is carried: audited like reading it
    (records.carry_forward), with ids and numbers only."""
    for record in records:
        audit.append("record_viewed", target=record.id, document=record.document_key,
                     number=record.number, purpose="carry_forward")


# --- the whole table again -----------------------------------------------------------------------
def rebuild(team_id: int | None = None) -> tuple[int, int]:
    """The tracker made again from the issued records (of one team, or of all), in the order
    of their dates: for an installation whose records were issued before the tracker, or to
    repair it. Returns how many records were read and how many could not be opened. Updates
    recorded on the Acciones page are lost with the actions they were about."""
    scope = [] if team_id is None else [Action.team_id == team_id]
    ids = select(Action.id).where(*scope)
    db.session.execute(delete(ActionEvent).where(ActionEvent.action_id.in_(ids)),
                       execution_options={"synchronize_session": False})
    db.session.execute(delete(Action).where(*scope), execution_options={"synchronize_session": False})
    query = (select(Record, RecordRevision.sealed)
             .join(RecordRevision, and_(RecordRevision.record_id == Record.id,
                                        RecordRevision.revision == Record.revision))
             .where(Record.status == ISSUED, Record.document_key.in_(sorted(FAMILIES)))
             .order_by(Record.record_date, Record.issued_at, Record.id))
    if team_id is not None:
        query = query.where(Record.team_id == team_id)
    read = unreadable = 0
    for record, sealed in db.session.execute(query).all():
        try:
            apply_record(record, open_pairs(sealed))
            read += 1
        except RecordUnavailable:
            unreadable += 1
    audit.append("actions_rebuilt", target=team_id, records=read, unreadable=unreadable)
    return read, unreadable


# --- retention and the data key ------------------------------------------------------------------
def purge_texts(record_ids: list[int]) -> None:
    """Records whose content retention emptied: the texts copied from them go too (the action
    and its responsible, the notes of their follow-ups), and the digest of the text."""
    from_them = select(Action.id).where(Action.origin_record_id.in_(record_ids))
    db.session.execute(update(Action).where(Action.origin_record_id.in_(record_ids)).values(
        sealed_text=None, sealed_responsible=None, text_key="", subject_digest=None),
        execution_options={"synchronize_session": False})
    db.session.execute(update(ActionEvent).where(or_(
        ActionEvent.record_id.in_(record_ids), ActionEvent.action_id.in_(from_them))).values(
        sealed_note=None), execution_options={"synchronize_session": False})


def reseal_texts() -> None:
    """After the data key changed: every text sealed again, every digest keyed again (the
    worker's, as records.retention computes the records' own again)."""
    purpose = sealer(SEALED_AS)
    for action in db.session.scalars(select(Action)):
        if action.sealed_text is not None:
            action.sealed_text = purpose.reseal(action.sealed_text)
            action.text_key = text_key(action.text) or action.text_key
        if action.sealed_responsible is not None:
            action.sealed_responsible = purpose.reseal(action.sealed_responsible)
        if action.subject_digest is not None:
            action.subject_digest = action.origin.subject_digest
    for event in db.session.scalars(select(ActionEvent).where(
            ActionEvent.sealed_note.is_not(None))):
        event.sealed_note = purpose.reseal(event.sealed_note)
    db.session.flush()


# --- hooked to the records -----------------------------------------------------------------------
def on_issued(record: Record, values: MultiDict, user=None, **_extra) -> None:
    apply_record(record, values, user)


def on_withdrawn(record: Record, **_extra) -> None:
    remove_record(record)


def on_carrying(form, team_id: int, day: dt.date, subject: str | None = None, **_extra):
    return carried_rows(form, team_id, day, subject)


def on_purged(_sender, record_ids=(), **_extra) -> None:
    purge_texts(list(record_ids))


def on_key_rotated(_sender, **_extra) -> None:
    reseal_texts()


def init_app(app) -> None:
    """Follow the records' events (records.events), in the transaction of each."""
    events.issued.connect(on_issued)
    events.withdrawn.connect(on_withdrawn)
    events.carrying.connect(on_carrying)
    events.purged.connect(on_purged)
    events.key_rotated.connect(on_key_rotated)
