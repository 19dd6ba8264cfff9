"""Filling a form, reviewing it as its copy will read, and issuing it (records.review)."""
from __future__ import annotations

import secrets
from http import HTTPStatus

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_security import current_user, url_for_security

from webforms.accounts import roster, teams
from webforms.audit import trail as audit
from webforms.catalogue import ControlledDocument
from webforms.common import dates
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.faults import DEPENDENCY_FAULTS, ServiceUnavailable
from webforms.common.rendering import render_blank
from webforms.documents.archival import read_document_data
from webforms.documents.contexts import CONTEXTS, empty_form
from webforms.documents.embedded_data import EmbeddedDataError
from webforms.documents.pdf import pdf_available
from webforms.forms import FORMS, DocumentForm
from webforms.jobs.downloads import pdf_download
from webforms.records import carry_forward, copy_html, kept_forms, need_to_know, pending, review
from webforms.records import saved as saved_records
from webforms.web.access import for_document_roles, kept_while_signing_in, public
from webforms.web.errors import form_page
from webforms.web.helpers import NameList, attachment, requested_document_language

bp = Blueprint("forms", __name__, template_folder="templates", url_prefix="/formularios")

LOAD_PREVIOUS = "load:previous"


def find(key: str) -> tuple[ControlledDocument, type[DocumentForm]] | None:
    """The current catalogue entry with a form under ``key``, or None."""
    document = catalogue_for_pages().get(key)
    if document is None or key not in FORMS or not document.is_current:
        return None
    return document, FORMS[key]


@form_page("forms.fill")
def sent_again(status: HTTPStatus, message: str):
    """The form page again with everything that was sent, after an error (web.errors)."""
    found = find((request.view_args or {}).get("key", ""))
    if not found:
        return None
    document, form = found[0], found[1](formdata=request.form)
    return render_form(document, form, status=status, message=message)


def lookup(key: str) -> tuple[ControlledDocument, type[DocumentForm]]:
    return find(key) or abort(HTTPStatus.NOT_FOUND)


@bp.route("/<key>", methods=["GET", "POST"])
@for_document_roles
def fill(key: str):
    document, form_class = lookup(key)
    if request.method in ("GET", "HEAD"):  # HEAD: the same answer, without its body
        return restored_or_empty(document, form_class)
    record = posted_record(key)
    form = form_class()
    form.offer_modalities(teams.modalities_of(current_user))
    action = request.form.get("row_action")
    if (action == LOAD_PREVIOUS and form.accepts_previous) or (
            action == carry_forward.LOAD_LAST and carry_forward.mode(form)):
        return load_previous(document, form, record)
    if form.apply_row_action(action):
        return render_form(document, form, focus=action, record=record)
    if request.form.get("save") == "draft":
        return draft_saved(document, form, record)
    if not form.validate():
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, record=record,
                           message=_("Revise los campos marcados: el documento no se generó."))
    return reviewed(document, form, record)


def reviewed(document, form, record):
    """A valid form kept as the record's draft and shown as its copy will read, with its
    warnings and, for a correction, what changed and why; nothing is issued yet. A correction
    without a reason is refused, the form kept."""
    pairs = saved_records.form_pairs(request.form)
    token = request.form.get("issue_token")
    try:
        decision = review.reissue(record, token, pairs, current_user)
    except saved_records.PageOfAnotherRecord:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, fresh_page=True,
                           message=_(
            "Esta página corresponde a un registro que usted no puede modificar, así que no se "
            "emitió nada. Sus datos se conservaron: pulse «Revisar y emitir» de nuevo para "
            "emitir un documento nuevo."))
    record = decision.record
    if decision.same_copy:
        flash(_("Este documento ya se emitió con este contenido: no se emitió nada más."), "info")
        return to_record_page(record)
    reason = review.clean_reason(request.form.get("revision_reason"))
    if decision.needs_reason and not reason:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, record=record,
                           reason_error=REASON_NEEDED(), message=REASON_NEEDED())
    team = saved_records.team_for_saving(current_user, request.form.get("team"))
    if team is None and record is None:
        return render_form(document, form, status=HTTPStatus.FORBIDDEN, message=NO_TEAM())
    record = review.keep_for_review(document.key, form, pairs, team, current_user, record, token)
    return render_review(document, form, record, reason)


def render_review(document, form, record, reason: str):
    """The review step: the copy as it will read, its warnings, the changes of a correction,
    and the one action that issues it."""
    before = saved_records.form_of_revision(record) if record.number else None
    try:
        shown = copy_html.review_html(document, form)
    except DEPENDENCY_FAULTS:  # the copy cannot be rendered: it could not be issued either
        current_app.logger.exception("the review of %s could not be rendered", document.key)
        return not_issued(document, record)
    return render_template(
        "forms/review.html", document=document, record=record, reason=reason,
        warnings=form.all_warnings(), preview=shown, form=form,
        changes=copy_html.changes(before, form, str(get_locale())) if before else None,
        digest=review.review_digest(record, review.reviewed_pairs(record), reason))


