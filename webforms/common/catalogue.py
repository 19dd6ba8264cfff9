"""The catalogue of controlled documents as every request sees it."""
from __future__ import annotations

from flask import current_app

from webforms.catalogue import Catalogue, CatalogueError


def catalogue() -> Catalogue:
    """The catalogue, read again when its file changes (e.g. after ``templates new-version``),
    so every server process follows a new version without a restart. Raises CatalogueError when
    the file is broken: nothing may be issued from it."""
    return current_app.extensions["webforms.catalogue"].current()


def catalogue_for_pages() -> Catalogue:
    """The catalogue to show pages with: the current one, or while the file is broken the last
    one read, so a form being filled can still be shown (and nothing issued, see
    :func:`catalogue`)."""
    try:
        return catalogue()
    except CatalogueError:
        current_app.logger.exception("the catalogue is broken; pages use the last one read")
        return current_app.extensions["webforms.catalogue"].last_good()
