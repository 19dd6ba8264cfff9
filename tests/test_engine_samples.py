"""Filled samples of every form: every field and row group, typical or at the input limits.

Built from the form classes themselves (not typed by hand), so a field added to a form is filled
here too. The engine tests and ``tools/benchmark_render.py`` render them; the tests below prove
that they are what they claim: accepted by the form, with every field filled.
"""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms.validators import Length, NumberRange

from webforms.forms import FORMS
from webforms.forms.fields import MaxLines, RowGroup

# Characters that must stay text: XML, Jinja and docxtpl markup, accents, a tab.
TRICKY = "& <b> \"'{{ x }} {%p if %} {_{ y }_} ñ\tá"
FIRST_DATE = dt.date(2026, 11, 20)


def filled_formdata(form_class, at_limits: bool = False) -> MultiDict:
    """What a user who fills every field (and, ``at_limits``, as much as accepted) posts."""
    form = form_class(formdata=None, meta={"csrf": False})
    data = form.default_formdata()
    counters = {"date": itertools.count(), "number": itertools.count()}
    for field in form.content_fields():
        if isinstance(field, wtforms.FieldList):
            _fill_rows(data, field, at_limits, counters)
        else:
            _fill(data, field.name, field, at_limits, counters)
    return data


def _fill_rows(data: MultiDict, field: wtforms.FieldList, at_limits: bool, counters) -> None:
    group = RowGroup.of(field)
    count = group.maximum if at_limits or group.fixed else min(2, group.maximum)
    for key in [key for key in data if key.startswith(f"{field.name}-")]:
        del data[key]
    while len(field.entries) < count:
        field.append_entry()
    for entry in field.entries[:count]:
        for sub in entry.form:
            _fill(data, sub.name, sub, at_limits, counters)


def _fill(data: MultiDict, name: str, field, at_limits: bool, counters) -> None:
    if isinstance(field, wtforms.SelectMultipleField):
        values = [str(choice.value) for choice in field.iter_choices()]
        data.setlist(name, values if at_limits else values[:1])
    elif isinstance(field, (wtforms.RadioField, wtforms.SelectField)):
        values = [str(choice.value) for choice in field.iter_choices() if choice.value]
        data[name] = values[-1 if at_limits else 0]
    elif isinstance(field, wtforms.BooleanField):
        data[name] = "y"
    elif isinstance(field, wtforms.DateField):
        # Later fields, later dates; a "previous" date before them all.
        weeks = -1 if "previous" in name else next(counters["date"])
        data[name] = (FIRST_DATE + dt.timedelta(weeks=weeks)).isoformat()
    elif isinstance(field, wtforms.TimeField):
        data[name] = "09:30"
    elif isinstance(field, wtforms.IntegerField):
        data[name] = str(_number(field, next(counters["number"]), at_limits))
    elif isinstance(field, wtforms.TextAreaField):
        data[name] = _text(field, at_limits, lines=_max_lines(field))
    elif isinstance(field, wtforms.StringField):
        data[name] = _text(field, at_limits, lines=1)


def _number(field, index: int, at_limits: bool) -> int:
    """Halving numbers, so parts never exceed their total (e.g. risk cases among open ones)."""
    limit = next((v.max for v in field.validators if isinstance(v, NumberRange)), 100)
    return max(1, (limit if at_limits else 16) // 2 ** index)


def _text(field, at_limits: bool, lines: int) -> str:
    length = _length(field) or 200
    if not at_limits:
        return (f"{field.short_name}: {TRICKY}" + ("\nsegunda línea" if lines > 1 else ""))[:length]
    line = (TRICKY + " " + "x" * length)[:max(1, length // lines - 1)].strip()
    return "\n".join([line] * lines)[:length]


def _max_lines(field) -> int:
    return next((v.maximum for v in field.validators if isinstance(v, MaxLines)), 1)


# --- the samples are what they claim ----------------------------------------------------------
@pytest.mark.parametrize("at_limits", [False, True], ids=["typical", "at-limits"])
@pytest.mark.parametrize("key", sorted(FORMS))
def test_a_filled_sample_is_accepted_and_fills_every_field(document_app, key, at_limits):
    with document_app.test_request_context():
        form = FORMS[key](formdata=filled_formdata(FORMS[key], at_limits), meta={"csrf": False})
        assert form.validate(), form.errors
        for field in form.content_fields():
            assert field.data not in (None, "", [], {}), field.name
        if at_limits:
            for sub in (sub for field in form.content_fields() for sub in _leaves(field)):
                if isinstance(sub, wtforms.StringField):
                    assert len(sub.data) >= 0.9 * _length(sub), sub.name


def _leaves(field):
    if isinstance(field, wtforms.FieldList):
        return [sub for entry in field.entries for sub in entry.form]
    return [field]


def _length(field) -> int:
    return next((v.max for v in field.validators if isinstance(v, Length) and v.max > 0), 0)
