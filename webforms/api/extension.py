"""The API in the application: its OpenAPI description and operations (one flask-smorest Api per
application), the token check before every other hook, problems for every error under /api/v1,
and no CSRF there: no cookie is accepted, only a bearer token."""
from __future__ import annotations

from werkzeug.exceptions import HTTPException

from webforms.api import auth, team_views, views
from webforms.api.problems import error_answer, http_error
from webforms.api.spec import make_api
from webforms.extensions import csrf
from webforms.web import errors

OPERATIONS = (*views.BLUEPRINTS, *team_views.BLUEPRINTS)


def init_app(app) -> None:
    api = make_api(app)
    app.extensions["webforms.api"] = api
    for blueprint in OPERATIONS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, http_error)
    if error_answer not in errors.ERROR_ANSWERS:
        errors.ERROR_ANSWERS.append(error_answer)
    auth.init_app(app)
