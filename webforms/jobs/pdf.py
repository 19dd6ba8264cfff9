"""PDF copies, made by the job consumer (a conversion may take seconds, and must never hold a web
worker): a page submits a PDF job and waits briefly for it; a warm converter answers well within
that wait, so the user usually gets the file directly, and otherwise the job's progress page.

The same document asked again by the same person within a day is the same job: its PDF is not
converted twice.

A record's copy is signed by the organisation (common.signing, docs/signed-pdf.md) as the last
step, and the record keeps the signed bytes: the PDF first made of a copy is the one issued, so a
second conversion of it (signed at another moment) answers with the kept bytes, never its own."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from webforms.common.signing import sign_issued
from webforms.documents import RenderedDocument
from webforms.documents.pdf import to_pdf
from webforms.jobs import service as jobs
from webforms.storage.database import db
from webforms.storage.models import IssuedCopy, Job, Record

PDF_MIMETYPE = "application/pdf"
# The package's dates, stamped when a copy is made (a blank's, every time it is asked for): not
# what tells two documents apart.
PACKAGE_PROPERTIES = "docProps/core.xml"
PACKAGE_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


RECORD_PDF_KEEPERS: list = []
"""What keeps a record's PDF with it once made (records.issued_copies.kept_pdf, registered by
records.tasks: the queue is below the records): each returns the bytes the record keeps as that
copy's PDF (the first made), or None when it keeps none."""


def pdf_job(rendered: RenderedDocument, owner, record: Record | None = None) -> Job:
    """The job converting ``rendered`` (submitted, or the same one already there), waited for up
    to ``PDF_WAIT_SECONDS``. A copy of ``record`` names it: its file is then given only to who
    may read that record when it is asked for (jobs.service.visible_to). ``owner``: who asks
    (None for nobody signed in)."""
    return jobs.requested("pdf", rendered.data, owner=owner,
                          label=str(Path(rendered.filename).with_suffix(".pdf")),
                          dedupe=conversion_key(rendered.data, owner),
                          record_id=record.id if record is not None else None)


def conversion_key(data: bytes, owner) -> str:
    """The same document asked twice is one job, even a second apart (two clicks on a blank):
    every part of the .docx counts, but not the time the package was made."""
    return jobs.dedupe_key("pdf", owner, *_undated_parts(data))


def _undated_parts(data: bytes) -> Iterator[bytes | str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for member in package.infolist():
            content = package.read(member)
            if member.filename == PACKAGE_PROPERTIES:
                content = PACKAGE_DATES.sub(b"", content)
            yield member.filename
            yield content


def convert_job(job: Job) -> None:
    """The consumer's side: the PDF of the job's document."""
    config = current_app.config
    docx = jobs.payload(job)
    pdf = to_pdf(docx, config["PDF_TIMEOUT"], config["CONVERTERS"])
    if job.record_id is not None:  # a record's copy: signed, and kept with it
        pdf = sign_issued(pdf, *copy_of(job.record_id, docx))
        for keep in RECORD_PDF_KEEPERS:
            pdf = keep(job.record_id, docx, pdf, job.label) or pdf
    jobs.finish(job, pdf, job.label, PDF_MIMETYPE)


def copy_of(record_id: int, docx: bytes) -> tuple[str, int]:
    """The number and revision of the record's Word copy ``docx``: those of its kept copy (a
    revision issued since the job was asked for does not rename it), else the record's latest."""
    kept = db.session.execute(select(IssuedCopy.number, IssuedCopy.revision).where(
        IssuedCopy.record_id == record_id, IssuedCopy.format == "docx",
        IssuedCopy.sha256 == hashlib.sha256(docx).hexdigest()).limit(1)).first()
    if kept is not None:
        return kept.number, kept.revision
    record = db.session.get(Record, record_id)
    return record.number, record.revision

