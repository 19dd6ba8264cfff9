"""The audit log for the quality office and administrators: filter it, export it as CSV.

The export is meant to be opened in a spreadsheet, where a cell starting with ``= + - @`` would
run as a formula (an e-mail or a target chosen by an attacker could be one): every cell goes
through :func:`webforms.common.cells.formula_safe`. It carries each entry's hashes, so a copy kept
elsewhere can later show that the chain was rewritten. Reading and exporting are themselves
recorded.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from http import HTTPStatus

from flask import Blueprint, abort, make_response, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from webforms.audit import search
from webforms.audit import trail as trail
from webforms.common.cells import formula_safe
from webforms.storage.models import AuditEntry
from webforms.web.access import for_roles
from webforms.web.helpers import streamed_attachment

bp = Blueprint("audit", __name__, template_folder="templates")

PAGE_SIZE = 100
# The names of the details on the page; a detail not listed shows its key.
DETAIL_LABELS = {
    "number": _l("Número"), "document": _l("Documento"), "code": _l("Código"),
    "version": _l("Versión"), "language": _l("Idioma"), "rows": _l("Filas"),
    "job": _l("Lote"), "via": _l("Método"), "method": _l("Método"), "reason": _l("Motivo"),
    "roles": _l("Roles"), "teams": _l("Equipos"), "second_factor": _l("Segundo factor"),
    "filters": _l("Filtros"),
}


class AuditFilter(FlaskForm):
    """The filters, read from the query string (they change nothing: no CSRF token)."""

    user = StringField(_l("Usuario (correo)"), name="usuario", validators=[
        Optional(), Length(max=255)])
    action = SelectField(_l("Acción"), name="accion", validators=[Optional()])
    start = DateField(_l("Desde"), name="desde", validators=[Optional()])
    end = DateField(_l("Hasta"), name="hasta", validators=[Optional()])
    page = IntegerField(_l("Página"), name="pagina", default=1, validators=[
        Optional(), NumberRange(min=1, max=1_000_000)])

    def __init__(self):
        super().__init__(formdata=request.args, meta={"csrf": False})
        self.action.choices = [("", _("Todas"))] + sorted(
            ((code, str(label)) for code, label in trail.ACTIONS.items()),
            key=lambda choice: alphabetical(choice[1]))

    def applied(self) -> dict:
        """The filters in use, as the query string writes them (for links and the record)."""
        return {field.name: request.args[field.name]
                for field in (self.user, self.action, self.start, self.end) if field.data}


def alphabetical(text: str) -> str:
    """How a reader orders words: «Échec» among the E, not after the Z."""
    return "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char)).casefold()


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the interface's time zone, in UTC (as the entries are kept)."""
    return get_timezone().localize(dt.datetime.combine(day, dt.time())).astimezone(
        dt.timezone.utc)


def filtered(form: AuditFilter):
    """The entries matching the filters (audit.search)."""
    return search.matching(
        user=(form.user.data or "").strip() or None, action=form.action.data or None,
        start=local_midnight(form.start.data) if form.start.data else None,
        end=local_midnight(form.end.data + dt.timedelta(days=1)) if form.end.data else None)


def details_text(details) -> str:
    """``Número: F1.G34.P-2026-000001 · Versión: 3`` for the page."""
    parts = []
    for key, value in sorted((details or {}).items()):
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        parts.append(f"{DETAIL_LABELS.get(key, key)}: {shown}")
    return " · ".join(parts)


@bp.get("/auditoria")
@for_roles("calidad", "admin")
def log():
    form = valid_filter()
    query = filtered(form)
    total = search.count(query)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(form.page.data or 1, pages)
    shown = search.page(query, page, PAGE_SIZE)
    trail.append("audit_viewed", filters=form.applied(), page=page)
    return log_page(form, shown, total, page, pages)


def valid_filter() -> AuditFilter:
    """The filters of the request; invalid ones answer 400 with the page and their messages."""
    form = AuditFilter()
    if not form.validate():
        abort(make_response(log_page(form, [], 0, 1, 1), HTTPStatus.BAD_REQUEST))
    return form


def log_page(form: AuditFilter, entries: list, total: int, page: int, pages: int) -> str:
    return render_template("audit/log.html", form=form, entries=entries, total=total,
                           page=page, pages=pages, first=(page - 1) * PAGE_SIZE + 1,
                           filters=form.applied() if not form.errors else {},
                           actions=trail.ACTIONS, details_text=details_text)


@bp.get("/auditoria.csv")
@for_roles("calidad", "admin")
def export():
    form = valid_filter()
    trail.append("audit_exported", filters=form.applied())
    query = filtered(form)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M")
    return streamed_attachment(csv_lines(query), "text/csv", f"auditoria-{stamp}.csv")


def csv_lines(query):
    """The export, a line at a time (a long log is never held in memory). UTF-8 with a BOM and
    semicolons: what a spreadsheet in Spanish, French or Portuguese opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("N.º"), _("Fecha y hora (UTC)"), _("Id de usuario"), _("Usuario"),
                     _("Acción"), _("Descripción"), _("Objeto"), _("Detalles"),
                     _("Dirección IP"), _("Huella anterior"), _("Huella")])
    yield "\ufeff" + take(buffer)
    for entry in search.in_order(query):
        writer.writerow([formula_safe(cell) for cell in csv_cells(entry)])
        yield take(buffer)


def csv_cells(entry: AuditEntry) -> list:
    return [entry.id, trail.utc_text(entry.at), entry.user_id, entry.user_email or "",
            entry.action, str(trail.ACTIONS.get(entry.action, entry.action)), entry.target or "",
            json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True),
            entry.address or "", entry.previous_hash, entry.hash]


def take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
