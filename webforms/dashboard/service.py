"""The team's pulse: whether the rhythms the seeds set hold, the actions agreed and followed, and
the anonymous caseload over time, for one team and one period.

Why here, in pieces: ``facts`` reads the team's issued records once (the only module that opens
content), ``rhythms`` is arithmetic on plain data (tested with known answers), the actions are
the tracker's (webforms.actions: closing one on the Acciones page changes the counts here),
``wording`` says it in the reader's language, ``chart`` draws the caseload, ``export`` writes the
spreadsheet. The web view only asks :func:`build` and shows what it gets: counts and dates, never
a name or a case's detail.

A mesa interna is the modality's, not only the team's: the regional coordinators also keep it,
filed under the region. A team's mesa interna rhythm counts its own mesas and those filed under
its region for one of its modalities (any modality while its modalities are not set up). A
region's own panel shows what a region holds: its Conferencia ampliada and the mesas interna of
its region by modality, with a line per team of the region (counts and dates from the records'
columns, nothing unsealed); it holds no Registros nor individual supervision, so those rhythms
are not shown as broken there.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from webforms.accounts import roster
from webforms.accounts.teams import MODALITIES
from webforms.actions import tracker
from webforms.actions.families import DONE, OPEN
from webforms.common import dates
from webforms.dashboard import rhythms
from webforms.dashboard.chart import Point
from webforms.dashboard.facts import CONFERENCE, MEETING, SUPERVISION, TABLE, Facts, load
from webforms.dashboard.staffing import Staffing
from webforms.forms.conferencia import add_months
from webforms.forms.registro import MAXIMUM_DAYS_BETWEEN_MEETINGS
from webforms.records import need_to_know
from webforms.records.saved import ISSUED
from webforms.storage.database import db
from webforms.storage.models import Record, RosterWorker, Team

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
    never: int = 0  # roster workers never supervised


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
    region_teams: list[TeamLine] = field(default_factory=list)  # a region's own panel
    records_read: int = 0
    unreadable: int = 0
    linkable: frozenset[int] = frozenset()  # records the viewer may open
    # The team's roster: the ratio (None without a roster) and, for a viewer who may read the
    # team's supervision records, the roster workers' names by their digest.
    staffing: Staffing | None = None
    names: dict[str, str] = field(default_factory=dict)

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

    @property
    def regional(self) -> bool:
        """A region's own panel: no Registros nor individual supervision are held there."""
        return bool(self.team.is_region)

    def workers_summary(self) -> WorkersSummary:
        lasts = [rhythm.last for rhythm in self.workers if rhythm.last]
        return WorkersSummary(sessions=sum(len(rhythm.dates) for rhythm in self.workers),
                              last=max(lasts, default=None), workers=len(self.workers),
                              broken=sum(1 for rhythm in self.workers if rhythm.broken),
                              overdue=sum(1 for rhythm in self.workers if rhythm.overdue),
                              never=sum(1 for rhythm in self.workers if rhythm.never))

    def worker_name(self, rhythm: rhythms.Rhythm) -> str | None:
        """The roster's name of a worker, for a viewer who may read it; else None."""
        return self.names.get(rhythm.digest or "")


@dataclass(frozen=True)
class TeamLine:
    """One team of a region on the region's panel: issued records of the period by form and the
    date of the last one (from the records' columns, nothing unsealed)."""

    team: Team
    counts: dict[str, int]
    last: dict[str, dt.date]

    def meeting_overdue(self, today: dt.date) -> bool:
        last = self.last.get(MEETING)
        return last is None or (today - last).days > MAXIMUM_DAYS_BETWEEN_MEETINGS


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
    today = today or dates.local_today()
    start = period_start(today, months)
    modalities, others = kept_modalities(team), table_teams(team)
    facts, unreadable = load(team.id, team.region_id, start - dt.timedelta(days=LOOK_BACK_DAYS),
                             tables_of=others)
    facts = [item for item in facts if concerns(item, team, modalities)]
    first_day = first_record_day([team.id, *others] if team.is_region else [team.id])
    actions = tracker.agreed_since(team, start)
    staff = roster.workers_of(team.id)
    return Dashboard(
        team=team, months=months, start=start, today=today,
        rhythms=team_rhythms(facts, start, today, first_day, modalities,
                             regional=team.is_region),
        workers=supervised_workers(facts, staff, start, today),
        actions=actions,
        caseload=caseload(facts, start),
        region_teams=region_lines(team, start, today) if team.is_region else [],
        records_read=sum(1 for item in facts if item.day and item.day >= start),
        unreadable=unreadable,
        linkable=frozenset(linkable(facts, user, actions)),
        staffing=staffing_of(staff, today), names=worker_names(team, staff, user, today))


