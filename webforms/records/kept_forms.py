"""Who was signed in on this browser: the note that lets a form posted after the session expired
be kept for its author (records.pending), and for nobody else.

The session cookie ends with the session, so the browser also carries, while someone is signed
in and for :data:`NOTE_LASTS` after their last request, a note signed with the installation's
secret key naming the account. It is ``SameSite=Strict``: a page of another site posting to a
form sends no note, so its post is not kept. Signing out removes it.

Signing the note costs more than the rest of a light page's response, so a worker signs it once
per account and :data:`SIGNED_AGAIN_EVERY`: a note then lasts :data:`NOTE_LASTS` from at most that
long before the last request.
"""
from __future__ import annotations

import datetime as dt
import time

from flask import current_app, request
from flask_security import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webforms.storage.database import db
from webforms.storage.models import User
from webforms.web import access

COOKIE = "autor"
# A form may stay open for a working day before it is sent.
NOTE_LASTS = dt.timedelta(hours=12)
SIGN_OUT = "security.logout"
SIGNED_AGAIN_EVERY = 60  # seconds
MOST_NOTES_KEPT = 1000  # notes signed lately, per worker (forgotten all at once beyond)
_signed: dict[tuple[str, int], tuple[float, str]] = {}  # (secret, account) -> (when, note)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="webforms-form-author")


def author() -> User | None:
    """The active account the browser's note names, or None (no note, forged or too old)."""
    note = request.cookies.get(COOKIE)
    if not note:
        return None
    try:
        user_id = _serializer().loads(note, max_age=int(NOTE_LASTS.total_seconds()))
    except BadSignature:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.active else None


def note_for(user_id: int) -> str:
    """The note naming ``user_id``: signed now, or the one signed for it in the last minute."""
    key, moment = (current_app.config["SECRET_KEY"], user_id), time.monotonic()
    signed = _signed.get(key)
    if signed is None or moment - signed[0] >= SIGNED_AGAIN_EVERY:
        if len(_signed) >= MOST_NOTES_KEPT:
            _signed.clear()
        signed = _signed[key] = (moment, _serializer().dumps(user_id))
    return signed[1]


def init_app(app) -> None:
    @app.after_request
    def note_the_author(response):
        if request.endpoint == SIGN_OUT:
            response.delete_cookie(COOKIE, samesite="Strict", httponly=True,
                                   secure=app.config["SESSION_COOKIE_SECURE"])
        elif request.endpoint not in (None, "static") and current_user.is_authenticated \
                and not access.by_token():  # the API sets no cookie
            response.set_cookie(COOKIE, note_for(current_user.id),
                                max_age=int(NOTE_LASTS.total_seconds()), httponly=True,
                                samesite="Strict", secure=app.config["SESSION_COOKIE_SECURE"])
        return response
