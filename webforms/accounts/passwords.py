"""Passwords: one Unicode normalisation wherever a password is set or checked.

Flask-Security-Too checks a password in the form SECURITY_PASSWORD_NORMALIZE_FORM (NFKD) at
sign-in, re-authentication and password change, so "ñ" typed as one character (NFC, most
keyboards) or as "n" and a combining tilde (NFD) is the same password. Whatever else sets a
password (the command line, the administrators' page, a temporary password) hashes the same
normalised text, through the library's own ``password_util``, so it signs in.

Before, the command line and the administrators' page hashed the raw text: "Montaña" was hashed
as typed and checked normalised, and never signed in. Those accounts (``password_normalized``
false, migration 0011) are checked once more at sign-in, against the text as typed and its NFC
form; on a match the hash is made again from the normalised text, and from then on only that is
checked. No installation has to reset anyone.
"""
from __future__ import annotations

import unicodedata

from flask_security import hash_password, verify_password

from webforms.accounts.extension import security
from webforms.audit import trail as audit
from webforms.storage.models import User


def normalized(password: str) -> str:
    return security.password_util.normalize(password)


def problems(password: str, email: str) -> tuple[list[str], str]:
    """What is wrong with ``password`` for the account ``email`` (too short, too common), and the
    normalised password to hash."""
    found, normal = security.password_util.validate(password, True, email=email)
    return [str(problem) for problem in found or ()], normal


def set_hash(user: User, normal_password: str) -> None:
    """Hash the (already normalised) password into ``user``; the caller commits."""
    user.password = hash_password(normal_password)
    user.password_normalized = True


def upgrade_legacy_hash(email: str | None, typed: str | None) -> bool:
    """Before the library checks a sign-in: an account hashed the old way whose password is
    ``typed`` (as typed, in NFC, or normalised) gets its hash made from the normalised text."""
    user = security.datastore.find_user(case_insensitive=True, email=(email or "").strip())
    if user is None or user.password_normalized or not user.password or not typed:
        return False
    normal = normalized(typed)
    for candidate in dict.fromkeys((typed, unicodedata.normalize("NFC", typed), normal)):
        if verify_password(candidate, user.password):
            set_hash(user, normal)
            audit.append("password_rehashed", target=user.email, user=user)
            return True
    return False


def changed_by_user(user: User) -> None:
    """The user chose a new password on the change page (the library hashed it normalised): a
    temporary password is no longer in use. The library's view commits."""
    user.password_normalized = True
    user.must_change_password = False
