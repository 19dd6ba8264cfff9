"""Producing a controlled document from a filled form: catalogue + form + Word engine + storage.

Views, and later batch generation and the command line, call :func:`generate`, so a document is
produced the same way wherever the request comes from.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from .catalogue import Catalogue, ControlledDocument
from .documents import Branding, RenderedDocument, render_document
from .documents.controlled import FrameTexts
from .forms.base import DocumentForm
from .storage import OutputStore

DOCUMENT_LANGUAGE = "es"


def catalogue() -> Catalogue:
    return current_app.extensions["webforms.catalogue"]


def branding() -> Branding:
    config = current_app.config
    logo = Path(config["ORG_LOGO"]) if config.get("ORG_LOGO") else None
    return Branding(organization=config.get("ORG_NAME") or catalogue().organization, logo=logo)


def frame_texts() -> FrameTexts:
    return FrameTexts(
        version=_("Versión"),
        page=_("Página"),
        of=_("de"),
        print_notice=_("Antes de imprimir este documento… piense en el medio ambiente!"),
        copy_notice=_("Cualquier copia impresa de este documento se considera como COPIA NO "
                      "CONTROLADA."),
    )


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def generate(document: ControlledDocument, form: DocumentForm) -> RenderedDocument:
    """Render a validated form as its controlled document and keep a copy in the output store."""
    rendered = render_document(
        document,
        form.document_context(DOCUMENT_LANGUAGE),
        branding(),
        frame_texts(),
        language=DOCUMENT_LANGUAGE,
        record_date=form.record_date(),
    )
    output_store().save(rendered.data, rendered.filename)
    return rendered
