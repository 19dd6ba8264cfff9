"""What "the same document" means for the engine tests (tests/test_engine_compare.py proves
the comparison sees a change).

:func:`reading_of` reads a .docx the way a reviewer and Word would: the body's paragraphs (with
their style) and tables in order, every header and footer of every section, footnotes, every
field instruction, the core properties and the embedded data, and, for what the others might
miss (text boxes, run properties), the text of every XML part. Two documents are the same when
their readings are equal.
"""
from __future__ import annotations

import io
import zipfile

import docx
from docx.text.paragraph import Paragraph
from lxml import etree

from webforms.documents.embedded_data import EmbeddedDataError, read_embedded_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


PROPERTIES = ("author", "category", "comments", "content_status", "created", "identifier",
              "keywords", "language", "last_modified_by", "last_printed", "modified", "revision",
              "subject", "title", "version")


def reading_of(data: bytes) -> dict:
    """Everything of a .docx that a reader can see or a program can read back."""
    document = docx.Document(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    return {
        "members": sorted(parts),
        "body": blocks(document.element.body, document.part),
        "sections": [section_reading(section) for section in document.sections],
        "fields": fields(parts),
        "texts": {name: part_text(blob) for name, blob in parts.items() if _is_word_xml(name)},
        "properties": {name: getattr(document.core_properties, name) for name in PROPERTIES},
        "record": _record(data),
    }


def blocks(container, part) -> list:
    """Paragraphs (style, text) and tables (grid, rows of cells with their spans and merges, each
    cell's own blocks), in order."""
    items = []
    for child in container.iterchildren(f"{W}p", f"{W}tbl"):
        if child.tag == f"{W}p":
            style = child.pPr.style if child.pPr is not None else None
            items.append(("p", style, Paragraph(child, None).text))
        else:
            grid = [column.get(f"{W}w") for column in child.iter(f"{W}gridCol")]
            rows = [[cell_reading(cell, part) for cell in row.iterchildren(f"{W}tc")]
                    for row in child.iterchildren(f"{W}tr")]
            items.append(("table", grid, rows))
    return items


def cell_reading(cell, part) -> tuple:
    properties = cell.find(f"{W}tcPr")
    settings = {} if properties is None else {
        node.tag.split("}")[1]: dict(node.attrib) for node in properties
        if node.tag in (f"{W}gridSpan", f"{W}vMerge", f"{W}shd")}
    return settings, blocks(cell, part)


def section_reading(section) -> dict:
    view = {"page": (section.page_width, section.page_height, section.left_margin,
                     section.right_margin, section.different_first_page_header_footer)}
    for name in ("header", "footer", "first_page_header", "first_page_footer",
                 "even_page_header", "even_page_footer"):
        part = getattr(section, name)
        view[name] = None if part.is_linked_to_previous else blocks(part._element, part.part)
    return view


def fields(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """Every field instruction (complex and simple) of every part."""
    found = []
    for name, blob in sorted(parts.items()):
        if _is_word_xml(name):
            root = etree.fromstring(blob)
            found += [(name, node.text or "") for node in root.iter(f"{W}instrText")]
            found += [(name, node.get(f"{W}instr")) for node in root.iter(f"{W}fldSimple")]
    return found


def part_text(blob: bytes) -> str:
    """The text of a part, with tabs, breaks and paragraph ends made visible."""
    root = etree.fromstring(blob)
    marks = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}p": "\u00b6"}
    chunks = []
    for node in root.iter(f"{W}t", *marks):
        chunks.append(node.text or "" if node.tag == f"{W}t" else marks[node.tag])
    return "".join(chunks)


def _is_word_xml(name: str) -> bool:
    return name.startswith("word/") and name.endswith(".xml")


def _record(data: bytes):
    try:
        return read_embedded_data(data)
    except EmbeddedDataError:
        return None


def differences(first: dict, second: dict) -> list[str]:
    """The keys of two views that differ (for a readable assertion message)."""
    return [key for key in first if first[key] != second.get(key)]
