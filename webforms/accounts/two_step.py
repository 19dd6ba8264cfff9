"""Authenticator codes that are usable once, and recovery codes kept only as keyed hashes.

A six-digit code stays valid for its 30-second time step (and the tolerance around it), so a
code seen over a shoulder or in a proxy's log could sign in a second time. The last accepted time
step is kept per account and a code at or before it is refused (passlib's ``last_counter``, the
hook Flask-Security-Too's ``Totp`` leaves for this). How many wrong codes an account may try is
limited elsewhere (accounts.attempts).

Recovery codes (one-time codes to sign in without the phone) are Flask-Security-Too's, with its
pages; what is kept is not the codes but an HMAC of each, keyed by a key derived from TOTP_KEY (so
a copy of the database alone reveals none, and the codes are 64 random bits). They are therefore
shown once, when made; making new ones replaces the old. A code is spent by the same atomic
update that finds it, so two requests with one code cannot both sign in.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_security import MfRecoveryCodesUtil, Totp
from passlib.exc import TokenError
from passlib.pwd import genword
from sqlalchemy import or_, text, update

from webforms.audit import trail as audit
from webforms.storage.database import db
from webforms.storage.models import User

RECOVERY_CODE_GROUPS = 4  # of four hexadecimal digits: 64 bits
# The library keeps the codes comma-separated in one text column (its AsaList type).
SPEND_CODE = text("UPDATE users SET mf_recovery_codes = :left "
                  "WHERE id = :user AND mf_recovery_codes = :read")


class SingleUseTotp(Totp):
    def verify_totp(self, token, totp_secret, user, window=0) -> bool:
        try:
            match = self._totp.verify(token, totp_secret, window=window,
                                      last_counter=user.tf_totp_last_step)
        except TokenError:
            return False
        # A new secret being set up has no past codes; the account's own secret has.
        return totp_secret != user.tf_totp_secret or claim_step(user, match.counter)

    def generate_recovery_codes(self, number: int) -> list[str]:
        """``number`` codes like ``3f9a-01bc-7d42-e5a0``."""
        words = genword(length=4 * RECOVERY_CODE_GROUPS, charset="hex", returns=number)
        return ["-".join(word[i:i + 4] for i in range(0, len(word), 4)) for word in words]


def claim_step(user: User, step: int) -> bool:
    """Record ``step`` as the account's last accepted one, unless a later or equal one already
    is (two requests with one code: only one wins)."""
    claimed = db.session.execute(update(User).where(User.id == user.id, or_(
        User.tf_totp_last_step.is_(None), User.tf_totp_last_step < step)).values(
        tf_totp_last_step=step)).rowcount
    db.session.commit()
    return bool(claimed)


class HashedRecoveryCodes(MfRecoveryCodesUtil):
    """The library's recovery codes, kept as keyed hashes (see the module's docstring)."""

    def create_recovery_codes(self, user: User) -> list[str]:
        """New codes replacing the old; their hashes are kept (and audited) at once."""
        codes = current_app.extensions["security"].totp_factory.generate_recovery_codes(
            current_app.config["SECURITY_MULTI_FACTOR_RECOVERY_CODES_N"])
        user.mf_recovery_codes = [code_hash(code) for code in codes]
        audit.append("recovery_codes_created", target=user.email, count=len(codes))
        return codes

    def get_recovery_codes(self, user: User) -> list[str]:
        return []  # shown once, when made: what is kept cannot be shown again

    def check_recovery_code(self, user: User, code: str) -> bool:
        """Whether ``code`` is one of the account's unspent codes; if it is, it is spent."""
        return spend_code(user, code_hash(code))

    def delete_recovery_code(self, user: User, code: str) -> bool:
        return True  # already spent by check_recovery_code


def code_hash(code: str) -> str:
    typed = "".join((code or "").split()).lower()
    return hmac.new(recovery_key(), typed.encode(), hashlib.sha256).hexdigest()


def recovery_key() -> bytes:
    return hmac.new(current_app.config["TOTP_KEY"].encode(), b"webforms recovery codes",
                    hashlib.sha256).digest()


def spend_code(user: User, hashed: str) -> bool:
    """Remove ``hashed`` from the account's codes in one update that only succeeds if the codes
    are still the ones read (two requests with one code: only one wins)."""
    db.session.refresh(user)
    kept = list(user.mf_recovery_codes or [])
    found = [item for item in kept if hmac.compare_digest(item, hashed)]
    if not found:
        return False
    remaining = [item for item in kept if item != found[0]]
    spent = db.session.execute(SPEND_CODE, {"user": user.id, "read": ",".join(kept),
                                            "left": ",".join(remaining) or None}).rowcount
    db.session.commit()
    db.session.refresh(user)
    if spent:
        audit.append("recovery_code_used", target=user.email, user=user,
                     left=len(remaining))
    return bool(spent)
