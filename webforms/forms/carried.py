"""Rows a new form takes from an earlier record of the same team: the previous meeting's actions
(Registro), the previous session's learning goals (Supervisión Individual), the last conference's
action plan (Conferencia ampliada).

Why one module: each form decides which of its rows continue from the last record, but adding
them must behave the same everywhere: what the user has already typed stays first and is never
lost, a carried row already on the page is not added twice (pressing the button again changes
nothing), and a group never holds more rows than it accepts.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import FieldList

from webforms.forms.fields import RowGroup

# How a form takes rows from the last record (its ``carry_forward``): as a new form opens, or
# when the user asks (the Supervisión, whose previous session depends on the worker typed).
AUTOMATIC, ON_REQUEST = "automatic", "on_request"
# How an action or commitment agreed earlier went (Registro, Conferencia ampliada): cumplido
# and cancelado close it (webforms.actions), the others keep it open.
FOLLOW_UP_STATUSES = (
    ("done", _l("Cumplido")),
    ("in_progress", _l("En curso")),
    ("not_done", _l("No cumplido")),
    ("cancelled", _l("Cancelado")),
)


def date_or_none(text) -> dt.date | None:
    """An ISO date of a record's data, or None when it is empty or not a date."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def previous_data(embedded: dict, document_key: str) -> dict | None:
    """The values of ``embedded`` (the data as a document embeds it: ``{"document": key, "data":
    {...}}``) when it is a record of ``document_key``, else None."""
    if not isinstance(embedded, dict) or embedded.get("document") != document_key:
        return None
    data = embedded.get("data")
    return data if isinstance(data, dict) else {}


def rows_of(data: dict, *names: str) -> list[dict]:
    """The rows of the groups ``names`` of a record's data, in order, leaving out anything that is
    not a row."""
    groups = [data.get(name) for name in names]
    return [row for rows in groups if isinstance(rows, list) for row in rows
            if isinstance(row, dict)]


def carry_rows(field: FieldList, items: list[dict], key: str) -> int:
    """Add ``items`` (each a row's data) after the rows already filled in ``field``. An item whose
    ``key`` text is empty or already on the page is skipped, and the group's maximum is kept.
    Returns how many rows were added."""
    kept = [entry.data for entry in field.entries if not entry.form.is_blank()]
    present = {_text(row.get(key)) for row in kept}
    fresh = []
    for item in items:
        text = _text(item.get(key))
        if text and text not in present:
            present.add(text)
            fresh.append(item)
    fresh = fresh[:max(RowGroup.of(field).maximum - len(kept), 0)]
    field.entries = []
    field.last_index = -1
    for item in kept + fresh:
        field.append_entry(item)
    while len(field.entries) < max(field.min_entries, 1):
        field.append_entry()
    return len(fresh)


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""
