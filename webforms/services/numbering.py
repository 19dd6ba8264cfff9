"""Numbers for issued copies: each is taken once, from the register, never reused, and only by a
copy that was actually produced."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from ..catalogue import ControlledDocument
from ..documents.engine import Issue, template_sha256
from ..storage import DocumentRegister


def document_register() -> DocumentRegister:
    return DocumentRegister(Path(current_app.config["DATABASE"]))


@contextmanager
def numbered_copy(document: ControlledDocument):
    """A unique number for a new copy of the document's current version, kept in the register
    only if the block that produces the copy completes."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sha = template_sha256(document.template)
    with document_register().reserve(document.code, document.key, document.version, sha,
                                     now) as issued:
        yield Issue(number=issued.number, issued_at=now, version=document.version,
                    template_sha256=sha)
