"""Error pages: a clear message in the user's language, never a bare server error."""
from collections.abc import Callable
from http import HTTPStatus

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security import current_user
from flask_wtf.csrf import CSRFError

from webforms.common.faults import DEPENDENCY_FAULTS, ServiceUnavailable
from webforms.web.access import keeps_submissions, sign_in_first

# Pages that only explain, by status: a title, and what to do.
TITLES = {
    HTTPStatus.FORBIDDEN: _l("Acceso no permitido"),
    HTTPStatus.NOT_FOUND: _l("Página no encontrada"),
    HTTPStatus.CONFLICT: _l("La copia no coincide con la emitida"),
    HTTPStatus.GONE: _l("Contenido depurado"),
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: _l("Datos demasiado grandes"),
    HTTPStatus.TOO_MANY_REQUESTS: _l("Demasiadas solicitudes"),
    HTTPStatus.INTERNAL_SERVER_ERROR: _l("Error inesperado"),
    HTTPStatus.SERVICE_UNAVAILABLE: _l("PDF no disponible"),
}
ADVICE = {
    HTTPStatus.FORBIDDEN: _l(
        "Su cuenta no tiene el rol que esta página requiere. Si lo necesita, pídalo a un "
        "administrador."),
    HTTPStatus.NOT_FOUND: _l("La dirección no corresponde a ningún formulario."),
    HTTPStatus.CONFLICT: _l(
        "La copia generada de nuevo no es idéntica a la que se emitió (su huella SHA-256 no es la "
        "del registro), así que no se entrega. Avise al equipo técnico o a la oficina de calidad "
        "con el número del documento."),
    HTTPStatus.GONE: _l(
        "El contenido de este registro se depuró al terminar su periodo de conservación o de "
        "papelera. El registro de números conserva su número, versión, fechas y huella."),
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: _l(
        "Lo enviado supera el tamaño máximo permitido. Acorte los textos más largos y vuelva a "
        "enviar el formulario desde la página anterior del navegador."),
    HTTPStatus.TOO_MANY_REQUESTS: _l(
        "Se hicieron demasiadas solicitudes desde esta conexión en poco tiempo. Espere unos "
        "minutos y vuelva a intentarlo."),
    HTTPStatus.INTERNAL_SERVER_ERROR: _l(
        "No se pudo completar la solicitud. Vuelva atrás en el navegador: sus datos siguen en "
        "el formulario. Si se repite, avise al equipo técnico."),
    HTTPStatus.SERVICE_UNAVAILABLE: _l(
        "No se pudo generar el PDF en este momento (LibreOffice no está instalado o no respondió "
        "a tiempo). Descargue el documento en Word."),
}
DEPENDENCY_PAGE = (_l("Servicio no disponible"), _l(
    "El servidor no puede atender esta solicitud en este momento. Intente de nuevo en unos "
    "minutos; si se repite, avise al equipo técnico."))


def init_app(app) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    for status, title in TITLES.items():
        app.register_error_handler(status, explaining(status, title, ADVICE[status]))
    for fault in (ServiceUnavailable, *DEPENDENCY_FAULTS):
        app.register_error_handler(fault, dependency_fault)


def explaining(status: HTTPStatus, title, detail):
    """An error handler that answers ``status`` with a page saying ``title`` and ``detail``."""
    return lambda error: error_page(status, str(title), str(detail))


def dependency_fault(error):
    """A disk, database, template or catalogue failure: the page says so and that it may work
    later. If it struck a form's submission before the form could answer (the accounts' database
    is down), the form comes back with what was sent. The user is then treated as anonymous, so
    drawing the page does not ask the failing database again."""
    current_app.logger.exception("a dependency failed")
    g._login_user = current_app.login_manager.anonymous_user()
    return form_sent_again(HTTPStatus.SERVICE_UNAVAILABLE, _(
        "El documento no se pudo generar en este momento por una falla del servidor. Sus "
        "datos se conservaron y no se usó ningún número: pulse «Revisar y emitir» de "
        "nuevo en unos minutos. Si se repite, avise al equipo técnico.")) or error_page(
        HTTPStatus.SERVICE_UNAVAILABLE, *map(str, DEPENDENCY_PAGE))


ERROR_ANSWERS: list[Callable] = []
"""Functions ``(status, title, detail)`` that answer an error their own way, or None (the API
answers problems: webforms.api.problems); the first answer is the one sent."""


def error_page(status: HTTPStatus, title: str, detail: str):
    for answer in ERROR_ANSWERS:
        answered = answer(status, title, detail)
        if answered is not None:
            return answered
    return render_template("errors/error.html", title=title, detail=detail,
                           status=status.value), status


def csrf_error(error):
    """An expired or missing security token. On a form page the form comes back as it was sent,
    with a fresh token, so nothing typed is lost; if the whole session expired, what was sent is
    kept until the user has signed in again."""
    if not current_user.is_authenticated and keeps_submissions():
        return sign_in_first()
    return form_sent_again(HTTPStatus.BAD_REQUEST, _(
        "La sesión de seguridad del formulario caducó o no es válida. Sus datos se "
        "conservaron: revíselos y pulse «Revisar y emitir» de nuevo.")) or error_page(
        HTTPStatus.BAD_REQUEST, _("Solicitud no válida"), _(
            "La sesión de seguridad caducó o no es válida. Vuelva a cargar la página."))


FORM_PAGES: dict[str, Callable] = {}
"""Endpoint → the form page again with everything that was sent, given a status and a message
(None when there is no such form); the feature that owns the form registers it
(records.fill_views)."""


def form_page(endpoint: str) -> Callable:
    """Register the decorated function as ``endpoint``'s form page shown again after an error."""
    def register(page: Callable) -> Callable:
        FORM_PAGES[endpoint] = page
        return page
    return register


def form_sent_again(status: HTTPStatus, message: str):
    """On a form's submission, the form page again with everything that was sent and
    ``message``; None for any other request."""
    page = FORM_PAGES.get(request.endpoint)
    if page is None or request.method != "POST":
        return None
    return page(status, message)
