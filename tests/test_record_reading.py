"""A record read on its page (records.preview) and "Duplicar como registro nuevo", which keeps
only what each form declares stable (DocumentForm.stable_fields)."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DateField, FieldList

from tests.factories import issue as issue_registro
from tests.helpers import REGISTRO_URL, valid_registro
from webforms.forms import FORMS
from webforms.forms.base import formdata_from_values, raw_value
from webforms.forms.sample import sample_form


def issue(app, client, **overrides) -> int:
    """A Registro issued (tests/factories.py): its record's id."""
    return issue_registro(app, client, **overrides)[0]


def reading_text(response) -> str:
    page = response.get_data(as_text=True)
    block = page.split('id="reading-title"', 1)[1].split("Volver a los registros", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def test_the_record_page_reads_every_section_row_and_follow_up_as_the_copy(app, client):
    record_id = issue(app, client, closing_notes="Resumen de acuerdos leído en la página.")
    response = client.get(f"/registros/{record_id}")
    text = reading_text(response)
    assert "Lo que dice la copia emitida (rev. 1)" in text
    for value in ("Marta Gómez", "20 de noviembre de 2026", "Luis Ortega",
                  "Demoras en la respuesta del sector salud.", "Carmen Ruiz",
                  "Resumen de acuerdos leído en la página.", "Gestionar cupo con el operador.",
                  "Actualizar planes de caso.", "27 de noviembre de 2026", "Regular", "24"):
        assert value in text, value
    assert "Trabajador social 2" in text and "Acciones que realizará el Supervisor" in text
    history = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(
        as_text=True).split('id="revisions-title"', 1)[1])).split())
    assert "Emitida por" in history and "Número" in history and "@" in history


def test_the_page_shows_the_issued_copy_not_unissued_changes(app, client):
    record_id = issue(app, client, closing_notes="Texto emitido.")
    client.post(REGISTRO_URL, data=valid_registro(save="draft", record=str(record_id),
                                                  closing_notes="Texto sin emitir."))
    text = reading_text(client.get(f"/registros/{record_id}"))
    assert "Texto emitido." in text and "Texto sin emitir." not in text


def test_a_draft_is_read_as_written_so_far(client):
    response = client.post(REGISTRO_URL, data=valid_registro(save="draft",
                                                             closing_notes="Aún en borrador."))
    draft_id = parse_qs(urlparse(response.headers["Location"]).query)["registro"][0]
    text = reading_text(client.get(f"/registros/{draft_id}"))
    assert "Borrador: lo que se ha escrito" in text and "Aún en borrador." in text


# --- duplicate as new -------------------------------------------------------------------------
def stable(form_class, field, sub=None) -> bool:
    names = form_class.stable_fields
    return field in names or (sub is not None and f"{field}.{sub}" in names)


@pytest.mark.parametrize("key", sorted(FORMS))
def test_each_form_declares_stable_fields_that_exist_and_are_never_dates(app, key):
    with app.test_request_context():
        form = FORMS[key](formdata=None, meta={"csrf": False})
        assert form.stable_fields, f"{key} declares no stable fields"
        for name in form.stable_fields:
            group, _, sub = name.partition(".")
            field = form[group]
            if sub:
                field = field.entries[0].form[sub]
            assert not isinstance(field, DateField), name


@pytest.mark.parametrize("key", sorted(FORMS))
def test_a_duplicate_keeps_only_the_stable_fields(app, key):
    form_class = FORMS[key]
    with app.test_request_context():
        filled = sample_form(form_class)
        source = formdata_from_values(filled.values() | {"document_language": "en"})
        empty = form_class(formdata=None, meta={"csrf": False})
        copy = form_class(formdata=MultiDict(empty.duplicate_pairs(source)), meta={"csrf": False})
        assert copy.document_language.data == "en"
        for field in copy.content_fields():
            kept, fresh, new = (raw_value(filled[field.name]), raw_value(empty[field.name]),
                                raw_value(field))
            if stable(form_class, field.name):
                assert new == kept, field.name
            elif isinstance(field, FieldList) and any(stable(form_class, field.name, sub)
                                                      for sub in field.entries[0].form._fields):
                for row_new, row_kept in zip(new, kept, strict=True):
                    for sub, value in row_new.items():
                        expected = row_kept[sub] if stable(form_class, field.name, sub) else None
                        assert value in (expected, "", None, False), (field.name, sub)
            else:
                assert new == fresh, field.name


def test_duplicate_leaves_dates_notes_follow_ups_and_the_confirmation(app, client):
    record_id = issue(app, client)
    response = client.post(f"/registros/{record_id}/duplicar")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marta Gómez" in page and "Luis Ortega" in page and "Carmen Ruiz" in page
    for gone in ("2026-11-20", "Resumen de acuerdos.", "Cerró dos planes de caso",
                 "Gestionar cupo con el operador.", "Caso GC-031"):
        assert gone not in page, gone
    assert not re.search(r'id="no_personal_data"[^>]*checked', page)


@pytest.mark.parametrize("key", sorted(FORMS))
def test_every_form_reads_with_the_values_its_document_gets(app, key):
    from webforms.documents.contexts import CONTEXTS
    from webforms.records.preview import form_sections

    with app.test_request_context():
        form = sample_form(FORMS[key])
        sections = form_sections(form, "es")
        shown = {item.label for section in sections for item in section.items}
        context = CONTEXTS[key].context(form, "es")
    assert sections
    for field in form.content_fields():
        if field.name in context and context[field.name] not in ("", [], None):
            assert str(field.label.text) in shown, field.name


def test_the_checklist_reads_its_lead_in_line_and_only_the_moments_reviewed(app):
    from webforms.records.preview import form_sections

    form_class = FORMS["verificacion_hitos"]
    with app.test_request_context():
        values = sample_form(form_class).values() | {"moments": ["2"], "document_language": "es"}
        form = form_class(formdata=formdata_from_values(values), meta={"csrf": False})
        sections = form_sections(form, "es")
    titles = [section.title for section in sections]
    assert any("Implementación del plan de caso" in str(title) for title in titles)
    assert not any("Reunificación" in str(title) for title in titles)
    rows = next(item.rows for section in sections for item in section.items if item.rows
                and "Implementación" in str(section.title))
    lead_in = next(row for row in rows if "concurrencia de los actores" in row.label)
    assert lead_in.cells == []
