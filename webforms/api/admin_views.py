"""Administrators' page of API tokens: every token (personal and service) with its account,
scopes, expiry and last use; service tokens made for an account that stands for another system
(its roles and teams are set on "Usuarios", accounts.admin_views); any token revoked."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_security import current_user

from webforms.accounts import service as accounts
from webforms.api import tokens
from webforms.api.token_forms import ServiceTokenForm
from webforms.web.access import for_roles

bp = Blueprint("api_admin", __name__, template_folder="templates",
               url_prefix="/administracion/tokens")


@bp.route("/", methods=["GET", "POST"])
@for_roles("admin")
def listing():
    form = ServiceTokenForm()
    form.offer(accounts.every_account())
    made = None
    if form.validate_on_submit():
        made = tokens.create(accounts.account(form.account.data), form.name.data,
                             form.scopes.data, form.expires_on.data, tokens.SERVICE,
                             current_user)
        form = ServiceTokenForm(formdata=None)
        form.offer(accounts.every_account())
    elif not form.is_submitted():
        form.expires_on.data = form.offered_expiry()
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("api/tokens.html", form=form, made=made, scopes=tokens.SCOPES,
                           listed=tokens.every_token(), usable=tokens.usable,
                           revoke_endpoint="api_admin.revoke", admin=True), status


@bp.post("/<int:token_id>/revocar")
@for_roles("admin")
def revoke(token_id: int):
    token = tokens.find(token_id) or abort(HTTPStatus.NOT_FOUND)
    tokens.revoke(token)
    flash(_("Token revocado: ya no se acepta."), "info")
    return redirect(url_for(".listing"), code=HTTPStatus.SEE_OTHER)
