"""A team's roster on the web: the list with a form to add a worker, and a worker's page to
change them or record that they left (the end date). Staff only, never children.

Who: the team's supervisors and administrators (accounts.roster.may_keep); a team they do not
keep answers 404, like one that does not exist. Each change is audited by accounts.roster, and
each page shown is recorded (who looked at the team's staff), with ids only.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from webforms.accounts import roster
from webforms.accounts import teams as team_store
from webforms.audit import trail as audit
from webforms.common import dates
from webforms.forms.fields import date_field, text_line
from webforms.storage.models import RosterWorker, Team
from webforms.web.access import for_roles

bp = Blueprint("roster", __name__, template_folder="templates", url_prefix="/equipos")


class WorkerForm(FlaskForm):
    name = text_line(_l("Nombre"), required=True, max_length=roster.MAX_NAME)
    role = SelectField(_l("Rol"), choices=[SelectChoice(key, label) for key, label
                                          in roster.ROLES.items()],
                       invalid_choice_message=_l("Elija un rol de la lista."))
    modality = SelectField(_l("Modalidad"), default="", description=_l(
        "La modalidad de la guía en la que trabaja, si corresponde."),
        invalid_choice_message=_l("Elija una modalidad de la lista."))
    start_date = date_field(_l("Fecha de ingreso al equipo"), required=True)
    end_date = date_field(_l("Fecha de salida"), description=_l(
        "Su último día en el equipo. Quien salió deja de contarse en el panel; su historia se "
        "conserva."))

    def offer(self) -> None:
        self.modality.choices = [SelectChoice("", _("— Ninguna —")), *(
            SelectChoice(key, label) for key, label in team_store.MODALITY_LABELS.items())]

    def entry(self) -> roster.Entry:
        return roster.Entry(name=self.name.data, role=self.role.data,
                            modality=self.modality.data or None,
                            start_date=self.start_date.data, end_date=self.end_date.data)


def kept_team(team_id: int) -> Team:
    """The team whose roster the user keeps (404 otherwise)."""
    team = team_store.by_id(team_id)
    if team is None or not roster.may_keep(current_user, team):
        abort(HTTPStatus.NOT_FOUND)
    return team


@bp.route("/<int:team_id>/plantilla", methods=["GET", "POST"])
@for_roles(*roster.KEEPING_ROLES)
def listing(team_id: int):
    team = kept_team(team_id)
    form = WorkerForm(data={"start_date": dates.local_today()})
    form.offer()
    if form.validate_on_submit():
        try:
            roster.add(team, form.entry(), current_user)
        except roster.RosterError as error:  # refused before anything changed
            form.name.errors.append(str(error))
        else:
            flash(_("Agregado a la plantilla."), "info")
            return redirect(url_for(".listing", team_id=team.id))
    workers = roster.workers_of(team.id)
    audit.append("roster_viewed", target=team.id, count=len(workers))
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("roster/list.html", team=team, form=form, workers=workers,
                           today=dates.local_today(), role_label=roster.role_label,
                           modality_label=team_store.modality_label), status


@bp.route("/<int:team_id>/plantilla/<int:worker_id>", methods=["GET", "POST"])
@for_roles(*roster.KEEPING_ROLES)
def edit(team_id: int, worker_id: int):
    team = kept_team(team_id)
    worker = roster.by_id(team.id, worker_id) or abort(HTTPStatus.NOT_FOUND)
    form = WorkerForm(data=current_values(worker))
    form.offer()
    if form.validate_on_submit():
        try:
            roster.change(worker, form.entry(), current_user)
        except roster.RosterError as error:  # refused before anything changed
            form.name.errors.append(str(error))
        else:
            flash(_("Guardado."), "info")
            return redirect(url_for(".listing", team_id=team.id))
    audit.append("roster_viewed", target=team.id, worker=worker.id)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("roster/edit.html", team=team, form=form, worker=worker), status


def current_values(worker: RosterWorker) -> dict:
    return {"name": worker.name, "role": worker.role, "modality": worker.modality or "",
            "start_date": worker.start_date, "end_date": worker.end_date}
