"""Faults of what the service depends on, told apart from bugs.

A full or read-only disk, a locked or unreachable database (operational errors, not integrity
or programming ones, which are bugs), a missing, corrupt or broken template,
a broken catalogue: the request cannot be served now, but nothing the user typed is wrong. Services
raise :class:`ServiceUnavailable` for these, and the web layer answers 503 with the form as it was
sent; anything else is a bug and stays a 500.
"""
from __future__ import annotations

import sqlite3
import zipfile

from docx.opc.exceptions import PackageNotFoundError
from jinja2 import TemplateError
from lxml.etree import XMLSyntaxError
from sqlalchemy import exc as sa_exc

from webforms.catalogue import CatalogueError

DEPENDENCY_FAULTS = (OSError, sqlite3.Error, CatalogueError, TemplateError, zipfile.BadZipFile,
                     XMLSyntaxError, PackageNotFoundError, sa_exc.OperationalError,
                     sa_exc.InterfaceError, sa_exc.TimeoutError)


class ServiceUnavailable(RuntimeError):
    """A dependency failed; the request may succeed later. The cause is chained."""
