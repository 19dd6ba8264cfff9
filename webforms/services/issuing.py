"""Issuing a numbered copy that is not kept as a team's record: the ToR of a batch, which lives
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
from .numbering import numbered_copy
from .rendering import DOCUMENT_LANGUAGE, prepare_filled


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def issue_document(document: ControlledDocument, form: DocumentForm,
                   keep: Callable[[Connection, RenderedDocument], None] | None = None,
                   ) -> RenderedDocument:
    """Number a validated form's document and render it; ``keep`` saves the copy in the
    register's transaction, so the number is kept only with the copy. Raises ServiceUnavailable
    when a dependency fails; the number is then not taken. Other servers wait for the register
    while a number is being taken, so the copy is rendered before, and only finished (and kept)
    then."""
    try:
        catalogue()  # a broken catalogue issues nothing
        prepared = prepare_filled(document, form)  # before the number: others wait for that
        with numbered_copy(document) as (issue, connection):
            rendered = prepared.numbered(issue)
            if keep is not None:
                keep(connection, rendered)
    except DEPENDENCY_FAULTS as exc:
        raise ServiceUnavailable(str(exc)) from exc
    record_issue(document, form, issue)
    return rendered


def record_issue(document: ControlledDocument, form: DocumentForm, issue: Issue) -> None:
    """The audit entry of a number taken: which document, version and language (never what was
    typed). The number is already taken and the copy made, so a failure here is logged and the
    user keeps the document, as the register itself shows the number was issued."""
    try:
        audit.record("document_issued", target=issue.number, number=issue.number,
                     document=document.key, code=document.code, version=issue.version,
                     language=form.document_language.data or DOCUMENT_LANGUAGE)
    except Exception:  # the database failed after the number was taken
        current_app.logger.exception("the audit entry of %s was not written", issue.number)
