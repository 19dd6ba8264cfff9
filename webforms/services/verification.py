"""Verifying a copy from what its footer prints: the number (followed by "rev. N" when the copy is
a later revision of a saved record) and the check code beside it.

A number now has a history, so "is it registered?" is no longer the whole answer. A saved record
issued again keeps its number and adds a revision, so the copy in someone's hands may have been
superseded; a record annulled (services.annulments: once its request is approved, never while
it waits) leaves its number *anulado* from that day, as does a record put in the trash before
annulments existed (or purged after it). This module tells those cases apart from the register
and the revisions' metadata alone (dates, template versions, hashes), never from what a copy
says. Numbers issued without a saved record
(the batches of ToR) have a single revision: the register's.

The check code is required exactly as before (``numbering.code_matches`` on the bare number), so
knowing one number says nothing about its neighbours, their revisions or whether they were
annulled.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..storage.database import db
from ..storage.models import Record, RecordRevision
from .annulments import annulled_at
from .numbering import code_matches, document_register
from .saved_records import ANNULLED, DELETED, TRASH

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
