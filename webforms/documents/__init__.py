"""Word output: one entry point (:func:`render_document`) for every controlled document, which
:func:`prepare_document` splits in two for a copy rendered before its number is taken."""
from webforms.documents.engine import Branding, RenderedDocument, prepare_document, render_document

__all__ = ["Branding", "RenderedDocument", "prepare_document", "render_document"]
