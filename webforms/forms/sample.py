"""A form with every field filled and every row group holding rows: the sample that template checks
render, so each placeholder, each row loop and each conditional part meets a value.

Choices take their last option (the one that usually opens a conditional part: an extended
meeting, "another" superior), lists tick every option, and texts name their field, so a reader of
the sample document sees where each value landed.
"""
from __future__ import annotations

import datetime as dt

from werkzeug.datastructures import MultiDict
from wtforms import fields
from wtforms.validators import Length

from webforms.forms.base import DocumentForm, formdata_from_values

SAMPLE_DATE = dt.date(2026, 11, 20)
SAMPLE_ROWS = 2


def sample_form(form_class: type[DocumentForm]) -> DocumentForm:
    """An instance of ``form_class`` with every field filled (not necessarily valid together)."""
    blank = form_class(formdata=None, meta={"csrf": False})
    values = {field.name: sample_value(field) for field in blank.content_fields()}
    formdata = formdata_from_values(values)
    formdata.add("document_language", "es")
    return form_class(formdata=MultiDict(formdata), meta={"csrf": False})


def sample_value(field, row: int = 0):
    """A value for one field as :func:`formdata_from_values` expects it."""
    if isinstance(field, fields.FieldList):
        count = max(len(field.entries), SAMPLE_ROWS)
        row_form = field.entries[0].form
        return [{sub.short_name: sample_value(sub, index) for sub in row_form}
                for index in range(count)]
    if isinstance(field, fields.FormField):
        return {sub.short_name: sample_value(sub, row) for sub in field.form}
    if isinstance(field, fields.SelectMultipleField):
        return [choice.value for choice in field.iter_choices()]
    if isinstance(field, (fields.RadioField, fields.SelectField)):
        values = [choice.value for choice in field.iter_choices() if choice.value]
        return values[-1] if values else ""
    return _scalar_sample(field, row)


def _scalar_sample(field, row: int):
    if isinstance(field, fields.BooleanField):
        return True
    if isinstance(field, fields.DateField):
        return (SAMPLE_DATE + dt.timedelta(days=7 * row)).isoformat()
    if isinstance(field, fields.TimeField):
        return "09:30"
    if isinstance(field, fields.IntegerField):
        return 3
    maximum = next((v.max for v in field.validators if isinstance(v, Length)), 200)
    return f"{field.short_name} {row + 1}"[:max(maximum, 1)]
