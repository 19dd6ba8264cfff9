"""What the Acciones page shows one user for one team: the open actions (overdue first), their
text only where the user may read the record that agreed them (records.need_to_know), which of
them the user may update, and the barriers named in several conferences.

Why a service of its own: the page never queries the database nor unseals anything itself, and
the rule "the text only to who may read the record" is applied in one place.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from webforms.accounts import roster
from webforms.actions import tracker
from webforms.actions.families import FAMILY_NAMES, KIND_OF_FAMILY, ROLES
from webforms.records import need_to_know
from webforms.storage.database import db
from webforms.storage.models import Action, Team


@dataclass(frozen=True)
class Shown:
    """One action on the page: the tracker's plain data, its text and responsible (None when
    the user may not read its record) and whether the user may update it."""

    action: tracker.Tracked
    text: str | None
    responsible: str | None
    updatable: bool


@dataclass(frozen=True)
class RecurringBarrier:
    text: str | None
    conferences: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Page:
    team: Team
    today: dt.date
    family: str
    role: str
    person: int | None = None
    people: tuple[tuple[int, str], ...] = ()  # the roster, for the filter (who may read)
    actions: list[Shown] = field(default_factory=list)
    barriers: list[RecurringBarrier] = field(default_factory=list)
    readable_records: frozenset[int] = frozenset()

    def overdue_count(self) -> int:
        return sum(1 for shown in self.actions if shown.action.state(self.today) == tracker.OVERDUE)


def team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)


def chosen(value, choices) -> str:
    """A filter of the query string, or "" (every one) when it is not one offered."""
    return value if isinstance(value, str) and value in choices else ""


def build(team_: Team, user, today: dt.date, family=None, role=None, person=None) -> Page:
    """The page of ``team_`` for ``user`` on ``today``, filtered by origin and responsible (a
    role, or a person of the team's roster)."""
    family, role = chosen(family, FAMILY_NAMES), chosen(role, ROLES)
    reach = need_to_know.reach_of(user)
    people = roster_people(team_, reach, today)
    person = next((key for key, _name in people if str(key) == str(person)), None)
    opened = tracker.open_actions(team_.id, today, family or None, role or None)
    rows = {action.id: action for action in db.session.scalars(
        select(Action).where(Action.id.in_([item.id for item in opened])))}
    shown = []
    for item in opened:
        stored = rows[item.id]
        if person is not None and stored.roster_worker_id != person:
            continue
        readable = reach.may_read(item.team_id, item.document_key)
        shown.append(Shown(item, stored.text if readable else None,
                           stored.responsible if readable else None,
                           reach.may_change(item.team_id, item.document_key)))
    return Page(team_, today, family, role, person, people, shown, barriers(team_, reach),
                frozenset(item.record_id for item in opened
                          if reach.may_read(item.team_id, item.document_key)))


def roster_people(team_: Team, reach, today: dt.date) -> tuple[tuple[int, str], ...]:
    """The team's current roster (id, name), to filter by person: for who may read the team's
    Registros, where the names are typed; nobody else sees them."""
    if not reach.may_read(team_.id, KIND_OF_FAMILY["meetings"]):
        return ()
    workers = roster.current(roster.workers_of(team_.id), today, roles=tuple(roster.ROLES))
    return tuple((worker.id, worker.name) for worker in workers if worker.name)


def barriers(team_: Team, reach) -> list[RecurringBarrier]:
    """The recurring barriers, their text to who may read the conferences."""
    found = []
    for barrier in tracker.recurring_barriers(team_):
        stored = db.session.get(Action, barrier.action_id)
        readable = reach.may_read(stored.team_id, KIND_OF_FAMILY["conferences"])
        found.append(RecurringBarrier(stored.text if readable else None, barrier.conferences))
    return found


def action_of_team(team_: Team, action_id) -> Action | None:
    """The action ``action_id`` if it is one the team's page lists (404 otherwise)."""
    action = tracker.find(action_id)
    if action is None or action.family not in KIND_OF_FAMILY:
        return None
    in_team = action.team_id == team_.id or (
        action.team_id == team_.region_id and action.family == "conferences")
    return action if in_team else None
