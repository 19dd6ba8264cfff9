"""Numbers for issued copies: each is taken once, from the register, never reused."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app

from ..catalogue import ControlledDocument
from ..documents.engine import Issue, template_sha256
from ..storage import DocumentRegister


def document_register() -> DocumentRegister:
    return DocumentRegister(Path(current_app.config["DATABASE"]))


def issue_copy(document: ControlledDocument) -> Issue:
    """Take a unique number for a new copy of the document's current version."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sha = template_sha256(document.template)
    issued = document_register().issue(document.code, document.key, document.version, sha, now)
    return Issue(number=issued.number, issued_at=now, version=document.version,
                 template_sha256=sha)
