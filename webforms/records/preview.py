"""A record read in the browser: its sections, fields, rows and follow-ups as HTML-ready data.

The values come from the same place the .docx gets them: the document's view
(``documents.contexts``) builds its context from the form with ``field_value``, and so does this
module, field by field and row by row, in the language the copy was issued in; so what the page
shows is what the copy says. The page's own words (section titles, field labels) stay in the
interface language. Used by the record page and by the review step before issuing.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from wtforms import FieldList

from webforms.common.rendering import DOCUMENT_LANGUAGE
from webforms.documents.contexts import CONTEXTS, ChosenOption
from webforms.documents.contexts.base import field_value
from webforms.forms import FORMS
from webforms.forms.fields import RowGroup, ShownWhen
from webforms.records.saved import ISSUED, open_pairs, revision_of


class Row(NamedTuple):
    label: str
    cells: list  # [(label, shown value)]


class Item(NamedTuple):
    """One field: a value to show (text, list of texts, bool) or, for a row group, its rows."""

    label: str
    value: object = None
    rows: list | None = None


class Section(NamedTuple):
    title: str | None
    items: list


class Reading(NamedTuple):
    sections: list
    revision: int | None  # the issued revision shown; None for a draft's current content
    language: str


def record_reading(record) -> Reading:
    """What the record's current copy says (its latest issued revision), or a draft's content.
    Raises saved_records.RecordUnavailable when the content was purged."""
    kept = revision_of(record) if record.status == ISSUED or record.revision else None
    if kept is not None:
        form = FORMS[record.document_key](formdata=open_pairs(kept.sealed), meta={"csrf": False})
        form.validate()  # the same processing the form had when it was issued
        return Reading(form_sections(form, kept.language), kept.revision, kept.language)
    form = FORMS[record.document_key](formdata=open_pairs(record.sealed), meta={"csrf": False})
    form.validate()
    language = form.document_language.data or DOCUMENT_LANGUAGE
    return Reading(form_sections(form, language), None, language)


def form_sections(form, locale: str) -> list[Section]:
    """The form's sections as its page lays them out, each with the fields that hold a value;
    a section with nothing in it is left out (e.g. the moments a checklist did not review)."""
    view = CONTEXTS[form.document_key]
    direct = view.context(form, locale)
    sections = []
    for title, names in form.layout():
        items = [item for item in (_item(form[name], direct, locale) for name in names
                                   if shown_in_document(form, form[name]))
                 if item is not None]
        if items:
            sections.append(Section(str(title) if title else None, items))
    return sections


def shown_in_document(form, field) -> bool:
    """Whether the document shows ``field``: not when it applies only to an answer not given
    (a moment not reviewed, the extended meeting's topic in a regular one)."""
    rule = next((v for v in field.validators if isinstance(v, ShownWhen)), None)
    return rule is None or getattr(rule, "shown_anyway", False) or rule.applies(form)


def _item(field, direct: dict, locale: str) -> Item | None:
    if isinstance(field, FieldList):
        rows = _rows(field, locale)
        return Item(str(field.label.text), rows=rows) if rows else None
    value = direct.get(field.name, field_value(field, locale))
    shown = shown_value(value)
    return Item(str(field.label.text), shown) if shown not in ("", [], None) else None


def _rows(field: FieldList, locale: str) -> list[Row]:
    """The group's rows that hold something, each named as on the page (a fixed row by its
    label: the role, the criterion), with its lead-in lines; none when nothing was filled."""
    group = RowGroup.of(field)
    rows = []
    for index, entry in enumerate(field.entries):
        if index in group.lead_ins:  # a line introducing the next rows: read as it is
            rows.append(Row(str(group.label_of(index)), []))
            continue
        if entry.form.is_blank():
            continue
        values = field_value(entry, locale)
        cells = [(str(sub.label.text), shown_value(values[sub.short_name]))
                 for sub in entry.form]
        rows.append(Row(str(group.label_of(index)),
                        [(label, value) for label, value in cells if value not in ("", [])]))
    return rows if any(row.cells for row in rows) else []


def shown_value(value):
    """A context value as the page shows it: texts, a list of texts, or a yes/no."""
    if isinstance(value, ChosenOption):
        return str(value)
    if isinstance(value, list):
        return [str(item) for item in value if str(item)]
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value) if value is not None else ""
