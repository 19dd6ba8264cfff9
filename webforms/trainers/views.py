"""The trainers' page: blank templates and handouts to print, one by one or as one pack."""
from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, abort, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_security import current_user

from webforms.documents import RenderedDocument
from webforms.documents.engine import DOCX_MIMETYPE
from webforms.documents.pdf import pdf_available
from webforms.forms.base import DOCUMENT_LANGUAGES
from webforms.jobs.downloads import file_or_progress, pdf_download
from webforms.trainers.materials import material, materials, pack_job
from webforms.web.access import public
from webforms.web.helpers import attachment, requested_document_language

bp = Blueprint("trainers", __name__, template_folder="templates", url_prefix="/formadores")


@bp.get("/")
@public
def index():
    language = requested_document_language()
    return render_template("trainers/index.html", items=materials(False, language),
                           pdf=pdf_available(), language=language,
                           document_languages=DOCUMENT_LANGUAGES)


@bp.get("/<key>.<any(docx, pdf):extension>")
@public
def download(key: str, extension: str):
    item = material(key, with_pdf=False, language=requested_document_language())
    if item is None:
        abort(HTTPStatus.NOT_FOUND)
    if extension == "docx":
        return attachment(item.docx, DOCX_MIMETYPE, item.filename)
    if item.pdf:  # converted before, for the pack
        return attachment(item.pdf, "application/pdf", item.filename.removesuffix(".docx") + ".pdf")
    return pdf_download(RenderedDocument(item.docx.read_bytes(), item.filename, DOCX_MIMETYPE))


@bp.get("/paquete.zip")
@public
def download_pack():
    language = requested_document_language()
    with force_locale(language):
        name = _("Paquete para formadores (%(language)s).zip", language=language)
    return file_or_progress(pack_job(language, name, current_user))
