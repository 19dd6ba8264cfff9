"""Every error under /api/v1 as an RFC 9457 problem (``application/problem+json``: type, title,
status, detail), whoever raised it: a view, the token check, the rate limit, a route that does
not exist, a failing dependency. The pages keep their own error pages (web.errors)."""
from __future__ import annotations

from http import HTTPStatus

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/v1"
PROBLEM_TYPE = "application/problem+json"
# Problems with a meaning of their own are named by a link into the API's page; others are
# "about:blank": their status says it all.
DOCUMENTED_TYPES = ("unacknowledged-warnings", "invalid-values")


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def problem(status: int, detail: str, *, kind: str | None = None, headers=None, **extra):
    """The problem response for ``status``: its phrase as the title, ``detail`` saying what to
    do; ``kind`` one of DOCUMENTED_TYPES; ``extra`` members (e.g. ``errors``)."""
    status = HTTPStatus(status)
    body = {"type": f"{API_PREFIX}/docs#{kind}" if kind else "about:blank",
            "title": status.phrase, "status": status.value, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status.value
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_answer(status: int, _title: str, detail: str):
    """web.errors' error pages, answered as problems under /api/v1 (None elsewhere)."""
    if not is_api_request():
        return None
    if status == HTTPStatus.NOT_FOUND:
        detail = _("No existe, o su token no da acceso a ello.")
    return problem(status, detail)


def http_error(error: HTTPException):
    """Any other HTTP error (400, 401, 405, 422 of an argument that does not fit the schema) as a
    problem under /api/v1; elsewhere Flask's own answer, as before."""
    if not is_api_request():
        return error
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    extra = {"errors": flattened(errors)} if errors else {}
    headers = dict(error.get_response().headers)
    allowed = {name: value for name, value in headers.items() if name == "Allow"}
    return problem(error.code or 500, data.get("message") or error.description or "",
                   kind="invalid-values" if errors else None, headers=allowed, **extra)


def flattened(messages) -> dict:
    """webargs' messages by location ({"json": {field: [...]}}) as {field: [text]}."""
    out: dict = {}
    for location in (messages or {}).values() if isinstance(messages, dict) else ():
        if isinstance(location, dict):
            for name, texts in location.items():
                out[str(name)] = [str(text) for text in texts] if isinstance(texts, list) \
                    else [str(texts)]
    return out
