"""The team's pulse: whether the rhythms the seeds set hold, the actions agreed and followed, and
the anonymous caseload over time, for one team and one period.

Why here, in pieces: ``facts`` reads the team's issued records once (the only module that opens
content), ``rhythms`` is arithmetic on plain data (tested with known answers), the actions are
the tracker's (webforms.actions: closing one on the Acciones page changes the counts here),
``wording`` says it in the reader's language, ``chart`` draws the caseload, ``export`` writes the
spreadsheet. The web view only asks :func:`build` and shows what it gets: counts and dates, never
a name or a case's detail.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import get_timezone
from sqlalchemy import func, select

from webforms.actions import tracker
from webforms.actions.families import DONE, OPEN
from webforms.clock import now
from webforms.dashboard import rhythms
from webforms.dashboard.chart import Point
from webforms.dashboard.facts import CONFERENCE, MEETING, SUPERVISION, TABLE, Facts, load
from webforms.forms.conferencia import add_months
from webforms.records import need_to_know
from webforms.records.saved import ISSUED
from webforms.storage.database import db
from webforms.storage.models import Record, Team

PERIODS = (3, 6, 12, 24, 60)  # months; five years is what records are kept for
DEFAULT_MONTHS = 12
# Records read before the period: enough to find the conference before it (three months) and
# the meeting or session before the first one of the period.
LOOK_BACK_DAYS = 100
ACTION_STATES = (OPEN, tracker.OVERDUE, DONE)


@dataclass(frozen=True)
class WorkersSummary:
    """Individual supervision in one line: sessions, the last one, workers seen, workers whose
    rhythm broke, workers whose next session is overdue."""

    sessions: int
    last: dt.date | None
    workers: int
    broken: int
    overdue: int


@dataclass(frozen=True)
class Dashboard:
    """One team's dashboard over ``start``..``today``."""

    team: Team
    months: int
    start: dt.date
    today: dt.date
    rhythms: list[rhythms.Rhythm] = field(default_factory=list)
    workers: list[rhythms.Rhythm] = field(default_factory=list)
    actions: list[tracker.Tracked] = field(default_factory=list)
    caseload: list[Point] = field(default_factory=list)
    records_read: int = 0
    unreadable: int = 0
    linkable: frozenset[int] = frozenset()  # records the viewer may open

    def actions_summary(self) -> dict[str, dict[str, int]]:
        """Counts by responsible role and state: {role: {open, overdue, done}}."""
        counts: dict[str, dict[str, int]] = {}
        for action in self.actions:
            role = counts.setdefault(action.role, dict.fromkeys(ACTION_STATES, 0))
            role[action.state(self.today)] += 1
        return counts

    def pending_actions(self) -> list[tracker.Tracked]:
        """The actions not done, overdue first, then by deadline (none last) and date agreed."""
        waiting = [action for action in self.actions if action.state(self.today) != DONE]
        return sorted(waiting, key=lambda action: tracker.pending_order(action, self.today))

    def workers_summary(self) -> WorkersSummary:
        lasts = [rhythm.last for rhythm in self.workers if rhythm.last]
        return WorkersSummary(sessions=sum(len(rhythm.dates) for rhythm in self.workers),
                              last=max(lasts, default=None), workers=len(self.workers),
                              broken=sum(1 for rhythm in self.workers if rhythm.broken),
                              overdue=sum(1 for rhythm in self.workers if rhythm.overdue))


def local_today() -> dt.date:
    """Today in the reader's time zone (webforms.clock.now, the one clock)."""
    return now().astimezone(get_timezone()).date()


def period_start(today: dt.date, months: int) -> dt.date:
    """The first day of the period: the first of the month ``months - 1`` months back."""
    return add_months(today.replace(day=1), -(months - 1))


def months_asked(text) -> int:
    """The period asked for in the query string, or the default when it is not one offered."""
    return int(text) if isinstance(text, str) and text in {str(m) for m in PERIODS} \
        else DEFAULT_MONTHS


def build(team: Team, user, months: int = DEFAULT_MONTHS, today: dt.date | None = None
          ) -> Dashboard:
    """The dashboard of ``team`` (one ``user`` may read) over the last ``months`` months."""
    today = today or local_today()
    start = period_start(today, months)
    facts, unreadable = load(team.id, team.region_id, start - dt.timedelta(days=LOOK_BACK_DAYS))
    actions = tracker.agreed_since(team, start)
    return Dashboard(
        team=team, months=months, start=start, today=today,
        rhythms=team_rhythms(facts, start, today, first_record_day(team.id),
                             team.modalities or ()),
        workers=rhythms.supervision(
            [(item.subject, item.day, item.minutes) for item in of_kind(facts, SUPERVISION)
             if item.subject], start, today),
        actions=actions,
        caseload=caseload(facts, start),
        records_read=sum(1 for item in facts if item.day and item.day >= start),
        unreadable=unreadable,
        linkable=frozenset(linkable(facts, user, actions)))


def team_rhythms(facts: list[Facts], start: dt.date, today: dt.date,
                 first_day: dt.date | None, modalities=()) -> list[rhythms.Rhythm]:
    """Meetings, extended sessions, mesa interna (one for each of the team's ``modalities``, or
    one for the team when none is set up), Conferencia ampliada. A month before the team's first
    issued record is not counted as missed: the team was not using this yet."""
    monthly_start = max(start, first_day.replace(day=1)) if first_day else start
    meetings, tables = of_kind(facts, MEETING), of_kind(facts, TABLE)
    internal = rhythms.internal_tables_by_modality(
        [(item.modality, item.day) for item in tables], modalities, monthly_start, today) \
        if modalities else [rhythms.internal_tables([item.day for item in tables],
                                                    monthly_start, today)]
    return [
        rhythms.meetings([(item.day, item.minutes) for item in meetings], start, today),
        rhythms.extended_sessions([item.day for item in meetings if item.extended],
                                  monthly_start, today),
        *internal,
        rhythms.conferences([item.day for item in of_kind(facts, CONFERENCE)], start, today),
    ]


def of_kind(facts: list[Facts], kind: str) -> list[Facts]:
    return [item for item in facts if item.kind == kind and item.day is not None]


def first_record_day(team_id: int) -> dt.date | None:
    """The date of the team's first issued record (one indexed aggregate)."""
    return db.session.scalar(select(func.min(Record.record_date)).where(
        Record.team_id == team_id, Record.status == ISSUED))


def caseload(facts: list[Facts], start: dt.date) -> list[Point]:
    """Open, high- and medium-risk cases at each meeting of the period; with two Registros on
    one day, the one issued last."""
    by_day = {item.day: item.counts for item in of_kind(facts, MEETING)
              if item.counts is not None and item.day >= start}
    return [Point(day, counts) for day, counts in sorted(by_day.items())]


def linkable(facts: list[Facts], user, actions=()) -> set[int]:
    """The records the page may link to: those ``user`` may read (records.need_to_know: a
    supervisor opens the team's Registros, not its conferences; a coordinator reads them all)."""
    reach = need_to_know.reach_of(user)
    return {item.record_id for item in facts if reach.may_read(item.team_id, item.kind)} | {
        action.record_id for action in actions
        if reach.may_read(action.team_id, action.document_key)}


def teams_readable_by(user) -> list[Team]:
    """The teams whose dashboard ``user`` may open, by name (a coordinator: each of the region)."""
    return list(db.session.scalars(select(Team).where(Team.id.in_(
        sorted(need_to_know.readable_team_ids(user)))).order_by(Team.name)))


def team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)
