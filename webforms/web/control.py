"""The master list of controlled documents and the verification of a copy's number."""
from __future__ import annotations

import re
from http import HTTPStatus

from flask import Blueprint, render_template, request

from ..services.catalogue import catalogue_for_pages
from ..services.numbering import document_register

bp = Blueprint("control", __name__)

NUMBER_PATTERN = re.compile(r"^[A-Z0-9.]{1,30}-\d{4}-\d{6}$")


@bp.get("/documentos")
def master_list():
    return render_template("control/master_list.html", documents=list(catalogue_for_pages()))


@bp.get("/verificar")
def verify():
    """Which template version produced a copy, and when; nothing of its content."""
    number = " ".join(request.args.get("numero", "").split()).upper()[:60]
    if not number:
        return render_template("control/verify.html", number="", issued=None)
    issued = document_register().find(number) if NUMBER_PATTERN.match(number) else None
    document = catalogue_for_pages().get(issued.document_key) if issued else None
    status = HTTPStatus.OK if issued else HTTPStatus.NOT_FOUND
    return render_template("control/verify.html", number=number, issued=issued,
                           document=document), status
