"""Who calls the API: the account of the bearer token, never a cookie.

Every request under /api/v1 is settled before any other hook reads the signed-in user
(:func:`authenticate` runs first): the token's account becomes the request's user (Flask-Login's
``g._login_user``), so the roles, teams and need to know of the pages apply as they are; without a
token the caller is anonymous, whatever cookie the browser sends (no cookie is accepted, and the
API is exempt from CSRF for that reason). A token that is unknown, expired or revoked, or whose
account was deactivated, is refused with a 401 problem.

Every use of a token is audited (``api_request``: token, method, route, status; never content),
and every entry the request appends carries the token's id. Requests are rate-limited per token
(per address without one), with the product's Flask-Limiter and its counters.
"""
from __future__ import annotations

import functools
from http import HTTPStatus

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from webforms.api import tokens
from webforms.api.problems import is_api_request, problem
from webforms.audit import trail as audit
from webforms.web import access

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def bearer_secret() -> str | None:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def authenticate():
    """Before anything else: the request's user is its token's account, or anonymous."""
    if not is_api_request():
        return None
    g._login_user = current_app.login_manager.anonymous_user()
    g.api_token = None
    secret = bearer_secret()
    if secret is None:
        return None
    token = tokens.found(secret)
    if token is None or not tokens.usable(token):
        if token is not None:
            audit.append("api_refused", target=token.id, method=request.method,
                         route=request.path[:120], status=HTTPStatus.UNAUTHORIZED.value)
        return problem(HTTPStatus.UNAUTHORIZED, _(
            "El token no es válido, caducó, fue revocado o su cuenta está desactivada."),
            headers=CHALLENGE)
    g.api_token, g._login_user = token, token.user
    g.audit_details = {"api_token": token.id}
    tokens.used(token)
    return None


def audit_use(response):
    """``api_request`` for every request a token made, whatever its answer."""
    token = g.get("api_token")
    if token is not None and is_api_request():
        audit.append("api_request", target=token.id, method=request.method,
                     route=request.url_rule.rule if request.url_rule else request.path[:120],
                     status=response.status_code)
    return response


def scoped(scope: str):
    """The operation needs a usable token holding ``scope`` (or one that includes it)."""
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            token = g.get("api_token")
            if token is None:
                return problem(HTTPStatus.UNAUTHORIZED, _(
                    "Envíe su token en la cabecera «Authorization: Bearer …»."),
                    headers=CHALLENGE)
            if not tokens.grants(token, scope):
                return problem(HTTPStatus.FORBIDDEN, _(
                    "Su token no tiene el permiso «%(scope)s».", scope=scope))
            return view(*args, **kwargs)
        guarded.allowed_roles = access.BY_TOKEN
        return guarded
    return decorate


def rate_key() -> str:
    """The rate limit's counter: the token's, else the caller's address."""
    token = g.get("api_token")
    return f"api-token:{token.id}" if token is not None else f"api-address:{get_remote_address()}"


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def init_app(app) -> None:
    # First of every hook: no other one reads the user before the token has named it.
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)
    app.after_request(audit_use)
