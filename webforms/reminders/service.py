"""Who gets which reminder, when, and that nobody gets one twice.

Hourly (reminders.tasks) or on demand (``flask reminders send``), for each supervisor and
coordinator who takes reminders by mail (accounts.reminder_settings), over the teams whose
dashboard they may open (records.need_to_know): the weekly digest of each team whose day and hour
have come this week and that was not sent this week, then one notice of the actions that became
overdue and the rhythms that broke since they were last told. A digest tells what it lists, so no
notice repeats it. What was sent is remembered in ``reminder_notices`` (ids and dates as keys).

Each recipient is sent one message at a time and committed on its own: a refused address or a
server down is logged and audited (``reminder_failed``), nothing is remembered (the next hour
tries again), and the others are still sent. Every sending is audited (``reminder_sent``): the
recipient, the kind, the team and the counts, never what the records say.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from webforms.accounts.reminder_settings import REMINDED_ROLES
from webforms.audit import trail as audit
from webforms.clock import now
from webforms.records.need_to_know import readable_team_ids
from webforms.reminders import mailing, reading, schedule
from webforms.reminders.links import Links, absolute_team_links
from webforms.storage.database import db
from webforms.storage.models import ReminderNotice, Role, Team, User

DIGEST, NOTICE = mailing.DIGEST, mailing.NOTICE
ACTION, RHYTHM = "action", "rhythm"  # what a notice remembers, one row an action or a break


@dataclass(frozen=True)
class Section:
    """One team in a message: its pulse, its links, and for a notice what is new in it."""

    pulse: reading.TeamPulse
    links: Links
    actions: tuple[reading.OverdueAction, ...] = ()
    rhythms: tuple[reading.BrokenRhythm, ...] = ()


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_URL"))


def send_due(moment: dt.datetime | None = None, *, force: bool = False) -> Outcome:
    """Send what is due at ``moment`` (now by default); ``force``: every team's digest not sent
    this week, whatever its day and hour. Commits after each recipient."""
    when, outcome, pulses = schedule.local(moment or now()), Outcome(), {}
    if not mail_configured():
        return outcome
    for user in recipients():
        digest = digest_sections(user, when, force, pulses)
        notice = notice_sections(user, when, pulses, {item.pulse.team.id for item in digest})
        for kind, sections in ((DIGEST, digest), (NOTICE, notice)):
            if sections:
                sent = send_one(user, kind, sections, week=schedule.week_key(when.date()))
                outcome.sent, outcome.failed = outcome.sent + sent, outcome.failed + (not sent)
                outcome.kinds[kind] = outcome.kinds.get(kind, 0) + sent
        db.session.commit()
    return outcome


def recipients() -> list[User]:
    """Active supervisors and coordinators who take reminders by mail."""
    return list(db.session.scalars(
        select(User).where(User.roles.any(Role.name.in_(REMINDED_ROLES)),
                           User.active.is_(True), User.reminders.is_(True))
        .order_by(User.id)))


def teams_of(user) -> list[Team]:
    """The active teams whose dashboard ``user`` may open, by name."""
    ids = sorted(readable_team_ids(user))
    return list(db.session.scalars(select(Team).where(Team.id.in_(ids), Team.active.is_(True))
                                   .order_by(Team.name))) if ids else []


def pulse_of(team: Team, user, when: dt.datetime, pulses: dict) -> reading.TeamPulse:
    """The team's pulse, read once per run whoever asks (it holds no reader's detail)."""
    if team.id not in pulses:
        pulses[team.id] = reading.pulse(team, user, when.date())
    return pulses[team.id]


def digest_sections(user, when: dt.datetime, force: bool, pulses: dict) -> list[Section]:
    """The teams of ``user`` whose digest is due at ``when`` and not yet sent this week."""
    week = schedule.week_key(when.date())
    due = [team for team in teams_of(user) if force or schedule.digest_due(
        team.digest_weekday, team.digest_hour, when)]
    sent = already(user.id, DIGEST, [f"{team.id}:{week}" for team in due])
    return [Section(pulse_of(team, user, when, pulses), absolute_team_links(team.id))
            for team in due if f"{team.id}:{week}" not in sent]


def notice_sections(user, when: dt.datetime, pulses: dict, in_digest: set[int]
                    ) -> list[Section]:
    """The teams of ``user`` (those not in this run's digest) with an action overdue or a
    rhythm broken that ``user`` was not told of yet."""
    sections = []
    for team in teams_of(user):
        if team.id in in_digest:
            continue
        pulse = pulse_of(team, user, when, pulses)
        told_actions = already(user.id, ACTION, [item.key for item in pulse.overdue])
        told_rhythms = already(user.id, RHYTHM, [item.key for item in pulse.broken])
        actions = tuple(item for item in pulse.overdue if item.key not in told_actions)
        rhythms = tuple(item for item in pulse.broken if item.key not in told_rhythms)
        if actions or rhythms:
            sections.append(Section(pulse, absolute_team_links(team.id), actions, rhythms))
    return sections


def already(user_id: int, kind: str, keys: list[str]) -> set[str]:
    """Which of ``keys`` of ``kind`` were already sent to the user."""
    if not keys:
        return set()
    return set(db.session.scalars(select(ReminderNotice.key).where(
        ReminderNotice.user_id == user_id, ReminderNotice.kind == kind,
        ReminderNotice.key.in_(keys))))


def send_one(user, kind: str, sections: list[Section], week: str) -> bool:
    """Send one message; remembered and audited when sent, logged and audited when not."""
    try:
        mailing.deliver(mailing.message(kind, user.email, sections))
    except Exception as error:  # one recipient's failure must not stop the others
        current_app.logger.error("reminder %s to user %s not sent through %s:%s: %s", kind,
                                 user.id, current_app.config.get("MAIL_SERVER"),
                                 current_app.config.get("MAIL_PORT"), type(error).__name__)
        audit.append_each("reminder_failed", [(user.id, {
            "kind": kind, "team": item.pulse.team.id, "error": type(error).__name__})
            for item in sections])
        return False
    remember(user.id, kind, sections, week)
    audit.append_each("reminder_sent", [(user.id, counts(kind, item)) for item in sections])
    return True


def remember(user_id: int, kind: str, sections: list[Section], week: str) -> None:
    """What the message told: a digest its team's week and everything it listed; a notice the
    actions and breaks it named."""
    told: dict[str, list[str]] = {DIGEST: [], ACTION: [], RHYTHM: []}
    for item in sections:
        digest = kind == DIGEST
        if digest:
            told[DIGEST].append(f"{item.pulse.team.id}:{week}")
        told[ACTION] += [action.key for action in (item.pulse.overdue if digest else item.actions)]
        told[RHYTHM] += [rhythm.key for rhythm in (item.pulse.broken if digest else item.rhythms)]
    moment = now()
    for told_kind, keys in told.items():
        known = already(user_id, told_kind, keys)
        db.session.add_all(ReminderNotice(user_id=user_id, kind=told_kind, key=key,
                                          sent_at=moment)
                           for key in sorted(set(keys) - known))
    db.session.flush()


def counts(kind: str, item: Section) -> dict:
    """The audit's details of one team in a message: counts only."""
    if kind == DIGEST:
        return {"kind": kind, "team": item.pulse.team.id, "overdue": len(item.pulse.overdue),
                "open": item.pulse.open, "broken": len(item.pulse.broken)}
    return {"kind": kind, "team": item.pulse.team.id, "overdue": len(item.actions),
            "broken": len(item.rhythms)}
