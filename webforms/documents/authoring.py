"""Authoring the first version of a .docx template in code, by hand (``tools/author_templates.py``)
or as a starter drawn from a form (:func:`starter_template`, ``flask templates scaffold``).

After this bootstrap the .docx in ``doc_templates/`` is the source of truth: the quality office
revises it in Word. Jinja tags are written each into a single run, as docxtpl requires.

Every fixed text is written as ``{{ _("…") }}``, so one template gives the document in each
language (the engine passes ``_``, the translation function of the document's language).
"""
import json
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from wtforms import FieldList

from webforms.documents.tables import keep_with_next, row_property

LABEL_SHADING = "E7EEF5"
WRITING_HEIGHT_CM = 0.75  # a label row's value written by hand
SIGNATURE_HEIGHT_CM = 1.0  # a signature


def new_document(title: str):
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # Letter
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    section.header_distance = section.footer_distance = Cm(0.8)

    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name, size in (("Title", 14), ("Heading 1", 12), ("Heading 2", 11)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    # The template's author must not leak into every generated document.
    props = document.core_properties
    props.author = props.last_modified_by = "formularios-gc"
    props.title = title
    props.comments = props.keywords = props.subject = ""
    return document


_NOTHING_TO_TRANSLATE = re.compile(r"^[\W\d_]*$")


def tr(text: str) -> str:
    """A fixed text as a translatable template expression; tags and punctuation stay as they are."""
    if "{{" in text or "{%" in text or _NOTHING_TO_TRANSLATE.match(text):
        return text
    core = text.strip()
    start = text[:len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()):]
    return f"{start}{{{{ _({json.dumps(core, ensure_ascii=False)}) }}}}{end}"


def heading(container, text, style="Heading 2"):
    """A heading kept on the page of what follows it."""
    para = container.add_paragraph(tr(text), style=style)
    para.paragraph_format.keep_with_next = True
    return para


def paragraph(container, *runs, style=None):
    """Add a paragraph made of runs; a run is text, or (text, "bold")."""
    para = container.add_paragraph(style=style)
    for run in runs:
        text, bold = (run, False) if isinstance(run, str) else (run[0], True)
        para.add_run(tr(text)).bold = bold
    return para


def tag(container, text):
    """A paragraph holding only a docxtpl paragraph tag such as ``{%p for x in xs %}``."""
    return container.add_paragraph(text)


def table(document, widths_cm, header=None):
    tbl = document.add_table(rows=0, cols=len(widths_cm))
    tbl.style = document.styles["Table Grid"]
    tbl.autofit = False
    tbl._widths = [Cm(width) for width in widths_cm]
    for column, width in zip(tbl.columns, tbl._widths):
        column.width = width  # the grid, which LibreOffice follows
    if header:
        cells = add_row(tbl, *[(text, "bold") for text in header])
        for cell in cells:
            shade(cell)
        mark_header_row(tbl.rows[-1])
    return tbl


def add_row(tbl, *values):
    """Append a row, never split across pages; each value is text, (text, "bold") or a list of
    runs for one paragraph."""
    row = tbl.add_row()
    row_property(row, "w:cantSplit")
    for cell, width in zip(row.cells, tbl._widths):
        cell.width = width
    for cell, value in zip(row.cells, values):
        para = cell.paragraphs[0]
        runs = value if isinstance(value, list) else [value]
        for run in runs:
            text, bold = (run, False) if isinstance(run, str) else (run[0], True)
            para.add_run(tr(text)).bold = bold
    return row.cells


def label_row(tbl, label, value):
    """A shaded label and its value, high enough to write the value by hand on paper."""
    cells = add_row(tbl, (label, "bold"), value)
    shade(cells[0])
    min_height(tbl.rows[-1], WRITING_HEIGHT_CM)
    return cells


def label_table(document, widths_cm, pairs):
    """A two-column table of shaded labels and their values."""
    tbl = table(document, widths_cm)
    for label, value in pairs:
        label_row(tbl, label, value)
    keep_with_next(tbl, rows=tbl.rows[:-1])  # a few lines: kept on one page
    return tbl


def repeating_table(document, widths_cm, header, loop, cells, empty=None):
    """A table with a header row and one row per item of ``loop`` (``"item in items"``).

    ``empty`` is the text of the single row shown when there is no item.
    """
    tbl = table(document, widths_cm, header=header)
    tag_row(tbl, f"{{%tr for {loop} %}}")
    add_row(tbl, *cells)
    tag_row(tbl, "{%tr endfor %}")
    if empty:
        items = loop.split(" in ", 1)[1]
        tag_row(tbl, f"{{%tr if not {items} %}}")
        add_row(tbl, empty, *[""] * (len(cells) - 1))
        tag_row(tbl, "{%tr endif %}")
    return tbl


def tag_row(tbl, text):
    """A row holding a docxtpl row tag such as ``{%tr for x in xs %}``."""
    return add_row(tbl, text)


def shade(cell, fill=LABEL_SHADING):
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def mark_header_row(row):
    """Repeat the row at the top of every page the table runs onto."""
    row_property(row, "w:tblHeader")


def min_height(row, height_cm: float) -> None:
    """At least ``height_cm`` high (more when its text needs it)."""
    row_property(row, "w:trHeight", val=str(int(Cm(height_cm).twips)), hRule="atLeast")


def signature_block(document, title="Firmas y asistencia"):
    """Name, role, signature and date of each person the record names (``signatures`` in the
    context), rows high enough to sign in; kept with the change history that closes the document,
    so that history never stands alone on a last page."""
    heading(document, title)
    tbl = repeating_table(document, [5.5, 4.5, 5, 2.5], ["Nombre", "Rol", "Firma", "Fecha"],
                          "row in signatures", ["{{ row.name }}", "{{ row.role }}", "", ""])
    min_height(tbl.rows[2], SIGNATURE_HEIGHT_CM)
    keep_with_next(tbl)
    return tbl


def box(document, text):
    """A long free text in a bordered box: on the blank template it is the writing space."""
    tbl = table(document, [17.5])
    add_row(tbl, text)
    return tbl


# --- a starter template drawn from a form ---------------------------------------------------------
def starter_template(form, title: str, path) -> None:
    """A first .docx for ``form``: its title, a table of labels and values for the single fields,
    and a table with one row per entry for each row group, placeholders already in place.

    The result passes ``templates check`` as it is; lay it out in Word afterwards.
    """
    document = new_document(title)
    document.add_paragraph(title, style="Title")  # the catalogue translates titles
    single = [field for field in form.content_fields() if not _is_row_group(field)]
    if single:
        label_table(document, [6, 11.5], [(str(field.label.text), placeholder(field))
                                          for field in single])
    for group in (field for field in form.content_fields() if _is_row_group(field)):
        heading(document, str(group.label.text))
        columns = list(group.entries[0].form)
        width = 17.5 / len(columns)
        repeating_table(document, [width] * len(columns),
                        [str(sub.label.text) for sub in columns], f"row in {group.name}",
                        [placeholder(sub, "row.") for sub in columns])
    document.save(path)


def placeholder(field, prefix: str = "") -> str:
    """How a template shows one field: a choice list joined, a ticked box, or the value."""
    name = prefix + field.short_name
    kind = type(field).__name__
    if kind in ("SelectMultipleField", "MultiCheckboxField"):
        return "{{ %s|join('; ') }}" % name
    if kind == "BooleanField":
        return "{%% if %s %%}☒{%% else %%}☐{%% endif %%}" % name
    return "{{ %s }}" % name


def _is_row_group(field) -> bool:
    return isinstance(field, FieldList)
