"""Filled samples of every form: every field and row group, typical or at the input limits.

Built from the form classes themselves (not typed by hand), so a field added to a form is filled
here too. The engine tests and ``tools/benchmark_render.py`` render them; the tests below prove
that they are what they claim: accepted by the form, with every field filled.
"""
from __future__ import annotations

import pytest
import wtforms

from tests.factories import _leaves, _length, filled_formdata
from webforms.forms import FORMS

# Characters that must stay text: XML, Jinja and docxtpl markup, accents, a tab.


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


