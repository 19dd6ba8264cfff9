"""The team's dashboard: the seeds' rhythms, the actions agreed and followed, the anonymous
caseload over time; as a page, a printable page and a spreadsheet.

Who: supervisors (their own teams) and coordinators (the teams of their region, one by one), as
records.need_to_know.readable_team_ids says; a team the user cannot read answers 404, like one
that does not exist. Each view and each export is audited with the team and the period, never a
figure or a record's content.
"""
from __future__ import annotations

import re
from http import HTTPStatus

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_security import current_user

from webforms.accounts import roster
from webforms.audit import trail as audit
from webforms.dashboard import export, staffing, wording
from webforms.dashboard import service as dashboard
from webforms.dashboard.chart import line_chart
from webforms.records import need_to_know
from webforms.records.need_to_know import readable_team_ids
from webforms.web.access import for_roles
from webforms.web.helpers import attachment

bp = Blueprint("dashboard", __name__, template_folder="templates", url_prefix="/panel")
ROLES = ("supervisor", "coordinador")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
@for_roles(*ROLES)
def index():
    """The teams whose dashboard the user may open (a coordinator: each team of the region)."""
    return render_template("dashboard/index.html",
                           teams=need_to_know.readable_teams(current_user))


@bp.get("/<int:team_id>")
@for_roles(*ROLES)
def team(team_id: int):
    board = built(team_id)
    audit.append("dashboard_viewed", target=board.team.id, months=board.months,
                 records=board.records_read)
    return render_template("dashboard/team.html", board=board, wording=wording,
                           periods=dashboard.PERIODS, chart=caseload_chart(board),
                           printable=request.args.get("vista") == "imprimir",
                           staffing=staffing, roster_kept=roster.may_keep(current_user,
                                                                          board.team))


@bp.get("/<int:team_id>.xlsx")
@for_roles(*ROLES)
def export_xlsx(team_id: int):
    board = built(team_id)
    audit.append("dashboard_exported", target=board.team.id, months=board.months,
                 records=board.records_read, format="xlsx")
    # Letters of any language stay ("Montaña"): send_file writes an RFC 5987 filename* in
    # UTF-8 and an ASCII fallback without the accents ("Montana").
    name = re.sub(r"[\W_]+", "-", board.team.name).strip("-") or str(board.team.id)
    return attachment(export.workbook(board), XLSX,
                      f"panel-{name}-{board.today.isoformat()}.xlsx")


def built(team_id: int) -> dashboard.Dashboard:
    """The dashboard of a team the user may read (404 otherwise) over the period asked."""
    if team_id not in readable_team_ids(current_user):
        abort(HTTPStatus.NOT_FOUND)
    chosen = dashboard.team(team_id) or abort(HTTPStatus.NOT_FOUND)
    return dashboard.build(chosen, current_user, dashboard.months_asked(request.args.get("meses")))


def caseload_chart(board: dashboard.Dashboard):
    """The caseload's SVG, or None when the period has no Registro with case counts."""
    if not board.caseload:
        return None
    first, last = board.caseload[0], board.caseload[-1]
    return line_chart(
        board.caseload, wording.caseload_labels(), board.start, board.today,
        title=_("Carga de casos del equipo %(team)s", team=board.team.name),
        description=_("Casos abiertos, de alto riesgo y de riesgo medio según %(count)d Registros "
                      "de la reunión, del %(first)s al %(last)s. Al inicio: %(first_values)s; al "
                      "final: %(last_values)s. Los datos están en la tabla siguiente.",
                      count=len(board.caseload), first=wording.day(first.day),
                      last=wording.day(last.day), first_values=values_text(first),
                      last_values=values_text(last)),
        tick_label=wording.short_month, chart_id="caseload")


def values_text(point) -> str:
    return ", ".join(f"{label} {value}" for label, value in zip(wording.caseload_labels(),
                                                                 point.values))
