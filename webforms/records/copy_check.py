"""Rendering again, as a check: would each kept copy come out of its data and template version
byte for byte as it was issued? (``flask --app wsgi records verify-copies``)

Downloads never depend on the answer (they send the kept bytes, records.issued_copies). A
difference says that something the copies are made with changed since (a library upgraded, a
template file touched): worth knowing before the kept bytes are the only exact copy, and the
reason dependencies are locked (``constraints.txt``, see docs/exact-copies.md).

A Word copy is rendered again and compared; a PDF cannot be (the converter stamps each file), so
its bytes are only checked against the SHA-256 kept with them. Nothing is changed; one audit
entry keeps the counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from webforms.audit import trail as audit
from webforms.common.faults import DEPENDENCY_FAULTS
from webforms.records import issued_copies
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import IssuedCopy, Record

ALTERED = "altered"            # the kept bytes are not those whose SHA-256 was kept
NOT_REGISTERED = "register"    # the kept Word copy is not the file the register knows
RENDERS_DIFFERENTLY = "render"  # rendered again, it would differ
UNREADABLE = "unreadable"      # the bytes or the data cannot be opened, or it does not render


@dataclass(frozen=True)
class Difference:
    number: str
    revision: int
    format: str
    reason: str

    @property
    def label(self) -> str:
        return f"{self.number} rev. {self.revision} ({self.format})"


@dataclass
class CheckReport:
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"checked": self.checked, "differences": len(self.differences)}


def verify_copies() -> CheckReport:
    """Check every kept copy whose bytes are still kept; changes nothing but the audit."""
    report = CheckReport()
    for kept in issued_copies.all_copies():
        report.checked += 1
        reason = difference(kept)
        if reason is not None:
            report.differences.append(Difference(kept.number, kept.revision, kept.format,
                                                  reason))
    audit.append("copies_verified", **report.counts())
    return report


def difference(kept: IssuedCopy) -> str | None:
    """Why ``kept`` differs from what it should be, or None."""
    try:
        data = issued_copies.opened(kept)
    except issued_copies.CopyGone:
        return UNREADABLE
    if issued_copies.sha256(data) != kept.sha256:
        return ALTERED
    if kept.format != issued_copies.DOCX:
        return None
    record = db.session.get(Record, kept.record_id)
    revision = saved_records.revision_of(record, kept.revision)
    if revision is None or revision.file_sha256 != kept.sha256:
        return NOT_REGISTERED
    try:
        rendered = saved_records.rendered_again(record, revision)
    except (saved_records.RecordUnavailable, *DEPENDENCY_FAULTS, LookupError, ValueError):
        return UNREADABLE
    return None if rendered.data == data else RENDERS_DIFFERENTLY
