"""The engine tests' comparison (tests/document_views.py) sees a change: proof that "the same
document" is not vacuous."""
from __future__ import annotations

import io

import docx
from lxml import etree

from tests.document_views import W, differences, document_view


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


def test_equal_documents_have_equal_views():
    assert document_view(_sample_docx()) == document_view(_sample_docx())


def test_a_changed_text_header_field_or_property_is_seen():
    reference = document_view(_sample_docx())
    assert "body" in differences(document_view(_sample_docx(text="Adiós")), reference)
    assert "sections" in differences(document_view(_sample_docx(header="Otro")), reference)
    assert "fields" in differences(document_view(_sample_docx(field="NUMPAGES")), reference)
    assert "properties" in differences(document_view(_sample_docx(title="Otro")), reference)
