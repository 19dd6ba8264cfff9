"""Issuing a filled form: a number from the register, the rendered copy, and a copy kept."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..catalogue import ControlledDocument
from ..documents import RenderedDocument
from ..documents.engine import Issue
from ..forms import DocumentForm
from ..storage import OutputStore
from . import audit
from .catalogue import catalogue
from .faults import DEPENDENCY_FAULTS, ServiceUnavailable
from .numbering import numbered_copy
from .rendering import DOCUMENT_LANGUAGE, render_filled


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def issue_document(document: ControlledDocument, form: DocumentForm, keep_copy: bool = True
                   ) -> RenderedDocument:
    """Number a validated form's document, render it, and keep a copy in the output store
    (a batch keeps its ZIP instead). Raises ServiceUnavailable when a dependency fails; the number
    is then not taken.

    Other servers wait for the register while a number is being taken, so only the render happens
    then; the copy is written afterwards, once the store was found ready to take it."""
    try:
        catalogue()  # a broken catalogue issues nothing
        if keep_copy:
            output_store().check_ready()
        with numbered_copy(document) as issue:
            rendered = render_filled(document, form, issue)
    except DEPENDENCY_FAULTS as exc:
        raise ServiceUnavailable(str(exc)) from exc
    record_issue(document, form, issue)
    if keep_copy:
        keep_a_copy(rendered)
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


def keep_a_copy(rendered: RenderedDocument) -> None:
    """The server's copy of an issued document. The user already has the document and its number
    is taken, so a failure here (the disk filled up a moment ago) is logged, not shown."""
    try:
        output_store().save(rendered.data, rendered.filename)
    except OSError:
        current_app.logger.exception("the copy of %s was not kept", rendered.filename)
