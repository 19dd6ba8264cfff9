"""The PDF of a rendered document, converted by LibreOffice within the configured time."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..documents import RenderedDocument
from ..documents.pdf import to_pdf


def as_pdf(rendered: RenderedDocument) -> RenderedDocument:
    """The PDF of a rendered document (raises PdfUnavailable without LibreOffice)."""
    timeout = current_app.config["PDF_TIMEOUT"]
    return RenderedDocument(data=to_pdf(rendered.data, timeout),
                            filename=str(Path(rendered.filename).with_suffix(".pdf")),
                            mimetype="application/pdf", issue=rendered.issue)
