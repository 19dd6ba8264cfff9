"""Document contexts: what a template is given, built from a validated form.

A form holds page behaviour (fields, validation, warnings). Everything a .docx template needs from it
lives in its document context, one module per document: the context handed to the engine (filled and blank),
the data embedded in the document, the date and label in its file name, and the names its fields
and choices had in records issued earlier. So the two places a template's data is built, the
context and the embedded data, are each written once, here.
"""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)

from webforms.documents.checks import RowsShown
from webforms.documents.contexts.blank import blank_value
from webforms.forms import FORMS

CONTEXTS: dict[str, "DocumentContext"] = {}


def document_context(key: str):
    """Register a context class as the document context of catalogue entry ``key``."""
    def register(context_class):
        if key in CONTEXTS:
            raise ValueError(f"two document contexts registered for {key!r}")
        context_class.key = key
        CONTEXTS[key] = context_class()
        return context_class
    return register


class ChoiceValue(str):
    """A choice's value that also equals its former values, so a template version authored with
    an earlier value (``meeting_type.value == 'extendida'``) keeps working."""

    def __new__(cls, value: str, former=()):
        instance = super().__new__(cls, value)
        instance.former = frozenset(former)
        return instance

    def __eq__(self, other):
        return isinstance(other, str) and (str.__eq__(self, other) or other in self.former)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


class ChosenOption:
    """A chosen option: prints as its label, compares by ``value`` in template conditions."""

    def __init__(self, value, label):
        self.value = value
        self.label = label

    def __str__(self):
        return str(self.label) if self.value not in (None, "") else ""


class DocumentContext:
    """What one controlled document's template receives. Subclasses declare, and override
    :meth:`extra` (and :meth:`blank_extra` when paper differs) for derived values."""

    key: str = ""
    has_form = True
    # Form fields the template shows through another context value: field name -> path in the
    # context. For a row group, the path is where its rows are looped (``"operator.participants"``).
    shown_through: dict[str, str] = {}
    # The form field holding the date the record is about (used in the file name).
    date_field: str | None = None
    # The field naming the person a record follows session after session (see subject()).
    subject_field: str | None = None
    # Names fields and choices had in records issued earlier: old field name -> new name, and
    # ``"field"`` or ``"group.field"`` -> {old value: new value}.
    former_names: dict[str, str] = {}
    former_values: dict[str, dict[str, str]] = {}
    # Who signs the paper record, in order: (role, where the name is): a field, a row group's
    # field ("workers.name": a line for each row that has a name), or None (written by hand).
    # Templates from the versions with a signature block loop over ``signatures``.
    signers: tuple[tuple, ...] = ()

    # --- the template's context -------------------------------------------------------------
    def context(self, form, locale: str) -> dict:
        """Each field by name (except those shown through another value), plus :meth:`extra`."""
        values = {field.name: self._value(field, locale) for field in form.content_fields()}
        return self._assemble(values, self.extra(form, values, locale)
                              | {"signatures": self.signatures(form)})

    def blank_context(self, form, locale: str) -> dict:
        """The context of the template printed blank, to be filled by hand (see ``blank``)."""
        values = {field.name: blank_value(field) for field in form.content_fields()}
        return self._assemble(values, self.blank_extra(form, values, locale)
                              | {"signatures": self.blank_signatures()})

    def printed_context(self, locale: str) -> dict:
        """The blank context of an untouched form: the template printed for paper."""
        return self.blank_context(empty_form(self.key), locale)

    def extra(self, form, values: dict, locale: str) -> dict:
        """Fixed texts and derived values beyond the fields; ``values`` holds every field as the
        document shows it."""
        return {}

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        """:meth:`extra` for paper; contexts whose extra values come from the data override it."""
        return self.extra(form, values, locale)

    def _assemble(self, values: dict, extra: dict) -> dict:
        shown_directly = {name: value for name, value in values.items()
                          if name not in self.shown_through}
        return shown_directly | extra

    def _value(self, field, locale: str):
        value = field_value(field, locale)
        former = self.former_values.get(field.name)
        if former and isinstance(value, ChosenOption) and value.value:
            value.value = ChoiceValue(value.value, [old for old, new in former.items()
                                                    if new == value.value])
        return value

    # --- the signature and attendance block ---------------------------------------------------
    def signatures(self, form) -> list[dict]:
        """A line to sign for each person the record names as taking part, by role."""
        return [{"role": role, "name": name} for role, source in self.signers
                for name in _signer_names(form, source)]

    def blank_signatures(self) -> list[dict]:
        """On paper: a line for each single signer, several for a group (attendees)."""
        return [{"role": role, "name": ""} for role, source in self.signers
                for _ in range(SIGNATURE_LINES if source and "." in source else 1)]

    # --- what the template must show --------------------------------------------------------
    def fields_shown(self, form) -> dict[str, str | RowsShown]:
        """Where the template must show each form field: a context path, or for a row group the
        path of its loop and the fields of its rows (checked by ``checks.content_problems``)."""
        shown = {}
        for field in form.content_fields():
            path = self.shown_through.get(field.name, field.name)
            if isinstance(field, FieldList) and field.entries:
                shown[field.name] = RowsShown(path, tuple(sub.short_name
                                                          for sub in field.entries[0].form))
            else:
                shown[field.name] = path
        return shown

    # --- the data embedded in the document and its file name -------------------------------
    def embedded_data(self, form) -> dict:
        """The form's values as plain JSON data, embedded in the document it produces."""
        return form.values()

    def restore(self, data: dict) -> dict:
        """Embedded data's values under today's names (records issued before a rename still load)."""
        data = {self.former_names.get(name, name): value for name, value in data.items()}
        for path, renamed in self.former_values.items():
            group, _, name = path.rpartition(".")
            rows = data.get(group) if group else [data]
            # Tampered data may hold anything where a group's rows go: only rows are renamed.
            holders = [row for row in rows if isinstance(row, dict)] \
                if isinstance(rows, list) else []
            for holder in holders:
                holder[name] = _renamed(holder.get(name), renamed)
        return data

    def record_date(self, form) -> dt.date | None:
        """The date in the file name: ``date_field``'s, or by default the form's first date."""
        name = self.date_field or next((field.name for field in form.content_fields()
                                        if isinstance(field, DateField)), None)
        return form[name].data if name else None

    def subject(self, form) -> str | None:
        """The person a record follows from one session to the next (``subject_field``), so
        the previous record about the same person is offered; None when it follows nobody."""
        return form[self.subject_field].data if self.subject_field else None

    def file_label(self, form) -> str:
        """A few words that tell this document from others of a batch (e.g. a person's name)."""
        return ""


