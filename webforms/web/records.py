"""Filling a form and downloading its controlled document."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_security import url_for_security

from ..catalogue import ControlledDocument
from ..documents.pdf import PdfUnavailable, pdf_available
from ..documents.record import RecordError, read_record
from ..documents.views import VIEWS, empty_form
from ..forms import FORMS, DocumentForm
from ..services import pending
from ..services.catalogue import catalogue_for_pages
from ..services.faults import ServiceUnavailable
from ..services.issuing import issue_document
from ..services.pdf import as_pdf
from ..services.rendering import render_blank
from .access import for_document_roles, public
from .helpers import attachment, requested_document_language

bp = Blueprint("records", __name__, url_prefix="/formularios")

LOAD_PREVIOUS = "load:previous"


def find(key: str) -> tuple[ControlledDocument, type[DocumentForm]] | None:
    """The current catalogue entry with a form under ``key``, or None."""
    document = catalogue_for_pages().get(key)
    if document is None or key not in FORMS or not document.is_current:
        return None
    return document, FORMS[key]


def lookup(key: str) -> tuple[ControlledDocument, type[DocumentForm]]:
    return find(key) or abort(HTTPStatus.NOT_FOUND)


@bp.route("/<key>", methods=["GET", "POST"])
@for_document_roles
def fill(key: str):
    document, form_class = lookup(key)
    form = form_class()
    if request.method in ("GET", "HEAD"):  # HEAD: the same answer, without its body
        return restored_or_empty(document, form_class)

    action = request.form.get("row_action")
    if action == LOAD_PREVIOUS and form.accepts_previous:
        return load_previous(document, form)
    if form.apply_row_action(action):
        return render_form(document, form, focus=action)
    if not form.validate():
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST,
                           message=_("Revise los campos marcados: el documento no se generó."))
    warnings = form.all_warnings()
    if not form.warnings_acknowledged(warnings):
        form.warnings_seen.data = form.warnings_digest(warnings)
        return render_form(document, form, warnings=warnings, message=_(
            "Revise las advertencias. Si todo es correcto, pulse «Descargar documento» de nuevo."))

    try:
        rendered = issue_document(document, form)
    except ServiceUnavailable:
        current_app.logger.exception("issuing %s failed", key)
        return render_form(document, form, status=HTTPStatus.SERVICE_UNAVAILABLE, message=_(
            "El documento no se pudo generar en este momento por una falla del servidor. Sus "
            "datos se conservaron y no se usó ningún número: pulse «Descargar documento» de "
            "nuevo en unos minutos. Si se repite, avise al equipo técnico."))
    if request.form.get("format") == "pdf":
        try:
            rendered = as_pdf(rendered)
        except PdfUnavailable:
            current_app.logger.exception("PDF conversion failed")
            return render_form(document, form, status=HTTPStatus.SERVICE_UNAVAILABLE, message=_(
                "No se pudo generar el PDF en este momento. Sus datos se conservaron: descargue "
                "el documento en Word."))
    return send_rendered(rendered)


@bp.get("/<key>/en-blanco.<any(docx, pdf):extension>")
@public
def blank(key: str, extension: str):
    """The template printed blank, for paper: same header, labels and guidance."""
    document, _form_class = lookup(key)
    rendered = render_blank(document, requested_document_language())
    if extension == "pdf":
        try:
            rendered = as_pdf(rendered)
        except PdfUnavailable:
            current_app.logger.exception("PDF conversion failed")
            abort(HTTPStatus.SERVICE_UNAVAILABLE)
    return send_rendered(rendered)


def keep_for_after_sign_in(key: str):
    """The session expired while the form was being filled: keep what was sent and ask to sign in
    again; the form then comes back with everything (see :func:`restored_or_empty`)."""
    kept = pending.keep(key, request.form)
    if kept is None:
        return redirect(url_for_security("login", next=url_for(".fill", key=key)))
    token, browser_secret = kept
    response = redirect(url_for_security("login", next=url_for(".fill", key=key,
                                                                 restaurar=token)))
    response.set_cookie(pending.COOKIE, browser_secret, max_age=int(
        pending.KEPT_FOR.total_seconds()), httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def restored_or_empty(document, form_class):
    """The form page, filled with a submission kept while its author signed in again."""
    token = request.args.get("restaurar")
    formdata = pending.take(token, request.cookies.get(pending.COOKIE), document.key) \
        if token else None
    if formdata is None:
        return render_form(document, form_class())
    return render_form(document, form_class(formdata=formdata), notice=_(
        "Su sesión había terminado. Recuperamos todo lo que escribió: revíselo y pulse "
        "«Descargar documento»."))


def send_rendered(rendered):
    return attachment(rendered.data, rendered.mimetype, rendered.filename)


def load_previous(document, form):
    """Fill part of the form from a document produced earlier (its embedded record)."""
    upload = request.files.get("previous_document")
    if upload is None or not upload.filename:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, previous_error=_(
            "Elija el documento .docx generado anteriormente."))
    try:
        message = form.load_previous(restored(read_record(upload.read())))
    except RecordError:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, previous_error=_(
            "Este archivo no es un documento generado por esta aplicación, o está dañado."))
    return render_form(document, form, notice=message)


def restored(record: dict) -> dict:
    """An earlier document's record, checked against its form and with its values under today's
    names (raises RecordError when the data does not fit the form)."""
    view = VIEWS.get(record.get("document", ""))
    if view is None or not view.has_form:
        return record
    data = view.restore(record.get("data")) if isinstance(record.get("data"), dict) else None
    if data is None or empty_form(view.key).record_problems(data):
        raise RecordError("the data does not fit the form")
    return record | {"data": data}


def render_form(document, form, status=HTTPStatus.OK, warnings=None, message=None, focus=None,
                notice=None, previous_error=None):
    response = render_template("records/fill.html", document=document, form=form,
                               pdf=pdf_available(),
                               warnings=warnings or {}, message=message, notice=notice,
                               previous_error=previous_error, focus=focus_target(form, focus))
    return response, status


def focus_target(form: DocumentForm, action: str | None) -> str | None:
    """After adding a row, put the cursor in it (also scrolls there without JavaScript)."""
    if not action or not action.startswith("add:"):
        return None
    field = form.row_fields().get(action[4:])
    if field is None or not field.entries:
        return None
    first_input = next(iter(field.entries[-1].form), None)
    return first_input.id if first_input is not None else None
