"""The behaviour every document form shares: repeatable rows, warnings and plain values.

A new official template needs a subclass of :class:`DocumentForm` with its fields and checks,
registered with :func:`document_form` under the key of its catalogue entry. What its .docx receives
is the business of its document context (``webforms.documents.contexts``), not of the form.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length

from webforms.forms.fields import RequiredIf, RowGroup

FORMS: dict[str, type["DocumentForm"]] = {}

# Fields that are plumbing, not content of the document.
PLUMBING = ("csrf_token", "warnings_seen", "document_language")
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


class RowForm(Form):
    """One row of a repeatable group. A row left completely empty is ignored, not an error."""

    def is_blank(self) -> bool:
        return all(_is_empty(field.data) for field in self)

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        return super().validate(extra_validators)


@lru_cache(maxsize=16)
def wtforms_messages(locale: str) -> support.Translations:
    """WTForms' own messages ("Not a valid date value"…) in ``locale``, read once per process."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class DocumentForm(FlaskForm):
    """Base class of the forms that produce a controlled document."""

    class Meta:
        def get_translations(self, form):
            """As Flask-WTF's, without reading the catalog again on every request."""
            return wtforms_messages(str(get_locale() or "es"))

    document_key: str = ""
    # The roles that may fill this form and issue its document (see
    # web.access.for_document_roles); none by default.
    roles: tuple[str, ...] = ()
    # Page presentation: the reminder shown above the form, and the tool's background texts.
    privacy_reminder = None
    about: tuple = ()
    # Whether the page offers to load values from an earlier document (see load_previous).
    accepts_previous = False
    # The page's button that loads from the team's records (records.carry_forward), in the
    # form's words: a section title, its help and the button; none by default.
    carry_forward_title = carry_forward_help = carry_forward_action = None
    # Fields that a spreadsheet may fill, one column each (empty: no batch generation).
    batch_columns: tuple = ()
    batch_example: tuple = ()
    # Sections of the page: (title, field names); None shows every field in one section.
    sections: tuple | None = None
    # The field naming the guide's modality the document is about: the page offers only the
    # modalities its author works in (see offer_modalities). None: the form has no such field.
    modality_field: str | None = None
    # What "Duplicar como registro nuevo" keeps: what stays the same from one record to the next
    # (people taking part, team, place). A row group's name keeps its rows whole, ``"group.field"``
    # only that field of each row. Everything else (dates, notes, follow-ups, confirmations)
    # starts as on a new page (see duplicate_pairs).
    stable_fields: tuple[str, ...] = ()
    # Fields naming a worker of the team, the same way as ``stable_fields``: the page offers the
    # names of the team's roster for them (free text still possible; accounts.roster).
    roster_fields: tuple[str, ...] = ()

    @classmethod
    def offers_roster(cls, name: str) -> bool:
        """Whether a field's page ``name`` (``group-0-field`` in a row) is one of
        ``roster_fields``."""
        group, _, rest = name.partition("-")
        sub = rest.partition("-")[2]
        return name in cls.roster_fields or (bool(sub) and f"{group}.{sub}" in cls.roster_fields)

    @classmethod
    def is_stable(cls, name: str) -> bool:
        """Whether a posted ``name`` (``group-0-field`` for a row's field) is kept by a
        duplicate; the document's language always is."""
        group, _, rest = name.partition("-")
        sub = rest.partition("-")[2]
        return name in (*cls.stable_fields, "document_language") or (
            bool(sub) and (group in cls.stable_fields or f"{group}.{sub}" in cls.stable_fields))

    def duplicate_pairs(self, source: MultiDict) -> list[list[str]]:
        """The pairs of a new draft made from ``source`` (a record's pairs): this untouched
        form's defaults, with the stable fields taken from ``source``."""
        defaults = self.default_formdata()
        return ([[name, value] for name in defaults for value in defaults.getlist(name)
                 if not self.is_stable(name)]
                + [[name, value] for name in source for value in source.getlist(name)
                   if self.is_stable(name)])

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
                while len(field.entries) < RowGroup.of(field).start:
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
        if RowGroup.of(field).fixed:
            return True
        if verb == "add" and len(field.entries) < RowGroup.of(field).maximum:
            field.append_entry()
        elif verb == "remove" and index.isdigit():
            _remove_entry(field, int(index))
        return True

    # --- warnings -------------------------------------------------------------------------
    def collect_warnings(self) -> dict[str, list[str]]:
        """Non-blocking advice, by field name. Subclasses add their own checks."""
        return {}

    def all_warnings(self) -> dict[str, list[str]]:
        """Every warning shown before the download: the form's own and text that would be lost."""
        warnings = self.collect_warnings()
        for name, messages in self.unused_text_warnings().items():
            warnings[name] = [*warnings.get(name, []), *messages]
        return warnings

    def unused_text_warnings(self) -> dict[str, list]:
        """Text typed in a conditional field whose condition is off (the extended meeting's
        topic in a regular meeting): the document will not show it, so say so, never lose it
        silently."""
        warnings = {}
        for owner, field in fields_with_owner(self):
            rule = next((v for v in field.validators if isinstance(v, RequiredIf)), None)
            if rule and not rule.shown_anyway and _is_typed(field.data) \
                    and not rule.applies(owner):
                warnings[field.name] = [_l(
                    "Este texto no aparecerá en el documento: solo se usa cuando «%(other)s» es "
                    "«%(value)s». Bórrelo o cambie esa respuesta.", other=owner[rule.other].label.text,
                    value=" / ".join(str(_choice_label(owner[rule.other], value))
                                     for value in rule.values))]
        return warnings

    def warnings_digest(self, warnings: dict[str, list[str]]) -> str:
        text = repr(sorted((name, [str(m) for m in messages])
                           for name, messages in warnings.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def warnings_acknowledged(self, warnings) -> bool:
        return not warnings or self.warnings_seen.data == self.warnings_digest(warnings)

    # --- values ------------------------------------------------------------------------------
    def content_fields(self):
        return [field for field in self if field.name not in PLUMBING]

    def values(self) -> dict:
        """The form's values as plain JSON data (rows as lists of objects, dates as ISO text)."""
        return {field.name: raw_value(field) for field in self.content_fields()}

    def default_formdata(self) -> MultiDict:
        """What the untouched page would submit: defaults, pre-filled rows, ticked boxes."""
        return formdata_from_values(
            self.values() | {"document_language": self.document_language.data})

    def record_problems(self, values) -> list[str]:
        """Why ``values`` (the data embedded in an uploaded document) cannot be used by this form:
        unknown fields, wrong types, more rows than the group takes, texts over their limit.
        Names only, never content. Checked before anything is built from the values."""
        if not isinstance(values, dict):
            return ["record"]
        fields = {field.name: field for field in self.content_fields()}
        problems = [name for name in values if name not in fields]
        for name, value in values.items():
            if name in fields and not _fits(fields[name], value):
                problems.append(name)
        return problems

    def load_previous(self, embedded: dict) -> str | None:
        """Fill this form from the data embedded in an earlier document (already under today's
        names); returns a message for the user, or None when this form takes nothing from it."""
        return None

    def offer_modalities(self, keys) -> None:
        """Offer only ``keys`` (the modalities the author works in: a case manager's, their
        team's) in the modality field, chosen already when there is one; another modality sent
        is refused. Nothing is narrowed when ``keys`` is empty (no modality set up yet)."""
        if self.modality_field is None or not keys:
            return
        field = self[self.modality_field]
        field.choices = [choice for choice in field.choices if choice.value in set(keys)]
        field.invalid_choice_message = _l("Elija una de las modalidades en las que usted "
                                          "trabaja.")
        if len(field.choices) == 1 and not field.data:
            field.data = field.choices[0].value


def _fits(field, value) -> bool:
    """Whether ``value`` has the type and size ``field`` accepts (see :meth:`record_problems`)."""
    if isinstance(field, FieldList):
        template = field.entries[0].form if field.entries else None
        return (isinstance(value, list) and len(value) <= RowGroup.of(field).maximum
                and template is not None
                and all(isinstance(row, dict) and set(row) <= set(template._fields)
                        and all(_fits(template[key], item) for key, item in row.items())
                        for row in value))
    if isinstance(field, SelectMultipleField):
        return isinstance(value, list) and len(value) <= len(field.choices or ()) and all(
            isinstance(item, str) and len(item) <= 100 for item in value)
    if value is None or isinstance(value, (bool, int)):
        return True
    limit = next((v.max for v in field.validators if isinstance(v, Length) and v.max > 0), 100)
    return isinstance(value, str) and len(value) <= limit


def fields_with_owner(form, fields=None):
    """(the form that holds it, field) for every field of ``form`` (or only ``fields``, some of
    its fields), the fields of each row included."""
    for field in form if fields is None else fields:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from ((entry.form, sub) for sub in entry.form)
        else:
            yield form, field


def _is_typed(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _choice_label(field, value):
    if value is True:
        return _l("sí")
    return next((choice.label for choice in field.iter_choices() if choice.value == value), value)


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
    """A field's data as JSON: rows as lists of objects, dates as ISO text. Blank rows are left
    out, except in a fixed group, where a row's position says what it is (e.g. which role)."""
    if isinstance(field, FieldList):
        keep_all = RowGroup.of(field).fixed
        return [raw_value(entry) for entry in field.entries
                if keep_all or not entry.form.is_blank()]
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
