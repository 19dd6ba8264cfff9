"""Field builders and validators shared by every form.

Every free-text field is capped in length and in lines: rendering cost in docxtpl grows faster than
the input, and a record is never that long. Every value is cleaned of characters a .docx cannot hold
as it enters the form, so what the user sees again on an error page is what the document will show.
"""
from __future__ import annotations

import unicodedata

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from webforms.text import clean_text

LINE_MAX = 200
BLOCK_MAX = 4000
BLOCK_MAX_LINES = 80
COUNT_MAX = 100_000


def clean_line(value):
    """A one-line value: cleaned, without line breaks or surrounding spaces; nothing at all when
    nothing in it can be seen."""
    if not isinstance(value, str):
        return value
    return _unless_invisible(" ".join(clean_text(value).split()))


def clean_block(value):
    """A multi-line value: cleaned, with trailing spaces and blank edges removed; nothing at all
    when nothing in it can be seen."""
    if not isinstance(value, str):
        return value
    lines = [line.rstrip() for line in clean_text(value).split("\n")]
    return _unless_invisible("\n".join(lines).strip("\n"))


def _unless_invisible(text: str) -> str:
    """``text``, or "" when it holds only spaces and format characters (zero-width space, joiners,
    direction marks…), which would satisfy a required field while showing nothing."""
    visible = any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)
    return text if visible else ""


class MaxLines:
    """Rejects text with more lines than a record needs (each becomes a Word line break)."""

    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form, field):
        if field.data and field.data.count("\n") + 1 > self.maximum:
            raise ValidationError(
                _l("Escriba como máximo %(max)d líneas.", max=self.maximum))


class ShownWhen:
    """The field applies only while another field of the same form (or row) holds one of
    ``values`` (for a checklist: has one of them ticked). The page script hides it otherwise
    (web.helpers.show_when); without JavaScript it stays. As a validator it checks nothing."""

    field_flags = {}

    def __init__(self, other: str, values):
        self.other = other
        self.values = tuple(values) if isinstance(values, (tuple, list)) else (values,)

    def applies(self, form) -> bool:
        data = form[self.other].data
        return any(item in self.values for item in (data if isinstance(data, list) else [data]))

    def __call__(self, form, field):
        return None


class RequiredIf(ShownWhen):
    """Required only when another field of the same form has a given value (or one of a tuple
    of values). Unless ``shown_anyway``, the document shows the field only then: text typed in
    it otherwise would be lost, so the form warns (see DocumentForm.unused_text_warnings)."""

    def __init__(self, other: str, value, message=None, shown_anyway: bool = False):
        super().__init__(other, value)
        self.value = self.values[0]
        self.message = message or _l("Este campo es obligatorio.")
        self.shown_anyway = shown_anyway

    def __call__(self, form, field):
        if self.applies(form):
            if not field.data or (isinstance(field.data, str) and not field.data.strip()):
                raise StopValidation(self.message)
        else:
            field.errors[:] = []
            raise StopValidation()


def _required(required):
    """``required`` is True, False, or a conditional validator such as :class:`RequiredIf`."""
    if required is True:
        return DataRequired(message=_l("Este campo es obligatorio."))
    return required or Optional()


def text_line(label, required=False, max_length=LINE_MAX, description="", validators=(),
              default=None):
    return StringField(
        label,
        default=default,
        validators=[_required(required), Length(max=max_length, message=_l(
            "Escriba como máximo %(max)d caracteres.", max=max_length)), *validators],
        filters=[clean_line],
        description=description,
        render_kw={"maxlength": max_length},
    )


def text_block(label, required=False, max_length=BLOCK_MAX, max_lines=BLOCK_MAX_LINES,
               description="", validators=()):
    return TextAreaField(
        label,
        validators=[_required(required), Length(max=max_length, message=_l(
            "Escriba como máximo %(max)d caracteres.", max=max_length)),
            MaxLines(max_lines), *validators],
        filters=[clean_block],
        description=description,
        render_kw={"maxlength": max_length, "rows": 4},
    )


def date_field(label, required=False, description="", validators=()):
    # InputRequired, not DataRequired: a date typed wrongly must report "not a valid date".
    presence = InputRequired(message=_l("Este campo es obligatorio.")) if required else Optional()
    return DateField(
        label,
        validators=[presence, *validators],
        description=description,
    )


def time_field(label):
    return TimeField(label, validators=[
        DataRequired(message=_l("Escriba la hora en formato HH:MM."))])


def duration_field(description):
    """A meeting's length in minutes (the seeds ask for at least one hour: forms warn)."""
    return IntegerField(
        _l("Duración (minutos)"),
        validators=[InputRequired(message=_l("Este campo es obligatorio.")),
                    NumberRange(min=1, max=12 * 60, message=_l(
                        "Escriba una duración entre %(min)d y %(max)d minutos.", min=1,
                        max=12 * 60))],
        description=description,
        render_kw={"min": 1, "max": 12 * 60, "inputmode": "numeric"})


def count_field(label, required=False, description="", validators=()):
    """A non-negative whole number, such as a number of cases."""
    presence = (InputRequired(message=_l("Este campo es obligatorio.")) if required
                else Optional())
    return IntegerField(
        label,
        validators=[presence, NumberRange(min=0, max=COUNT_MAX, message=_l(
            "Escriba un número entero entre %(min)d y %(max)d.", min=0, max=COUNT_MAX)),
            *validators],
        description=description,
        render_kw={"min": 0, "max": COUNT_MAX, "inputmode": "numeric"},
    )


