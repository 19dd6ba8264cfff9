"""The trainers' page: blank templates and handouts to print, one by one or as one pack."""
from __future__ import annotations

from http import HTTPStatus
from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents.engine import DOCX_MIMETYPE
from ..documents.pdf import pdf_available
from ..forms.base import DOCUMENT_LANGUAGES, default_document_language
from ..trainers import material, materials, pack

bp = Blueprint("trainers", __name__, url_prefix="/formadores")


def document_language() -> str:
    """``?idioma=en`` picks the language of the printed documents; by default the interface's
    when documents can be written in it, Spanish otherwise."""
    chosen = request.args.get("idioma")
    return chosen if chosen in dict(DOCUMENT_LANGUAGES) else default_document_language()


@bp.get("/")
def index():
    language = document_language()
    return render_template("trainers/index.html", items=materials(language=language),
                           pdf=pdf_available(), language=language,
                           document_languages=DOCUMENT_LANGUAGES)


@bp.get("/<key>.<any(docx, pdf):extension>")
def download(key: str, extension: str):
    item = material(key, with_pdf=extension == "pdf", language=document_language())
    path = item and (item.docx if extension == "docx" else item.pdf)
    if not path:
        abort(HTTPStatus.NOT_FOUND if item is None else HTTPStatus.SERVICE_UNAVAILABLE)
    mimetype = DOCX_MIMETYPE if extension == "docx" else "application/pdf"
    name = item.filename.removesuffix(".docx") + f".{extension}"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)


@bp.get("/paquete.zip")
def download_pack():
    language = document_language()
    with force_locale(language):
        name = _("Paquete para formadores (%(language)s).zip", language=language)
    return send_file(BytesIO(pack(language)), mimetype="application/zip", as_attachment=True,
                     download_name=name, max_age=0)