@bp.post("/<key>/emitir")
@for_document_roles
def issue(key: str):
    """"Emitir con número" on the review step: issue exactly what was reviewed, then show the
    record's page (post/redirect/get). Confirmed twice, it issues once."""
    document, _form_class = lookup(key)
    record = posted_record(key) or abort(HTTPStatus.NOT_FOUND)
    try:
        record, rendered = review.issue_reviewed(
            document, record, request.form.get("base_revision", type=int),
            request.form.get("reviewed", ""),
            review.clean_reason(request.form.get("revision_reason")), current_user)
    except saved_records.AlreadyIssued:
        flash(_("Este documento ya se emitió: no se emitió nada más."), "info")
        return to_record_page(record)
    except saved_records.ReviewOutdated:
        flash(_("El registro cambió desde que lo revisó, así que no se emitió nada. Revíselo "
                "de nuevo."), "error")
        return redirect(url_for(".fill", key=key, registro=record.id), code=HTTPStatus.SEE_OTHER)
    except ServiceUnavailable:
        current_app.logger.exception("issuing %s failed", document.key)
        return not_issued(document, record)
    flash(_("Documento emitido: N.º %(number)s.", number=rendered.issue.label), "info")
    return to_record_page(record)


def not_issued(document, record):
    """A dependency failed before anything was issued: the form again, from the record's draft,
    with what to do (503); no number was taken."""
    return render_form(document, saved_records.form_of(record), record=record,
                       status=HTTPStatus.SERVICE_UNAVAILABLE, message=_(
        "El documento no se pudo generar en este momento por una falla del servidor. Sus "
        "datos se conservaron y no se usó ningún número: pulse «Revisar y emitir» de "
        "nuevo en unos minutos. Si se repite, avise al equipo técnico."))


def to_record_page(record):
    return redirect(url_for("records.record_page", record_id=record.id),
                    code=HTTPStatus.SEE_OTHER)


def REASON_NEEDED() -> str:  # noqa: N802  (a message, translated when shown)
    return _("Escriba el motivo de la corrección: qué cambia y por qué. No se emitió nada; sus "
             "cambios siguen en esta página.")


def NO_TEAM() -> str:  # noqa: N802  (a message, translated when shown)
    return _("Su cuenta no pertenece a ningún equipo, así que no puede guardar registros. Pida "
             "al administrador que la añada a su equipo; lo escrito sigue en esta página.")


def posted_record(key: str):
    """The saved record a page is editing (its ``record`` field), if the user may change it."""
    record_id = request.form.get("record")
    if not record_id:
        return None
    record = saved_records.find_record(record_id, current_user, for_change=True)
    if record is None or record.document_key != key or record.status not in (
            saved_records.DRAFT, saved_records.ISSUED):
        abort(HTTPStatus.NOT_FOUND)
    return record


def draft_saved(document, form, record):
    """"Guardar borrador" without JavaScript: keep the page as it is, and show it again from the
    saved record (a reload, or a change of language, then finds it)."""
    team = saved_records.team_for_saving(current_user, request.form.get("team"))
    if team is None and record is None:
        return render_form(document, form, status=HTTPStatus.FORBIDDEN, message=NO_TEAM())
    record = saved_records.save_draft(document.key, form, saved_records.form_pairs(request.form),
                                      team, current_user, record)
    flash(_("Borrador guardado. Puede seguir completándolo ahora o más tarde desde «Registros "
            "del equipo»."), "info")
    return to_draft(record)


@bp.post("/<key>/borrador")
@for_document_roles
def autosave(key: str):
    """The page saving its draft by itself (every 30 seconds, and before a change of language):
    answers which record holds it, so the page keeps saving into the same one."""
    document, form_class = lookup(key)
    record = posted_record(key)
    team = saved_records.team_for_saving(current_user, request.form.get("team"))
    if team is None and record is None:
        return jsonify(error=NO_TEAM()), HTTPStatus.FORBIDDEN
    record = saved_records.save_draft(key, form_class(), saved_records.form_pairs(request.form),
                                      team, current_user, record)
    return jsonify(record=record.id, url=url_for(".fill", key=key, registro=record.id),
                   saved_at=format_datetime(record.updated_at, "HH:mm"))


@bp.get("/<key>/en-blanco.<any(docx, pdf):extension>")
@public
def blank(key: str, extension: str):
    """The template printed blank, for paper: same header, labels and guidance."""
    document, _form_class = lookup(key)
    rendered = render_blank(document, requested_document_language())
    if extension == "pdf":
        return pdf_download(rendered)
    return send_rendered(rendered)


@kept_while_signing_in("forms.fill")
def keep_for_after_sign_in(key: str):
    """The session expired while the form was being filled: keep what was sent and ask to sign in
    again; the form then comes back with everything (see :func:`restored_or_empty`). Kept only
    for the user whose session it was (see records.pending)."""
    kept = pending.keep(kept_forms.author(), key, request.form)
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
    """The form page: a saved record reopened (``registro``), a submission kept while its author
    signed in again (``restaurar``), or a new, empty form."""
    if request.args.get("registro"):
        return reopened(document, request.args["registro"])
    token = request.args.get("restaurar")
    formdata = pending.take(current_user, token, request.cookies.get(pending.COOKIE),
                            document.key) if token else None
    if formdata is None:  # a new form: what continues from the team's last record, if any
        form = form_class()
        return render_form(document, form, notice=carry_forward.prefill(current_user, form))
    return render_form(document, form_class(formdata=formdata), notice=_(
        "Su sesión había terminado. Recuperamos todo lo que escribió: revíselo y pulse "
        "«Revisar y emitir»."))


