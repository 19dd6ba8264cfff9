"""Every .docx template and its form agree: no placeholder without a value, no field left out."""
import docx
import pytest
from docxtpl import DocxTemplate

from webforms.documents.environment import document_environment
from webforms.forms import FORMS


def form_entries(app):
    catalogue = app.extensions["webforms.catalogue"].current()
    return [(entry, FORMS[entry.key]) for entry in catalogue if entry.key in FORMS]


def test_every_form_has_a_catalogue_entry(app):
    catalogue = app.extensions["webforms.catalogue"].current()
    assert set(FORMS) <= set(catalogue.documents)
    assert form_entries(app)


def test_every_catalogue_entry_has_a_form_or_a_handout(app):
    from webforms.handouts import HANDOUTS

    for document in app.extensions["webforms.catalogue"].current():
        kind = "formato" if document.key in FORMS else "material" if document.key in HANDOUTS else None
        assert kind == document.kind, document.key


def test_placeholders_and_fields_match(app):
    for entry, form_class in form_entries(app):
        with app.test_request_context():
            form = form_class()
            context = form.document_context("es")
            expected = form.template_variables()
        template = DocxTemplate(entry.template)
        variables = template.get_undeclared_template_variables(jinja_env=document_environment())
        assert variables - set(context) - {"_"} == set(), (
            f"{entry.template.name}: placeholders without value")
        assert expected - variables == set(), f"{entry.template.name}: form fields not in template"


def test_templates_carry_no_hand_typed_header(app):
    """The controlled frame is drawn from the catalogue; a copy in the .docx would go stale."""
    for entry, _ in form_entries(app):
        for section in docx.Document(entry.template).sections:
            text = "".join(p.text for p in section.header.paragraphs)
            assert entry.code not in text and "Versión" not in text


@pytest.mark.parametrize("key", sorted(FORMS))
def test_page_layout_shows_every_field_once(app, key):
    with app.test_request_context():
        form = FORMS[key]()
        shown = [name for _, names in form.layout() for name in names]
        assert sorted(shown) == sorted(field.name for field in form.content_fields())
