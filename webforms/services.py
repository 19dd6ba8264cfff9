"""Producing a controlled document from a filled form: catalogue + form + Word engine + storage.

Views, and later batch generation and the command line, call :func:`generate`, so a document is
produced the same way wherever the request comes from.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .catalogue import Catalogue, ControlledDocument
from .documents import Branding, RenderedDocument, render_document
from .documents.controlled import FrameTexts
from .documents.engine import Issue, safe_name_part, template_sha256
from .documents.pdf import to_pdf
from .extensions import FORMAT_VARIANTS
from .forms import FORMS
from .forms.base import DocumentForm
from .handouts import HANDOUTS
from .storage import BatchJobStore, DocumentRegister, OutputStore

DOCUMENT_LANGUAGE = "es"  # the source language of every template and seed text
PROGRESS_EVERY = 5


def catalogue() -> Catalogue:
    """The catalogue, read again when its file changes (e.g. after ``templates new-version``),
    so every server process follows a new version without a restart."""
    return current_app.extensions["webforms.catalogue"].current()


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
        issue_line=issue_line,
        change_history=(_("Control de cambios"), _("Fecha"), _("Versión"),
                        _("Descripción del cambio")),
    )


def issue_line(issue: Issue) -> str:
    return _("Documento N.º %(number)s · generado el %(when)s UTC · plantilla versión "
             "%(version)d (%(sha)s)", number=issue.number,
             when=issue.issued_at.strftime("%Y-%m-%d %H:%M"), version=issue.version,
             sha=issue.template_sha256[:12])


def register() -> DocumentRegister:
    return DocumentRegister(Path(current_app.config["DATABASE"]))


def issue_number(document: ControlledDocument) -> Issue:
    """A unique number for a new copy of the current version, recorded in the register."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sha = template_sha256(document.template)
    issued = register().issue(document.code, document.key, document.version, sha, now)
    return Issue(number=issued.number, issued_at=now, version=document.version,
                 template_sha256=sha)


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))


def produce(document: ControlledDocument, form: DocumentForm) -> RenderedDocument:
    """Render a validated form as a new, numbered copy of its controlled document, in the
    language chosen on the form."""
    language = form.document_language.data or DOCUMENT_LANGUAGE
    dates = FORMAT_VARIANTS.get(language, language)  # "20 November 2026" in English
    return render_in(document, language, lambda: form.document_context(dates),
                     record_date=form.record_date(), record=form.record_data(),
                     issue=issue_number(document))


def produce_blank(document: ControlledDocument, language: str = DOCUMENT_LANGUAGE
                  ) -> RenderedDocument:
    """The document printed blank, to be filled by hand: same template, same frame, no number.
    A training handout, which has no form, is printed with its texts."""
    return render_in(document, language, lambda: printable_context(document, language),
                     label=lambda: _("en blanco") if document.key in FORMS else "")


def render_in(document: ControlledDocument, language: str, context, label=lambda: "",
              **options) -> RenderedDocument:
    """Render with every text in ``language``: the template's fixed texts, the seed texts of the
    context, the frame, the catalogue's title. ``context`` is called once that language is set."""
    with force_locale(language):
        return render_document(document.localized(language), context(), branding(),
                               frame_texts(), language=language, label=label(),
                               gettext=_, **options)


def printable_context(document: ControlledDocument, language: str = DOCUMENT_LANGUAGE) -> dict:
    if document.key in HANDOUTS:
        return HANDOUTS[document.key]()
    form = FORMS[document.key](formdata=None, meta={"csrf": False})
    return form.blank_context(language)


def as_pdf(rendered: RenderedDocument) -> RenderedDocument:
    """The PDF of a rendered document (raises PdfUnavailable without LibreOffice)."""
    timeout = current_app.config["PDF_TIMEOUT"]
    return RenderedDocument(data=to_pdf(rendered.data, timeout),
                            filename=str(Path(rendered.filename).with_suffix(".pdf")),
                            mimetype="application/pdf", issue=rendered.issue)


def generate(document: ControlledDocument, form: DocumentForm) -> RenderedDocument:
    """Produce the document and keep a copy in the output store."""
    rendered = produce(document, form)
    output_store().save(rendered.data, rendered.filename)
    return rendered


# --- batches ------------------------------------------------------------------------------------
def batch_store() -> BatchJobStore:
    return BatchJobStore(Path(current_app.config["OUTPUT_DIR"]))


def start_batch(document: ControlledDocument, form_class: type[DocumentForm], job_id: str,
                rows: list, locale: str) -> None:
    """Generate one document per valid row in a background thread.

    Progress and the result live in the job's folder (see :class:`BatchJobStore`), so any
    process can report on it; the ZIP appears only once complete.
    """
    app = current_app._get_current_object()
    batch_store().update(job_id, state="running", done=0, total=len(rows))
    worker = threading.Thread(target=_run_batch, name=f"batch-{job_id}", daemon=True,
                              args=(app, document, form_class, job_id, rows, locale))
    worker.start()


def _run_batch(app, document, form_class, job_id, rows, locale) -> None:
    with app.app_context(), force_locale(locale):
        store = batch_store()
        partial = store.partial_result_path(job_id)
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, (row_number, formdata) in enumerate(rows, start=1):
                    # already validated when the file was checked
                    form = form_class(formdata=formdata, meta={"csrf": False})
                    rendered = produce(document, form)
                    archive.writestr(batch_member_name(rendered.filename, row_number,
                                                       form.file_label()), rendered.data)
                    if done % PROGRESS_EVERY == 0:
                        store.update(job_id, done=done)
            os.replace(partial, store.result_path(job_id))
            store.update(job_id, state="done", done=len(rows))
        except Exception:  # reported on the job's page; the traceback goes to the server log
            app.logger.exception("batch %s failed", job_id)
            partial.unlink(missing_ok=True)
            store.update(job_id, state="failed")


def batch_member_name(filename: str, row_number: int, label: str = "") -> str:
    """``007 Ana Torres - F2.G34.P … .docx``: sorted like the spreadsheet, traceable to its row."""
    label = safe_name_part(label)[:60]
    return f"{row_number:03d} {label + ' - ' if label else ''}{filename}"
