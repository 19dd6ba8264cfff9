"""A controlled document rendered in one language: filled from a form, blank for paper, or a
printed handout. Every render goes through :func:`prepare_in`, so the template's fixed texts, the
seed texts of the context, the frame and the catalogue's title share that language."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from webforms.catalogue import ControlledDocument
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.codes import check_code
from webforms.documents import Branding, RenderedDocument, prepare_document
from webforms.documents.contexts import CONTEXTS
from webforms.documents.controlled import FrameTexts
from webforms.documents.engine import Issue
from webforms.extensions import FORMAT_VARIANTS
from webforms.forms import DocumentForm

DOCUMENT_LANGUAGE = "es"  # the source language of every template and seed text


def branding() -> Branding:
    config = current_app.config
    logo = Path(config["ORG_LOGO"]) if config.get("ORG_LOGO") else None
    return Branding(organization=config.get("ORG_NAME") or catalogue_for_pages().organization, logo=logo)


def frame_texts() -> FrameTexts:
    """The controlled frame's texts in the current language."""
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
    """The footer line of a numbered copy: what the verification page asks for, and when it was
    issued in the installation's time zone, named (the verification page shows the same); a
    revision issued for a correction ends with its reason (its revision note)."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    when = issue.issued_at.astimezone(ZoneInfo(zone))
    line = _("Documento N.º %(number)s · código de verificación %(code)s · generado el %(when)s "
             "(%(zone)s) · plantilla versión %(version)d", number=issue.label,
             code=check_code(issue.number), when=when.strftime("%Y-%m-%d %H:%M"), zone=zone,
             version=issue.version)
    if not issue.reason:
        return line
    return line + " · " + _("Rev. %(revision)d — motivo: %(reason)s", revision=issue.revision,
                            reason=issue.reason)


def render_filled(document: ControlledDocument, form: DocumentForm, issue: Issue,
                  language: str | None = None) -> RenderedDocument:
    """A validated form rendered as the numbered copy ``issue``, in the language chosen on the
    form (or ``language``), with its values embedded in the document (see documents.embedded_data)."""
    return prepare_filled(document, form, language, version=issue.version).numbered(issue)


class PreparedCopy:
    """A filled copy rendered up to its number (see :func:`prepare_filled`)."""

    def __init__(self, prepared, language: str):
        self._prepared = prepared
        self._language = language

    def numbered(self, issue: Issue) -> RenderedDocument:
        """The copy with its number, written in the document's language (the footer line)."""
        with force_locale(self._language):
            return self._prepared.finish(issue)


def prepare_filled(document: ControlledDocument, form: DocumentForm, language: str | None = None,
                   version: int | None = None) -> PreparedCopy:
    """:func:`render_filled` before the number is known: render first, then take the number and
    finish the copy with :meth:`PreparedCopy.numbered` (other writers wait only for that)."""
    language = language or form.document_language.data or DOCUMENT_LANGUAGE
    document_context = CONTEXTS[document.key]
    dates = FORMAT_VARIANTS.get(language, language)  # "20 November 2026" in English
    return PreparedCopy(prepare_in(document, language,
                                   lambda: document_context.context(form, dates),
                                   record_date=document_context.record_date(form),
                                   embedded=document_context.embedded_data(form),
                                   numbered=True, version=version or document.version),
                        language)


def render_blank(document: ControlledDocument, language: str = DOCUMENT_LANGUAGE
                 ) -> RenderedDocument:
    """The document printed blank, to be filled by hand: same template, same frame, no number.
    A training handout, which has no form, is printed with its texts."""
    document_context = CONTEXTS[document.key]
    return render_in(document, language, lambda: document_context.printed_context(language),
                     label=lambda: _("en blanco") if document_context.has_form else "")


def render_in(document: ControlledDocument, language: str, context, label=lambda: ""
              ) -> RenderedDocument:
    """Render with every text in ``language``. ``context`` and ``label`` are called once that
    language is set."""
    with force_locale(language):
        return prepare_in(document, language, context, label).finish(None)


def prepare_in(document: ControlledDocument, language: str, context, label=lambda: "",
               **options):
    """:func:`render_in` up to the number (see ``documents.prepare_document``)."""
    with force_locale(language):
        return prepare_document(document.localized(language), context(), branding(),
                                frame_texts(), language=language, label=label(), gettext=_,
                                **options)
