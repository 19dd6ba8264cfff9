"""Word output: every controlled document is rendered by :func:`prepare_document` and finished with
or without its number (:func:`render_document` does both at once; see ``engine``)."""
from webforms.documents.engine import Branding, RenderedDocument, prepare_document, render_document

__all__ = ["Branding", "RenderedDocument", "prepare_document", "render_document"]
