"""Administrators keep the teams and regions: create, rename, put a team in a region, set the
modalities it works in, deactivate. Nothing of cases. A page of its own (next to the accounts'
page, accounts.admin_views) so that accounts only ever choose among the teams made here.

Every change is audited by accounts.teams; every page shown is recorded too (who looked at the
organisation's teams).
"""
from __future__ import annotations

from http import HTTPStatus

from babel.dates import get_day_names
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from webforms.accounts import reminder_settings
from webforms.accounts import teams as team_store
from webforms.audit import trail as audit
from webforms.forms.fields import MultiCheckboxField
from webforms.storage.models import Team
from webforms.web.access import for_roles

bp = Blueprint("teams", __name__, template_folder="templates", url_prefix="/administracion/equipos")

TEAM, REGION = "team", "region"


class TeamForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")),
        Length(max=team_store.MAX_NAME)])
    region = SelectField(_l("Región"), default="", description=_l(
        "Los coordinadores de la región leen los registros del equipo."),
        invalid_choice_message=_l("Elija una región de la lista."))
    modalities = MultiCheckboxField(_l("Modalidades"), description=_l(
        "Las modalidades en las que trabaja el equipo: el panel espera una mesa interna al mes "
        "para cada una."), invalid_choice_message=_l("Elija modalidades de la lista."))

    def offer(self, team: Team | None = None) -> None:
        """The regions to choose from (active ones, and the team's own) and the modalities."""
        regions = {region.id: region for region in team_store.active_regions()}
        if team is not None and team.region is not None:
            regions[team.region.id] = team.region
        self.region.choices = [SelectChoice("", _("— Sin región —")), *(
            SelectChoice(str(region.id), region.name)
            for region in sorted(regions.values(), key=lambda region: region.name)
            if region is not team)]
        self.modalities.choices = [SelectChoice(key, label) for key, label
                                   in team_store.MODALITY_LABELS.items()]

    def chosen_region(self) -> Team | None:
        return team_store.by_id(int(self.region.data)) if self.region.data else None


class NewTeamForm(TeamForm):
    kind = RadioField(_l("Es"), choices=[
        SelectChoice(TEAM, _l("Un equipo")),
        SelectChoice(REGION, _l("Una región (oficina regional)"))], default=TEAM,
        validators=[DataRequired(message=_l("Este campo es obligatorio."))])


class EditTeamForm(TeamForm):
    active = BooleanField(_l("Activo"), default=True, description=_l(
        "Un equipo desactivado no recibe trabajo nuevo; sus registros se conservan y su región "
        "los sigue leyendo."))
    digest_weekday = SelectField(_l("Día del resumen semanal"), coerce=int, description=_l(
        "El día en que supervisores y coordinadores reciben por correo el resumen de acciones "
        "vencidas y ritmos incumplidos del equipo."),
        invalid_choice_message=_l("Elija un día de la lista."))
    digest_hour = SelectField(_l("Hora del resumen semanal"), coerce=int, description=_l(
        "En la zona horaria de la instalación (%(zone)s)."),
        invalid_choice_message=_l("Elija una hora de la lista."))

    def offer(self, team: Team | None = None) -> None:
        super().offer(team)
        days = get_day_names("wide", locale=get_locale())
        self.digest_weekday.choices = [SelectChoice(day, days[day].capitalize())
                                       for day in reminder_settings.WEEKDAYS]
        self.digest_hour.choices = [SelectChoice(hour, f"{hour:02d}:00")
                                    for hour in reminder_settings.HOURS]
        self.digest_hour.description = self.digest_hour.description % {
            "zone": current_app.config["BABEL_DEFAULT_TIMEZONE"]}


@bp.route("/", methods=["GET", "POST"])
@for_roles("admin")
def listing():
    form = NewTeamForm()
    form.offer()
    if form.validate_on_submit():
        try:
            team = team_store.create(form.name.data, is_region=form.kind.data == REGION,
                                     region=form.chosen_region(),
                                     modalities=form.modalities.data or ())
        except team_store.TeamError as error:  # refused before anything changed
            form.name.errors.append(str(error))
        else:
            flash(_("Creado: %(name)s", name=team.name), "info")
            return redirect(url_for(".listing"))
    listed = team_store.all_teams()
    audit.append("teams_viewed", count=len(listed))
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("admin/teams.html", form=form, teams=listed,
                           modality_label=team_store.modality_label), status


@bp.route("/<int:team_id>", methods=["GET", "POST"])
@for_roles("admin")
def edit(team_id: int):
    team = team_store.by_id(team_id) or abort(HTTPStatus.NOT_FOUND)
    form = EditTeamForm(data={"name": team.name, "active": team.active,
                              "region": str(team.region_id or ""),
                              "modalities": list(team.modalities or ()),
                              "digest_weekday": team.digest_weekday,
                              "digest_hour": team.digest_hour})
    form.offer(team)
    if form.validate_on_submit():
        try:
            team_store.change(team, name=form.name.data, region=form.chosen_region(),
                              modalities=form.modalities.data or (), active=form.active.data)
            reminder_settings.set_digest_time(team, form.digest_weekday.data,
                                              form.digest_hour.data)
        except team_store.TeamError as error:  # refused before anything changed
            form.name.errors.append(str(error))
        else:
            flash(_("Guardado: %(name)s", name=team.name), "info")
            return redirect(url_for(".listing"))
    audit.append("teams_viewed", target=team.id)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("admin/team.html", form=form, team=team), status
