"""The trainers' page: blank templates and handouts to print, one by one or as one pack."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents.engine import DOCX_MIMETYPE
from ..documents.pdf import pdf_available
from ..forms.base import DOCUMENT_LANGUAGES
from ..services.materials import material, materials, pack
from .access import public
from .helpers import attachment, requested_document_language

bp = Blueprint("trainers", __name__, url_prefix="/formadores")


@bp.get("/")
@public
def index():
    language = requested_document_language()
    return render_template("trainers/index.html", items=materials(language=language),
                           pdf=pdf_available(), language=language,
                           document_languages=DOCUMENT_LANGUAGES)


@bp.get("/<key>.<any(docx, pdf):extension>")
@public
def download(key: str, extension: str):
    item = material(key, with_pdf=extension == "pdf", language=requested_document_language())
    path = item and (item.docx if extension == "docx" else item.pdf)
    if not path:
        abort(HTTPStatus.NOT_FOUND if item is None else HTTPStatus.SERVICE_UNAVAILABLE)
    mimetype = DOCX_MIMETYPE if extension == "docx" else "application/pdf"
    name = item.filename.removesuffix(".docx") + f".{extension}"
    return attachment(path, mimetype, name)


@bp.get("/paquete.zip")
@public
def download_pack():
    language = requested_document_language()
    with force_locale(language):
        name = _("Paquete para formadores (%(language)s).zip", language=language)
    return attachment(pack(language), "application/zip", name)
