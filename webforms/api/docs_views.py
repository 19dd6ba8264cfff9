"""The API's description: the OpenAPI 3.1 document, and a page that reads it for people (each
operation, its scope, parameters, body and answers), drawn on the server: no script, no CDN (the
site's Content-Security-Policy allows neither)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from webforms.api.problems import API_PREFIX
from webforms.api.tokens import SCOPES
from webforms.web.access import public

bp = Blueprint("api_docs", __name__, template_folder="templates", url_prefix=API_PREFIX)
METHODS = ("get", "post", "put", "patch", "delete")


def spec() -> dict:
    return current_app.extensions["webforms.api"].spec.to_dict()


@bp.get("/openapi.json")
@public
def openapi_json():
    return jsonify(spec())


@bp.get("/docs")
@public
def docs_page():
    described = spec()
    operations = [(path, method, item[method]) for path, item in described["paths"].items()
                  for method in METHODS if method in item]
    return render_template("api/docs.html", spec=described, operations=operations,
                           scopes=SCOPES, schema_name=schema_name)


def schema_name(schema: dict | None) -> str:
    """A schema as a reader names it: its component's name, or its type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    return " | ".join(kind) if isinstance(kind, list) else str(kind)
