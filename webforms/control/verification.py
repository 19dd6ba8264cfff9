"""Verifying a copy from what its footer prints: the number (followed by "rev. N" when the copy is
a later revision of a saved record) and the check code beside it.

A number now has a history, so "is it registered?" is no longer the whole answer. A saved record
issued again keeps its number and adds a revision, so the copy in someone's hands may have been
superseded; a record annulled (records.annulments: once its request is approved, never while
it waits) leaves its number *anulado* from that day, as does a record put in the trash before
annulments existed (or purged after it). This module tells those cases apart from the register
and the revisions' metadata alone (dates, template versions, hashes), never from what a copy
says. Numbers issued without a saved record
(the batches of ToR) have a single revision: the register's.

The check code is required exactly as before (``numbering.code_matches`` on the bare number), so
knowing one number says nothing about its neighbours, their revisions or whether they were
annulled.

A file (a .docx or its PDF) is verified by its SHA-256 against the copies kept at issue
(records.issued_copies) and the register's hash of each Word revision: a match says which
number and revision, unchanged; nothing else can say a file is unchanged. A .docx that matches
nothing may still carry a number (in its embedded record): the answer names it only when the
file also prints that number's check code, so a file made up around a guessed number learns no
more than the number check would tell.

A PDF also carries the organisation's signature (documents.signatures, common.signing): the
answer reports it (sound or not, who signed, when, the timestamp, whether it chains to the
configured trust anchor). A PDF signed soundly by another key is "not issued here"; one byte
changed breaks the signature. A PDF soundly signed by the organisation whose bytes match no kept
copy (an installation's copies restored from elsewhere) is named by the number and revision its
signature's reason gives.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from flask import current_app

from webforms.common.signing import REASON_PREFIX, signing_key, uses_self_signed_default
from webforms.documents import signatures
from webforms.documents.embedded_data import EmbeddedDataError, read_embedded_data
from webforms.documents.signatures import SignatureCheck, SigningUnavailable
from webforms.records import issued_copies
from webforms.records.annulments import annulled_at
from webforms.records.numbering import check_code, code_matches, document_register
from webforms.records.saved import ANNULLED, DELETED, TRASH
from webforms.storage.database import db
from webforms.storage.models import Record, RecordRevision

# "F1.G34.P-2026-000042", optionally "… rev. 2" (the page upper-cases what was typed).
TYPED = re.compile(r"^(?P<number>[A-Z0-9.]{1,30}-\d{4}-\d{6})"
                   r"(?: ?REV\.? ?(?P<revision>\d{1,4}))?$")
ANNULLED_STATUSES = (TRASH, DELETED, ANNULLED)


@dataclass(frozen=True)
class Typed:
    """What someone typed: the bare number, and the revision if they gave one."""

    number: str
    revision: int | None = None


def parse(text: str) -> Typed | None:
    """``F1.G34.P-2026-000042`` or ``F1.G34.P-2026-000042 rev. 2``, in any case and spacing."""
    match = TYPED.match(" ".join(text.split()).upper())
    if match is None:
        return None
    revision = match.group("revision")
    return Typed(match.group("number"), int(revision) if revision else None)


@dataclass(frozen=True)
class Revision:
    revision: int
    issued_at: dt.datetime
    template_version: int
    template_sha256: str


@dataclass(frozen=True)
class Verification:
    """A number confirmed by its check code: its revisions (oldest first), the one typed (1 when
    the copy printed no "rev."), and whether the number is annulled."""

    number: str
    code: str
    document_key: str
    revisions: tuple[Revision, ...]
    typed: int
    annulled: bool = False
    annulled_at: dt.datetime | None = None  # when the number was annulled, if known
    saved: bool = False  # the number belongs to a saved record (it may have revisions)

    @property
    def label(self) -> str:
        """The number as the typed revision prints it."""
        return self.number if self.typed == 1 else f"{self.number} rev. {self.typed}"

    @property
    def shown(self) -> Revision:
        return next(item for item in self.revisions if item.revision == self.typed)

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    @property
    def newer(self) -> Revision | None:
        """The latest revision, when it is not the one typed."""
        return self.latest if self.latest.revision > self.typed else None


def verify(text: str, code: str) -> Verification | None:
    """The verification of the number typed as ``text`` with its check ``code``, or None when
    the number is malformed, the code is not its code, or no such number (or revision) exists."""
    typed = parse(text)
    if typed is None or not code_matches(typed.number, code):
        return None
    issued = document_register().find(typed.number)
    if issued is None:
        return None
    saved = saved_revisions(typed.number)
    revisions = saved or (Revision(1, issued.issued_at, issued.version, issued.template_sha256),)
    wanted = 1 if typed.revision is None else typed.revision
    if wanted not in {item.revision for item in revisions}:
        return None
    annulled, annulled_on = annulment_of(issued.number)
    return Verification(number=issued.number, code=issued.code, document_key=issued.document_key,
                        revisions=revisions, typed=wanted, annulled=annulled,
                        annulled_at=annulled_on, saved=bool(saved))


def saved_revisions(number: str) -> tuple[Revision, ...]:
    """The issued revisions kept for ``number`` by a saved record, oldest first (none for a
    number issued without one)."""
    rows = db.session.scalars(db.select(RecordRevision).where(
        RecordRevision.number == number).order_by(RecordRevision.revision))
    return tuple(Revision(row.revision, dt.datetime.fromisoformat(row.issued_at),
                          row.template_version, row.template_sha256) for row in rows)


def annulment_of(number: str) -> tuple[bool, dt.datetime | None]:
    """Whether ``number`` is annulled and since when: the approval of its annulment, or the day
    its record went to the trash (before annulments existed)."""
    record = db.session.scalar(db.select(Record).where(Record.number == number))
    if record is None or record.status not in ANNULLED_STATUSES:
        return False, None
    return True, annulled_at(record.id) or record.trashed_at or record.purged_at


# --- a file --------------------------------------------------------------------------------------
# The parts of a .docx where its footer prints the number and check code, and how much of each is
# read (an uploaded package's work is bounded, whatever it holds).
PRINTED_PARTS = re.compile(r"^word/(document|footer\d*|header\d*)\.xml$")
MAX_PART_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class FileVerification:
    """What a file is: an issued copy unchanged (``match``), or nothing issued; for a .docx that
    matches nothing, the number it carries when it also prints that number's check code."""

    match: Verification | None = None
    format: str | None = None  # "docx" or "pdf": the kind of copy it matched
    carried: str | None = None
    signature: SignatureCheck | None = None  # a PDF's
    self_signed: bool = False  # the organisation signs with the generated default certificate

    @property
    def signature_state(self) -> str:
        """"valid" (the organisation's, unchanged), "invalid" (changed since it was signed, or
        broken), "foreign" (sound, but not the organisation's: not issued here) or "none"."""
        check = self.signature
        if check is None or not check.signed:
            return "none"
        if not check.unchanged:
            return "invalid"
        return "valid" if check.ours else "foreign"


