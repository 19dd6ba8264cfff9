"""The API's tokens: made, found, revoked. Only the SHA-256 of a secret is kept.

Why a plain SHA-256 and not a password hash: a token's secret is 256 random bits, which no one
can guess or search from its hash, so a slow hash would only slow every request. The secret
starts with a recognisable prefix (``wfk_``), so one pasted where it should not be is found by
secret scanners. The lookup is by the hash's unique index; the hash found is compared again in
constant time.

A token acts as its account and stops at once when that account is deactivated, when the token
is revoked or when it expires; ``last_used_at`` is written at most once a minute (a write per
request would make every reading request a writer).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webforms.audit import trail as audit
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import ApiToken, User

PREFIX = "wfk_"
PERSONAL, SERVICE = "personal", "service"
SCOPES = {
    "records:read-meta": _l("Listar registros y leer sus datos generales (sin contenido)"),
    "records:read": _l("Leer el contenido de los registros y descargar sus copias"),
    "records:issue": _l("Emitir documentos"),
    "dashboard:read": _l("Leer las cifras del panel de un equipo"),
    "batch:write": _l("Iniciar lotes y seguirlos"),
    "verify": _l("Verificar un número con su código"),
}
# A scope that includes another: whoever reads the content reads the metadata too.
INCLUDED_IN = {"records:read-meta": ("records:read",)}
LAST_USED_STEP = dt.timedelta(minutes=1)
NAME_LENGTH = 80


@dataclass(frozen=True)
class NewToken:
    """A token just made and its secret, shown once and never again."""

    token: ApiToken
    secret: str


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def max_days() -> int:
    return current_app.config["API_TOKEN_MAX_DAYS"]


def latest_expiry(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=max_days())


def create(owner: User, name: str, scopes, expires_on: dt.date, kind: str, by: User) -> NewToken:
    """A token of ``owner`` with ``scopes``, valid until the end of ``expires_on`` (UTC), made
    by ``by`` (the owner, or an administrator for a service account). Audited."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=owner.id, name=name.strip()[:NAME_LENGTH], kind=kind,
                     prefix=secret[:len(PREFIX) + 6], token_hash=hash_of(secret),
                     scopes=sorted(set(scopes) & set(SCOPES)), created_by=by.id,
                     created_at=now(whole_seconds=True),
                     expires_at=dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time(),
                                                    tzinfo=dt.timezone.utc))
    db.session.add(token)
    db.session.flush()
    audit.append("api_token_created", target=token.id, owner=owner.id, kind=kind,
                 scopes=token.scopes, expires=expires_on.isoformat())
    return NewToken(token, secret)


def found(secret: str) -> ApiToken | None:
    """The token whose secret this is, usable or not; None for any other text."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    digest = hash_of(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token


def usable(token: ApiToken, at: dt.datetime | None = None) -> bool:
    """Not revoked, not expired, and its account active."""
    at = at or now()
    return (token.revoked_at is None and as_utc(token.expires_at) > at
            and token.user is not None and token.user.active)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A time read back from SQLite has no zone: it was written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def used(token: ApiToken) -> None:
    moment = now(whole_seconds=True)
    if token.last_used_at is None or as_utc(token.last_used_at) + LAST_USED_STEP <= moment:
        token.last_used_at = moment


def grants(token: ApiToken, scope: str) -> bool:
    held = set(token.scopes or ())
    return scope in held or bool(held & set(INCLUDED_IN.get(scope, ())))


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = now(whole_seconds=True)
        audit.append("api_token_revoked", target=token.id, owner=token.user_id)


def of_user(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.kind == PERSONAL).order_by(ApiToken.id.desc())))


def every_token() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def find(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)
