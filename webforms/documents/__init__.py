"""Word output: one entry point (:func:`render_document`) for every controlled document."""
from .engine import Branding, RenderedDocument, render_document

__all__ = ["Branding", "RenderedDocument", "render_document"]
