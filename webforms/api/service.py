"""What the API's operations do, for the account of the request's token (``user``): the records'
metadata and content, issuing from JSON with the form's own validation, a batch from rows, a
team's figures. The rules are the pages' (records.need_to_know, the forms' roles and checks);
nothing here commits (the request does, storage.transactions)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from webforms.accounts import teams
from webforms.batch import rows as batch_rows
from webforms.batch import spreadsheet as batch
from webforms.batch.service import checked_job, start_batch
from webforms.forms.base import formdata_from_values, own_errors
from webforms.jobs import service as jobs
from webforms.records import queries as record_queries
from webforms.records import saved as saved_records
from webforms.records.fill_views import find
from webforms.storage.database import db
from webforms.storage.models import RecordRevision
from webforms.web.access import holds_one

PER_PAGE = record_queries.PER_PAGE


class Refused(Exception):
    """The request cannot be done as sent: its status, what to do, and what was wrong."""

    def __init__(self, status: int, detail: str, kind: str | None = None, **extra):
        super().__init__(detail)
        self.status, self.detail, self.kind, self.extra = status, detail, kind, extra


def listing(user, args: dict) -> record_queries.Page:
    """A page of the records ``user`` may read, filtered as the records page filters."""
    filters = record_queries.Filters(
        document_key=args.get("form") or "", start=args.get("start"), end=args.get("end"),
        status=args.get("status") or "", number=args.get("number") or "",
        page=args.get("page") or 1)
    return record_queries.listing(user, filters)


def revisions(record) -> list[RecordRevision]:
    return list(db.session.scalars(select(RecordRevision).where(
        RecordRevision.record_id == record.id).order_by(RecordRevision.revision)))


def content_of(record) -> dict | None:
    """The record's values as its form reads them (rows as lists), or None once purged."""
    try:
        return saved_records.form_of(record).values()
    except saved_records.RecordUnavailable:
        return None


@dataclass
class Issuing:
    """What an issue request sent: the form, its values, the team, the warnings acknowledged."""

    form: str
    values: dict
    team: int | None = None
    document_language: str | None = None
    acknowledge_warnings: list[str] = field(default_factory=list)


def form_for(key: str, user):
    """The current catalogue entry and form class of ``key`` that ``user`` fills."""
    found = find(key)
    if found is None:
        raise Refused(404, _("No existe un formulario vigente con esa clave."))
    if not holds_one(user, found[1].roles):
        raise Refused(403, _("Su cuenta no tiene un rol que llene este formulario."))
    return found


def validated(form_class, sent: Issuing, user):
    """The form filled with ``sent.values``, checked as its page checks it; raises Refused (422)
    with the fields' errors. Returns the form and the form data it was filled with."""
    problems = form_class(formdata=None, meta={"csrf": False}).record_problems(sent.values)
    if problems:
        raise Refused(422, _("Hay campos desconocidos o de un tipo que no corresponde."),
                      "invalid-values", errors={name: [_("Campo no válido.")] for name in problems})
    values = dict(sent.values)
    if sent.document_language:
        values["document_language"] = sent.document_language
    formdata = formdata_from_values(values)
    form = form_class(formdata=formdata, meta={"csrf": False})
    form.offer_modalities(teams.modalities_of(user))
    if not form.validate():
        raise Refused(422, _("Revise los campos marcados: el documento no se generó."),
                      "invalid-values", errors=field_errors(form))
    return form, formdata


def field_errors(form) -> dict[str, list[str]]:
    """Each field's messages by its name (a row's field as ``group-index-field``)."""
    errors: dict[str, list[str]] = {}
    for owner_field in form:
        for name, texts in flat_errors(owner_field).items():
            errors[name] = texts
    return errors


def flat_errors(form_field) -> dict[str, list[str]]:
    if hasattr(form_field, "entries"):
        found: dict[str, list[str]] = {}
        for entry in form_field.entries:
            for sub in getattr(entry, "form", ()):
                found.update(flat_errors(sub))
        own = own_errors(form_field)
        return found | ({form_field.name: own} if own else {})
    own = own_errors(form_field)
    return {form_field.name: own} if own else {}


def unacknowledged(form, acknowledged) -> dict[str, list[str]]:
    warnings = form.all_warnings()
    return {name: [str(text) for text in texts] for name, texts in warnings.items()
            if name not in set(acknowledged)}


def issue(sent: Issuing, user):
    """Issue ``sent`` as a new record of the user's team: refused (and no number taken) when the
    form, a field, the team or an unacknowledged warning says no. Returns (record, rendered)."""
    document, form_class = form_for(sent.form, user)
    form, formdata = validated(form_class, sent, user)
    waiting = unacknowledged(form, sent.acknowledge_warnings)
    if waiting:
        raise Refused(422, _("El documento tiene advertencias: revíselas y, si desea emitirlo "
                             "así, nómbrelas en «acknowledge_warnings»."),
                      "unacknowledged-warnings", warnings=waiting)
    team = team_of(user, sent.team)
    return saved_records.issue(document, form, saved_records.form_pairs(formdata), team, user)


def team_of(user, requested: int | None):
    """The team a new record goes to: the one asked for, if it is one of the user's active
    teams; else their first."""
    working = saved_records.working_teams(user)
    if requested is not None:
        working = [team for team in working if team.id == requested]
    if not working:
        raise Refused(403, _("Su cuenta no pertenece a ese equipo activo, o a ninguno: los "
                             "documentos se guardan en los registros de un equipo."))
    return working[0]


def rows_as_csv(rows: list[dict]) -> bytes:
    """JSON rows ({column header: value}) as the CSV a person would upload: the same reading
    and checks as a spreadsheet (batch.spreadsheet)."""
    headers: list[str] = []
    for row in rows:
        headers.extend(name for name in row if name not in headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else str(row.get(name))
                         for name in headers])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass
class BatchRequest:
    form: str
    filename: str
    data: bytes
    team: int | None = None
    output: str = "docx"
    duplicates: str = batch_rows.SKIP
    valid_rows_only: bool = False


def start(sent: BatchRequest, user, locale: str, max_rows: int):
    """Check the rows and start the batch (a job of the queue); refused with each row's
    problems unless ``valid_rows_only``. Returns the job."""
    document, form_class = form_for(sent.form, user)
    if not form_class.batch_columns:
        raise Refused(404, _("Este formulario no se genera por lotes."))
    team = team_of(user, sent.team)
    try:
        rows = batch.read_rows(sent.filename, sent.data, max_rows)
        checked = batch.check_rows(form_class, rows, batch_rows.person_of(sent.form))
    except batch.SpreadsheetError as error:
        raise Refused(422, str(error)) from error
    if checked.problems and not sent.valid_rows_only:
        raise Refused(422, _("Algunas filas tienen problemas: corríjalas, o envíe "
                             "«valid_rows_only» para generar solo las válidas."),
                      "invalid-values", problems=[
                          {"row": item.row, "column": str(item.column), "message": str(item.message)}
                          for item in checked.problems])
    if not checked.valid:
        raise Refused(422, _("Ninguna fila es válida."))
    job, _new = checked_job(document, sent.filename, sent.data, rows, checked, locale, team, user,
                            sent.output)
    if job.state == jobs.CHECKED:
        start_batch(job, sent.duplicates)
    return job
