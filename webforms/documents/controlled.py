"""The controlled-document frame: header table, footer lines and core properties.

It is drawn by code on every rendered document from the catalogue entry, so no template carries a
copy of it and a new version or code never has to be typed into a .docx.

Each template version is printed in the frame revision of its change entry (``frame`` in the
catalogue), so a copy issued earlier renders again byte for byte. Revision 2 prints the change
history in the document's language and keeps it whole on one page, and sets the header's texts
without paragraph spacing, so they sit in the middle of their cells.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.coreprops import CoreProperties
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from webforms.catalogue import ControlledDocument
from webforms.documents.tables import keep_whole

FRAME_REVISION = 2  # the revision new template versions are printed in
HEADER_FONT_SIZE = Pt(8)
FOOTER_FONT_SIZE = Pt(7)
# Relative widths of the header columns: organization, process/title, code/version, date/page.
HEADER_COLUMN_SHARES = (0.2, 0.5, 0.13, 0.17)


@dataclass(frozen=True)
class FrameTexts:
    """The fixed wording of the frame, in the document's language."""

    version: str
    page: str
    of: str
    print_notice: str
    copy_notice: str
    # Formats the traceability line of a numbered copy; see common.rendering.frame_texts.
    issue_line: Callable = lambda issue: ""
    # The "Control de cambios" table: heading, then the three column titles.
    change_history: tuple[str, str, str, str] = ("", "", "", "")


def apply_controlled_frame(docx: Document, document: ControlledDocument, organization: str,
                           logo: Path | None, texts: FrameTexts, version: int | None = None,
                           issue_line: str | None = None) -> None:
    """Replace the header and footer of every section with the controlled frame.

    ``version`` is the template version shown (an older one when reproducing a document);
    ``issue_line`` is the traceability line of a numbered copy, printed in the footer.
    """
    version = version or document.version
    revision = document.frame_for(version)
    for section in docx.sections:
        section.different_first_page_header_footer = False
        header, footer = section.header, section.footer
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        _clear(header)
        _clear(footer)
        width = section.page_width - section.left_margin - section.right_margin
        _build_header(header, width, document, organization, logo, texts, version, revision)
        _build_footer(footer, texts, issue_line)


def append_change_history(docx: Document, document: ControlledDocument, texts: FrameTexts,
                          version: int) -> None:
    """End the document with its "Control de cambios" up to ``version``, as the guide G34.P does."""
    heading, *columns = texts.change_history
    title = docx.add_paragraph()
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.keep_with_next = True
    _write(title, heading, bold=True, size=Pt(10))
    table = docx.add_table(rows=1, cols=3)
    _set_borders(table)
    for cell, text in zip(table.rows[0].cells, columns):
        _write(cell.paragraphs[0], text, bold=True)
    for date, number, description in document.history(version):
        cells = table.add_row().cells
        for cell, text in zip(cells, (date.strftime("%d/%m/%Y"), str(number), description)):
            _write(cell.paragraphs[0], text)
    if document.frame_for(version) >= 2:
        keep_whole(table)


def fill_core_properties(props: CoreProperties, document: ControlledDocument, organization: str,
                         generated_at: dt.datetime, language: str, version: int | None = None,
                         issue=None) -> None:
    """Fill the properties Word shows under File > Info, overwriting the template author's: on
    the properties object itself, so a prepared package can have its properties part filled
    without opening the whole document.

    A numbered copy carries its number as identifier, and the template version and hash."""
    version = version or document.version
    props.title = document.title
    props.subject = document.process
    props.identifier = issue.number if issue else document.code
    props.keywords = f"{document.code}; v{version}"
    props.version = str(version)
    props.category = document.process
    props.author = organization
    props.last_modified_by = organization
    props.comments = (
        f"{document.code} v{version} - formularios-gc"
        + (f" - {issue.label} - {generated_at.isoformat(timespec='seconds')} - "
           f"template sha256 {issue.template_sha256}" if issue else "")
    )
    props.language = language
    props.created = generated_at
    props.modified = generated_at
    props.revision = issue.revision if issue else 1


def _clear(part) -> None:
    """Remove whatever the template put in a header or footer."""
    element = part._element
    for child in list(element):
        element.remove(child)


def _build_header(header, width, document, organization, logo, texts, version, revision) -> None:
    table = header.add_table(rows=2, cols=4, width=width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_borders(table)
    for column, share in zip(table.columns, HEADER_COLUMN_SHARES):
        for cell in column.cells:
            cell.width = int(width * share)

    org_cell = table.cell(0, 0).merge(table.cell(1, 0))
    if logo:
        org_cell.paragraphs[0].add_run().add_picture(str(logo), width=int(width * 0.16))
        _write(org_cell.add_paragraph(), organization, bold=True)
    else:
        _write(org_cell.paragraphs[0], organization, bold=True)

    _write(table.cell(0, 1).paragraphs[0], document.process.upper(), bold=True)
    _write(table.cell(0, 2).paragraphs[0], document.code, bold=True)
    _write(table.cell(0, 3).paragraphs[0], document.issued_for(version).strftime("%d/%m/%Y"))
    _write(table.cell(1, 1).paragraphs[0], document.title.upper(), bold=True)
    _write(table.cell(1, 2).paragraphs[0], f"{texts.version} {version}")

    page = table.cell(1, 3).paragraphs[0]
    _write(page, f"{texts.page} ")
    _add_field(page, "PAGE")
    _write(page, f" {texts.of} ")
    _add_field(page, "NUMPAGES")

    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if revision >= 2:
                    paragraph.paragraph_format.space_before = Pt(0)
                    paragraph.paragraph_format.space_after = Pt(0)
    # Word requires a paragraph after a table at the end of a header.
    header.add_paragraph()


def _build_footer(footer, texts, issue_line=None) -> None:
    for line in (texts.print_notice, texts.copy_notice, issue_line):
        if not line:
            continue
        paragraph = footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(paragraph, line, size=FOOTER_FONT_SIZE)


def _write(paragraph, text: str, bold: bool = False, size=HEADER_FONT_SIZE):
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    return run


def _add_field(paragraph, instruction: str) -> None:
    """Insert a complex field (begin/instruction/separate/result/end) that Word and LibreOffice
    recalculate when the document is opened or printed; "1" is only the cached result."""
    def run_with(child):
        run = paragraph.add_run()
        run.font.size = HEADER_FONT_SIZE
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    _write(paragraph, "1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _set_borders(table) -> None:
    """Single borders on every edge, without relying on a table style the template may lack."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    tbl_pr.append(borders)
