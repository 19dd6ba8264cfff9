"""The behaviour every document form shares: repeatable rows, warnings and the document context.

A new official template needs a subclass of :class:`DocumentForm` with its fields, registered with
:func:`document_form` under the key of its catalogue entry; the web views and the Word engine need
nothing else.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from .blank import blank_value
from .fields import RowGroup

FORMS: dict[str, type["DocumentForm"]] = {}

# Fields that are plumbing, not content of the document.
_PLUMBING = ("csrf_token", "warnings_seen", "document_language")
DOCUMENT_LANGUAGES = (("es", _l("Español")), ("en", _l("Inglés")))


def default_document_language() -> str:
    """The interface language when a document can be written in it, Spanish otherwise."""
    locale = get_locale()
    language = locale.language if locale else "es"
    return language if language in dict(DOCUMENT_LANGUAGES) else "es"


def document_form(key: str):
    """Register a form class as the form of catalogue entry ``key``."""
    def register(form_class):
        if key in FORMS:
            raise ValueError(f"two forms registered for {key!r}")
        form_class.document_key = key
        FORMS[key] = form_class
        return form_class
    return register


class ChosenOption:
    """A chosen option: prints as its label, compares by ``value`` in template conditions."""

    def __init__(self, value, label):
        self.value = value
        self.label = label

    def __str__(self):
        return str(self.label) if self.value not in (None, "") else ""


class RowForm(Form):
    """One row of a repeatable group. A row left completely empty is ignored, not an error."""

    def is_blank(self) -> bool:
        return all(_is_empty(field.data) for field in self)

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        return super().validate(extra_validators)


class DocumentForm(FlaskForm):
    """Base class of the forms that produce a controlled document."""

    document_key: str = ""
    # Fields the template reaches through another context value (e.g. notes inside an agenda
    # table, minutes shown as a duration): field name -> context key.
    carried_by: dict[str, str] = {}
    # Page presentation: the reminder shown above the form, and the tool's background texts.
    privacy_reminder = None
    about: tuple = ()
    # Whether the page offers to load values from an earlier document (see load_previous).
    accepts_previous = False
    # Fields that a spreadsheet may fill, one column each (empty: no batch generation).
    batch_columns: tuple = ()
    batch_example: tuple = ()
    # Sections of the page: (title, field names); None shows every field in one section.
    sections: tuple | None = None

    def layout(self):
        if self.sections:
            return self.sections
        return ((None, [field.name for field in self.content_fields()]),)
    # Set by the page once the user has seen the current warnings and chosen to go on.
    warnings_seen = HiddenField()
    document_language = RadioField(
        _l("Idioma del documento"),
        choices=[SelectChoice(value, label) for value, label in DOCUMENT_LANGUAGES],
        default=default_document_language,
        validators=[DataRequired(message=_l("Elija el idioma del documento."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            for field in self.row_fields().values():
                while len(field.entries) < row_group(field).start:
                    field.append_entry()

    # --- repeatable rows ------------------------------------------------------------------
    def row_fields(self) -> dict[str, FieldList]:
        return {field.name: field for field in self if isinstance(field, FieldList)}

    def apply_row_action(self, action: str | None) -> bool:
        """Handle an "add row" / "remove row" button (``add:NAME`` or ``remove:NAME:INDEX``).

        Works without JavaScript: the page is simply rendered again with the change. Returns
        whether the request was such an action (and so must not produce a document).
        """
        if not action:
            return False
        verb, _, target = action.partition(":")
        name, _, index = target.partition(":")
        field = self.row_fields().get(name)
        if field is None or verb not in ("add", "remove"):
            return False
        if row_group(field).fixed:
            return True
        if verb == "add" and len(field.entries) < row_group(field).maximum:
            field.append_entry()
        elif verb == "remove" and index.isdigit():
            _remove_entry(field, int(index))
        return True

    # --- warnings -------------------------------------------------------------------------
    def collect_warnings(self) -> dict[str, list[str]]:
        """Non-blocking advice, by field name. Subclasses add their own checks."""
        return {}

    def warnings_digest(self, warnings: dict[str, list[str]]) -> str:
        text = repr(sorted((name, [str(m) for m in messages])
                           for name, messages in warnings.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def warnings_acknowledged(self, warnings) -> bool:
        return not warnings or self.warnings_seen.data == self.warnings_digest(warnings)

    # --- document context -------------------------------------------------------------------
    def content_fields(self):
        return [field for field in self if field.name not in _PLUMBING]

    def template_variables(self) -> set[str]:
        """The context keys through which the template must show every field of the form."""
        return {self.carried_by.get(field.name, field.name) for field in self.content_fields()}

    def file_label(self) -> str:
        """A few words that tell this document from others of a batch (e.g. a person's name)."""
        return ""

    def record_date(self) -> dt.date | None:
        """The date the record is about, used in the file name; subclasses point it to a field."""
        return None

    def document_context(self, locale: str) -> dict:
        """Everything the .docx template may use: each field by name (except those it reaches
        through another value, see ``carried_by``), plus :meth:`extra_context`."""
        values = {field.name: field_value(field, locale) for field in self.content_fields()}
        context = {name: value for name, value in values.items() if name not in self.carried_by}
        context.update(self.extra_context(values, locale))
        return context

    def record_data(self) -> dict:
        """The form's values as plain JSON data, embedded in the document it produces."""
        return {field.name: raw_value(field) for field in self.content_fields()}

    def default_formdata(self) -> MultiDict:
        """What the untouched page would submit: defaults, pre-filled rows, ticked boxes."""
        return formdata_from_values(
            self.record_data() | {"document_language": self.document_language.data})

    def load_previous(self, record: dict) -> str | None:
        """Fill this form from the record of an earlier document; returns a message for the
        user, or None when this form has nothing to take from such a record."""
        return None

    def extra_context(self, values: dict, locale: str) -> dict:
        """Fixed texts and derived values the template needs beyond the fields themselves;
        ``values`` holds every field as the document shows it."""
        return {}

    def blank_context(self, locale: str) -> dict:
        """The context of the template printed blank, to be filled by hand (see forms.blank)."""
        values = {field.name: blank_value(field) for field in self.content_fields()}
        context = {name: value for name, value in values.items() if name not in self.carried_by}
        context.update(self.blank_extra_context(values, locale))
        return context

    def blank_extra_context(self, values: dict, locale: str) -> dict:
        """:meth:`extra_context` for paper; forms whose extra values come from their data
        override it."""
        return self.extra_context(values, locale)


def row_group(field: FieldList) -> RowGroup:
    """The :class:`RowGroup` settings of a repeatable field."""
    for validator in field.validators:
        if isinstance(validator, RowGroup):
            return validator
    return RowGroup()


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


def own_errors(field) -> list[str]:
    """A field's own messages; a row group's list also holds its rows' error dicts, skipped here."""
    if not isinstance(field.errors, (list, tuple)):
        return []
    return [str(message) for message in field.errors if not isinstance(message, (dict, list))]


def formdata_from_values(values: dict) -> MultiDict:
    """The form data a browser would send for ``values`` as :func:`raw_value` writes them: rows
    become ``name-index-field`` keys, lists repeat their key, ``True`` is a ticked box."""
    pairs = []

    def add(name, value):
        if value is None or value is False:
            return
        pairs.append((name, "y" if value is True else str(value)))

    for name, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                for field_name, item in row.items():
                    add(f"{name}-{index}-{field_name}", item)
        elif isinstance(value, list):
            for item in value:
                add(name, item)
        else:
            add(name, value)
    return MultiDict(pairs)


def raw_value(field):
    """A field's data as JSON: rows as lists of objects, dates as ISO text."""
    if isinstance(field, FieldList):
        return [raw_value(entry) for entry in field.entries if not entry.form.is_blank()]
    if isinstance(field, FormField):
        return {sub.short_name: raw_value(sub) for sub in field.form}
    value = field.data
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")  # as the form reads it back
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str, list)):
        return value
    return str(value)


