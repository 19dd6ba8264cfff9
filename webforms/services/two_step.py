"""Authenticator codes that are usable once.

A six-digit code stays valid for its 30-second time step (and the tolerance around it), so a
code seen over a shoulder or in a proxy's log could sign in a second time. The last accepted time
step is kept per account and a code at or before it is refused (passlib's ``last_counter``, the
hook Flask-Security-Too's ``Totp`` leaves for this). How many wrong codes an account may try is
limited elsewhere (web.attempts).
"""
from __future__ import annotations

from flask_security import Totp
from passlib.exc import TokenError
from sqlalchemy import or_, update

from ..storage.database import db
from ..storage.models import User


class SingleUseTotp(Totp):
    def verify_totp(self, token, totp_secret, user, window=0) -> bool:
        try:
            match = self._totp.verify(token, totp_secret, window=window,
                                      last_counter=user.tf_totp_last_step)
        except TokenError:
            return False
        # A new secret being set up has no past codes; the account's own secret has.
        return totp_secret != user.tf_totp_secret or claim_step(user, match.counter)


def claim_step(user: User, step: int) -> bool:
    """Record ``step`` as the account's last accepted one, unless a later or equal one already
    is (two requests with one code: only one wins)."""
    claimed = db.session.execute(update(User).where(User.id == user.id, or_(
        User.tf_totp_last_step.is_(None), User.tf_totp_last_step < step)).values(
        tf_totp_last_step=step)).rowcount
    db.session.commit()
    return bool(claimed)