def supervised_workers(facts: list[Facts], staff: list[RosterWorker], start: dt.date,
                       today: dt.date) -> list[rhythms.Rhythm]:
    """Individual supervision per worker: the roster's current workers (matched with their
    sessions by digest), and anyone else seen in the period; who left the roster is dropped."""
    return rhythms.supervision(
        [(item.subject, item.day, item.minutes) for item in of_kind(facts, SUPERVISION)
         if item.subject], start, today,
        roster=[worker.name_digest for worker in roster.current(staff, today)],
        left=[worker.name_digest for worker in staff
              if worker.end_date is not None and worker.end_date < today])


def staffing_of(staff: list[RosterWorker], today: dt.date) -> Staffing | None:
    """Current supervisors and supervised workers of the roster; None without a roster."""
    if not staff:
        return None
    return Staffing(supervisors=len(roster.current(staff, today, roles=(roster.SUPERVISOR,))),
                    workers=len(roster.current(staff, today)))


def worker_names(team: Team, staff: list[RosterWorker], user, today: dt.date) -> dict[str, str]:
    """The current workers' names by digest, for a ``user`` who may read the team's supervision
    records (records.need_to_know); none for anyone else."""
    if not need_to_know.reach_of(user).may_read(team.id, SUPERVISION):
        return {}
    return {worker.name_digest: worker.name for worker in roster.current(staff, today)}


def kept_modalities(team: Team) -> tuple[str, ...]:
    """The modalities whose mesa interna ``team`` keeps: its own; a region's, its teams'."""
    if not team.is_region:
        return tuple(team.modalities or ())
    keys = {key for member in team.region_teams for key in (member.modalities or ())}
    return tuple(key for key in MODALITIES if key in keys)


def table_teams(team: Team) -> list[int]:
    """The other teams whose mesas interna count for ``team``: its region (the coordinators keep
    it there); for a region, its teams."""
    if team.is_region:
        return [member.id for member in team.region_teams]
    return [team.region_id] if team.region_id else []


def concerns(item: Facts, team: Team, modalities) -> bool:
    """Whether a record read counts for ``team``: its own always; a mesa filed elsewhere when
    its modality is one ``team`` keeps (any, while none is set up)."""
    return (item.team_id == team.id or item.kind != TABLE or not modalities
            or item.modality in modalities)


def team_rhythms(facts: list[Facts], start: dt.date, today: dt.date,
                 first_day: dt.date | None, modalities=(), regional: bool = False
                 ) -> list[rhythms.Rhythm]:
    """Meetings, extended sessions, mesa interna (one for each of the team's ``modalities``, or
    one for the team when none is set up), Conferencia ampliada; a ``regional`` team holds no
    meetings. A month before the team's first issued record is not counted as missed: the team
    was not using this yet."""
    monthly_start = max(start, first_day.replace(day=1)) if first_day else start
    meetings, tables = of_kind(facts, MEETING), of_kind(facts, TABLE)
    internal = rhythms.internal_tables_by_modality(
        [(item.modality, item.day) for item in tables], modalities, monthly_start, today) \
        if modalities else [rhythms.internal_tables([item.day for item in tables],
                                                    monthly_start, today)]
    held = [] if regional else [
        rhythms.meetings([(item.day, item.minutes) for item in meetings], start, today),
        rhythms.extended_sessions([item.day for item in meetings if item.extended],
                                  monthly_start, today)]
    return [*held, *internal,
            rhythms.conferences([item.day for item in of_kind(facts, CONFERENCE)], start, today)]


def region_lines(region: Team, start: dt.date, today: dt.date) -> list[TeamLine]:
    """Each team of ``region``: its issued records of the period by form and the last one's date
    (one grouped query on the records' columns)."""
    members = sorted(region.region_teams, key=lambda member: member.name)
    rows = db.session.execute(
        select(Record.team_id, Record.document_key, func.count(), func.max(Record.record_date))
        .where(Record.team_id.in_([member.id for member in members]),
               Record.status == ISSUED, Record.record_date >= start,
               Record.record_date <= today)
        .group_by(Record.team_id, Record.document_key))
    counts: dict[int, dict[str, int]] = {}
    lasts: dict[int, dict[str, dt.date]] = {}
    for team_id, key, count, last in rows:
        counts.setdefault(team_id, {})[key] = count
        lasts.setdefault(team_id, {})[key] = last
    return [TeamLine(member, counts.get(member.id, {}), lasts.get(member.id, {}))
            for member in members]


def of_kind(facts: list[Facts], kind: str) -> list[Facts]:
    return [item for item in facts if item.kind == kind and item.day is not None]


def first_record_day(team_ids: list[int]) -> dt.date | None:
    """The date of the first issued record of the teams (one indexed aggregate)."""
    return db.session.scalar(select(func.min(Record.record_date)).where(
        Record.team_id.in_(team_ids), Record.status == ISSUED))


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


def team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)
