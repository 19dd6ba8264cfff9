"""Everything the application keeps: generated files, batch jobs, the register of document numbers.

Views and services use only what this package exports, so a change of backend (for example
PostgreSQL for the register in a multi-instance deployment) stays inside it.
"""
from .files import BatchJobStore, OutputStore, unique_name
from .register import DocumentRegister, IssuedDocument

__all__ = ["BatchJobStore", "DocumentRegister", "IssuedDocument", "OutputStore", "unique_name"]
