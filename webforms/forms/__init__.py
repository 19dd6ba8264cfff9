"""The document forms. Importing this package registers every form under its catalogue key."""
from . import conferencia, registro, supervision, tdr  # noqa: F401
from .base import FORMS, DocumentForm

__all__ = ["FORMS", "DocumentForm"]
