"""Administrators keep the webhook endpoints: register one (its secret shown once), change it,
rotate its secret, send it a test event, remove it; and read its delivery log. Nothing of cases.
Every change is audited (webhooks.service); every page shown is recorded too. The buttons are
forms of their own, under the application's CSRF protection (webforms.extensions)."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from webforms.audit import trail as audit
from webforms.forms.fields import MultiCheckboxField
from webforms.web.access import for_roles
from webforms.webhooks import addresses, payloads, service

bp = Blueprint("webhooks", __name__, template_folder="templates",
               url_prefix="/administracion/webhooks")

EVENT_LABELS = {
    payloads.ISSUED: _l("Un registro se emitió (primera emisión)"),
    payloads.REVISED: _l("Un registro se emitió de nuevo (nueva revisión)"),
    payloads.ANNULLED: _l("Un registro se anuló"),
    payloads.OVERDUE: _l("Una acción se venció"),
    payloads.BATCH_FINISHED: _l("Un lote terminó"),
}
REFUSALS = {
    addresses.BAD_URL: _l("Escriba una dirección http:// o https:// completa, sin usuario ni "
                          "contraseña."),
    addresses.UNRESOLVED: _l("No se encontró ese servidor: revise la dirección."),
    addresses.FORBIDDEN: _l("Esa dirección lleva a una red privada, local o reservada (%(address)s), "
                            "y la configuración no la permite (WEBFORMS_WEBHOOKS_ALLOWED_NETWORKS)."),
}


class EndpointForm(FlaskForm):
    url = StringField(_l("Dirección (URL)"), validators=[
        DataRequired(message=_l("Este campo es obligatorio.")),
        Length(max=addresses.MAX_URL)], description=_l(
        "Donde se publican los eventos, por ejemplo https://sistema.organizacion.org/webhooks."))
    description = StringField(_l("Descripción"), validators=[Length(max=service.MAX_DESCRIPTION)])
    events = MultiCheckboxField(_l("Eventos"), choices=[
        SelectChoice(event, label) for event, label in EVENT_LABELS.items()],
        validators=[DataRequired(message=_l("Elija al menos un evento."))],
        invalid_choice_message=_l("Elija eventos de la lista."))
    enabled = BooleanField(_l("Activo"), default=True)


def refusal(error: addresses.Refused) -> str:
    return str(REFUSALS[error.code]) % {"address": error.address}


@bp.route("/", methods=["GET", "POST"])
@for_roles("admin")
def listing():
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint, secret = service.register(form.url.data, form.events.data,
                                                form.description.data, form.enabled.data,
                                                current_user)
        except addresses.Refused as error:
            form.url.errors.append(refusal(error))
        else:
            return endpoint_page(endpoint, EndpointForm(obj=endpoint), secret, HTTPStatus.CREATED)
    endpoints = service.all_endpoints()
    audit.append("webhooks_viewed", count=len(endpoints))
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("webhooks/endpoints.html", form=form, endpoints=endpoints,
                           labels=EVENT_LABELS), status


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
@for_roles("admin")
def endpoint(endpoint_id: int):
    found = service.find(endpoint_id) or abort(HTTPStatus.NOT_FOUND)
    form = EndpointForm(obj=found)
    if form.validate_on_submit():
        try:
            service.change(found, form.url.data, form.events.data, form.description.data,
                           form.enabled.data)
        except addresses.Refused as error:
            form.url.errors.append(refusal(error))
        else:
            flash(_("Guardado."), "info")
            return redirect(url_for(".endpoint", endpoint_id=found.id))
    audit.append("webhooks_viewed", target=found.id)
    return endpoint_page(found, form, None,
                         HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK)


def endpoint_page(found, form, secret: str | None, status: HTTPStatus):
    return render_template("webhooks/endpoint.html", endpoint=found, form=form, secret=secret,
                           log=service.delivery_log(found), labels=EVENT_LABELS), status


@bp.post("/<int:endpoint_id>/rotar-secreto")
@for_roles("admin")
def rotate_secret(endpoint_id: int):
    found = service.find(endpoint_id) or abort(HTTPStatus.NOT_FOUND)
    secret = service.rotate_secret(found)
    return endpoint_page(found, EndpointForm(obj=found), secret, HTTPStatus.OK)


@bp.post("/<int:endpoint_id>/probar")
@for_roles("admin")
def send_test(endpoint_id: int):
    found = service.find(endpoint_id) or abort(HTTPStatus.NOT_FOUND)
    service.send_test(found)
    flash(_("Se envió un evento de prueba: su resultado aparecerá en el registro de entregas."),
          "info")
    return redirect(url_for(".endpoint", endpoint_id=found.id))


@bp.post("/<int:endpoint_id>/eliminar")
@for_roles("admin")
def remove(endpoint_id: int):
    found = service.find(endpoint_id) or abort(HTTPStatus.NOT_FOUND)
    service.remove(found)
    flash(_("Se eliminó el destino de webhooks."), "info")
    return redirect(url_for(".listing"))
