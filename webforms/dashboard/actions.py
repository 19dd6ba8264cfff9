"""Actions agreed in Registros and Conferencias, followed until done.

Why matching by text: a Registro's follow-up table is loaded with the previous meeting's actions
(records.carry_forward) and the supervisor says how each went; a conference's commitments are
the previous one's action plan. A follow-up row is therefore about the open action of the same
family (meetings, conferences) with the same text, case and spacing aside; the latest follow-up
decides its status. An action agreed again while still open is the same action (its deadline
updated), not a second one. A follow-up that matches nothing (typed by hand, or loaded from a
document of another installation) is an action of its own, agreed in that record.

Nothing here is shown as text: an action is its role, its dates, its status and the record that
agreed it (the page links to that record, where reading it is audited).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from webforms.dashboard.facts import CONFERENCE, MEETING, Facts, Row, key_text

DONE = "done"
OPEN, OVERDUE = "open", "overdue"
STATES = (OPEN, OVERDUE, DONE)
FAMILIES = {MEETING: "meetings", CONFERENCE: "conferences"}


@dataclass(frozen=True)
class Action:
    """One action or commitment: where it was agreed, by whom (a role), by when, and how its
    latest follow-up said it went (``followed``: "" when not followed up yet)."""

    record_id: int
    number: str
    day: dt.date | None
    role: str
    deadline: dt.date | None
    followed: str = ""
    followed_in: int | None = None

    def state(self, today: dt.date) -> str:
        """done, overdue (its deadline passed and it is not done) or open."""
        if self.followed == DONE:
            return DONE
        return OVERDUE if self.deadline and self.deadline < today else OPEN


def track(facts: list[Facts]) -> list[Action]:
    """Every action of ``facts`` (oldest record first), with its latest follow-up applied."""
    actions: list[Action] = []
    open_by_text: dict[tuple[str, str], int] = {}  # (family, text) -> index in ``actions``
    for record in facts:
        family = FAMILIES.get(record.kind)
        if family is None:
            continue
        for row in record.follow_ups:
            follow(actions, open_by_text, (family, key_text(row.text)), record, row)
        for row in record.actions:
            agree(actions, open_by_text, (family, key_text(row.text)), record, row)
    return actions


def follow(actions: list[Action], open_by_text: dict, key, record: Facts, row: Row) -> None:
    index = open_by_text.get(key)
    if index is None:
        index = len(actions)
        actions.append(Action(record.record_id, record.number, record.day, row.role,
                              row.deadline))
    actions[index] = replace(actions[index], followed=row.status, followed_in=record.record_id,
                             deadline=actions[index].deadline or row.deadline)
    if row.status == DONE:
        open_by_text.pop(key, None)
    else:
        open_by_text[key] = index


def agree(actions: list[Action], open_by_text: dict, key, record: Facts, row: Row) -> None:
    index = open_by_text.get(key)
    if index is not None:
        actions[index] = replace(actions[index], deadline=row.deadline or actions[index].deadline)
        return
    open_by_text[key] = len(actions)
    actions.append(Action(record.record_id, record.number, record.day, row.role, row.deadline))


def in_period(actions: list[Action], start: dt.date) -> list[Action]:
    """The actions agreed in the period (older ones only served to match follow-ups)."""
    return [action for action in actions if action.day and action.day >= start]


def summary(actions: list[Action], today: dt.date) -> dict[str, dict[str, int]]:
    """Counts by responsible role and state: {role: {open, overdue, done}}."""
    counts: dict[str, dict[str, int]] = {}
    for action in actions:
        role = counts.setdefault(action.role, dict.fromkeys(STATES, 0))
        role[action.state(today)] += 1
    return counts


def pending(actions: list[Action], today: dt.date) -> list[Action]:
    """The actions not done, overdue first, then by deadline (none last) and date agreed."""
    waiting = [action for action in actions if action.state(today) != DONE]
    return sorted(waiting, key=lambda action: (
        action.state(today) != OVERDUE, action.deadline or dt.date.max,
        action.day or dt.date.min, action.record_id))