def verify_file(data: bytes) -> FileVerification:
    """Verify an uploaded file by its SHA-256, and a PDF by its signature too (see the module
    docstring)."""
    signature, self_signed = pdf_signature(data)
    found = matching_copy(hashlib.sha256(data).hexdigest())
    if found is None and signature is not None and signature.ours:
        found = signed_copy(signature.reason)
    if found is not None:
        number, revision, kind = found
        verified = verify_revision(number, revision)
        if verified is not None:
            return FileVerification(match=verified, format=kind, signature=signature,
                                    self_signed=self_signed)
    return FileVerification(carried=carried_number(data), signature=signature,
                            self_signed=self_signed)


def pdf_signature(data: bytes) -> tuple[SignatureCheck | None, bool]:
    """The check of a PDF's signature against the organisation's key (None for a .docx), and
    whether that key is the self-signed default."""
    if not data.startswith(b"%PDF-"):
        return None, False
    try:
        key = signing_key()
    except SigningUnavailable:
        return SignatureCheck(signed=False, problem="the signing key is not configured"), False
    return signatures.check(data, key), key.self_signed


def self_signed_default() -> bool:
    """Whether the organisation signs with the self-signed certificate generated by default
    (from the configuration alone: the page need not load the key)."""
    return uses_self_signed_default(current_app.config)


def signed_copy(reason: str) -> tuple[str, int, str] | None:
    """(number, revision, "pdf") named by the reason of the organisation's signature."""
    typed = parse(reason.removeprefix(REASON_PREFIX))
    if not reason.startswith(REASON_PREFIX) or typed is None or typed.revision is None:
        return None
    return typed.number, typed.revision, issued_copies.PDF


def matching_copy(digest: str) -> tuple[str, int, str] | None:
    """(number, revision, format) of the issued copy whose file hashes to ``digest``."""
    kept = issued_copies.with_hash(digest)
    if kept:
        return kept[0].number, kept[0].revision, kept[0].format
    row = db.session.execute(db.select(RecordRevision.number, RecordRevision.revision).where(
        RecordRevision.file_sha256 == digest).limit(1)).first()
    return (row.number, row.revision, issued_copies.DOCX) if row else None


def verify_revision(number: str, revision: int) -> Verification | None:
    issued = document_register().find(number)
    revisions = saved_revisions(number)
    if issued is None or revision not in {item.revision for item in revisions}:
        return None
    annulled, annulled_on = annulment_of(number)
    return Verification(number=issued.number, code=issued.code, document_key=issued.document_key,
                        revisions=revisions, typed=revision, annulled=annulled,
                        annulled_at=annulled_on, saved=True)


def carried_number(data: bytes) -> str | None:
    """The number a .docx carries in its record, if it is registered and the file prints its
    check code; None otherwise (a PDF, a file of another application, a made-up number)."""
    try:
        number = read_embedded_data(data).get("number")
    except EmbeddedDataError:
        return None
    typed = parse(number) if isinstance(number, str) else None
    if typed is None or document_register().find(typed.number) is None:
        return None
    return typed.number if prints(data, check_code(typed.number)) else None


def prints(data: bytes, text: str) -> bool:
    """Whether the document's body, headers or footers hold ``text``."""
    wanted = text.encode()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return any(wanted in package.read(member) for member in package.infolist()
                       if PRINTED_PARTS.match(member.filename)
                       and member.file_size <= MAX_PART_BYTES)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return False
