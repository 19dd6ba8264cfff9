"""Who may use each route. Every view declares it, and a route that does not is refused.

``@public`` views need no account. ``@for_roles(...)`` views need a signed-in user holding one of
the roles; an anonymous visitor is sent to sign in (and comes back), a user without the role gets
a 403 page in their language. A document's form declares its own roles (``DocumentForm.roles``),
checked by ``@for_document_roles``. Flask-Security-Too's own views (sign-in, password, two-factor)
protect themselves. :func:`init_app` refuses, with a 403, any other route that declares nothing,
so a new view cannot be left open by forgetting. The API's operations (webforms.api) declare
``BY_TOKEN``: their caller is the account of the request's bearer token, never a cookie, and the
pages' redirections (two-step set-up, a temporary password) do not apply to them: no browser
follows them.

:func:`may_open` reads the same declarations to tell whether a user may open an endpoint, so the
pages that offer links (the home page, the header) show only what will not be refused, and no
second list of who sees what can drift from the rules the routes enforce.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from http import HTTPStatus

from flask import abort, current_app, flash, redirect, request, session
from flask_babel import gettext as _
from flask_security import current_user, url_for_security

from webforms.forms import FORMS

PUBLIC = "public"
SIGNED_IN = "signed in"
PER_DOCUMENT = "per document"
BY_TOKEN = "by token"
# Endpoints the library guards itself, and Flask's static files.
SELF_GUARDED_BLUEPRINTS = {"security"}
# The session key a sign-on through the organisation's provider sets when the provider does the
# two-step verification (accounts.sso_views): no second factor is asked of it here.
TWO_STEP_ELSEWHERE = "webforms_two_step_elsewhere"


def public(view):
    view.allowed_roles = PUBLIC
    return view


def for_roles(*roles: str):
    """Only for signed-in users holding one of ``roles``."""
    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            require(roles)
            return view(*args, **kwargs)
        guarded.allowed_roles = tuple(roles)
        return guarded
    return decorate


def signed_in(view):
    """For any signed-in user, whatever their roles."""
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(sign_in_first())
        return view(*args, **kwargs)
    guarded.allowed_roles = SIGNED_IN
    return guarded


def for_document_roles(view):
    """For the roles the form of the ``key`` in the URL declares (see DocumentForm.roles)."""
    @functools.wraps(view)
    def guarded(key, *args, **kwargs):
        form_class = FORMS.get(key) or abort(HTTPStatus.NOT_FOUND)
        require(form_class.roles)
        return view(key, *args, **kwargs)
    guarded.allowed_roles = PER_DOCUMENT
    return guarded


def require(roles) -> None:
    """Stop the request unless the current user may act with one of ``roles``. An anonymous
    visitor is sent to sign in; a form they submitted (their session expired) is kept for then."""
    if not current_user.is_authenticated:
        abort(sign_in_first())
    if not holds_one(current_user, roles):
        abort(HTTPStatus.FORBIDDEN)


def holds_one(user, roles) -> bool:
    return any(user.has_role(role) for role in roles)


def may_open(endpoint: str, user=None, **values) -> bool:
    """Whether ``user`` (by default the current one) may open ``endpoint`` with these URL
    ``values``, as the route's own declaration decides. A route that declares nothing, and the
    library's own pages, are never offered."""
    user = current_user if user is None else user
    rule = declared(current_app.view_functions.get(endpoint))
    if rule == PUBLIC:
        return True
    if rule in (None, BY_TOKEN) or not user.is_authenticated:
        return False
    if rule == SIGNED_IN:
        return True
    if rule == PER_DOCUMENT:
        form_class = FORMS.get(values.get("key"))
        return form_class is not None and holds_one(user, form_class.roles)
    return holds_one(user, rule)


KEPT_WHILE_SIGNING_IN: dict[str, Callable] = {}
"""Endpoint → how a submission to it, sent when the session had expired, is kept while its author
signs in again (the feature that owns the endpoint registers it: records.fill_views)."""


def kept_while_signing_in(endpoint: str) -> Callable:
    """Register the decorated function (it takes the endpoint's view arguments and answers the
    redirection to the sign-in page) as the keeper of ``endpoint``'s submissions."""
    def register(keeper: Callable) -> Callable:
        KEPT_WHILE_SIGNING_IN[endpoint] = keeper
        return keeper
    return register


def keeps_submissions() -> bool:
    """Whether this request's endpoint keeps a submission while its author signs in again."""
    return request.endpoint in KEPT_WHILE_SIGNING_IN


def sign_in_first():
    """The redirection to the sign-in page, coming back here afterwards; a form submission is
    kept (see :func:`kept_while_signing_in`) and comes back filled in."""
    keeper = KEPT_WHILE_SIGNING_IN.get(request.endpoint)
    if keeper is not None and request.method == "POST":
        return keeper(**request.view_args)
    return redirect(url_for_security("login", next=request.full_path.rstrip("?")))


def declared(view) -> object:
    return getattr(view, "allowed_roles", None)


def for_pages() -> bool:
    """Whether this request is a page's, to which the pages' redirections apply (not one of
    the API's operations, nor the library's own pages or the static files)."""
    if request.endpoint in (None, "static") or request.blueprint in SELF_GUARDED_BLUEPRINTS:
        return False
    return not by_token()


def by_token() -> bool:
    """Whether this request is one of the API's operations (its caller named by a token)."""
    return request.endpoint is not None and declared(
        current_app.view_functions.get(request.endpoint)) == BY_TOKEN


def init_app(app) -> None:
    app.jinja_env.globals["may_open"] = may_open

    @app.before_request
    def refuse_undeclared_routes():
        if request.endpoint is None or request.endpoint == "static":
            return None
        if request.blueprint in SELF_GUARDED_BLUEPRINTS:
            return None
        if declared(current_app.view_functions[request.endpoint]) is None:
            current_app.logger.error("route %s declares no access rule", request.endpoint)
            abort(HTTPStatus.FORBIDDEN)
        return None

    @app.before_request
    def administrators_use_two_factor():
        """With TWO_FACTOR_FOR_ADMINS, an administrator without a second factor is sent to set
        one up before anything else (the library's pages stay reachable for that)."""
        if (current_app.config["TWO_FACTOR_FOR_ADMINS"] and for_pages()
                and current_user.is_authenticated and current_user.has_role("admin")
                and not current_user.tf_primary_method and not session.get(TWO_STEP_ELSEWHERE)):
            flash(_("Los administradores deben activar la verificación en dos pasos."), "warning")
            return redirect(url_for_security("two_factor_setup"))
        return None

    @app.before_request
    def temporary_password_changed_first():
        """A user signed in with a temporary password (an administrator's, accounts.service)
        is sent to change it before anything else (the library's pages stay reachable)."""
        if (for_pages() and current_user.is_authenticated
                and current_user.must_change_password):
            flash(_("Su contraseña es temporal: escriba una nueva para continuar."), "warning")
            return redirect(url_for_security("change_password"))
        return None
