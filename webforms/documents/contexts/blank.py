"""Blank values: what a form's fields look like on a template printed to be filled by hand.

Every field becomes writing space sized for its expected answer: a short ruled line for a name, an
empty box of several lines for a longer text (templates put such texts in table cells, whose
borders frame the space), date and time skeletons; every choice becomes a row of ☐ boxes, and
every repeatable group a set of empty rows. The same .docx template renders them, so the blank
and the filled document never drift apart.
"""
from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length

from webforms.forms.fields import RowGroup

BOX = "☐"
# Short enough not to wrap in the narrowest column of the templates (about 3.5 cm).
LINE_LENGTH = 18
DATE = "___/___/_____"
TIME = "___:___"
NUMBER = "______"
EMPTY_LINE = "\u00a0"  # a no-break space keeps an empty line's height in Word


def ruled(length: int = LINE_LENGTH) -> str:
    return "_" * length


def empty_lines(count: int) -> str:
    return "\n".join([EMPTY_LINE] * count)


class AnyValue:
    """Equal to every option, so a template shows every conditional part on paper."""

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def __str__(self):
        return ""


class BlankChoice:
    """A choice on paper: a ☐ before each option."""

    value = AnyValue()

    def __init__(self, labels):
        self.label = "   ".join(boxes(labels))

    def __str__(self):
        return self.label


def boxes(labels) -> list[str]:
    """``☐ label`` for each label. A short option is kept on one line (no-break spaces), so a
    row of options wraps between options, never inside one."""
    return [f"{BOX}\u00a0" + (str(label).replace(" ", "\u00a0") if len(str(label)) <= 30
                               else str(label)) for label in labels]


def blank_value(field, rows: int | None = None):
    """The paper version of one field's value."""
    if isinstance(field, FieldList):
        group = RowGroup.of(field)
        count = len(group.fixed_labels) if group.fixed else rows or group.blank_rows
        template = field.entries[0].form if field.entries else field.unbound_field.args[0]()
        return [{sub.short_name: blank_value(sub) for sub in template} for _ in range(count)]
    if isinstance(field, FormField):
        return {sub.short_name: blank_value(sub) for sub in field.form}
    if isinstance(field, SelectMultipleField):
        return boxes(choice.label for choice in field.iter_choices())
    if isinstance(field, (RadioField, SelectField)):
        return BlankChoice(choice.label for choice in field.iter_choices() if choice.value)
    if isinstance(field, BooleanField):
        return False
    if isinstance(field, DateField):
        return DATE
    if isinstance(field, TimeField):
        return TIME
    if isinstance(field, IntegerField):
        return NUMBER
    if isinstance(field, TextAreaField):
        return empty_lines(_lines_for(field))
    if isinstance(field, StringField):
        return ruled()
    return ""


def _lines_for(field) -> int:
    """More lines for a field that expects a longer answer."""
    maximum = next((v.max for v in field.validators if isinstance(v, Length)), 4000)
    if maximum <= 500:
        return 2
    if maximum <= 1500:
        return 3
    if maximum <= 2000:
        return 4
    return 6
