"""Everything the application keeps: the database (accounts, the register of numbers, the audit
trail, the teams' records sealed by ``sealing``, jobs and their results), cached materials, and
the keys generated for the local default.

Views and services use only what this package exports, so a change of backend (for example
PostgreSQL for the register in a multi-instance deployment) stays inside it.
"""
from webforms.storage.files import (
    MaterialCache,
    OutputStore,
    file_in_place,
    publish_once,
    write_atomically,
)
from webforms.storage.register import DocumentRegister, IssuedDocument

__all__ = ["DocumentRegister", "IssuedDocument", "MaterialCache", "OutputStore", "file_in_place",
           "publish_once", "write_atomically"]