class PartsWithinTotal:
    """Counts that are parts of another count (e.g. high- and medium-risk cases among the open
    ones) cannot add up to more than it. Put it on the last part."""

    def __init__(self, total: str, parts: tuple[str, ...], message):
        self.total = total
        self.parts = parts
        self.message = message

    def __call__(self, form, field):
        values = [form[name].data for name in (self.total, *self.parts)]
        if None in values:
            return
        total, *parts = values
        if sum(parts) > total:
            raise ValidationError(str(self.message) % {"parts": sum(parts), "total": total})


def case_counts(open_label, high_label, medium_label):
    """The anonymous caseload review: open cases and, among them, high- and medium-risk ones."""
    return (
        count_field(open_label, required=True),
        count_field(high_label, required=True),
        count_field(medium_label, required=True, validators=[PartsWithinTotal(
            "open_cases", ("high_risk_cases", "medium_risk_cases"), _l(
                "Los casos de alto y medio riesgo (%(parts)d) no pueden superar el número de "
                "casos abiertos (%(total)d)."))]),
    )


class RowGroup:
    """How a repeatable group behaves: rows offered at first, needed filled, accepted at most, and
    what one row is called on the page ("Trabajador social 2", "Añadir trabajador social").

    Used as the group's validator: blank rows are ignored when counting filled ones.
    """

    def __init__(self, minimum: int = 0, maximum: int = 40, start: int = 1, row_label=None,
                 add_label=None, fixed_labels=None, blank_rows: int = 6, lead_ins=()):
        self.minimum = minimum
        self.blank_rows = blank_rows  # empty rows on the template printed for paper
        self.maximum = maximum
        self.start = max(start, minimum, 1)
        self.row_label = row_label or _l("Fila")
        self.add_label = add_label or _l("Añadir fila")
        # A fixed group has one row per label (e.g. the roles invited to a meeting): rows are
        # neither added nor removed, and each is named by its label.
        self.fixed_labels = tuple(fixed_labels or ())
        # Rows of a fixed group that only introduce the next ones (a line ending in ":"): the
        # page shows their label as text, with nothing to fill in.
        self.lead_ins = frozenset(lead_ins)

    @classmethod
    def of(cls, field: FieldList) -> "RowGroup":
        """The settings of a repeatable field (the defaults when it declares none)."""
        return next((v for v in field.validators if isinstance(v, cls)), cls())

    @property
    def fixed(self) -> bool:
        return bool(self.fixed_labels)

    def label_of(self, index: int):
        if self.fixed:
            return self.fixed_labels[index] if index < len(self.fixed_labels) else ""
        return f"{self.row_label} {index + 1}"

    def __call__(self, form, field):
        filled = sum(1 for entry in field.entries if not entry.form.is_blank())
        if filled < self.minimum:
            raise ValidationError(_l("Añada al menos %(min)d fila.", min=self.minimum)
                                  if self.minimum == 1 else
                                  _l("Añada al menos %(min)d filas.", min=self.minimum))
        if max(len(field.entries), getattr(field, "received", 0)) > self.maximum:
            raise ValidationError(_l("Como máximo %(max)d filas.", max=self.maximum))


class RowList(FieldList):
    """A FieldList that reads at most ``max_entries`` rows from a request, whatever it carries.

    A row index is plain ASCII digits, at most three of them: ``rows-²-name`` or
    ``rows-99999999999-name`` is ignored instead of failing or allocating. How many rows the
    request held is kept in ``received`` so the form can say that some were left out.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.received = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        super().process(formdata, data, extra_filters)

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if 0 < len(index) <= 3 and index.isascii() and index.isdigit():
                    yield int(index)


def rows(row_form, label, minimum=0, maximum=40, start=1, description="", row_label=None,
         add_label=None, default=(), blank_rows=6):
    """A repeatable group of rows (workers, actions…) that can grow and shrink."""
    return RowList(
        FormField(row_form),
        label,
        min_entries=1,
        max_entries=maximum,
        default=default,
        validators=[RowGroup(minimum, maximum, start, row_label, add_label,
                             blank_rows=blank_rows)],
        description=description,
    )


def fixed_rows(row_form, label, row_labels, description="", lead_ins=(), shown_when=None):
    """One row per label, always all of them: e.g. each role invited, ticked when present.
    ``lead_ins``: positions of rows only read (see RowGroup); ``shown_when``: a
    :class:`ShownWhen` for the whole group."""
    count = len(row_labels)
    return RowList(
        FormField(row_form),
        label,
        min_entries=count,
        max_entries=count,
        validators=[RowGroup(0, count, count, fixed_labels=row_labels, lead_ins=lead_ins),
                    *([shown_when] if shown_when else [])],
        description=description,
    )


class MultiCheckboxField(SelectMultipleField):
    """Several options, each a checkbox (a list of ☐ on paper)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def checklist(label, items, description="", ticked=True):
    """Checkboxes for ``items``, all ticked at first unless ``ticked`` is false; the value of
    each is its position."""
    choices = [SelectChoice(str(index), item) for index, item in enumerate(items)]
    default = (lambda: [str(index) for index in range(len(items))]) if ticked else list
    return MultiCheckboxField(label, choices=choices, default=default, description=description)


def joined_text(*parts, separator=" — "):
    return LazyString(lambda: separator.join(str(part) for part in parts))
