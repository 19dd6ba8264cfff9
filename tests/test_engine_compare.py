"""The engine tests' comparison (tests/readings.py) sees a change: proof that "the same
document" is not vacuous."""
from __future__ import annotations

import io

import docx
from lxml import etree

from tests.readings import W, differences, reading_of


# --- the comparison is not blind ---------------------------------------------------------------
def _sample_docx(text="Hola", header="Encabezado", field="PAGE", title="Título") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    document.add_table(rows=1, cols=1).cell(0, 0).text = text
    document.sections[0].header.paragraphs[0].text = header
    simple = etree.SubElement(document.paragraphs[0]._p, f"{W}fldSimple")
    simple.set(f"{W}instr", field)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_equal_documents_have_equal_readings():
    assert reading_of(_sample_docx()) == reading_of(_sample_docx())


def test_a_changed_text_header_field_or_property_is_seen():
    reference = reading_of(_sample_docx())
    assert "body" in differences(reading_of(_sample_docx(text="Adiós")), reference)
    assert "sections" in differences(reading_of(_sample_docx(header="Otro")), reference)
    assert "fields" in differences(reading_of(_sample_docx(field="NUMPAGES")), reference)
    assert "properties" in differences(reading_of(_sample_docx(title="Otro")), reference)
