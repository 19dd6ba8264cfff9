"""The catalogue of controlled documents as every request sees it."""
from __future__ import annotations

from flask import current_app

from ..catalogue import Catalogue


def catalogue() -> Catalogue:
    """The catalogue, read again when its file changes (e.g. after ``templates new-version``),
    so every server process follows a new version without a restart."""
    return current_app.extensions["webforms.catalogue"].current()
