"""Everything the application keeps: issued copies, batch jobs, cached materials, the register of
document numbers, the generated secret key of the local default.

Views and services use only what this package exports, so a change of backend (for example
PostgreSQL for the register in a multi-instance deployment) stays inside it.
"""
from .files import (
    BatchJobStore,
    MaterialCache,
    OutputStore,
    publish_once,
    unique_name,
    write_atomically,
)
from .register import DocumentRegister, IssuedDocument

__all__ = ["BatchJobStore", "DocumentRegister", "IssuedDocument", "MaterialCache", "OutputStore",
           "publish_once", "unique_name", "write_atomically"]
