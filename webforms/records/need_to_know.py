"""Need to know: which records a user may read and which they may change, decided in one place.

Why one module: a record is reached from many places (the list, its page, its Word and PDF
copies and their revisions, reopening, duplicating, the trash, carry-forward, the dashboard's
links, a PDF job's file), and a rule written in each of them drifts. Every one of them asks here:
:func:`may_read` / :func:`may_change` for one record, :meth:`Reach.readable` /
:meth:`Reach.changeable` as a WHERE for the queries that list or search records.

The rule follows the roles table (README, "Accounts, roles and teams"): each form declares the
roles that fill it (``DocumentForm.roles``), and a record is its form's.

- A user **changes** (reopens, corrects, duplicates, deletes, restores, carries forward from) a
  record of a team they belong to, of a form one of their roles fills.
- A user **reads** (lists, opens, downloads) what they may change, and the overseeing roles
  (``coordinador``) also read every form's records of the teams they reach: their own and, for
  the coordinators of a region, every team of that region. They read; they never change.
- A deactivated team's records are read-only: its members and its region's coordinators read
  them as before; nobody changes them (no new work goes to a team that no longer works).
- Anything else is as absent as a record that does not exist (404), whatever the reason.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_

from webforms.forms import FORMS
from webforms.storage.database import db
from webforms.storage.models import Record, Team

# Roles that read every form's records of the teams they reach (a region's coordinators oversee
# its teams: their Conferencia ampliada reviews those teams' cases).
OVERSEEING_ROLES = ("coordinador",)
# A record in this state has no content left to read (records.saved.DELETED).
GONE = "deleted"


def forms_of(user) -> frozenset[str]:
    """The forms one of ``user``'s roles fills (each form's ``roles``)."""
    return frozenset(key for key, form in FORMS.items()
                     if any(user.has_role(role) for role in form.roles))


def oversees(user) -> bool:
    return any(user.has_role(role) for role in OVERSEEING_ROLES)


def writable_team_ids(user) -> set[int]:
    """The teams whose records ``user`` may change, form by form: the active teams they belong
    to."""
    return {team.id for team in getattr(user, "teams", ()) if team.active}


def member_team_ids(user) -> set[int]:
    """The teams ``user`` belongs to, active or not (their forms' records are theirs to read)."""
    return {team.id for team in getattr(user, "teams", ())}


def readable_team_ids(user) -> set[int]:
    """The teams whose records ``user`` may read, form by form: their own and, for a coordinator,
    every team of the regions they belong to (a region is a team other teams name), deactivated
    teams included."""
    own = member_team_ids(user)
    if not own or not oversees(user):
        return own
    region_teams = db.session.scalars(db.select(Team.id).where(Team.region_id.in_(own)))
    return own | set(region_teams)


def readable_teams(user) -> list[Team]:
    """The teams of :func:`readable_team_ids`, by name: the choices of the pages that follow a
    team (its dashboard, its actions)."""
    return list(db.session.scalars(db.select(Team).where(Team.id.in_(
        sorted(readable_team_ids(user)))).order_by(Team.name)))


@dataclass(frozen=True)
class Reach:
    """What one user may reach, worked out once (a page that checks many records asks this)."""

    member_of: frozenset[int]  # active teams: their records are changed
    reaches: frozenset[int]
    forms: frozenset[str]
    overseer: bool
    belongs_to: frozenset[int] = frozenset()  # every team, deactivated ones too: read

    def may_change(self, team_id: int, document_key: str) -> bool:
        return team_id in self.member_of and document_key in self.forms

    def may_read(self, team_id: int, document_key: str) -> bool:
        return (team_id in self.belongs_to and document_key in self.forms) or (
            self.overseer and team_id in self.reaches)

    def changeable(self):
        """The WHERE of the records this user may change."""
        if not self.member_of or not self.forms:
            return false()
        return and_(Record.team_id.in_(sorted(self.member_of)),
                    Record.document_key.in_(sorted(self.forms)))

    def readable(self):
        """The WHERE of the records this user may read."""
        own = and_(Record.team_id.in_(sorted(self.belongs_to)),
                   Record.document_key.in_(sorted(self.forms))) \
            if self.belongs_to and self.forms else false()
        if self.overseer and self.reaches:
            return or_(own, Record.team_id.in_(sorted(self.reaches)))
        return own

    @property
    def readable_forms(self) -> frozenset[str]:
        """The forms whose records this user may read somewhere."""
        return frozenset(FORMS) if self.overseer and self.reaches else self.forms


def reach_of(user) -> Reach:
    if not getattr(user, "is_authenticated", False):
        return Reach(frozenset(), frozenset(), frozenset(), False)
    return Reach(member_of=frozenset(writable_team_ids(user)),
                 reaches=frozenset(readable_team_ids(user)), forms=forms_of(user),
                 overseer=oversees(user), belongs_to=frozenset(member_team_ids(user)))


def may_read(user, record: Record) -> bool:
    """Whether ``user`` may list, open and download ``record``."""
    return record.status != GONE and reach_of(user).may_read(record.team_id,
                                                             record.document_key)


def may_change(user, record: Record) -> bool:
    """Whether ``user`` may reopen, duplicate, delete, restore or carry forward ``record``
    (:meth:`Reach.may_change`, without the regions a coordinator reads: a query no change
    needs)."""
    return (record.status != GONE and getattr(user, "is_authenticated", False)
            and record.team_id in writable_team_ids(user)
            and record.document_key in forms_of(user))


def readable_by(user):
    """The WHERE of the records ``user`` may read (list queries)."""
    return reach_of(user).readable()


def changeable_by(user):
    """The WHERE of the records ``user`` may change (carry-forward's search)."""
    return reach_of(user).changeable()
