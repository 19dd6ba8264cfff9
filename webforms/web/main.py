"""Home page: the forms a team can fill."""
from http import HTTPStatus

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ..extensions import LANGUAGE_COOKIE
from ..forms import FORMS
from ..services.catalogue import catalogue_for_pages
from ..services.health import converter_state, dependency_states
from .access import public, signed_in
from .helpers import same_site_path

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def home():
    documents = [document for document in catalogue_for_pages()
                 if document.key in FORMS and document.is_current]
    return render_template("home.html", documents=documents)


@bp.get("/idioma/<language>")
@public
def choose_language(language: str):
    """Remember the interface language in a cookie and go back to the page the user was on."""
    if language not in current_app.config["LANGUAGES"]:
        abort(HTTPStatus.NOT_FOUND)
    response = redirect(same_site_path(request.args.get("next"), url_for("main.home")))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/sesion/sigo-aqui")
@signed_in
def keep_alive():
    """Called while a form is being filled: the request itself extends the session."""
    return "", HTTPStatus.NO_CONTENT


@bp.get("/healthz")
@public
def health():
    """For a load balancer or a process supervisor: each dependency's state; 503 when one is
    down, so the instance is taken out of rotation rather than failing requests."""
    states = dependency_states()
    healthy = all(state == "ok" for state in states.values())
    body = {"status": "ok" if healthy else "unavailable", "dependencies": states,
            "converter": converter_state()}
    if healthy:
        body["documents"] = len(catalogue_for_pages().documents)
    return body, HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
