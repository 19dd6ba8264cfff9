"""A user's own API tokens, on their account page: made (the secret shown once), listed with
their scopes, expiry and last use, revoked. A token acts as its user: it never reaches more than
the pages do for them (webforms.api)."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_security import current_user

from webforms.api import tokens
from webforms.api.token_forms import TokenForm
from webforms.web.access import signed_in

bp = Blueprint("api_tokens", __name__, template_folder="templates", url_prefix="/cuenta/tokens")


@bp.route("/", methods=["GET", "POST"])
@signed_in
def listing():
    form = TokenForm()
    made = None
    if form.validate_on_submit():
        made = tokens.create(current_user, form.name.data, form.scopes.data,
                             form.expires_on.data, tokens.PERSONAL, current_user)
        form = TokenForm(formdata=None)
    elif not form.is_submitted():
        form.expires_on.data = form.offered_expiry()
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render_template("api/tokens.html", form=form, made=made, scopes=tokens.SCOPES,
                           listed=tokens.of_user(current_user), usable=tokens.usable,
                           revoke_endpoint="api_tokens.revoke", admin=False), status


@bp.post("/<int:token_id>/revocar")
@signed_in
def revoke(token_id: int):
    token = tokens.find(token_id)
    if token is None or token.user_id != current_user.id or token.kind != tokens.PERSONAL:
        abort(HTTPStatus.NOT_FOUND)
    tokens.revoke(token)
    flash(_("Token revocado: ya no se acepta."), "info")
    return redirect(url_for(".listing"), code=HTTPStatus.SEE_OTHER)
