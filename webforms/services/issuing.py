"""Issuing a filled form: a number from the register, the rendered copy, and a copy kept."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..catalogue import ControlledDocument
from ..documents import RenderedDocument
from ..forms import DocumentForm
from ..storage import OutputStore
from .catalogue import catalogue
from .faults import DEPENDENCY_FAULTS, ServiceUnavailable
from .numbering import numbered_copy
from .rendering import render_filled


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def issue_document(document: ControlledDocument, form: DocumentForm, keep_copy: bool = True
                   ) -> RenderedDocument:
    """Number a validated form's document, render it, and keep a copy in the output store
    (a batch keeps its ZIP instead). Raises ServiceUnavailable when a dependency fails."""
    try:
        catalogue()  # a broken catalogue issues nothing
        with numbered_copy(document) as issue:
            rendered = render_filled(document, form, issue)
            if keep_copy:
                output_store().save(rendered.data, rendered.filename)
    except DEPENDENCY_FAULTS as exc:
        raise ServiceUnavailable(str(exc)) from exc
    return rendered
