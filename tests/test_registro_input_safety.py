"""Whatever a user types is data: never markup, never template code, never a broken file."""
import pytest

from tests.helpers import (
    REGISTRO_URL,
    body_text,
    issue_through_page,
    labelled_value,
    open_docx,
    part_xml,
    valid_registro,
)


def generate(client, **overrides):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**overrides))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response


@pytest.mark.parametrize("typed", [
    "& < > \" '",
    "{{ 7*7 }}",
    "{% if %}",
    "{%p if True %}",
    "{_{ 7*7 }_} and {_% x %_}",
    "<b>negrita</b> &amp; &lt;",
    "{{ ''.__class__.__mro__ }}",
])
def test_typed_text_comes_out_literally(client, typed):
    response = generate(client, supervisor_name=typed, complex_cases=f"Nota: {typed}")
    document = open_docx(response.data)
    assert labelled_value(document, "Nombre del Supervisor") == typed
    assert labelled_value(
        document, "Casos estancados o asuntos complejos de protección") == f"Nota: {typed}"
    assert "49" not in body_text(document)


def test_injected_word_markup_stays_text(client):
    attack = '</w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t>'
    response = generate(client, welcome_notes=attack)
    assert "<w:fldSimple" not in part_xml(response.data, r"word/document\.xml")
    assert attack in body_text(open_docx(response.data))


def test_control_characters_are_dropped_without_breaking_the_file(client):
    typed = "Uno\x00dos\x07tres\x0bcuatro\x0ccinco\x1fseis\ufffesiete"
    response = generate(client, support_notes=typed, supervisor_name="Ana\x08 María")
    document = open_docx(response.data)
    assert "Unodostrescuatrocincoseissiete" in body_text(document)
    assert labelled_value(document, "Nombre del Supervisor") == "Ana María"
    assert 'w:type="page"' not in part_xml(response.data, r"word/document\.xml")


def test_browser_line_ends_become_line_breaks(client):
    response = generate(client, closing_notes="Primera línea\r\nSegunda línea\rTercera")
    assert "Primera línea\nSegunda línea\nTercera" in body_text(open_docx(response.data))
    assert "<w:br/>" in part_xml(response.data, r"word/document\.xml")


def test_too_long_text_is_a_field_error_not_a_crash(client, output_dir):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(support_notes="a" * 5000))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Escriba como máximo 4000 caracteres." in page
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_too_many_lines_is_a_field_error(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(support_notes="x\n" * 500))
    assert response.status_code == 400
    assert "Escriba como máximo 80 líneas." in response.get_data(as_text=True)


def test_oversized_request_gets_a_friendly_413(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(support_notes="a" * 3_000_000))
    assert response.status_code == 413
    assert "supera el tamaño máximo" in response.get_data(as_text=True)


def test_many_rows_beyond_the_limit_are_refused(client):
    rows = {f"workers-{index}-name": f"Persona {index}" for index in range(60)}
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**rows))
    assert response.status_code == 400
    assert "Como máximo 40 filas." in response.get_data(as_text=True)


def test_file_names_cannot_carry_header_breaks():
    import datetime as dt
    from pathlib import Path

    from webforms.catalogue import ControlledDocument
    from webforms.documents.engine import download_name

    document = ControlledDocument(
        key="x", title='Título\r\nSet-Cookie: a=b "/\\:*?<>|', process="P", code="C1",
        version=1, issued=dt.date(2026, 1, 1), template=Path("x.docx"), summary="", changes=())
    name = download_name(document, dt.date(2026, 1, 2))
    assert name == "C1 Título Set-Cookie a=b - 2026-01-02.docx"  # a slash reads as "-"
    gestor = ControlledDocument(
        key="x", title="TdR del Gestor/a de casos", process="P", code="F2.G34.P", version=1,
        issued=dt.date(2026, 1, 1), template=Path("x.docx"), summary="", changes=())
    assert download_name(gestor, dt.date(2027, 1, 15), number="F2.G34.P-2027-000003") == (
        "F2.G34.P-2027-000003 TdR del Gestor-a de casos 2027-01-15.docx")
