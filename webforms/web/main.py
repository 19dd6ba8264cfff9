"""Home page: what the signed-in user may do, and their next steps; the public pages for all.

Each link is offered only when the route's own declaration lets this user open it
(access.may_open), so nothing on the page answers "not allowed" when clicked.
"""
from collections.abc import Callable
from http import HTTPStatus

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_security import current_user

from webforms.common.catalogue import catalogue_for_pages
from webforms.common.health import converter_state, dependency_states
from webforms.common.health import facts as health_facts
from webforms.extensions import LANGUAGE_COOKIE
from webforms.forms import FORMS
from webforms.web.access import may_open, public, signed_in
from webforms.web.helpers import same_site_path

bp = Blueprint("main", __name__)

# The pages a role may have beyond its forms, in the order the home page lists them: (endpoint,
# name, what it is for). Each shows only to those its route lets in.
ROLE_PAGES = (
    ("dashboard.index", _l("Panel del equipo"),
     _l("Las reuniones, supervisiones y mesas de cada equipo, y lo que falta.")),
    ("actions.index", _l("Acciones"),
     _l("Las acciones acordadas que siguen abiertas en cada equipo, las vencidas primero.")),
    ("annulments.queue", _l("Anulaciones por decidir"),
     _l("Las solicitudes de anular un número emitido que esperan su aprobación.")),
    ("audit.log", _l("Registro de auditoría"),
     _l("Quién hizo qué y cuándo, sin el contenido de los registros.")),
    ("admin.users", _l("Usuarios"),
     _l("Cuentas, roles y equipos de las personas que usan el sistema.")),
)
# The pages anyone may open, signed in or not.
PUBLIC_PAGES = (
    ("trainers.index", _l("Plantillas en blanco y material para formadores"),
     _l("Cada formulario en blanco para llenar a mano, y el paquete completo de formación.")),
    ("control.master_list", _l("Listado maestro de documentos"),
     _l("Todos los documentos controlados, con su versión vigente y su control de cambios.")),
    ("control.verify", _l("Verificar documento"),
     _l("Compruebe si el número de un documento impreso corresponde a una copia emitida.")),
)

HOME_PARTS: list[Callable] = []
"""What the features add to a signed-in user's home page: each takes the user and gives template
values (records.views: whether they read records, and their next steps)."""


def home_part(part: Callable) -> Callable:
    """Register the decorated function as a part of the home page (see :data:`HOME_PARTS`)."""
    HOME_PARTS.append(part)
    return part


@bp.get("/")
@public
def home():
    documents = [document for document in catalogue_for_pages()
                 if document.key in FORMS and document.is_current
                 and may_open("forms.fill", key=document.key)]
    in_batches = {document.key for document in documents if FORMS[document.key].batch_columns
                  and may_open("batch.upload_page", key=document.key)}
    parts = {"reads_records": False, "next_steps": None}
    for part in HOME_PARTS if current_user.is_authenticated else ():
        parts.update(part(current_user))
    return render_template(
        "home.html", documents=documents, in_batches=in_batches, **parts,
        titles={document.key: document for document in catalogue_for_pages()},
        role_pages=[page for page in ROLE_PAGES if may_open(page[0])],
        public_pages=PUBLIC_PAGES)


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
            "converter": converter_state(), **health_facts()}
    if healthy:
        body["documents"] = len(catalogue_for_pages().documents)
    return body, HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
