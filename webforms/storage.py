"""Where generated documents are kept.

All file-system access for generated records goes through :class:`OutputStore`, so a later
database-backed store (saved records, audit log) replaces this module and nothing else.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
import uuid
from pathlib import Path

_NOT_PORTABLE = re.compile(r"[^A-Za-z0-9._-]+")


class OutputStore:
    """Keeps a copy of every generated file under a unique name.

    Several processes may write at the same time: each file is written aside and moved into place
    with :func:`os.replace`, so nobody ever sees a half-written or another request's document.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def save(self, data: bytes, filename: str, now: dt.datetime | None = None) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / unique_name(filename, now)
        fd, temp_name = tempfile.mkstemp(dir=self.directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target


def unique_name(filename: str, now: dt.datetime | None = None) -> str:
    """ASCII name with a timestamp and a random part: readable in a listing, never reused."""
    now = now or dt.datetime.now(dt.timezone.utc)
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, "bin"
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = _NOT_PORTABLE.sub("-", ascii_stem).strip("-.")[:100] or "document"
    return f"{ascii_stem}_{now:%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:12]}.{suffix}"
