"""Accounts, roles and teams: what the command line and the administrators' page do to them.

Passwords are checked and hashed by Flask-Security-Too (minimum length, zxcvbn's list of common
passwords, argon2), always from the normalised text (services.passwords); this module decides
who belongs where, and how an administrator helps a user back in: a temporary password to change
at the next sign-in, two-step verification set up again, every session ended.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..extensions import security
from ..storage.database import db
from ..storage.models import ROLES, Team, User
from . import audit, passwords, sessions


class AccountError(ValueError):
    """The request cannot be done as asked; the message says why, for the person asking."""


@dataclass(frozen=True)
class Created:
    user: User
    created: bool  # False: the account existed and nothing was changed


def create_user(email: str, password: str, roles=(), teams=()) -> Created:
    """A new active account with ``roles`` and ``teams`` (teams created when missing). An
    existing e-mail changes nothing."""
    datastore = security.datastore
    existing = datastore.find_user(email=email)
    if existing is not None:
        return Created(existing, created=False)
    check_roles(roles)
    normal = acceptable_password(password, email)
    user = datastore.create_user(email=email, active=True,
                                 roles=[datastore.find_or_create_role(name) for name in roles])
    passwords.set_hash(user, normal)
    user.teams = [team_named(name) for name in teams]
    db.session.commit()
    audit.record("user_created", target=user.email, roles=list(roles), teams=list(teams))
    return Created(user, created=True)


def set_membership(user: User, roles, teams) -> None:
    check_roles(roles)
    datastore = security.datastore
    user.roles = [datastore.find_or_create_role(name) for name in roles]
    user.teams = [team_named(name) for name in teams]
    db.session.commit()
    audit.record("user_changed", target=user.email, roles=list(roles), teams=list(teams))


def set_active(user: User, active: bool) -> None:
    """A deactivated user cannot sign in and their sessions end; what they issued stays."""
    if user.active == active:
        return
    user.active = active
    db.session.commit()
    if not active:
        sessions.end_all(user)
    audit.record("user_activated" if active else "user_deactivated", target=user.email)


def team_named(name: str) -> Team:
    name = " ".join(name.split())
    if not name:
        raise AccountError("empty team name")
    team = db.session.execute(db.select(Team).filter_by(name=name)).scalar_one_or_none()
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team


def set_region(team_name: str, region_name: str | None) -> Team:
    """Put a team in a region (a regional office's team), or out of any with ``None``: the
    region's coordinators then read the team's records. Audited."""
    team = team_named(team_name)
    region = team_named(region_name) if region_name else None
    if region is not None and (region is team or region.region_id == team.id):
        raise AccountError("a team cannot be its own region")
    team.region = region
    db.session.flush()
    audit.record("team_changed", target=team.name, region=region.name if region else None)
    return team


def check_roles(roles) -> None:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise AccountError(f"unknown role(s): {', '.join(unknown)}; roles: {', '.join(ROLES)}")


def acceptable_password(password: str, email: str) -> str:
    """The normalised ``password``, if long and uncommon enough for ``email``'s account."""
    problems, normal = passwords.problems(password, email)
    if problems:
        raise AccountError(" ".join(problems))
    return normal


def set_temporary_password(user: User, password: str) -> None:
    """An administrator's temporary password: the user must change it at the next sign-in
    (web.access), and every session of theirs ends now. Audited, without the password."""
    passwords.set_hash(user, acceptable_password(password, user.email))
    user.must_change_password = True
    db.session.commit()
    sessions.end_all(user)
    audit.record("temporary_password_set", target=user.email)


def reset_two_step(user: User) -> None:
    """Two-step verification removed (authenticator, recovery codes) so that the user sets it up
    again at the next sign-in; every session ends (the library's own reset also makes every
    earlier cookie of the account worthless). The password is kept. Audited."""
    security.datastore.reset_user_access(user)
    user.tf_totp_last_step = None
    db.session.commit()
    sessions.end_all(user)
    audit.record("two_factor_reset", target=user.email)


def end_sessions(user: User) -> int:
    """Every session of the account ends at once (a lost phone, a shared computer). Audited."""
    ended = sessions.end_all(user)
    audit.record("sessions_ended", target=user.email, count=ended)
    return ended
