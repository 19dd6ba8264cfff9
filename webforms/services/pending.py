"""Nothing typed is lost when a session expires: the submission is kept until its author is back.

A form posted after the idle timeout reaches the server without an account (and without the CSRF
token, which lived in the session). Instead of refusing it, the values are sealed (see
storage.sealing) and stored under a random token; the browser gets a second random value in a
cookie, and only the pair restores them, once, after signing in again. Kept submissions older
than :data:`KEPT_FOR` are deleted.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from werkzeug.datastructures import MultiDict

from ..storage.database import db
from ..storage.models import PendingSubmission
from ..storage.sealing import InvalidToken, sealer

KEPT_FOR = dt.timedelta(hours=2)
# At most this many kept at once: anyone can post without an account, so the store is bounded.
MOST_KEPT = 1000
COOKIE = "pendiente"


def keep(document_key: str, formdata: MultiDict) -> tuple[str, str] | None:
    """Seal and store ``formdata``; returns (token for the URL, secret for the cookie), or None
    when the store is full."""
    _forget_old()
    if db.session.scalar(db.select(db.func.count()).select_from(PendingSubmission)) >= MOST_KEPT:
        return None
    token, browser_secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    pairs = [[name, value] for name in formdata for value in formdata.getlist(name)
             if name != "csrf_token"]
    db.session.add(PendingSubmission(
        token=token, browser_hash=_hash(browser_secret), document_key=document_key,
        sealed=sealer("pending").seal(pairs)))
    db.session.commit()
    return token, browser_secret


def take(token: str, browser_secret: str, document_key: str) -> MultiDict | None:
    """The kept values of ``token``, if this browser holds its secret; removed once taken."""
    kept = db.session.get(PendingSubmission, token or "")
    if kept is None or kept.document_key != document_key or not secrets.compare_digest(
            kept.browser_hash, _hash(browser_secret or "")):
        return None
    db.session.delete(kept)
    db.session.commit()
    try:
        return MultiDict(sealer("pending").open(kept.sealed, ttl=int(
            KEPT_FOR.total_seconds())))
    except InvalidToken:
        return None


def _forget_old() -> None:
    limit = dt.datetime.now(dt.timezone.utc) - KEPT_FOR
    db.session.execute(db.delete(PendingSubmission).where(PendingSubmission.created_at < limit))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
