"""The trainers' page: blank templates and handouts to print, one by one or as one pack."""
from __future__ import annotations

from http import HTTPStatus
from io import BytesIO

from flask import Blueprint, abort, render_template, send_file

from ..documents.engine import DOCX_MIMETYPE
from ..documents.pdf import pdf_available
from ..trainers import material, materials, pack

bp = Blueprint("trainers", __name__, url_prefix="/formadores")


@bp.get("/")
def index():
    items = materials()
    return render_template("trainers/index.html", items=items, pdf=pdf_available())


@bp.get("/<key>.<any(docx, pdf):extension>")
def download(key: str, extension: str):
    item = material(key, with_pdf=extension == "pdf")
    path = item and (item.docx if extension == "docx" else item.pdf)
    if not path:
        abort(HTTPStatus.NOT_FOUND if item is None else HTTPStatus.SERVICE_UNAVAILABLE)
    mimetype = DOCX_MIMETYPE if extension == "docx" else "application/pdf"
    name = item.filename.removesuffix(".docx") + f".{extension}"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)


@bp.get("/paquete.zip")
def download_pack():
    return send_file(BytesIO(pack()), mimetype="application/zip", as_attachment=True,
                     download_name="Paquete para formadores.zip", max_age=0)
