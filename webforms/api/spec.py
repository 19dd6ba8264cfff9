"""The API's OpenAPI 3.1 description (flask-smorest): one Api per application, every error
documented as a problem (``application/problem+json``), the bearer token as the security
scheme, and each operation's scope named in it (``x-scopes``) for the docs page and clients."""
from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from webforms.api.problems import PROBLEM_TYPE

SETTINGS = {
    "API_TITLE": "formularios-gc",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Registros, documentos, verificación, panel y lotes. "
                               "Vea /api/v1/docs y docs/api.md."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
    },
}


class Problem(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))
    warnings = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))
    problems = ma.fields.List(ma.fields.Dict())


class ProblemApi(Api):
    """flask-smorest's Api with problems for errors; its own error handler and docs blueprint
    are left out (api.problems answers errors, api.docs_views serves the description)."""

    ERROR_SCHEMA = Problem
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        return None

    def _register_doc_blueprint(self):
        return None

    def _register_responses(self):
        for status in HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                prepare_response(response, self.spec, PROBLEM_TYPE)
                self.spec.components.response(status.name, response, lazy=True)


def make_api(app) -> ProblemApi:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    api = ProblemApi(app)
    api.spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "Un token de la página «Tokens de la API» de su cuenta (wfk_…)."})
    return api


# Every operation may answer these (a body that is not JSON; a missing, expired or revoked
# token; a scope or role that does not allow it; the rate limit); each adds its own.
COMMON_ERRORS = (400, 401, 403, 429)


def documented(blp, scope: str | None, *errors: int):
    """Document an operation's scope and its error answers (as problems)."""
    def decorate(view):
        for status in sorted({*COMMON_ERRORS, *errors}):
            view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
        if scope:
            view = blp.doc(**{"x-scopes": [scope]})(view)
        return view
    return decorate

