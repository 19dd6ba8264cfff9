"""The team's records: the list, one record's page, its copies in Word and PDF, and the actions on
it (reopen, duplicate, a draft deleted to the trash, restore). An issued record is annulled, never
deleted: records.annulment_views adds that to the record's page.

Need to know (records.need_to_know): a record is found only by members of its team whose roles
fill its form, and read (never changed) by the coordinators of its team and region; any other
record answers 404, like one that does not exist, and the refused id is audited. Every view,
download and change is audited with the record's id, never its content.
"""
from __future__ import annotations

import datetime as dt
from http import HTTPStatus

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_security import current_user

from webforms.audit import trail as audit
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.codes import check_code
from webforms.documents.pdf import pdf_available
from webforms.jobs.downloads import pdf_download
from webforms.jobs.pdf import PDF_MIMETYPE
from webforms.records import issued_copies, need_to_know, preview
from webforms.records import queries as record_queries
from webforms.records import saved as saved_records
from webforms.records.fill_views import to_draft
from webforms.web.access import signed_in
from webforms.web.helpers import attachment
from webforms.web.main import home_part

bp = Blueprint("records", __name__, template_folder="templates", url_prefix="/registros")


@home_part
def on_the_home_page(user) -> dict:
    """The records' part of the home page: whether ``user`` reads records, and their next steps."""
    reads = bool(need_to_know.reach_of(user).readable_forms)
    return {"reads_records": reads,
            "next_steps": record_queries.next_steps(user) if reads else None}


@bp.get("/")
@signed_in
def listing():
    """The records the user may see, filtered, searched and paginated."""
    filters = record_queries.Filters.from_args(request.args)
    page = record_queries.listing(current_user, filters)
    return render_template("records/list.html", page=page, filters=filters,
                           choices=record_queries.filter_choices(current_user),
                           documents=catalogue_for_pages(), pdf=pdf_available())


@bp.get("/<int:record_id>")
@signed_in
def record_page(record_id: int):
    record = readable(record_id)
    audit.append("record_viewed", target=record.id, document=record.document_key,
                 number=record.number)
    return show_record(record)


def show_record(record, status: int = HTTPStatus.OK, **extra):
    """The record's page; ``extra`` goes to the template (a form shown again with its errors)."""
    revisions = record_queries.revisions(record)
    purged_on = record.trashed_at + dt.timedelta(days=current_app.config["TRASH_DAYS"]) \
        if record.trashed_at else None
    return render_template("records/record.html", record=record, revisions=revisions,
                           purged_on=purged_on, reading=reading_of(record),
                           document=catalogue_for_pages().get(record.document_key),
                           may_change=need_to_know.may_change(current_user, record),
                           check_code=check_code(record.number) if record.number else None,
                           pdf=pdf_available(), **extra), status


@bp.get("/<int:record_id>/documento.<any(docx, pdf):extension>")
@signed_in
def download(record_id: int, extension: str):
    """The issued copy (the latest revision, or ``?revision=N``): the bytes kept at issue (the
    PDF as first made); Word and PDF are the same copy with the same number."""
    record = readable(record_id)
    revision = request.args.get("revision", type=int)
    try:
        rendered = saved_records.issued_copy(record, revision)
    except LookupError:
        abort(HTTPStatus.NOT_FOUND)
    except saved_records.RecordUnavailable:
        abort(HTTPStatus.GONE)
    except saved_records.CopyMismatch:
        current_app.logger.exception("record %s: the copy differs from the one issued", record.id)
        abort(HTTPStatus.CONFLICT)
    audit.append("record_downloaded", target=record.id, document=record.document_key,
                 number=record.number, revision=rendered.issue.revision, format=extension)
    if extension == "pdf":
        return kept_pdf(record, rendered) or pdf_download(rendered, record)
    return attachment(rendered.data, rendered.mimetype, rendered.filename)


def kept_pdf(record, rendered):
    """The PDF of the copy as it was first made (records.issued_copies), if it was."""
    kept = issued_copies.find(record.id, rendered.issue.revision, issued_copies.PDF)
    if kept is None:
        return None
    try:
        return attachment(issued_copies.opened(kept), PDF_MIMETYPE, kept.name)
    except issued_copies.CopyGone:
        abort(HTTPStatus.GONE)


@bp.post("/<int:record_id>/duplicar")
@signed_in
def duplicate(record_id: int):
    record = changeable(record_id)
    try:
        copy = saved_records.duplicate(record, current_user)
    except saved_records.RecordUnavailable:
        abort(HTTPStatus.GONE)
    flash(_("Se creó un borrador nuevo, sin número, con los participantes, el equipo y el "
            "lugar de este registro; las fechas, las notas, los seguimientos y las "
            "confirmaciones empiezan en blanco."), "info")
    return to_draft(copy)


@bp.post("/<int:record_id>/eliminar")
@signed_in
def delete(record_id: int):
    record = changeable(record_id)
    if record.status == saved_records.ISSUED:
        flash(_("Un registro emitido no se elimina: solicite su anulación, con el motivo."),
              "warning")
    elif record.status == saved_records.DRAFT:
        saved_records.trash(record)
        flash(_("El registro se movió a la papelera. Puede restaurarlo durante %(days)d días.",
                days=current_app.config["TRASH_DAYS"]), "info")
    return back_to(record)


@bp.post("/<int:record_id>/restaurar")
@signed_in
def restore(record_id: int):
    record = changeable(record_id)
    if record.status == saved_records.TRASH:
        saved_records.restore(record)
        flash(_("El registro se restauró."), "info")
    return back_to(record)


def reading_of(record) -> preview.Reading | None:
    """What the record says, read on its page; None once its content is purged or unreadable."""
    try:
        return preview.record_reading(record)
    except saved_records.RecordUnavailable:
        return None


def readable(record_id: int):
    return saved_records.find_record(record_id, current_user) or abort(HTTPStatus.NOT_FOUND)


def changeable(record_id: int):
    return saved_records.find_record(record_id, current_user, for_change=True) or abort(
        HTTPStatus.NOT_FOUND)


def back_to(record):
    """After an action on a record, its page (a redirect, so a reload does not repeat it)."""
    return redirect(url_for(".record_page", record_id=record.id), code=HTTPStatus.SEE_OTHER)
