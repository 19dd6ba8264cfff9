"""How rows of a Word table break across pages: shared by the templates' authoring and the
controlled frame (the change history), so both write the same properties."""
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def row_property(row, tag: str, **attributes) -> None:
    """Add a row property (``w:cantSplit``, ``w:tblHeader``, ``w:trHeight``…), ``val="true"``
    unless other attributes are given."""
    element = OxmlElement(tag)
    for name, value in (attributes or {"val": "true"}).items():
        element.set(qn(f"w:{name}"), value)
    row._tr.get_or_add_trPr().append(element)


def keep_with_next(tbl, rows=None) -> None:
    """Keep each of ``rows`` (all by default: the whole table) on the page of what follows it."""
    for row in tbl.rows if rows is None else rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True


def keep_whole(tbl) -> None:
    """A table on one page: no row split, each row kept with the next."""
    for row in tbl.rows:
        row_property(row, "w:cantSplit")
    keep_with_next(tbl, rows=tbl.rows[:-1])
