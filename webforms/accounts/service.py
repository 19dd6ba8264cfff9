"""Accounts, roles and teams: what the command line and the administrators' page do to them.

Passwords are checked and hashed by Flask-Security-Too (minimum length, zxcvbn's list of common
passwords, argon2), always from the normalised text (accounts.passwords); this module decides
who belongs where, and how an administrator helps a user back in: a temporary password to change
at the next sign-in, two-step verification set up again, every session ended. Like every service
it flushes and never commits: the page or the command that called it commits once.
"""
from __future__ import annotations

from dataclasses import dataclass

from webforms.accounts import passwords, sessions
from webforms.accounts.extension import security
from webforms.accounts.teams import MODALITIES, TeamError
from webforms.accounts.teams import existing as existing_team
from webforms.audit import trail as audit
from webforms.storage.database import db
from webforms.storage.models import ROLES, Team, User


class AccountError(ValueError):
    """The request cannot be done as asked; the message says why, for the person asking."""


@dataclass(frozen=True)
class Created:
    user: User
    created: bool  # False: the account existed and nothing was changed


def create_user(email: str, password: str, roles=(), teams=()) -> Created:
    """A new active account with ``roles`` and ``teams`` (existing active teams: an unknown
    name is refused). An existing e-mail changes nothing."""
    datastore = security.datastore
    existing = datastore.find_user(email=email)
    if existing is not None:
        return Created(existing, created=False)
    check_roles(roles)
    normal = acceptable_password(password, email)
    chosen = [team_named(name) for name in teams]
    user = datastore.create_user(email=email, active=True,
                                 roles=[datastore.find_or_create_role(name) for name in roles])
    passwords.set_hash(user, normal)
    user.teams = chosen
    db.session.flush()
    audit.append("user_created", target=user.email, roles=list(roles), teams=list(teams))
    return Created(user, created=True)


def set_membership(user: User, roles, teams) -> None:
    check_roles(roles)
    chosen = [team_named(name, keep=user.teams) for name in teams]
    datastore = security.datastore
    user.roles = [datastore.find_or_create_role(name) for name in roles]
    user.teams = chosen
    db.session.flush()
    audit.append("user_changed", target=user.email, roles=list(roles), teams=list(teams))


def set_active(user: User, active: bool) -> None:
    """A deactivated user cannot sign in and their sessions end; what they issued stays."""
    if user.active == active:
        return
    user.active = active
    db.session.flush()
    if not active:
        sessions.end_all(user)
    audit.append("user_activated" if active else "user_deactivated", target=user.email)


def team_named(name: str, keep=()) -> Team:
    """The existing active team ``name`` (or one of ``keep``, the teams the account already
    has, even deactivated); an unknown name is refused: no typo creates a team."""
    try:
        return existing_team(name, allow=tuple(keep))
    except TeamError as error:
        raise AccountError(str(error)) from error


def set_modality(user: User, modality: str | None) -> None:
    """The modality a case manager works in (the mesa interna they hold is its); audited."""
    modality = modality or None
    if modality is not None and modality not in MODALITIES:
        raise AccountError(f"unknown modality: {modality}; modalities: "
                           f"{', '.join(MODALITIES)}")
    if user.modality == modality:
        return
    user.modality = modality
    db.session.flush()
    audit.append("user_changed", target=user.email, modality=modality)


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
    db.session.flush()
    sessions.end_all(user)
    audit.append("temporary_password_set", target=user.email)


def reset_two_step(user: User) -> None:
    """Two-step verification removed (authenticator, recovery codes) so that the user sets it up
    again at the next sign-in; every session ends (the library's own reset also makes every
    earlier cookie of the account worthless). The password is kept. Audited."""
    security.datastore.reset_user_access(user)
    user.tf_totp_last_step = None
    db.session.flush()
    sessions.end_all(user)
    audit.append("two_factor_reset", target=user.email)


def end_sessions(user: User) -> int:
    """Every session of the account ends at once (a lost phone, a shared computer). Audited."""
    ended = sessions.end_all(user)
    audit.append("sessions_ended", target=user.email, count=ended)
    return ended


def account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def every_account() -> list[User]:
    """Every account, by e-mail (the administrators' list)."""
    return list(db.session.execute(db.select(User).order_by(User.email)).scalars())


def change_account(user: User, roles, teams, modality: str | None, active: bool) -> None:
    """The administrator's edit of an account, whole or not at all: an :class:`AccountError`
    leaves the account as it was."""
    try:
        set_membership(user, roles, teams)
        set_modality(user, modality)
        set_active(user, active)
    except AccountError:
        db.session.rollback()
        raise
