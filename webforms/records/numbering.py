"""Numbers for issued copies: each is taken once, from the register, never reused, and only by a
copy that was actually produced."""
from __future__ import annotations

from webforms.common.codes import check_code, code_matches  # noqa: F401  (the numbers' codes)
from webforms.storage import DocumentRegister


def document_register() -> DocumentRegister:
    return DocumentRegister()
