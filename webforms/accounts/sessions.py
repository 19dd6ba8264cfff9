"""Signed-in sessions kept on the server, so that ending one really ends it.

Flask's session lives in a signed cookie: on its own, a copy of that cookie keeps working after
sign-out for as long as it is used. So each sign-in also starts a row here, and the cookie carries
a random token whose SHA-256 is the row's key (the database never holds a usable token). Every
request looks the row up (see accounts.session_views); ending the row refuses the cookie and every copy of
it. Sign-out, a password change or reset, a two-step change, deactivation and an administrator
end every session of the account at once; a user sees their sessions and ends the others.

A row no request has touched for the idle time (``PERMANENT_SESSION_LIFETIME``) is dead like its
cookie; dead rows are removed whenever the account signs in again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from webforms.clock import now as utc_now
from webforms.storage.database import db
from webforms.storage.models import User, UserSession

AGENT_CHARS = 200
# How often a live session's "last seen" is written: not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> dt.datetime:
    """Sessions last seen before this are over (their cookie has expired too)."""
    return utc_now() - current_app.permanent_session_lifetime - TOUCH_EVERY


def start(user: User, user_agent: str | None, address: str | None) -> str:
    """A new session of ``user``: the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.last_seen_at < idle_limit()))
    db.session.add(UserSession(user_id=user.id, token_hash=token_hash(token),
                               user_agent=(user_agent or "")[:AGENT_CHARS] or None,
                               address=(address or "")[:64] or None))
    db.session.commit()
    return token


def live(user_id: int, token: str | None) -> UserSession | None:
    """The live session of ``user_id`` the token names, marked as seen now; None when it was
    ended, has gone idle, or belongs to someone else."""
    if not token:
        return None
    row = db.session.execute(select(UserSession).where(
        UserSession.token_hash == token_hash(token), UserSession.user_id == user_id,
        UserSession.last_seen_at >= idle_limit())).scalar_one_or_none()
    if row is not None:
        touch(row.id, row.last_seen_at)
    return row


# What every signed-in request reads (accounts.session_views): the account, with its roles and
# teams, joined to the live session its cookie's token names. One statement, built once: the
# account is read again on every request (a deactivation or an ended session bites at once), so
# this is the cost of being signed in.
SIGNED_IN = (select(User, UserSession.id, UserSession.last_seen_at)
             .join(UserSession, UserSession.user_id == User.id)
             .where(User.fs_uniquifier == bindparam("uniquifier"),
                    UserSession.token_hash == bindparam("token_hash"),
                    UserSession.last_seen_at >= bindparam("idle_limit"))
             .options(joinedload(User.roles), joinedload(User.teams)))


def signed_in(uniquifier: str | None, token: str | None) -> User | None:
    """The account ``uniquifier`` names (Flask-Security's ``fs_uniquifier``, which a password
    change replaces), roles and teams loaded, while the session ``token`` names is live: that
    session is marked as seen now. None when there is no such account or live session."""
    if not uniquifier or not token:
        return None
    row = db.session.execute(SIGNED_IN, {
        "uniquifier": str(uniquifier), "token_hash": token_hash(token),
        "idle_limit": idle_limit()}).unique().first()
    if row is None:
        return None
    user, session_id, last_seen_at = row
    touch(session_id, last_seen_at)
    return user


def touch(session_id: int, last_seen_at: dt.datetime) -> None:
    """Mark a live session as seen now, at most every :data:`TOUCH_EVERY`."""
    if as_utc(last_seen_at) < utc_now() - TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == session_id).values(
            last_seen_at=utc_now()))
        db.session.commit()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive times; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def listing(user: User) -> list[UserSession]:
    """The account's live sessions, the most recently used first."""
    return list(db.session.execute(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.last_seen_at >= idle_limit()).order_by(
        UserSession.last_seen_at.desc(), UserSession.id.desc())).scalars())


def end(user: User, session_id: int) -> bool:
    """End one session of ``user``; False when it is not theirs (or already ended)."""
    ended = db.session.execute(delete(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id)).rowcount
    db.session.commit()
    return bool(ended)


def end_all(user: User, keep_token: str | None = None) -> int:
    """End every session of ``user`` (but the one ``keep_token`` names): how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != token_hash(keep_token))
    ended = db.session.execute(query).rowcount
    db.session.commit()
    return ended
