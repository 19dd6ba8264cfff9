"""The team's saved records: drafts, issuing and revisions, copies rendered again, the trash.

What someone typed is kept only sealed (storage.sealing), never as a file. The copy issued is
kept too, sealed (records.issued_copies): a download sends those bytes, never a copy rendered
again; a revision issued before copies were kept is rendered again once, checked against the
SHA-256 the register kept at issue time (a copy that would differ is refused, never silently
changed), and kept from then on. Word and PDF of one revision are one copy with one number.

A record's life: ``draft`` (no number) → ``issued`` (a number, revision 1; issuing it again after
a correction makes revision 2 of the same number, the earlier revision being *superseded*) →
``annulled`` (its number taken back, with a reason and, by default, a reviewer's approval: see
records.annulments; an issued record never goes to the trash). A draft goes to the ``trash``
(restorable for ``TRASH_DAYS``) → ``deleted`` (the content purged). Issued records put in the
trash before annulments existed stay there, their numbers *anulado*, restorable as before. The
register keeps number, template, version, dates and hash whatever happens; retention
(records.retention) empties the content of old records the same way.

Every action here is audited with the record's id and number, never its content; the entry is
written in the same transaction as the action. Nothing here commits: the request, task or command
that called it commits once (storage.transactions). Who acts is an argument (``user``): the same
functions serve a page, a batch and the demonstration, none of them reads the signed-in user.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from webforms.audit import trail as audit
from webforms.catalogue import ControlledDocument
from webforms.clock import now
from webforms.common.catalogue import catalogue
from webforms.common.faults import DEPENDENCY_FAULTS, ServiceUnavailable
from webforms.common.rendering import DOCUMENT_LANGUAGE, PreparedCopy, prepare_filled, render_filled
from webforms.documents import RenderedDocument
from webforms.documents.contexts import CONTEXTS
from webforms.documents.engine import Issue
from webforms.forms import FORMS, DocumentForm
from webforms.records import events, issued_copies, need_to_know, numbering
from webforms.storage.database import db, execute_core
from webforms.storage.models import Record, RecordRevision, Team, User
from webforms.storage.sealing import InvalidToken, person_digest, sealer

DRAFT, ISSUED, TRASH, DELETED, ANNULLED = "draft", "issued", "trash", "deleted", "annulled"
STATUSES = (DRAFT, ISSUED, TRASH, DELETED, ANNULLED)
SEALED_AS = "record"
MAX_ID = 2**31  # record ids are 32-bit integers: a larger one names no record
# What a page posts besides the form's own fields: never part of a record.
TRANSPORT_FIELDS = frozenset({"csrf_token", "row_action", "format", "warnings_seen", "team",
                              "record", "previous_document", "save", "issue_token", "review",
                              "revision_reason", "reviewed", "base_revision"})
REASON_LENGTH = 500  # a correction's reason: what and why, printed on one line of the copy
# Every issue's revision, written by one plain statement built once (no unit of work).
INSERT_REVISION = insert(RecordRevision.__table__)


class RecordUnavailable(Exception):
    """The record's content is gone (purged) or cannot be opened with the installation's keys."""


class PageOfAnotherRecord(Exception):
    """A form page's token (``issue_token``) names a record the user may not change: a page of
    another team's, typed in, or one issued before the user left that team. Nothing is issued
    from it; the page is shown again, kept, with a token of its own."""


class CopyMismatch(Exception):
    """A copy rendered again differs from the one issued (its SHA-256 is not the register's)."""


class ReviewOutdated(Exception):
    """What a review step showed is no longer what the record holds (changed in another tab,
    or the page was altered): nothing is issued; the record is to be reviewed again."""


class AlreadyIssued(Exception):
    """The revision a review step led to was issued already (a second click, a reload, the back
    button, or two requests at once): nothing else is issued."""


def form_pairs(formdata: MultiDict) -> list[list[str]]:
    """What a page posted for the form itself, in order, as sealed into a record."""
    return [[name, value] for name in formdata for value in formdata.getlist(name)
            if name not in TRANSPORT_FIELDS and isinstance(value, str)]


def seal_pairs(pairs: list[list[str]]) -> bytes:
    return sealer(SEALED_AS).seal(pairs)


def open_pairs(sealed: bytes | None) -> MultiDict:
    if sealed is None:
        raise RecordUnavailable("the content of this record was purged")
    try:
        return MultiDict(sealer(SEALED_AS).open(sealed))
    except InvalidToken as exc:
        raise RecordUnavailable("the record cannot be opened with the data keys") from exc


def form_of(record: Record) -> DocumentForm:
    """The record's form as its author left it: every field and row."""
    return FORMS[record.document_key](formdata=open_pairs(record.sealed))


def form_of_revision(record: Record, revision: int | None = None) -> DocumentForm:
    """The form an issued revision (the latest by default) was issued with, processed as it was
    then; a correction's review compares the page with it."""
    kept = revision_of(record, revision)
    if kept is None:
        raise LookupError("this record has no such issued revision")
    form = FORMS[record.document_key](formdata=open_pairs(kept.sealed), meta={"csrf": False})
    form.validate()
    return form


def subject_digest(document_key: str, form: DocumentForm) -> str | None:
    """A keyed hash of the person a record follows (the worker of an individual supervision), so
    the previous session with the same worker is found without reading any record."""
    return person_digest(CONTEXTS[document_key].subject(form))


def fill_missing_digests(team: Team, document_key: str) -> None:
    """Issued records kept before their form named the subject they follow (a ToR issued before
    batches compared people, a mesa interna issued before mesas were followed by modality) get
    their key now, once (a vacancy's stays empty). Only the key is computed: nothing is shown."""
    missing = db.session.scalars(select(Record).where(
        Record.team_id == team.id, Record.document_key == document_key,
        Record.status == ISSUED, Record.subject_digest.is_(None),
        Record.sealed.is_not(None)))
    for record in missing:
        try:
            record.subject_digest = subject_digest(document_key, form_of(record))
        except RecordUnavailable:
            continue
    db.session.flush()


def fill_from_form(record: Record, form: DocumentForm, pairs: list[list[str]], user) -> None:
    """Keep what was typed (sealed) and what the lists show, as changed by ``user``."""
    record.sealed = seal_pairs(pairs)
    record.record_date = safe_record_date(record.document_key, form)
    record.subject_digest = subject_digest(record.document_key, form)
    record.updated_by = user.id
    record.updated_at = now(whole_seconds=True)


def safe_record_date(document_key: str, form: DocumentForm) -> dt.date | None:
    value = CONTEXTS[document_key].record_date(form)
    return value if isinstance(value, dt.date) else None


def new_record(document_key: str, team: Team, user) -> Record:
    record = Record(team_id=team.id, document_key=document_key, status=DRAFT, revision=0,
                    changed_since_issue=False, created_by=user.id,
                    created_at=now(whole_seconds=True))
    db.session.add(record)
    return record


def save_draft(document_key: str, form: DocumentForm, pairs, team: Team, user,
               record: Record | None = None) -> Record:
    """Keep the page as it is, valid or not. A draft has no number; an issued record being
    corrected keeps its issued revision until it is issued again."""
    record = record or new_record(document_key, team, user)
    fill_from_form(record, form, pairs, user)
    if record.status == ISSUED:
        record.changed_since_issue = True
    db.session.flush()
    audit.append("record_edited", target=record.id, document=document_key,
                 number=record.number, status=record.status)
    return record


def issue(document: ControlledDocument, form: DocumentForm, pairs, team: Team | None, user,
          record: Record | None = None, token: str | None = None, reason: str = ""
          ) -> tuple[Record, RenderedDocument]:
    """Issue a validated form as a record of ``team``, by ``user``: render first, and take the
    number (or the next revision of the record's number, records.numbering) in the transaction
    that keeps the record, its revision, its copy and its audit entry; the caller commits them
    together. A failure anywhere rolls that transaction back, so it consumes nothing. The copy
    is rendered before anything is written, since other writers wait from the first write to
    the commit. ``token`` names the page that issued
    a new record (see :func:`record_of_page`); ``reason`` is why a revision is issued (printed
    in the copy, kept sealed with the revision). Raises ServiceUnavailable when a dependency
    fails."""
    try:
        catalogue()  # a broken catalogue issues nothing
        prepared = prepare_filled(document, form)
        if record is None:
            record = new_record(document.key, team, user)
            record.issue_token = token if is_page_token(token) else None
        fill_from_form(record, form, pairs, user)
        if record.id is None:  # a new record's id, in the transaction that takes the number
            db.session.flush()  # (a reviewed one is written with its revision: one flush)
        rendered = number_revision(prepared, document, record, reason)
        keep_revision(record, rendered, pairs, form, user)
        with db.session.no_autoflush:  # what the listeners add is written in one flush
            events.issued.send(record, values=MultiDict(pairs), user=user)
        audit.append("document_issued", target=rendered.issue.number,
                     number=rendered.issue.number, revision=rendered.issue.revision,
                     record=record.id, document=document.key, code=document.code,
                     version=rendered.issue.version, with_reason=bool(reason),
                     language=form.document_language.data or DOCUMENT_LANGUAGE)
    except DEPENDENCY_FAULTS as exc:
        db.session.rollback()
        raise ServiceUnavailable(str(exc)) from exc
    except Exception:
        db.session.rollback()
        raise
    return record, rendered


def number_revision(prepared: PreparedCopy, document: ControlledDocument, record: Record,
                    reason: str = "") -> RenderedDocument:
    """The record's next revision, prepared before: its number is taken in the session's
    transaction (records.numbering)."""
    return prepared.numbered(numbering.next_issue(document, record.number, record.revision,
                                                  reason))


def keep_revision(record: Record, rendered: RenderedDocument, pairs, form, user) -> None:
    """The issued revision (its data sealed) and its exact copy, in the transaction that took its
    number; the record now stands at that revision. Its data are the record's, sealed a moment
    ago from the same ``pairs`` (:func:`fill_from_form`): the same sealed bytes serve both."""
    issue_ = rendered.issue
    # The record takes its new revision here, in the session; its changes of this issue are
    # written by one UPDATE, in the flush at the commit (the statements below pass the ORM).
    record.number, record.revision, record.status = issue_.number, issue_.revision, ISSUED
    record.issued_at, record.changed_since_issue = issue_.issued_at, False
    execute_core(INSERT_REVISION, {
        "record_id": record.id, "revision": issue_.revision,
        "number": issue_.number, "issued_at": issue_.issued_at.isoformat(), "issued_by": user.id,
        "template_version": issue_.version, "template_sha256": issue_.template_sha256,
        "file_sha256": hashlib.sha256(rendered.data).hexdigest(),
        "language": form.document_language.data or DOCUMENT_LANGUAGE, "sealed": record.sealed,
        "reason": sealer(SEALED_AS).seal(issue_.reason) if issue_.reason else None})
    issued_copies.keep_issued(record, rendered)  # the exact copy, kept with its revision


def is_page_token(token) -> bool:
    return isinstance(token, str) and len(token) == 32 and all(
        char in "0123456789abcdef" for char in token)


def record_of_page(token, user) -> Record | None:
    """The record a form page already issued (its token), if ``user`` may change it: the same
    page sent again (a second click, a reload, a correction) goes on with that record. Raises
    PageOfAnotherRecord when the token names a record ``user`` may not change."""
    if not is_page_token(token):
        return None
    record_id = db.session.scalar(select(Record.id).where(Record.issue_token == token))
    if record_id is None:
        return None
    record = find_record(record_id, user, for_change=True)
    if record is None or record.status not in (DRAFT, ISSUED):
        # another team's, or annulled (or in the trash): issuing again would revive its number
        raise PageOfAnotherRecord("the page's token names a record the user may not change")
    return record


def same_as_issued(record: Record, pairs) -> bool:
    """Whether ``pairs`` is exactly what the record's current revision was issued with."""
    kept = revision_of(record) if record.status == ISSUED else None
    if kept is None or kept.sealed is None:
        return False
    try:
        return sealer(SEALED_AS).open(kept.sealed) == pairs
    except InvalidToken:
        return False


def revision_of(record: Record, revision: int | None = None) -> RecordRevision | None:
    """The record's issued revision ``revision`` (the latest by default), or None."""
    wanted = revision or record.revision
    if not wanted:
        return None
    return db.session.get(RecordRevision, (record.id, wanted))


def issued_copy(record: Record, revision: int | None = None) -> RenderedDocument:
    """The issued Word copy: the bytes kept at issue (records.issued_copies). A revision issued
    before copies were kept is rendered again from what it was issued with and, once checked,
    kept, so later downloads send the kept bytes. Either is checked against the register's
    SHA-256: raises CopyMismatch when it is not the file the register knows, RecordUnavailable
    when its content is gone."""
    kept = revision_of(record, revision)
    if kept is None:
        raise LookupError("this record has no such issued revision")
    issue_ = issue_of(kept)
    stored = issued_copies.find(record.id, kept.revision, issued_copies.DOCX)
    if stored is not None:
        try:
            rendered = RenderedDocument(issued_copies.opened(stored), stored.name, issue=issue_)
        except issued_copies.CopyGone as exc:
            raise RecordUnavailable(str(exc)) from exc
    else:
        rendered = rendered_again(record, kept)
    if hashlib.sha256(rendered.data).hexdigest() != kept.file_sha256:
        raise CopyMismatch(f"{issue_.label}: the copy differs from the one issued")
    if stored is None:
        issued_copies.keep_issued(record, rendered)
    return rendered


def issue_of(kept: RecordRevision) -> Issue:
    return numbering.new_issue(kept.number, dt.datetime.fromisoformat(kept.issued_at),
                               kept.template_version, kept.template_sha256, kept.revision,
                               reason_of(kept))


def rendered_again(record: Record, kept: RecordRevision) -> RenderedDocument:
    """The revision ``kept`` rendered again from its data, on its template version and in its
    language, as it was issued (unchecked: the caller compares)."""
    document = catalogue().get(record.document_key)
    form = FORMS[record.document_key](formdata=open_pairs(kept.sealed))
    form.validate()  # the same processing the form had when it was issued
    return render_filled(at_version(document, kept.template_version), form, issue_of(kept),
                         language=kept.language)


def reason_of(revision: RecordRevision) -> str:
    """Why ``revision`` was issued ("" for a first issue, or one issued before reasons)."""
    if revision.reason is None:
        return ""
    try:
        return sealer(SEALED_AS).open(revision.reason)
    except InvalidToken as exc:
        raise RecordUnavailable("the reason cannot be opened with the data keys") from exc


def at_version(document: ControlledDocument, version: int) -> ControlledDocument:
    """The catalogue entry as it was when ``version`` was current (its template file)."""
    if version == document.version:
        return document
    return replace(document, template=document.template_for(version))


def trash(record: Record) -> None:
    """Delete a draft to the trash: restorable for ``TRASH_DAYS`` (an issued record is annulled
    instead, records.annulments)."""
    record.status, record.trashed_at = TRASH, now(whole_seconds=True)
    audit.append("record_deleted", target=record.id, document=record.document_key,
                 number=record.number)


def restore(record: Record) -> None:
    record.status = ISSUED if record.revision else DRAFT
    record.trashed_at = None
    audit.append("record_restored", target=record.id, document=record.document_key,
                 number=record.number)


def duplicate(record: Record, user) -> Record:
    """A new draft of the same team, without number, keeping only what the form declares
    stable (``DocumentForm.stable_fields``: people, team, place); dates, notes, follow-ups and
    confirmations start as on a new page."""
    form_class = FORMS[record.document_key]
    pairs = form_class(formdata=None, meta={"csrf": False}).duplicate_pairs(
        open_pairs(record.sealed))
    copy = new_record(record.document_key, record.team, user)
    fill_from_form(copy, form_class(formdata=MultiDict(pairs), meta={"csrf": False}), pairs,
                   user)
    db.session.flush()
    audit.append("record_duplicated", target=copy.id, source=record.id,
                 document=record.document_key)
    return copy


# --- who sees what (records.need_to_know) -----------------------------------------------------
# A record as found by its id: its last author's e-mail comes with it (the record page shows it),
# not the rest of that account nor its teams (a statement of their own, which no page of one
# record needs).
AS_FOUND = (joinedload(Record.author).load_only(User.email).lazyload("*"),)


def find_record(record_id, user, for_change: bool = False) -> Record | None:
    """The record ``record_id`` if ``user`` may read it (or change it), else None, whatever the
    reason: a record of another team, or of a form the user's roles do not fill, is as absent as
    one that does not exist. Each refusal of an id is audited (the id asked for, nothing of the
    record), so someone trying other teams' ids leaves a trace."""
    try:
        wanted = int(record_id)
    except (TypeError, ValueError):
        return None
    record = db.session.get(Record, wanted, options=AS_FOUND) if 0 < wanted < MAX_ID else None
    allowed = need_to_know.may_change if for_change else need_to_know.may_read
    if record is None or not allowed(user, record):
        audit.append("record_refused", target=wanted, change=for_change)
        return None
    return record


def working_teams(user) -> list[Team]:
    """``user``'s active teams, by name: those a new record may be saved in."""
    return sorted((team for team in getattr(user, "teams", ()) if team.active),
                  key=lambda team: team.name)


def team_for_saving(user, requested) -> Team | None:
    """The team a new record of ``user`` belongs to: the one chosen on the page if it is theirs,
    else their only (or first) team; None for an account without an active team (a
    deactivated team takes no new records)."""
    teams = working_teams(user)
    chosen = next((team for team in teams if str(team.id) == str(requested)), None)
    return chosen or (teams[0] if teams else None)
