"""The master list of controlled documents and the verification of a copy: by the number and
check code its footer prints, or by the file itself (a .docx or PDF, compared by its SHA-256 with
the copies kept at issue)."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from webforms.audit import trail as audit
from webforms.common.catalogue import catalogue_for_pages
from webforms.control import verification
from webforms.extensions import limiter
from webforms.web.access import public

bp = Blueprint("control", __name__, template_folder="templates")


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
    self_signed = verification.self_signed_default()
    if not typed:
        return render_template("control/verify.html", number="", code="", verified=None,
                               self_signed=self_signed)
    verified = verification.verify(typed, code)
    document = catalogue_for_pages().get(verified.document_key) if verified else None
    status = HTTPStatus.OK if verified else HTTPStatus.NOT_FOUND
    return render_template("control/verify.html", number=verified.label if verified else typed,
                           code=code, verified=verified, document=document,
                           self_signed=self_signed), status


# What an uploaded file must begin with to be a copy at all: a Word package, or a PDF.
FILE_SIGNATURES = {b"PK\x03\x04": "docx", b"%PDF-": "pdf"}


@bp.post("/verificar")
@limiter.limit(lambda: current_app.config.get("VERIFY_RATE_LIMIT", "20 per minute"))
@public
def verify_file():
    """Whether an uploaded file is an issued copy unchanged: which number and revision, whether a
    later revision exists or the number was annulled, and a PDF's signature; nothing of its
    content. The request's size is bounded by ``MAX_CONTENT_LENGTH`` (413 beyond). Audited
    without content."""
    upload = request.files.get("archivo")
    data = upload.read() if upload is not None else b""
    kind = next((kind for signature, kind in FILE_SIGNATURES.items()
                 if data.startswith(signature)), None)
    if kind is None:
        return verify_page(file_error=_("Elija una copia en Word (.docx) o PDF emitida por esta "
                                        "aplicación."), status=HTTPStatus.BAD_REQUEST)
    result = verification.verify_file(data)
    matched = result.match
    audit.append("file_verified", target=matched.number if matched else None,
                 matched=matched is not None, format=result.format or kind,
                 revision=matched.typed if matched else None,
                 **({"signature": result.signature_state} if kind == "pdf" else {}))
    status = HTTPStatus.OK if matched else HTTPStatus.NOT_FOUND
    return verify_page(file_result=result, file_kind=kind, status=status)


def verify_page(status=HTTPStatus.OK, **file_check):
    """The verification page showing the check of a file (the number form left empty)."""
    matched = file_check.get("file_result") and file_check["file_result"].match
    document = catalogue_for_pages().get(matched.document_key) if matched else None
    return render_template("control/verify.html", number="", code="", verified=None,
                           file_document=document, self_signed=verification.self_signed_default(),
                           **file_check), status
