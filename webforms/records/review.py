"""Review, then issue: a valid form is first kept as the record's draft and shown as its copy will
read; only the review's explicit "Emitir con número" issues it.

What the review showed is bound to what is issued: the review page carries a keyed digest of the
record's kept content, the revision it leads to and the reason typed for a correction
(:func:`review_digest`). Issuing opens the content kept in the record (never what a page posts
again), checks that digest, and refuses when the record moved on meanwhile. A review confirmed
twice (a second click, a reload, the back button, two requests at once) issues once: the second
finds the revision issued already (:class:`saved_records.AlreadyIssued`).

Sent again, a page goes on with its record (:func:`reissue`, the decision every page and test
asks): the same page with the content its copy was issued with is that copy, issued already;
anything else is kept for review and leads to the next revision, with a reason.

A new page's first review creates its draft under the page's token (``issue_token``); two
requests of the same new page at the same moment make one record: the second, refused by the
token's unique constraint, goes on with the first's.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from webforms.catalogue import ControlledDocument
from webforms.forms import FORMS, DocumentForm
from webforms.records import saved as saved_records
from webforms.records.saved import REASON_LENGTH, AlreadyIssued, ReviewOutdated, form_pairs, open_pairs
from webforms.storage.database import db
from webforms.storage.models import Record, Team


@dataclass(frozen=True)
class Reissue:
    """What a valid page sent for review leads to: ``record``, the record it goes on with (None:
    a new one); ``same_copy``, it is exactly what that record's copy was issued with (nothing
    more is issued: the copy is the one to show); ``needs_reason``, it would issue a new
    revision of an issued number, which takes a reason."""

    record: Record | None
    same_copy: bool
    needs_reason: bool


def reissue(record: Record | None, token: str | None, pairs, user) -> Reissue:
    """The re-issue decision for a page: the same page sent again (its record, or its token's)
    with the content already issued is the same copy; otherwise it leads to a new revision of
    the record's number (a reason needed), or to a first issue. Raises
    saved_records.PageOfAnotherRecord when the page's token names a record ``user`` may not
    change."""
    record = record or saved_records.record_of_page(token, user)
    if record is None:
        return Reissue(None, same_copy=False, needs_reason=False)
    if saved_records.same_as_issued(record, pairs):
        return Reissue(record, same_copy=True, needs_reason=False)
    return Reissue(record, same_copy=False, needs_reason=bool(record.number))


def clean_reason(text: str | None) -> str:
    """A correction's reason on one line (it is printed in the copy's footer), cut to length."""
    return " ".join((text or "").split())[:REASON_LENGTH]


def keep_for_review(document_key: str, form: DocumentForm, pairs, team: Team | None, user,
                    record: Record | None, token: str | None) -> Record:
    """Keep the valid form as the record's draft, the one the review shows and issuing opens. A
    new page's record takes the page's token; when another request of the same page made it
    first, that record is the one kept (and updated)."""
    if record is None:
        try:
            record = saved_records.save_draft(document_key, form, pairs, team, user,
                                              new_with_token(document_key, team, user, token))
        except IntegrityError:
            db.session.rollback()
            record = saved_records.record_of_page(token, user)
            if record is None:
                raise
        else:
            return record
    return saved_records.save_draft(document_key, form, pairs, team, user, record)


def new_with_token(document_key: str, team: Team, user, token: str | None) -> Record:
    record = saved_records.new_record(document_key, team, user)
    record.issue_token = token if saved_records.is_page_token(token) else None
    return record


def review_digest(record: Record, pairs, reason: str) -> str:
    """A keyed digest of what a review shows: the record, the revision it would issue, its
    content and reason."""
    shown = json.dumps([record.id, record.revision, [list(pair) for pair in pairs], reason],
                       ensure_ascii=False)
    return hmac.new(current_app.config["DATA_KEY"].encode(), f"review:{shown}".encode(),
                    hashlib.sha256).hexdigest()


def reviewed_pairs(record: Record) -> list[list[str]]:
    """The record's kept content as the review and the issue read it."""
    return form_pairs(open_pairs(record.sealed))


def issue_reviewed(document: ControlledDocument, record: Record, base_revision: int | None,
                   digest: str, reason: str, user):
    """Issue what the review showed, as the record's next revision, by ``user``. Raises AlreadyIssued when
    that revision was issued already, ReviewOutdated when the record no longer holds what was
    shown (or a correction comes without a reason), ServiceUnavailable when a dependency fails."""
    if base_revision != record.revision:
        raise AlreadyIssued(f"record {record.id} is at revision {record.revision} already")
    pairs = reviewed_pairs(record)
    if not hmac.compare_digest(review_digest(record, pairs, reason), digest or ""):
        raise ReviewOutdated(f"record {record.id} changed since its review")
    if record.number and not reason:
        raise ReviewOutdated("a correction is issued with a reason")
    form = FORMS[record.document_key](formdata=MultiDict(pairs),
                                      meta={"csrf": False})
    if not form.validate():
        raise ReviewOutdated(f"record {record.id} no longer holds a valid form")
    try:
        return saved_records.issue(document, form, pairs, None, user, record, reason=reason)
    except IntegrityError as exc:  # the same revision issued at the same moment by another
        raise AlreadyIssued(f"record {record.id}: revision issued by another request") from exc
