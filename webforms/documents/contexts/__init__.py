"""Document contexts, one module per document: what each .docx template receives (see ``base``).

Importing this package imports every module in it, which registers each context under its catalogue
key: a new document's context needs no edit here. A form without a context of its own gets the plain
:class:`DocumentContext`: each field under its own name, the first date field dating the file.
"""
import importlib
import pkgutil

from webforms.documents.contexts.base import (
    CONTEXTS,
    ChosenOption,
    DocumentContext,
    HandoutContext,
    document_context,
    empty_form,
)
from webforms.forms import FORMS

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
for _key in set(FORMS) - set(CONTEXTS):
    document_context(_key)(type(f"{FORMS[_key].__name__}Context", (DocumentContext,), {}))

__all__ = ["CONTEXTS", "ChosenOption", "DocumentContext", "HandoutContext", "document_context", "empty_form"]
