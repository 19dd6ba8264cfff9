"""Nothing typed is lost when a session expires: the submission is kept until its author is back.

A form posted after the idle timeout reaches the server without a session (and without the CSRF
token, which lived in it). If the browser still carries the signed note of who was signed in on
it (records.kept_forms), the values are sealed (see storage.sealing) and stored for *that* user under
a random token; the browser gets a second random value in a cookie. Only that user, signed in
again, in the browser holding the cookie, gets them back, once. A post from nobody known (no
note: a visitor without an account, or a page of another site, whose cross-site post carries no
SameSite=Strict cookie) is never kept, so nobody can fill the store or plant content in
someone's form.

Bounded per user: :data:`MOST_KEPT_PER_USER` forms (a newer one replaces the oldest) of at most
:data:`MOST_KEPT_BYTES` each; kept forms older than :data:`KEPT_FOR` are deleted. Keeping and
restoring are audited, without the content.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from werkzeug.datastructures import MultiDict

from webforms.audit import trail as audit
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import PendingSubmission
from webforms.storage.sealing import InvalidToken, sealer

KEPT_FOR = dt.timedelta(hours=2)
MOST_KEPT_PER_USER = 3
# A form with every row group full holds far less than this; a bigger post is not a form.
MOST_KEPT_BYTES = 512 * 1024
COOKIE = "pendiente"


def keep(author, document_key: str, formdata: MultiDict) -> tuple[str, str] | None:
    """Seal and store ``formdata`` for ``author`` (a user, or None: nothing is kept); returns
    (token for the URL, secret for the cookie), or None when nothing was kept."""
    pairs = [[name, value] for name in formdata for value in formdata.getlist(name)
             if name != "csrf_token"]
    if author is None or len(json.dumps(pairs, ensure_ascii=False).encode()) > MOST_KEPT_BYTES:
        return None
    _forget_old()
    _make_room(author.id)
    token, browser_secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    db.session.add(PendingSubmission(
        token=token, user_id=author.id, browser_hash=_hash(browser_secret),
        document_key=document_key, sealed=sealer("pending").seal(pairs)))
    audit.append("pending_kept", target=document_key, user=author)  # commits both
    return token, browser_secret


def take(user, token: str, browser_secret: str, document_key: str) -> MultiDict | None:
    """The values ``user`` sent under ``token``, if this browser holds its secret; removed once
    taken, and the restore recorded."""
    kept = db.session.get(PendingSubmission, token or "")
    if kept is None or kept.user_id != user.id or kept.document_key != document_key or \
            not secrets.compare_digest(kept.browser_hash, _hash(browser_secret or "")):
        return None
    db.session.delete(kept)
    try:
        values = MultiDict(sealer("pending").open(kept.sealed, ttl=int(
            KEPT_FOR.total_seconds())))
    except InvalidToken:
        values = None
    audit.append("pending_restored", target=document_key, restored=values is not None)
    return values


def kept_count(user) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(PendingSubmission)
                             .where(PendingSubmission.user_id == user.id))


def _make_room(user_id: int) -> None:
    """The user's oldest kept forms go, so the newest ``MOST_KEPT_PER_USER - 1`` and this one
    remain."""
    beyond_cap = db.session.scalars(
        db.select(PendingSubmission.token).where(PendingSubmission.user_id == user_id)
        .order_by(PendingSubmission.created_at.desc()).offset(MOST_KEPT_PER_USER - 1)).all()
    if beyond_cap:
        db.session.execute(db.delete(PendingSubmission)
                           .where(PendingSubmission.token.in_(beyond_cap)))


def _forget_old() -> None:
    limit = now() - KEPT_FOR
    db.session.execute(db.delete(PendingSubmission).where(PendingSubmission.created_at < limit))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
