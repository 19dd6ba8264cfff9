"""Document views, one module per document: what each .docx template receives (see ``base``).

Importing this package imports every module in it, which registers each view under its catalogue
key: a new document's view needs no edit here. A form without a view of its own gets the plain
:class:`DocumentView`: each field under its own name, the first date field dating the file.
"""
import importlib
import pkgutil

from webforms.documents.contexts.base import (
    VIEWS,
    ChosenOption,
    DocumentView,
    HandoutView,
    document_view,
    empty_form,
)
from webforms.forms import FORMS

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
for _key in set(FORMS) - set(VIEWS):
    document_view(_key)(type(f"{FORMS[_key].__name__}View", (DocumentView,), {}))

__all__ = ["VIEWS", "ChosenOption", "DocumentView", "HandoutView", "document_view", "empty_form"]
