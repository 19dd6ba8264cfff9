"""What a reminder says about one team, read from the team's dashboard: the actions overdue and
still open, and the rhythms broken now. The one place that reads it, so that the action tracker
(webforms.actions.tracker) can take the dashboard's place here alone.

Nothing read here is text typed in a record: an action is the number and date of the record that
agreed it and its deadline; a rhythm is its key (named by dashboard.wording) and since when it is
broken. The keys say what was already notified (reminders.service) and are made of ids and dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from webforms.dashboard import service as dashboard
from webforms.dashboard import wording
from webforms.dashboard.actions import OPEN, OVERDUE
from webforms.dashboard.rhythms import SUPERVISION, Rhythm
from webforms.forms.conferencia import add_months
from webforms.storage.models import Team


@dataclass(frozen=True)
class OverdueAction:
    """An overdue action: where it was agreed (record number and date) and its deadline."""

    key: str
    number: str
    day: dt.date | None
    deadline: dt.date | None


@dataclass(frozen=True)
class BrokenRhythm:
    """A rhythm broken now, since ``since`` (the due date passed, or the first month missed)."""

    key: str
    rhythm: Rhythm
    since: dt.date

    def name(self) -> str:
        if self.rhythm.key == SUPERVISION:
            return f"{wording.rhythm_name(self.rhythm)} · {wording.worker(self.rhythm)}"
        return wording.rhythm_name(self.rhythm)


@dataclass(frozen=True)
class TeamPulse:
    """One team's reminder: open actions (within their deadline), overdue ones, broken rhythms."""

    team: Team
    open: int
    overdue: tuple[OverdueAction, ...]
    broken: tuple[BrokenRhythm, ...]

    @property
    def quiet(self) -> bool:
        return not self.overdue and not self.broken


def pulse(team: Team, user, today: dt.date) -> TeamPulse:
    """``team``'s actions and rhythms on ``today``, as ``user`` (a supervisor or coordinator of
    it) would see them on the dashboard. The lead switches this function to the tracker."""
    board = dashboard.build(team, user, today=today)
    seen: dict[int, int] = {}
    overdue = []
    for action in board.actions:
        seen[action.record_id] = seen.get(action.record_id, 0) + 1
        if action.state(today) == OVERDUE:
            overdue.append(OverdueAction(f"{action.record_id}:{seen[action.record_id]}",
                                         action.number, action.day, action.deadline))
    broken = [found for rhythm in (*board.rhythms, *board.workers)
              if (found := broken_now(rhythm, today)) is not None]
    return TeamPulse(team, sum(1 for action in board.actions if action.state(today) == OPEN),
                     tuple(sorted(overdue, key=lambda item: (item.deadline or dt.date.min,
                                                             item.number))),
                     tuple(broken))


def broken_now(rhythm: Rhythm, today: dt.date) -> BrokenRhythm | None:
    """The rhythm's current break: past its due date, or last month (and those before it in a
    row) missed; None while it holds."""
    if rhythm.overdue and rhythm.due:
        since = rhythm.due
    else:
        month, missed = add_months(today.replace(day=1), -1), set(rhythm.missed_months)
        if month not in missed:
            return None
        while add_months(month, -1) in missed:
            month = add_months(month, -1)
        since = month
    who = rhythm.modality or rhythm.subject or ""
    return BrokenRhythm(f"{rhythm.key}:{who}:{since.isoformat()}", rhythm, since)