def reopened(document, record_id):
    """A saved record shown again with every field and row, to go on or to correct it."""
    record = saved_records.find_record(record_id, current_user, for_change=True)
    if record is None or record.document_key != document.key or record.status not in (
            saved_records.DRAFT, saved_records.ISSUED):
        abort(HTTPStatus.NOT_FOUND)
    try:
        form = saved_records.form_of(record)
    except saved_records.RecordUnavailable:
        abort(HTTPStatus.GONE)
    audit.append("record_viewed", target=record.id, document=record.document_key,
                 number=record.number)
    return render_form(document, form, record=record)


def send_rendered(rendered):
    return attachment(rendered.data, rendered.mimetype, rendered.filename)


def load_previous(document, form, record=None):
    """Fill part of the form from a document produced earlier: the team's last one
    (``load:last``, see records.carry_forward), or an uploaded .docx or PDF (its embedded record,
    webforms.documents.archival), for
    documents made on another installation."""
    if request.form.get("row_action") == carry_forward.LOAD_LAST:
        loaded, message = carry_forward.load_last(current_user, form, record,
                                                  request.form.get("team"))
        return render_form(document, form, record=record, notice=message if loaded else None,
                           previous_error=None if loaded else message)
    upload = request.files.get("previous_document")
    if upload is None or not upload.filename:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, record=record,
                           previous_error=_("Elija el documento (.docx o PDF) generado anteriormente."))
    try:
        message = form.load_previous(restored(read_document_data(upload.read())))
    except EmbeddedDataError:
        return render_form(document, form, status=HTTPStatus.BAD_REQUEST, record=record,
                           previous_error=_("Este archivo no es un documento generado por esta "
                                            "aplicación, o está dañado."))
    return render_form(document, form, notice=message, record=record)


def restored(record: dict) -> dict:
    """An earlier document's record, checked against its form and with its values under today's
    names (raises EmbeddedDataError when the data does not fit the form)."""
    key = record.get("document")
    if not isinstance(key, str):
        raise EmbeddedDataError("the record names no form")
    view = CONTEXTS.get(key)
    if view is None or not view.has_form:
        return record
    data = view.restore(record.get("data")) if isinstance(record.get("data"), dict) else None
    if data is None or empty_form(view.key).record_problems(data):
        raise EmbeddedDataError("the data does not fit the form")
    return record | {"data": data}


def render_form(document, form, status=HTTPStatus.OK, warnings=None, message=None, focus=None,
                notice=None, previous_error=None, record=None, fresh_page=False,
                reason_error=None):
    """The form page; ``fresh_page`` gives it a token of its own (not the one posted)."""
    form.offer_modalities(teams.modalities_of(current_user))
    response = render_template("forms/fill.html", document=document, form=form,
                               pdf=pdf_available(), record=record,
                               issue_token=secrets.token_hex(16) if fresh_page else page_token(),
                               teams=saved_records.working_teams(current_user),
                               warnings=warnings or {}, message=message, notice=notice,
                               previous_error=previous_error, focus=focus_target(form, focus),
                               reason_error=reason_error,
                               roster_names=roster_names(form, record))
    return response, status


def roster_names(form: DocumentForm, record) -> NameList | None:
    """The names of the roster of the team the page saves to (the record's, or the one chosen
    on the page), for the form's worker fields: only for a user who may fill that team's
    records of this form (records.need_to_know)."""
    if not form.roster_fields:
        return None
    team = record.team if record is not None else saved_records.team_for_saving(
        current_user, request.form.get("team"))
    if team is None or not need_to_know.reach_of(current_user).may_change(team.id,
                                                                          form.document_key):
        return None
    return NameList("roster-names", tuple(roster.names_offered(team.id, dates.local_today())),
                    form.offers_roster)


def page_token() -> str:
    """The form page's token (see saved_records.record_of_page): kept while the page is sent
    back and shown again, a new one for a new page."""
    posted = request.form.get("issue_token")
    return posted if saved_records.is_page_token(posted) else secrets.token_hex(16)


def focus_target(form: DocumentForm, action: str | None) -> str | None:
    """After adding a row, put the cursor in it (also scrolls there without JavaScript)."""
    if not action or not action.startswith("add:"):
        return None
    field = form.row_fields().get(action[4:])
    if field is None or not field.entries:
        return None
    first_input = next(iter(field.entries[-1].form), None)
    return first_input.id if first_input is not None else None


def to_draft(record):
    """The form page of ``record`` (a draft), by a redirect."""
    return redirect(url_for("forms.fill", key=record.document_key, registro=record.id),
                    code=HTTPStatus.SEE_OTHER)
