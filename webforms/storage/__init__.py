"""Everything the application keeps, one module per kind:

- ``database``: the SQLAlchemy session and engine (SQLite in ``instance/`` by default, or
  ``WEBFORMS_DATABASE_URL``), with the schema in ``models`` and its Alembic ``migrations``;
- ``register``: the register of issued numbers; ``sealing``: what people typed, kept encrypted
  (its key generated in ``instance/`` for the local default);
- ``files``: the printed materials under ``output/``; ``limits`` and ``sqlite_writer``: the
  rate-limit counters and the one-writer-at-a-time hand-over of the embedded SQLite default.

This package's namespace exports the files and the register; the rest is imported from its
module. Features reach the database through their services: views do not import ``database``.
"""
from webforms.storage.files import MaterialCache, OutputStore, file_in_place, publish_once, write_atomically
from webforms.storage.register import DocumentRegister, IssuedDocument

__all__ = ["DocumentRegister", "IssuedDocument", "MaterialCache", "OutputStore", "file_in_place",
           "publish_once", "write_atomically"]
