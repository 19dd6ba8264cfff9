"""The exact copy, kept: the bytes of every issued copy of a saved record, sealed in the database.

Why keep the bytes: a copy rendered again is the same file only while the template, docxtpl,
python-docx and lxml are byte for byte what they were at issue. One routine upgrade would make a
record issued before it undownloadable (its SHA-256 would no longer match the register's). So the
Word file is kept when it is issued, and its PDF once the job consumer has made it; a download
sends those bytes. Rendering again becomes a check (records.copy_check, ``flask records
verify-copies``).

Records issued before the copies were kept have none: their first download renders the copy
again, checks its SHA-256 against the register, and keeps it (records.saved.issued_copy).

What is kept is sealed like every record's content (storage.sealing, its own purpose), emptied by
retention with the content, and sealed again by the data key's rotation; the SHA-256 stays, so
/verificar still recognises a file whose content has been purged.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import insert, select, update

from webforms.clock import now
from webforms.storage.database import db, execute_core
from webforms.storage.models import IssuedCopy
from webforms.storage.sealing import NAMES_SEALED_AS, InvalidToken, seal_text, sealer

SEALED_AS = "issued_copy"
DOCX, PDF = "docx", "pdf"
FORMATS = (DOCX, PDF)
# The Word copy of every issue, written by one plain statement built once (no unit of work).
INSERT_ISSUED = insert(IssuedCopy.__table__)


class CopyGone(Exception):
    """The copy was kept, but its bytes were purged or open with none of the data keys."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep(record_id: int, number: str, revision: int, kind: str, data: bytes, name: str
         ) -> IssuedCopy:
    """Keep ``data`` as the ``kind`` copy of the record's ``revision`` (in the session's
    transaction); a copy already kept stays as it is (the first one is the one issued)."""
    kept = db.session.get(IssuedCopy, (record_id, revision, kind))
    if kept is not None:
        return kept
    return add(record_id, number, revision, kind, data, name)


def add(record_id: int, number: str, revision: int, kind: str, data: bytes, name: str
        ) -> IssuedCopy:
    """Add ``data`` as a copy no one kept yet, flushed with whatever the session holds."""
    kept = IssuedCopy(record_id=record_id, revision=revision, format=kind, number=number,
                      sha256=sha256(data), size=len(data),
                      sealed=sealer(SEALED_AS).seal_bytes(data))
    kept.name = name
    db.session.add(kept)
    db.session.flush()
    return kept


def keep_issued(record, rendered) -> None:
    """Keep the Word copy just issued for ``record`` (a records.saved issue): its revision was
    numbered in this transaction, so no copy of it can be kept already (nothing to look up).
    Written at once on the session's connection, in its transaction, after the revision."""
    issue, data = rendered.issue, rendered.data
    execute_core(INSERT_ISSUED, {
        "record_id": record.id, "revision": issue.revision, "format": DOCX,
        "number": issue.number, "sha256": sha256(data), "size": len(data),
        "sealed": sealer(SEALED_AS).seal_bytes(data), "sealed_name": seal_text(rendered.filename),
        "created_at": now()})


def keep_pdf(record_id: int, docx: bytes, pdf: bytes, name: str) -> IssuedCopy | None:
    """Keep ``pdf``, made from the Word copy ``docx`` of the record, as the PDF of that copy's
    revision; None (nothing kept) when ``docx`` is no kept copy of the record."""
    source = db.session.scalar(select(IssuedCopy).where(
        IssuedCopy.record_id == record_id, IssuedCopy.format == DOCX,
        IssuedCopy.sha256 == sha256(docx)))
    if source is None:
        return None
    return keep(record_id, source.number, source.revision, PDF, pdf, name)


def kept_pdf(record_id: int, docx: bytes, pdf: bytes, name: str) -> bytes | None:
    """:func:`keep_pdf`, answering with the bytes the record keeps: the PDF first made of that
    copy (a second conversion, signed at another moment, is not the copy issued)."""
    kept = keep_pdf(record_id, docx, pdf, name)
    try:
        return opened(kept) if kept is not None else None
    except CopyGone:
        return None


def find(record_id: int, revision: int, kind: str) -> IssuedCopy | None:
    return db.session.get(IssuedCopy, (record_id, revision, kind))


def opened(kept: IssuedCopy) -> bytes:
    """The bytes of a kept copy; raises CopyGone when they were purged or cannot be opened."""
    if kept.sealed is None:
        raise CopyGone("the bytes of this copy were purged")
    try:
        return sealer(SEALED_AS).open_bytes(kept.sealed)
    except InvalidToken as exc:
        raise CopyGone("the copy opens with none of the data keys") from exc


def with_hash(digest: str) -> list[IssuedCopy]:
    """The kept copies whose file has the SHA-256 ``digest`` (usually one)."""
    return list(db.session.scalars(select(IssuedCopy).where(IssuedCopy.sha256 == digest)
                                   .order_by(IssuedCopy.record_id, IssuedCopy.revision)))


def all_copies(kind: str | None = None) -> list[IssuedCopy]:
    query = select(IssuedCopy).where(IssuedCopy.sealed.is_not(None))
    if kind is not None:
        query = query.where(IssuedCopy.format == kind)
    return list(db.session.scalars(query.order_by(IssuedCopy.record_id, IssuedCopy.revision,
                                                  IssuedCopy.format)))


def purge(record_ids: list[int]) -> None:
    """Empty the bytes (and names) of the records' copies; their hashes stay."""
    if record_ids:
        db.session.execute(update(IssuedCopy).where(IssuedCopy.record_id.in_(record_ids))
                           .values(sealed=None, sealed_name=None),
                           execution_options={"synchronize_session": False})


def reseal_all() -> int:
    """Seal every kept copy (and its name) again with the current key; returns how many. Raises
    InvalidToken (with the copy's key in the message) when one opens with none of the keys."""
    copies, names = sealer(SEALED_AS), sealer(NAMES_SEALED_AS)
    count = 0
    for kept in all_copies():
        try:
            kept.sealed = copies.reseal(kept.sealed)
            if kept.sealed_name is not None:
                kept.sealed_name = names.reseal(kept.sealed_name)
        except InvalidToken as exc:
            raise InvalidToken(f"issued_copies {kept.record_id}/{kept.revision}/"
                               f"{kept.format}") from exc
        count += 1
    db.session.flush()
    return count
