"""The numbering service: every number an issued copy carries is taken here, for a page, a
revision or a batch's row, in the caller's transaction.

A first issue takes the next number of the document's code from the register (storage.register:
the counter row, locked until the transaction ends); a correction takes the next revision of the
record's number. Either is kept only if the caller's transaction commits, with the record, its
revision and its audit entry (storage.transactions): a copy that could not be produced gives its
number back with the rollback, so a number is never reused and never skipped by a failure.

Also here: the :class:`Issue` a copy is stamped with (:func:`new_issue`, the one place it is
built), and the check code printed beside a number.
"""
from __future__ import annotations

import datetime as dt

from webforms.catalogue import ControlledDocument
from webforms.clock import now
from webforms.common.codes import check_code, code_matches  # noqa: F401  (the numbers' codes)
from webforms.documents.engine import Issue, template_sha256
from webforms.storage import DocumentRegister
from webforms.storage.database import db
from webforms.storage.register import take_number


def document_register() -> DocumentRegister:
    return DocumentRegister()


def next_issue(document: ControlledDocument, number: str | None, revision: int,
               reason: str = "") -> Issue:
    """The issue that follows: a new number of ``document``'s code when ``number`` is None (a
    first issue: revision 1, no reason), else revision ``revision + 1`` of ``number`` with its
    ``reason``. The new number is taken in the session's transaction."""
    issued_at, sha = now(whole_seconds=True), template_sha256(document.template)
    if number is None:
        taken = take_number(db.session.connection(), document.code, document.key,
                            document.version, sha, issued_at)
        return new_issue(taken.number, issued_at, document.version, sha)
    return new_issue(number, issued_at, document.version, sha, revision + 1, reason)


def new_issue(number: str, issued_at: dt.datetime, version: int, sha: str, revision: int = 1,
              reason: str = "") -> Issue:
    """The :class:`Issue` a copy is stamped with (a reason only for a revision after the
    first)."""
    return Issue(number=number, issued_at=issued_at, version=version, template_sha256=sha,
                 revision=revision, reason=reason if revision > 1 else "")
