"""Administrators manage accounts: create, set roles and teams, deactivate; and help a user back
in: a temporary password (changed at the next sign-in), two-step verification set up again, every
session ended. Nothing of cases. Every page shown and every action is recorded in the audit trail
(who looked at or changed which accounts)."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from webforms.accounts import service as accounts
from webforms.accounts import sessions as user_sessions
from webforms.accounts import teams as team_store
from webforms.accounts.service import (
    AccountError,
    create_user,
    reset_two_step,
    set_active,
    set_modality,
    set_temporary_password,
)
from webforms.audit import trail as audit
from webforms.forms.fields import MultiCheckboxField
from webforms.storage.models import ROLES, User
from webforms.web.access import for_roles

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/administracion")

ROLE_LABELS = {"admin": _l("Administrador/a"), "supervisor": _l("Supervisor/a"),
               "coordinador": _l("Coordinador/a regional"),
               "talento_humano": _l("Talento humano"), "formador": _l("Formador/a"),
               "calidad": _l("Calidad"), "gestor_caso": _l("Gestor/a de caso")}


class MembershipForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=[SelectChoice(role, ROLE_LABELS[role])
                                                     for role in ROLES])
    # The existing active teams (and the account's own), chosen from a list: no typo makes a
    # team. Teams are created on "Equipos y regiones" (accounts.team_views).
    teams = MultiCheckboxField(_l("Equipos"), description=_l(
        "Los equipos y regiones se crean en «Equipos y regiones»."),
        invalid_choice_message=_l("Elija equipos de la lista."))
    modality = SelectField(_l("Modalidad del gestor de caso"), default="", description=_l(
        "Solo para gestores de caso: la modalidad de la mesa interna que realizan."))
    active = BooleanField(_l("Cuenta activa"), default=True)

    def offer(self, account=None) -> None:
        """The teams to choose from (active ones, and those the account has) and the guide's
        modalities."""
        own = list(account.teams) if account is not None else []
        listed = {team.id: team for team in [*team_store.active_teams(), *own]}
        self.teams.choices = [SelectChoice(team.name, team.name if team.active else _(
            "%(name)s (desactivado)", name=team.name))
            for team in sorted(listed.values(), key=lambda team: team.name)]
        self.modality.choices = [SelectChoice("", _("— Ninguna —")), *(
            SelectChoice(key, label) for key, label in team_store.MODALITY_LABELS.items())]


class NewUserForm(MembershipForm):
    email = StringField(_l("Correo electrónico"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")),
        Email(message=_l("Escriba un correo electrónico válido.")), Length(max=255)])
    password = PasswordField(_l("Contraseña inicial"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")), Length(max=128)])


class TemporaryPasswordForm(FlaskForm):
    temporary_password = PasswordField(_l("Contraseña temporal"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")), Length(max=128)],
        render_kw={"autocomplete": "new-password"},
        description=_l("Comuníquesela a la persona por un medio seguro; deberá cambiarla al "
                       "ingresar."))


@bp.route("/usuarios", methods=["GET", "POST"])
@for_roles("admin")
def users():
    form = NewUserForm()
    form.offer()
    if form.validate_on_submit():
        try:
            result = create_user(form.email.data, form.password.data, form.roles.data,
                                 form.teams.data)
            if result.created:
                set_modality(result.user, form.modality.data)
        except AccountError as error:
            form.password.errors.append(str(error))
        else:
            if not result.created:
                form.email.errors.append(_("Ya existe una cuenta con este correo."))
            else:
                set_active(result.user, form.active.data)
                flash(_("Cuenta creada: %(email)s", email=result.user.email), "info")
                return redirect(url_for(".users"))
    listed = accounts.every_account()
    audit.append("accounts_viewed", count=len(listed))
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("admin/users.html", form=form, users=listed,
                           role_labels=ROLE_LABELS), status


@bp.route("/usuarios/<int:user_id>", methods=["GET", "POST"])
@for_roles("admin")
def user(user_id: int):
    account = account_or_404(user_id)
    form = membership_form(account)
    if form.validate_on_submit():
        try:
            accounts.change_account(account, form.roles.data, form.teams.data,
                                    form.modality.data, form.active.data)
        except AccountError as error:
            form.teams.errors.append(str(error))
        else:
            flash(_("Cuenta actualizada: %(email)s", email=account.email), "info")
            return redirect(url_for(".users"))
    audit.append("accounts_viewed", target=account.id)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return user_page(account, form, TemporaryPasswordForm(formdata=None), status)


def membership_form(account: User, **options) -> MembershipForm:
    """The account's roles, teams (from the list of teams it may join), modality and state."""
    form = MembershipForm(data={"roles": account.role_names(), "teams": account.team_names(),
                                "modality": account.modality or "", "active": account.active},
                          **options)
    form.offer(account)
    return form


def user_page(account: User, form, password_form, status=HTTPStatus.OK):
    return render_template("admin/user.html", form=form, account=account,
                           password_form=password_form, role_labels=ROLE_LABELS,
                           session_count=len(user_sessions.listing(account))), status


def account_or_404(user_id: int) -> User:
    return accounts.account(user_id) or abort(HTTPStatus.NOT_FOUND)


@bp.route("/usuarios/<int:user_id>/clave-temporal", methods=["POST"])
@for_roles("admin")
def temporary_password(user_id: int):
    """A temporary password the user must change at the next sign-in; their sessions end."""
    account = account_or_404(user_id)
    password_form = TemporaryPasswordForm()
    if password_form.validate_on_submit():
        try:
            set_temporary_password(account, password_form.temporary_password.data)
        except AccountError as error:
            password_form.temporary_password.errors.append(str(error))
        else:
            flash(_("Contraseña temporal asignada a %(email)s; deberá cambiarla al ingresar.",
                    email=account.email), "info")
            return redirect(url_for(".user", user_id=account.id))
    return user_page(account, membership_form(account, formdata=None), password_form,
                     HTTPStatus.BAD_REQUEST)


@bp.route("/usuarios/<int:user_id>/reiniciar-dos-pasos", methods=["POST"])
@for_roles("admin")
def two_step_reset(user_id: int):
    """Two-step verification removed: the user sets it up again; their sessions end."""
    account = account_or_404(user_id)
    reset_two_step(account)
    flash(_("Se reinició la verificación en dos pasos de %(email)s: la configurará de nuevo "
            "al ingresar.", email=account.email), "info")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/usuarios/<int:user_id>/cerrar-sesiones", methods=["POST"])
@for_roles("admin")
def end_sessions(user_id: int):
    """End every session of the account at once (a lost phone, a shared computer)."""
    account = account_or_404(user_id)
    accounts.end_sessions(account)
    flash(_("Se cerraron las sesiones de %(email)s.", email=account.email), "info")
    return redirect(url_for(".user", user_id=account.id))
