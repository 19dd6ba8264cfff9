"""Issuing numbered copies that are not kept as a team's record: the ToR of a batch, which lives
with the batch's job for a day (services.batch). A form filled on its page is issued as a saved
record instead (services.saved_records), whose copies are rendered again on demand.

Also the folder that holds the batches' and printed materials' files, which the health check
probes."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import Connection

from ..catalogue import ControlledDocument
from ..documents import RenderedDocument
from ..documents.engine import Issue
from ..forms import DocumentForm
from ..storage import OutputStore
from . import audit
from .catalogue import catalogue
from .faults import DEPENDENCY_FAULTS, ServiceUnavailable
from .numbering import numbered_copies
from .rendering import DOCUMENT_LANGUAGE, prepare_filled


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def issue_documents(document: ControlledDocument, forms: list[DocumentForm],
                    keep: Callable[[Connection, int, RenderedDocument], None],
                    ) -> list[RenderedDocument]:
    """Number validated forms' documents, consecutively, and render them; ``keep(connection,
    index, copy)`` saves the copy of ``forms[index]`` in the register's transaction, so the
    numbers are kept only with the copies. Raises ServiceUnavailable when a dependency fails; the
    numbers are then not taken. Other servers wait for the register while numbers are being
    taken, so the copies are rendered before, and only finished (and kept) then."""
    try:
        catalogue()  # a broken catalogue issues nothing
        prepared = [prepare_filled(document, form) for form in forms]  # before the numbers
        with numbered_copies(document, len(forms)) as (issues, connection):
            rendered = [copy.numbered(issue) for copy, issue in zip(prepared, issues)]
            for index, copy in enumerate(rendered):
                keep(connection, index, copy)
    except DEPENDENCY_FAULTS as exc:
        raise ServiceUnavailable(str(exc)) from exc
    record_issues(document, forms, issues)
    return rendered


def record_issues(document: ControlledDocument, forms: list[DocumentForm], issues: list[Issue]
                  ) -> None:
    """The audit entries of numbers taken: which document, version and language (never what was
    typed). The numbers are already taken and the copies made, so a failure here is logged and
    the copies are kept, as the register itself shows the numbers were issued."""
    try:
        audit.record_each("document_issued", [
            (issue.number, {"number": issue.number, "document": document.key,
                            "code": document.code, "version": issue.version,
                            "language": form.document_language.data or DOCUMENT_LANGUAGE})
            for form, issue in zip(forms, issues)])
    except Exception:  # the database failed after the numbers were taken
        current_app.logger.exception("the audit entries of %s… were not written",
                                     issues[0].number)
