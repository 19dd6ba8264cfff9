"""The dashboard as a spreadsheet (XLSX): a sheet of rhythms and the gaps that broke them, one of
actions (counts by role and state, and the ones not done), one of the caseload over time.

Counts, dates, record numbers and numbered workers only, as on the page: never a name, an
action's text or a case's detail. Every text cell is written as text, so one starting with
``= + - @`` can never run as a formula in a spreadsheet program.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from webforms.dashboard import wording
from webforms.dashboard.rhythms import Rhythm
from webforms.dashboard.service import Dashboard

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"


def workbook(board: Dashboard) -> bytes:
    from openpyxl import Workbook  # loaded on use: each web worker is spared its memory

    book = Workbook()
    rhythms_sheet = book.active
    rhythms_sheet.title = _("Ritmos")[:31]
    write_rhythms(rhythms_sheet, board)
    write_actions(book.create_sheet(_("Acciones")[:31]), board)
    write_caseload(book.create_sheet(_("Carga de casos")[:31]), board)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def put(sheet: Worksheet, values: list, bold: bool = False) -> None:
    """Append a row: dates as dates, numbers as numbers, every text as text."""
    from openpyxl.styles import Font

    sheet.append(values)
    if not values:
        return
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
        elif isinstance(cell.value, dt.date):
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = Font(bold=True)


def heading(sheet: Worksheet, title: str, columns: list[str]) -> None:
    if sheet.max_row > 1:
        put(sheet, [])
    put(sheet, [title], bold=True)
    put(sheet, columns, bold=True)


def rhythm_label(rhythm: Rhythm) -> str:
    name = wording.rhythm_name(rhythm)
    return f"{name} · {wording.worker(rhythm)}" if rhythm.subject else name


def write_rhythms(sheet: Worksheet, board: Dashboard) -> None:
    put(sheet, [board.team.name, _("Periodo"), board.start, board.today], bold=True)
    every = [*board.rhythms, *board.workers]
    heading(sheet, _("Ritmos"), [_("Ritmo"), _("Veces en el periodo"), _("Última vez"),
                                 _("Rupturas"), _("Próxima a más tardar"),
                                 _("Días de retraso")])
    for rhythm in every:
        put(sheet, [rhythm_label(rhythm), len(rhythm.dates), rhythm.last, rhythm.broken,
                    rhythm.due, rhythm.overdue])
    heading(sheet, _("Rupturas"), [_("Ritmo"), _("Hallazgo"), _("Desde"), _("Hasta"),
                                   _("Días o minutos")])
    for rhythm in every:
        for finding in wording.findings(rhythm):
            put(sheet, [rhythm_label(rhythm), finding.text, finding.start, finding.end,
                        finding.days])
    widths(sheet, (34, 60, 14, 14, 16, 14))


def write_actions(sheet: Worksheet, board: Dashboard) -> None:
    states = list(wording.STATES)
    heading(sheet, _("Acciones por rol responsable"),
            [_("Rol"), *(str(wording.STATES[state]) for state in states), _("Total")])
    for role, counts in board.actions_summary().items():
        put(sheet, [str(wording.ROLES[role]), *(counts[state] for state in states),
                    sum(counts.values())])
    heading(sheet, _("Acciones no cumplidas"), [_("Estado"), _("Rol"), _("Registro"),
                                                _("Fecha"), _("Plazo"), _("Seguimiento")])
    for action in board.pending_actions():
        put(sheet, [str(wording.STATES[action.state(board.today)]),
                    str(wording.ROLES[action.role]), action.number, action.day,
                    action.deadline, str(wording.FOLLOWED.get(action.followed, ""))])
    widths(sheet, (30, 30, 26, 14, 14, 22))


def write_caseload(sheet: Worksheet, board: Dashboard) -> None:
    put(sheet, [_("Fecha de la reunión"), *wording.caseload_labels()], bold=True)
    for point in board.caseload:
        put(sheet, [point.day, *point.values])
    widths(sheet, (20, 18, 18, 18))


def widths(sheet: Worksheet, sizes: tuple[int, ...]) -> None:
    for index, size in enumerate(sizes):
        sheet.column_dimensions[chr(ord("A") + index)].width = size
