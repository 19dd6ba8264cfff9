"""Numbers for issued copies: each is taken once, from the register, never reused, and only by a
copy that was actually produced."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from contextlib import contextmanager

from flask import current_app

from ..catalogue import ControlledDocument
from ..documents.engine import Issue, template_sha256
from ..storage import DocumentRegister


def document_register() -> DocumentRegister:
    return DocumentRegister()


@contextmanager
def numbered_copies(document: ControlledDocument, count: int):
    """Consecutive numbers for ``count`` new copies of the document's current version, kept in
    the register only if the block that produces the copies completes; with them, the register's
    transaction (what the block writes there is kept with the numbers, or not at all)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sha = template_sha256(document.template)
    with document_register().reserve(document.code, document.key, document.version, sha,
                                     now, count) as (taken, connection):
        yield [Issue(number=issued.number, issued_at=now, version=document.version,
                     template_sha256=sha) for issued in taken], connection


def check_code(number: str) -> str:
    """The code printed beside a copy's number: a keyed hash of the number (``K7QD-M2XA``).

    Numbers are sequential and can be guessed; the code cannot without the installation's
    verification key, so the verification page confirms a copy only to someone holding it.
    """
    digest = hmac.new(current_app.config["VERIFICATION_KEY"].encode(), number.encode(),
                      hashlib.sha256).digest()
    code = base64.b32encode(digest)[:8].decode()
    return f"{code[:4]}-{code[4:]}"


def code_matches(number: str, code: str) -> bool:
    typed = "".join(code.split()).upper().replace("-", "")
    return hmac.compare_digest(check_code(number).replace("-", ""), typed)
