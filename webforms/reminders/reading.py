"""What a reminder says about one team: the actions overdue and still open (the action tracker,
webforms.actions.tracker) and the rhythms broken now (the team's dashboard).

Nothing read here is text typed in a record: an action is the number and date of the record that
agreed it and its deadline; a rhythm is its key (named by dashboard.wording) and since when it is
broken. The keys say what was already notified (reminders.service) and are made of ids and dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from webforms.actions import tracker
from webforms.dashboard import service as dashboard
from webforms.dashboard import wording
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
    it) would see them on the dashboard."""
    overdue = [OverdueAction(str(action.id), action.number, action.day, action.deadline)
               for action in tracker.overdue(team.id, today)]
    still_open = len(tracker.open_actions(team.id, today))
    board = dashboard.build(team, user, today=today)
    broken = [found for rhythm in (*board.rhythms, *board.workers)
              if (found := broken_now(rhythm, today)) is not None]
    return TeamPulse(team, still_open - len(overdue),
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
