"""Every .docx template and its form agree, checked as `flask templates check` does: rendered with
a sample that fills every field and every row group, no placeholder without a value, no row field
misspelt, no form field (in a row or not) left out."""
from dataclasses import replace

import docx
import pytest

from tests.helpers import edited_copy, find_table, in_body, labelled_value, open_docx, table_rows
from webforms.documents.contexts import CONTEXTS
from webforms.forms import FORMS
from webforms.forms.sample import sample_form


def catalogue_of(document_app):
    return document_app.extensions["webforms.catalogue"].current()


def test_every_form_has_a_catalogue_entry_and_a_document_context(document_app):
    assert set(FORMS) <= set(catalogue_of(document_app).documents)
    assert set(FORMS) <= set(CONTEXTS)


def test_every_catalogue_entry_has_a_document_context_of_its_kind(document_app):
    for document in catalogue_of(document_app):
        document_context = CONTEXTS[document.key]
        assert document.kind == ("form" if document_context.has_form else "handout"), document.key
        assert document_context.has_form == (document.key in FORMS), document.key


@pytest.mark.parametrize("key", sorted(CONTEXTS))
def test_every_template_passes_the_full_check(document_app, key):
    from webforms.control.service import check_document

    with document_app.test_request_context():
        assert [str(p) for p in check_document(catalogue_of(document_app).get(key))] == []


@pytest.mark.parametrize("key", sorted(FORMS))
def test_the_sample_fills_every_field_and_every_row_group(document_app, key):
    with document_app.test_request_context():
        form = sample_form(FORMS[key])
        for field in form.content_fields():
            assert field.data not in (None, "", [], False), field.name
        for name, group in form.row_fields().items():
            filled = [entry for entry in group.entries if not entry.form.is_blank()]
            assert filled, name
            for entry in filled:
                assert all(sub.data not in (None, "") for sub in entry.form), name


@pytest.mark.parametrize("key, edit, placeholder, message", [
    ("registro_reunion", in_body("{{ worker.success }}", "{{ worker.sucess }}"),
     "{{ worker.sucess }}", "El grupo de filas «workers» no tiene el campo «sucess»"),
    ("conferencia_ampliada", in_body("{{ row.sector }}", "{{ row.instituton }}"),
     "{{ row.instituton }}", "El grupo de filas «barriers» no tiene el campo «instituton»"),
    ("conferencia_ampliada", in_body("{{ row.sector }}", ""), "{{ row.sector }}",
     "El grupo de filas «barriers» no muestra el campo «sector»: sus datos se perderían."),
    ("conferencia_ampliada", in_body("{{ row.observation }}", ""), "{{ row.observation }}",
     "El grupo de filas «commitments» no muestra el campo «observation»"),
    ("verificacion_hitos", in_body("{{ criterion.observation }}", "{{ criterion.observaton }}"),
     "{{ criterion.observaton }}", "El grupo de filas «criteria_"),
])
def test_row_mistakes_are_named_with_template_group_and_field(document_app, tmp_path, key, edit,
                                                               placeholder, message):
    from webforms.control.service import check_document

    document = catalogue_of(document_app).get(key)
    broken = edited_copy(document.template, tmp_path / document.template.name, edit)
    with document_app.test_request_context():
        problems = [str(p) for p in check_document(document, broken)]
    assert any(p.startswith(f"{document.template.name} · cuerpo · {placeholder}: ") and message in p
               for p in problems), problems


def test_templates_carry_no_hand_typed_header(document_app):
    """The controlled frame is drawn from the catalogue; a copy in the .docx would go stale."""
    for entry in catalogue_of(document_app):
        for section in docx.Document(entry.template).sections:
            text = "".join(p.text for p in section.header.paragraphs)
            assert entry.code not in text and "Versión" not in text


@pytest.mark.parametrize("key", sorted(FORMS))
def test_page_layout_shows_every_field_once(document_app, key):
    with document_app.test_request_context():
        form = FORMS[key]()
        shown = [name for _, names in form.layout() for name in names]
        assert sorted(shown) == sorted(field.name for field in form.content_fields())


@pytest.mark.parametrize("key", sorted(FORMS))
def test_the_starter_template_shows_every_field_of_its_form(document_app, tmp_path, key):
    """`templates scaffold` gives a .docx that passes the checks and prints what is typed where
    its label says."""
    from webforms.common.rendering import branding, frame_texts
    from webforms.documents import render_document
    from webforms.documents.checks import content_problems
    from webforms.documents.contexts import DocumentContext

    target = tmp_path / f"{key}.docx"
    result = document_app.test_cli_runner().invoke(args=["templates", "scaffold", key, str(target)])
    assert result.exit_code == 0, result.output
    plain = DocumentContext()  # each field under its own name, as a new document starts
    with document_app.test_request_context():
        form = sample_form(FORMS[key])
        context = plain.context(form, "es")
        assert content_problems(target, context, plain.fields_shown(form)) == []
        document = replace(catalogue_of(document_app).get(key), template=target)
        rendered = open_docx(render_document(document, context, branding(), frame_texts()).data)
        for field in form.content_fields():
            if isinstance(field.data, str):  # texts, dates, choices: as the document shows them
                shown = str(context[field.name])
                assert labelled_value(rendered, str(field.label.text)) == shown
        for name, group in form.row_fields().items():
            labels = [str(sub.label.text) for sub in group.entries[0].form]
            first_row = [{True: "☒", False: "☐"}.get(value, str(value))
                         for value in context[name][0].values()]
            assert table_rows(find_table(rendered, labels[0]))[1] == first_row, name
