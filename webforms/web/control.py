"""The master list of controlled documents and the verification of a copy's number."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, current_app, render_template, request

from ..extensions import limiter
from ..services import verification
from ..services.catalogue import catalogue_for_pages
from .access import public

bp = Blueprint("control", __name__)


@bp.get("/documentos")
@public
def master_list():
    return render_template("control/master_list.html", documents=list(catalogue_for_pages()))


@bp.get("/verificar")
@limiter.limit(lambda: current_app.config.get("VERIFY_RATE_LIMIT", "20 per minute"))
@public
def verify():
    """Which template version produced a copy, and when; nothing of its content. Both the number
    and the check code printed beside it are needed, so numbers cannot be tried one by one. The
    number may carry the "rev. N" its copy prints: the page says whether a newer revision exists,
    and whether the number was annulled (its record deleted)."""
    typed = " ".join(request.args.get("numero", "").split()).upper()[:60]
    code = request.args.get("codigo", "")[:20]
    if not typed:
        return render_template("control/verify.html", number="", code="", verified=None)
    verified = verification.verify(typed, code)
    document = catalogue_for_pages().get(verified.document_key) if verified else None
    status = HTTPStatus.OK if verified else HTTPStatus.NOT_FOUND
    return render_template("control/verify.html", number=verified.label if verified else typed,
                           code=code, verified=verified, document=document), status
