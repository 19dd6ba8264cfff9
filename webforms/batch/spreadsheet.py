"""Many documents from one spreadsheet (CSV or XLSX), one per row.

A form class that declares ``batch_columns`` can be filled from a spreadsheet: each column is one of
its fields, headed by the field's label, and each row is validated by the very same form as a page
submission, so the page and the spreadsheet can never disagree on what is valid. The upload's check
builds only the columns (:func:`columns_form`: every other field takes the form's default in every
row). The job consumer checks each row's columns again as it issues it, and renders it with the
whole form: the other fields built and checked once for all its rows (:func:`issued_forms`).
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import DateField, RadioField, SelectField

from webforms.common.cells import formula_safe
from webforms.forms.base import PLUMBING, DocumentForm, own_errors

# An XLSX is a ZIP: refuse one that expands beyond this (a "zip bomb"), counted while decompressing.
MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
# Rows read from a sheet, blank ones included, columns, and cells of all sheets: far above any
# intake list (500 people × 12 columns is 6,000 cells), far below what takes seconds to parse.
MAX_SHEET_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELLS = 60_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class SpreadsheetError(ValueError):
    """The file as a whole cannot be used (wrong type, too large, wrong columns)."""


@dataclass
class RowProblem:
    row: int  # as the spreadsheet program numbers it: the header is row 1
    column: str
    message: str


class CheckedRow(NamedTuple):
    """One row checked with the form."""

    number: int
    form: DocumentForm
    problems: list[RowProblem]
    valid: bool
    formdata: MultiDict | None = None  # what the row's form was filled with


@dataclass
class CheckedRows:
    """The outcome of checking every row: the numbers of the valid rows, and the problems (the
    job consumer checks the rows again as it issues them, so no form data is kept here)."""

    valid: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0
    # The person each valid row is for, as ``identity`` keys them (see :func:`check_rows`).
    identities: dict[int, str] = field(default_factory=dict)

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems})


def columns(form_class: type[DocumentForm]) -> list[tuple[str, str]]:
    """(field name, header) of each spreadsheet column, headers in the interface language."""
    form = columns_form(form_class)(formdata=None, meta={"csrf": False})
    return [(name, str(form[name].label.text)) for name in form_class.batch_columns]


@functools.cache
def columns_form(form_class: type[DocumentForm]) -> type[DocumentForm]:
    """The form with only its spreadsheet columns (and the form's plumbing). Its other fields
    take their defaults in every row, the same for all: checking them again for each row of an
    upload made the check four times slower (a ToR's fourteen pre-filled rows). Validators that
    compare fields stay, as long as they compare columns (tests/test_tdr_batch.py holds each
    batch form to the same verdicts as the whole form)."""
    kept = {*form_class.batch_columns, *PLUMBING}
    left_out = {name: None for name in dir(form_class)
                if not name.startswith("_") and name not in kept
                and hasattr(getattr(form_class, name), "_formfield")}
    return type(f"{form_class.__name__}Columns", (form_class,), left_out)


# --- reading -----------------------------------------------------------------------------------
def read_rows(filename: str, data: bytes, max_rows: int) -> list[tuple[int, dict[str, object]]]:
    """The non-empty rows of a CSV or XLSX file as (row number, {header: value})."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx":
        table = _xlsx_table(data)
    elif suffix == "csv":
        table = _csv_table(data)
    elif suffix in ("xls", "ods", "numbers"):
        raise SpreadsheetError(_("Guarde la hoja como .xlsx (Excel) o .csv y súbala de nuevo."))
    else:
        raise SpreadsheetError(_("El archivo debe ser una hoja de cálculo .xlsx o .csv."))

    header = None
    rows = []
    for number, cells in table:
        if header is None:
            if any(_present(cell) for cell in cells):
                header = _header(cells)
            continue
        if not any(_present(cell) for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise SpreadsheetError(_(
                "El archivo tiene más de %(max)d filas. Divídalo en varios archivos.", max=max_rows))
        rows.append((number, dict(zip(header, cells))))
    if header is None:
        raise SpreadsheetError(_("El archivo está vacío."))
    if not rows:
        raise SpreadsheetError(_("El archivo no tiene filas de datos debajo de los encabezados."))
    return rows


# A job's input: the rows that passed the upload's check (version 2), or every row read (version
# 1, jobs queued before; their rows that fail the check are the ones the user chose to skip).
CHECKED_ROWS_FORMAT = b"webforms-rows/2\n"
ROWS_FORMATS = (CHECKED_ROWS_FORMAT, b"webforms-rows/1\n")


def rows_payload(rows: list[tuple[int, dict[str, object]]]) -> bytes:
    """The rows of a spreadsheet that passed the upload's check, as a batch job keeps them (JSON;
    dates tagged)."""
    return CHECKED_ROWS_FORMAT + json.dumps(
        [[number, {header: _json_cell(value) for header, value in values.items()}]
         for number, values in rows], ensure_ascii=False).encode()


def payload_rows(filename: str, data: bytes, max_rows: int) -> list[tuple[int, dict]]:
    """The rows of a batch job's input: kept as read (:func:`rows_payload`), or the spreadsheet
    itself (a job queued before its rows were kept)."""
    kept_as = next((prefix for prefix in ROWS_FORMATS if data.startswith(prefix)), None)
    if kept_as is None:
        return read_rows(filename, data, max_rows)
    return [(number, {header: _cell_from_json(value) for header, value in values.items()})
            for number, values in json.loads(data[len(kept_as):])]


def payload_checked(data: bytes) -> bool:
    """Whether every row of a job's input passed the upload's check."""
    return data.startswith(CHECKED_ROWS_FORMAT)


def _json_cell(value):
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _cell_text(value)  # a time, a duration: the text a cell of it gives


def _cell_from_json(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(value["datetime"])
        return dt.date.fromisoformat(value["date"])
    return value


def _header(cells) -> list[str]:
    """The header row; a column named twice is refused by name (a row would keep only one)."""
    header = [_cell_text(cell) for cell in cells]
    seen = set()
    for name in filter(None, header):
        if _normal(name) in seen:
            raise SpreadsheetError(_("La columna «%(column)s» aparece dos veces. Deje solo una.",
                                     column=name))
        seen.add(_normal(name))
    return header


def _xlsx_table(data: bytes):
    """Rows of the first sheet, read as a stream: the size of every part is counted while it is
    decompressed, XML with entity declarations is refused (defusedxml), and reading stops at
    :data:`MAX_SHEET_ROWS` rows and :data:`MAX_COLUMNS` columns."""
    from openpyxl import load_workbook  # loaded on use: each web worker is spared its memory

    _check_xlsx_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS + 1,
                               values_only=True)
        for number, row in enumerate(rows, start=1):
            # Rows come padded to max_col: a value past the limit means too many columns.
            if number > MAX_SHEET_ROWS or any(cell is not None for cell in row[MAX_COLUMNS:]):
                raise SpreadsheetError(_too_big())
            yield number, list(row[:MAX_COLUMNS])
        workbook.close()
    except SpreadsheetError:
        raise
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, KeyError, OSError,
            ValueError, TypeError, IndexError) as exc:
        raise SpreadsheetError(_unreadable_xlsx(exc)) from exc


def _check_xlsx_package(data: bytes) -> None:
    """Refuse a file that is not an .xlsx, whose parts expand beyond the limit, or whose sheets
    hold more rows or cells than the limits, all counted while decompressing, before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "xl/workbook.xml" not in package.namelist():
                raise zipfile.BadZipFile
            budget = {"bytes": MAX_UNCOMPRESSED_BYTES, b"<row": MAX_SHEET_ROWS, b"<c": MAX_CELLS}
            for member in package.infolist():
                _count_part(package, member, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise SpreadsheetError(_unreadable_xlsx(exc)) from exc


def _count_part(package, member, budget: dict) -> None:
    is_sheet = member.filename.startswith("xl/worksheets/")
    with package.open(member) as part:
        tail = b""
        while chunk := part.read(1024 * 1024):
            budget["bytes"] -= len(chunk)
            if budget["bytes"] < 0:
                raise SpreadsheetError(_("El archivo .xlsx es demasiado grande una vez abierto."))
            if is_sheet:
                for tag in (b"<row", b"<c"):
                    budget[tag] -= (tail + chunk).count(tag) - tail.count(tag)
                    if budget[tag] < 0:
                        raise SpreadsheetError(_(
                            "La hoja tiene demasiadas filas o celdas. Deje solo la lista de "
                            "personas, en la primera hoja."))
                tail = chunk[-3:]


def _unreadable_xlsx(error: Exception) -> str:
    if isinstance(error, DefusedXmlException):
        return _("El archivo .xlsx contiene declaraciones XML no permitidas (entidades o DTD). "
                 "Ábralo en Excel y guárdelo de nuevo como «Libro de Excel (.xlsx)».")
    return _("No se pudo leer el archivo como .xlsx. Ábralo en Excel y guárdelo de nuevo como "
             "«Libro de Excel (.xlsx)».")


def _csv_table(data: bytes):
    if b"\x00" in data:
        raise SpreadsheetError(_("El archivo no es un .csv de texto."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    dialect = _csv_dialect(text)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if number > MAX_SHEET_ROWS or len(row) > MAX_COLUMNS:
                raise SpreadsheetError(_too_big())
            yield number, row
    except csv.Error as exc:  # a cell over the csv module's limit (128 KiB), a stray quote…
        raise SpreadsheetError(_(
            "No se pudo leer el archivo .csv: una celda es demasiado larga o tiene comillas sin "
            "cerrar. Revise el archivo o guárdelo como .xlsx.")) from exc


def _too_big() -> str:
    return _("La hoja tiene más de %(rows)d filas o de %(columns)d columnas. Deje solo la lista "
             "de personas.", rows=MAX_SHEET_ROWS, columns=MAX_COLUMNS)


def _csv_dialect(text: str):
    """The separator is the one the header line uses most: ``,`` or, as Excel writes it where
    the decimal mark is a comma, ``;`` (a sniffer guesses wrong when cells hold formulas)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(",;\t", key=header.count)

    class Dialect(csv.excel):
        delimiter = separator if header.count(separator) else ","
    return Dialect


# --- checking ---------------------------------------------------------------------------------
def check_rows(form_class: type[DocumentForm], rows, identity=None) -> CheckedRows:
    """Validate every row's columns with the form; the problems name the row and the column.
    Only the verdicts are kept, so one form checks every row (see :func:`checked_forms`), and,
    with ``identity(form)``, a key of the person each valid row is for (None: nobody), so the
    upload can tell who already has a document."""
    result = CheckedRows(total=len(rows))
    for row in checked_forms(columns_form(form_class), rows, reused=True):
        if row.valid:
            result.valid.append(row.number)
            person = identity(row.form) if identity is not None else None
            if person:
                result.identities[row.number] = person
        result.problems.extend(row.problems)
    return result


def checked_forms(form_class: type[DocumentForm], rows, *, reused: bool = False):
    """Each row checked (:class:`CheckedRow`), one at a time, each with a form of its own.
    ``reused``: one form checks every row instead, filled again by WTForms' ``process`` (binding
    a new form's fields is half of a row's check), for a caller done with a row's form before it
    asks for the next: every row's form is then that same form."""
    cols = columns(form_class)
    header_to_field = _match_headers(cols, rows[0][1].keys())
    labels = dict(cols)
    blank = form_class(formdata=None, meta={"csrf": False})
    defaults = blank.default_formdata()
    choices = {name: _choice_values(blank[name]) for name in header_to_field.values()
               if isinstance(blank[name], (RadioField, SelectField))}
    for number, values in rows:
        formdata, problems = _row_formdata(blank, defaults, choices, header_to_field, values,
                                           labels, number)
        if reused:
            form = blank
            form.process(formdata)
        else:
            form = form_class(formdata=formdata, meta={"csrf": False})
        valid = form.validate() and not problems
        for field_ in form:
            column = labels.get(field_.name, field_.name)
            problems.extend(RowProblem(number, column, message) for message in own_errors(field_))
        yield CheckedRow(number, form, problems, valid, formdata)


def issued_forms(form_class: type[DocumentForm], rows):
    """Each row checked again as the job consumer issues it (:class:`CheckedRow`), holding the
    whole form to render. The row's columns are checked with :func:`columns_form`; the form's
    other fields, which take the same defaults in every row, are built and checked once for all
    of them and shared (for a ToR they cost three times its columns, on every row)."""
    blank = form_class(formdata=None, meta={"csrf": False})
    defaults = form_class(formdata=blank.default_formdata(), meta={"csrf": False})
    defaults.validate()
    checked_by_row = {*form_class.batch_columns, *PLUMBING}
    defaults_valid = not any(field.errors for field in defaults
                             if field.name not in checked_by_row)
    whole = blank.default_formdata()
    for row in checked_forms(columns_form(form_class), rows):
        yield row._replace(form=_with_fields_of(defaults, row.form),
                           valid=row.valid and defaults_valid,
                           formdata=_with_cells_of(whole, row.formdata))


def _with_cells_of(whole: MultiDict, cells: MultiDict) -> MultiDict:
    """What the whole form of a row is filled with: the form's defaults, and the row's columns
    (a saved record keeps it, as it keeps what a page sent)."""
    formdata = whole.copy()
    for name in cells:
        formdata.setlist(name, cells.getlist(name))
    return formdata


def _with_fields_of(whole: DocumentForm, part: DocumentForm) -> DocumentForm:
    """A copy of the form ``whole`` that holds ``part``'s fields instead of its own of the same
    names (fields keep no reference to their form). The others are shared, not copied."""
    form = copy.copy(whole)
    form._fields = whole._fields.copy()  # where WTForms keeps a form's fields, by name
    for name, field_ in part._fields.items():
        form._fields[name] = field_
        setattr(form, name, field_)
    return form


def _match_headers(cols, headers) -> dict[str, str]:
    """Map each header of the file to a field; unknown or missing required columns are an error."""
    wanted = {}
    for name, label in cols:
        wanted[_normal(label)] = name
        wanted[_normal(name)] = name
    mapping, unknown = {}, []
    for header in headers:
        if header is None or not str(header).strip():
            continue
        name = wanted.get(_normal(str(header)))
        if name is None:
            unknown.append(str(header))
        elif name in mapping.values():
            raise SpreadsheetError(_(
                "La columna «%(column)s» aparece dos veces. Deje solo una.",
                column=dict(cols)[name]))
        else:
            mapping[header] = name
    if unknown:
        raise SpreadsheetError(_(
            "Columnas desconocidas: %(unknown)s. Las columnas válidas son: %(valid)s.",
            unknown=", ".join(f"«{header}»" for header in unknown),
            valid=", ".join(f"«{label}»" for _, label in cols)))
    return mapping


def _row_formdata(blank, defaults, choices, header_to_field, values, labels, number):
    """Form data for one row: the form's defaults (pre-filled lists, ticked boxes, default
    choices) where a cell is empty, the row's cells elsewhere (``choices``: the value of each
    option of a choice field, by its value and its label as :func:`_normal` writes them)."""
    formdata = defaults.copy()
    problems = []
    for header, name in header_to_field.items():
        value = values.get(header)
        text = _cell_text(value)
        field_ = blank[name]
        if not text:
            continue
        if isinstance(field_, DateField):
            text = _iso_date(value, text)
        elif name in choices:
            matched = choices[name].get(_normal(text))
            if matched is None:
                options = ", ".join(str(choice.label) for choice in field_.iter_choices())
                problems.append(RowProblem(number, labels[name], _(
                    "«%(value)s» no es una opción válida. Opciones: %(options)s.",
                    value=text, options=options)))
                continue
            text = matched
        formdata.setlist(name, [text])
    return formdata, problems


def _choice_values(field_) -> dict[str, str]:
    values = {}
    for choice in field_.iter_choices():
        values.setdefault(_normal(str(choice.label)), choice.value)
        values[_normal(str(choice.value))] = choice.value
    return values


def _iso_date(value, text: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


def _present(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.date().isoformat() if isinstance(cell, dt.datetime) else cell.isoformat()
    return str(cell).strip()


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# --- example files ------------------------------------------------------------------------------
def example_rows(form_class) -> list[dict[str, str]]:
    return getattr(form_class, "batch_example", [])


def example_xlsx(form_class) -> bytes:
    from openpyxl import Workbook

    cols = columns(form_class)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Datos")
    sheet.append([label for _, label in cols])
    for example in example_rows(form_class):
        sheet.append([formula_safe(example.get(name, "")) for name, _ in cols])
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = max(
            14, min(45, max(len(str(cell.value or "")) for cell in column_cells) + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_csv(form_class) -> bytes:
    cols = columns(form_class)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([label for _, label in cols])
    for example in example_rows(form_class):
        writer.writerow([formula_safe(example.get(name, "")) for name, _ in cols])
    # UTF-8 with BOM: Excel then shows accents correctly.
    return buffer.getvalue().encode("utf-8-sig")

