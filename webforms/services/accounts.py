"""Accounts, roles and teams: what the command line and the administrators' page do to them.

Passwords are checked and hashed by Flask-Security-Too (minimum length, zxcvbn's list of common
passwords, argon2); this module only decides who belongs where.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_security import hash_password
from flask_security.utils import password_complexity_validator, password_length_validator

from ..extensions import security
from ..storage.database import db
from ..storage.models import ROLES, Team, User
from . import audit, sessions


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
    check_password(password, email)
    user = datastore.create_user(email=email, password=hash_password(password), active=True,
                                 roles=[datastore.find_or_create_role(name) for name in roles])
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


def check_password(password: str, email: str) -> None:
    problems = (password_length_validator(password) or []) + (
        password_complexity_validator(password, is_register=True, user_info={"email": email})
        or [])
    if problems:
        raise AccountError(" ".join(str(problem) for problem in problems))