class HandoutContext:
    """A training handout: a controlled document printed with its texts, no form behind it.
    Subclasses return those texts from :meth:`printed_context`."""

    key: str = ""
    has_form = False

    def printed_context(self, locale: str) -> dict:
        raise NotImplementedError


SIGNATURE_LINES = 4  # lines for a group's attendees on paper (with the history, one page)


def _signer_names(form, source: str | None) -> list[str]:
    if source is None:
        return [""]
    group, _, name = source.partition(".")
    if not name:
        return [form[group].data or ""]
    return [entry.form[name].data for entry in form[group].entries
            if entry.form[name].data and _present(entry.form)]


def _present(row) -> bool:
    """A row of people counts unless it has an "attending" box left unticked."""
    attending = getattr(row, "attending", None)
    return attending is None or bool(attending.data)


def empty_form(key: str):
    """The form of document ``key`` as a page first shows it (defaults, pre-filled rows)."""
    return FORMS[key](formdata=None, meta={"csrf": False})


def _renamed(value, renamed: dict):
    if isinstance(value, list):
        return [renamed.get(item, item) if isinstance(item, str) else item for item in value]
    return renamed.get(value, value) if isinstance(value, str) else value


def field_value(field, locale: str):
    """The value of one field as the document shows it."""
    if isinstance(field, FieldList):
        return [field_value(entry, locale) for entry in field.entries
                if not entry.form.is_blank()]
    if isinstance(field, FormField):
        return {sub.short_name: field_value(sub, locale) for sub in field.form}
    if isinstance(field, SelectMultipleField):
        labels = {choice.value: choice.label for choice in field.iter_choices()}
        return [labels[value] for value in field.data or () if value in labels]
    if isinstance(field, (RadioField, SelectField)):
        labels = {choice.value: choice.label for choice in field.iter_choices()}
        return ChosenOption(field.data, labels.get(field.data, ""))
    if isinstance(field, DateField):
        return format_date(field.data, format="long", locale=locale) if field.data else ""
    if isinstance(field, TimeField):
        return field.data.strftime("%H:%M") if field.data else ""
    if isinstance(field, BooleanField):
        return bool(field.data)
    return field.data if field.data is not None else ""


def format_duration(minutes: int | None) -> str:
    """90 -> "1 h 30 min", as a document shows a duration."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _l("%(h)d h %(m)d min", h=hours, m=rest)
    if hours:
        return _l("%(h)d h", h=hours)
    return _l("%(m)d min", m=rest)
