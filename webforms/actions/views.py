"""The team's Acciones page: the actions agreed in its records and still open, overdue first,
filtered by responsible and by origin; the owner records their progress or closes them.

Who: supervisors (their own teams) and coordinators (the teams of their region), as
records.need_to_know.readable_team_ids says (another team answers 404). The text of an action is
shown only to who may read the record that agreed it; the others see its role, dates, status and
number. Who may change that record (its team's supervisor for a Registro, the coordinator for a
conference) records progress. Viewing and every update are audited, never with the text.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_security import current_user

from webforms.actions import listing, tracker
from webforms.actions.families import FAMILY_NAMES, ROLES, STATUS_NAMES, STATUSES
from webforms.audit import trail as audit
from webforms.common import dates
from webforms.common.dates import written
from webforms.records import need_to_know
from webforms.records.need_to_know import readable_team_ids
from webforms.web.access import for_roles

bp = Blueprint("actions", __name__, template_folder="templates", url_prefix="/acciones")
ROLES_ALLOWED = ("supervisor", "coordinador")
UPDATES = tuple(status for status in STATUSES if status != tracker.OPEN)


@bp.get("/")
@for_roles(*ROLES_ALLOWED)
def index():
    """The teams whose actions the user may see."""
    return render_template("actions/index.html", teams=need_to_know.readable_teams(current_user))


@bp.get("/<int:team_id>")
@for_roles(*ROLES_ALLOWED)
def team(team_id: int):
    page = built(team_id)
    audit.append("actions_viewed", target=page.team.id, listed=len(page.actions),
                 family=page.family or None, role=page.role or None)
    return shown(page)


@bp.post("/<int:team_id>/<int:action_id>")
@for_roles(*ROLES_ALLOWED)
def update(team_id: int, action_id: int):
    chosen_team = readable_team(team_id)
    action = listing.action_of_team(chosen_team, action_id) or abort(HTTPStatus.NOT_FOUND)
    status, note = request.form.get("status", ""), request.form.get("note", "")
    if not tracker.may_update(current_user, action):
        abort(HTTPStatus.FORBIDDEN)
    if status not in UPDATES or len(note) > tracker.NOTE_LENGTH:
        return shown(built(team_id), HTTPStatus.BAD_REQUEST, failed=action.id, note=note,
                     message=_("Elija el nuevo estado de la acción (la nota, de hasta %(max)d "
                               "caracteres, es opcional).", max=tracker.NOTE_LENGTH))
    try:
        tracker.record_progress(action, status, note, current_user, dates.local_today())
    except tracker.NotAllowed:
        return shown(built(team_id), HTTPStatus.CONFLICT, failed=action.id, note=note,
                     message=_("Esta acción ya estaba cerrada: no se cambió nada."))
    flash(_("Seguimiento registrado: %(status)s.", status=STATUS_NAMES[status]), "success")
    return redirect(url_for("actions.team", team_id=team_id, **filters()), HTTPStatus.SEE_OTHER)


def readable_team(team_id: int):
    if team_id not in readable_team_ids(current_user):
        abort(HTTPStatus.NOT_FOUND)
    return listing.team(team_id) or abort(HTTPStatus.NOT_FOUND)


def filters() -> dict:
    return {name: request.args[name] for name in ("origen", "responsable", "persona")
            if request.args.get(name)}


def built(team_id: int) -> listing.Page:
    return listing.build(readable_team(team_id), current_user, dates.local_today(),
                         request.args.get("origen"), request.args.get("responsable"),
                         request.args.get("persona"))


def shown(page: listing.Page, status: HTTPStatus = HTTPStatus.OK, failed: int | None = None,
          note: str = "", message: str | None = None):
    return render_template(
        "actions/team.html", page=page, families=FAMILY_NAMES, roles=ROLES,
        statuses=STATUS_NAMES, updates=UPDATES, day=written, failed=failed, note=note,
        message=message, filters=filters()), status
