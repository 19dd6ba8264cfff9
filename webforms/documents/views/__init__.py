"""Document views, one module per document: what each .docx template receives (see ``base``).

Importing this package imports every module in it, which registers each view under its catalogue
key: a new document's view needs no edit here.
"""
import importlib
import pkgutil

from .base import VIEWS, ChosenOption, DocumentView, HandoutView, document_view, empty_form

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["VIEWS", "ChosenOption", "DocumentView", "HandoutView", "document_view", "empty_form"]
