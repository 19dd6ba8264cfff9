"""A controlled document shown as a web page: what its copy reads, and what a correction changed.

The review step before issuing (records.fill_views) shows the document as it will read. Rather than a
second, hand-written rendering of each form that could drift from the templates, the copy is
rendered exactly as it would be issued (same template, context, language), only without its
number, and its body is turned into plain HTML by ``mammoth``: the page shows the same sections,
tables, rows and texts as the Word file. The controlled frame (header, footer) is not part of the
body and is not shown. :func:`docx_html` takes any .docx, so a page that shows an issued record
(its kept copy) can reuse it.

:func:`changes` lists what a correction changed, field by field, against the revision issued
before, with each field's label and the values as the document shows them.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import mammoth
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import FieldList, FormField

from webforms.catalogue import ControlledDocument
from webforms.common.rendering import DOCUMENT_LANGUAGE, prepare_in
from webforms.documents.contexts import CONTEXTS, ChosenOption
from webforms.documents.contexts.base import field_value
from webforms.extensions import FORMAT_VARIANTS
from webforms.forms import DocumentForm


def docx_html(data: bytes) -> Markup:
    """The body of a .docx as HTML: headings, paragraphs, lists and tables, text escaped by
    mammoth; images are left out (the page shows the words, the Word file the picture)."""
    result = mammoth.convert_to_html(io.BytesIO(data),
                                     convert_image=mammoth.images.img_element(_no_image))
    return Markup(result.value)  # noqa: S704  (mammoth escapes every text it writes)


def _no_image(image) -> dict:
    return {"alt": image.alt_text or ""}


def review_html(document: ControlledDocument, form: DocumentForm) -> Markup:
    """The validated ``form`` rendered as its copy will read, without a number."""
    language = form.document_language.data or DOCUMENT_LANGUAGE
    view = CONTEXTS[document.key]
    dates = FORMAT_VARIANTS.get(language, language)
    prepared = prepare_in(document, language, lambda: view.context(form, dates),
                          record_date=view.record_date(form))
    return docx_html(prepared.finish(None).data)


@dataclass(frozen=True)
class Change:
    """One field a correction changed: its label, and its value before and now, as text."""

    label: str
    before: str
    after: str


def changes(before: DocumentForm, after: DocumentForm, locale: str) -> list[Change]:
    """The fields whose value differs between two forms of one document, in the form's order;
    a row group is compared row by row (``Participantes · fila 2 · Nombre``)."""
    found = []
    for field in after.content_fields():
        old, new = field_value(before[field.name], locale), field_value(field, locale)
        if isinstance(field, FieldList):
            found += _row_changes(field, before[field.name], old, new)
        elif _text(old) != _text(new):
            found.append(Change(str(field.label.text), _text(old), _text(new)))
    return found


def _row_changes(field: FieldList, former: FieldList, old: list, new: list) -> list[Change]:
    labels = _row_labels(field if field.entries else former)
    found = []
    for index in range(max(len(old), len(new))):
        old_row = old[index] if index < len(old) else {}
        new_row = new[index] if index < len(new) else {}
        for name in dict.fromkeys([*new_row, *old_row]):
            before, after = _text(old_row.get(name)), _text(new_row.get(name))
            if before != after:
                label = _("%(group)s · fila %(row)d · %(field)s", group=field.label.text,
                          row=index + 1, field=labels.get(name, name))
                found.append(Change(label, before, after))
    return found


def _row_labels(field: FieldList) -> dict[str, str]:
    entry = field.entries[0] if field.entries else None
    if not isinstance(entry, FormField):
        return {}
    return {sub.short_name: str(sub.label.text) for sub in entry.form}


def _text(value) -> str:
    """A value as the review shows it: a choice by its label, a list joined, a box as Sí/No."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, (list, tuple)):
        return "; ".join(filter(None, (_text(item) for item in value)))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items() if _text(item))
    if isinstance(value, ChosenOption):
        return str(value)
    return str(value)
