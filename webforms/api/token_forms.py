"""The forms that make a token: on the account page (a personal token) and on the
administrators' page (a service token for an account that stands for another system)."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from webforms.api import tokens
from webforms.common import dates
from webforms.forms.fields import MultiCheckboxField


class TokenForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")),
        Length(max=tokens.NAME_LENGTH)], description=_l("Para qué sistema o tarea es."))
    scopes = MultiCheckboxField(_l("Permisos"), choices=[
        SelectChoice(scope, f"{scope}: {label}") for scope, label in tokens.SCOPES.items()],
        validators=[DataRequired(message=_l("Elija al menos un permiso."))])
    expires_on = DateField(_l("Válido hasta"), validators=[
        DataRequired(message=_l("Escriba la fecha en que el token deja de valer."))])

    def validate_expires_on(self, field) -> None:
        today = dates.local_today()
        if field.data is None:
            return
        if field.data < today:
            raise ValidationError(_("La fecha ya pasó."))
        if field.data > tokens.latest_expiry(today):
            raise ValidationError(_("Un token vale como máximo %(days)d días.",
                                    days=tokens.max_days()))

    def offered_expiry(self) -> dt.date:
        return dates.local_today() + dt.timedelta(days=min(90, tokens.max_days()))


class ServiceTokenForm(TokenForm):
    account = SelectField(_l("Cuenta de servicio"), coerce=int, description=_l(
        "El token actúa como esta cuenta, con sus roles y equipos. Cree una cuenta para cada "
        "sistema en «Usuarios»."), validate_choice=True)

    def offer(self, accounts) -> None:
        self.account.choices = [SelectChoice(account.id, account.email) for account in accounts
                                if account.active]
