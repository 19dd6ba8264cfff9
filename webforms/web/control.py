"""The master list of controlled documents and the verification of a copy's number."""
from __future__ import annotations

import re
from http import HTTPStatus

from flask import Blueprint, current_app, render_template, request

from ..extensions import limiter
from ..services.catalogue import catalogue_for_pages
from ..services.numbering import code_matches, document_register
from .access import public

bp = Blueprint("control", __name__)

NUMBER_PATTERN = re.compile(r"^[A-Z0-9.]{1,30}-\d{4}-\d{6}$")


@bp.get("/documentos")
@public
def master_list():
    return render_template("control/master_list.html", documents=list(catalogue_for_pages()))


@bp.get("/verificar")
@limiter.limit(lambda: current_app.config.get("VERIFY_RATE_LIMIT", "20 per minute"))
@public
def verify():
    """Which template version produced a copy, and when; nothing of its content. Both the number
    and the check code printed beside it are needed, so numbers cannot be tried one by one."""
    number = " ".join(request.args.get("numero", "").split()).upper()[:60]
    code = request.args.get("codigo", "")[:20]
    if not number:
        return render_template("control/verify.html", number="", code="", issued=None)
    issued = None
    if NUMBER_PATTERN.match(number) and code_matches(number, code):
        issued = document_register().find(number)
    document = catalogue_for_pages().get(issued.document_key) if issued else None
    status = HTTPStatus.OK if issued else HTTPStatus.NOT_FOUND
    return render_template("control/verify.html", number=number, code=code, issued=issued,
                           document=document), status