def _remove_entry(field: FieldList, index: int) -> None:
    """Drop row ``index`` and renumber the rest, keeping at least ``min_entries`` rows."""
    data = [entry.data for position, entry in enumerate(field.entries) if position != index]
    field.entries = []
    field.last_index = -1
    for item in data:
        field.append_entry(item)
    while len(field.entries) < field.min_entries:
        field.append_entry()


def _is_empty(value) -> bool:
    return value is None or value == "" or value is False or (
        isinstance(value, str) and not value.strip())


# Shown above every form about cases: the "need to know" principle of the seeds.
PRIVACY_REMINDER = _l(
    "No escriba nombres de niñas, niños o adolescentes ni datos que permitan identificarlos a ellos "
    "o a sus familias (documento, dirección, teléfono, escuela, fecha de nacimiento). Describa los "
    "casos de forma anónima: solo lo que el equipo necesita conocer.")


PERSONAL_DATA_PATTERNS = (
    re.compile(r"\b\d{6,}\b"),  # identity document or phone numbers
    re.compile(r"\b\d{3}[\s.-]\d{3,4}[\s.-]\d{3,4}\b"),  # formatted phone numbers
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # e-mail addresses
    re.compile(r"\b\d{1,2}\s*(años|meses)\b", re.IGNORECASE),  # a child's age
    re.compile(r"\bnacid[oa]s?\b|\bfecha de nacimiento\b", re.IGNORECASE),
)

PERSONAL_DATA_WARNING = _l(
    "Parece contener datos que identifican a una persona (número de documento o de teléfono, "
    "correo, edad o fecha de nacimiento). Según el principio de «se necesita conocer», deje solo lo "
    "imprescindible y nunca nombres ni datos de niñas, niños o adolescentes.")


def may_identify_someone(text: str) -> bool:
    return any(pattern.search(text) for pattern in PERSONAL_DATA_PATTERNS)


def personal_data_warnings(fields) -> dict[str, list]:
    """Warn on free-text fields that look like they hold identifying data."""
    warnings = {}
    for field in fields:
        values = [(field.name, field.data)]
        if isinstance(field, FieldList):
            values = [(sub.name, sub.data) for entry in field.entries for sub in entry.form]
        for name, value in values:
            if isinstance(value, str) and may_identify_someone(value):
                warnings[name] = [PERSONAL_DATA_WARNING]
    return warnings
