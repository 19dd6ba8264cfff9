"""The document forms, one module per document. Importing this package imports every module in it,
which registers each form under its catalogue key: a new document's form needs no edit here."""
import importlib
import pkgutil

from webforms.forms.base import FORMS, DocumentForm

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["FORMS", "DocumentForm"]
