"""The files the application keeps under ``output/``: the cache of printed materials (blank
templates, handouts and their PDFs). Never a record's content: saved records and jobs live, sealed, in
the database.

Every file is written aside and moved into place (:func:`write_atomically`), so several processes
can write at once and nobody ever reads half a file. Nothing outside this package builds a path
under ``output/``.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

_NOT_PORTABLE = re.compile(r"[^A-Za-z0-9._-]+")
_log = logging.getLogger(__name__)


class OutputStore:
    """The folder of generated files that are not records: batch jobs and printed materials.
    (Issued records are never written here: their copies are rendered again on demand.)"""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def check_writable(self) -> None:
        """Raise OSError when a file could not be written now (missing, read-only, full)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.directory, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())


class MaterialCache:
    """Printed materials (blank templates, handouts and their PDFs) under a content key: a file is
    produced once per content and kept until that content changes."""

    def __init__(self, directory: Path):
        self.directory = Path(directory) / "cache" / "materials"

    def path(self, stem: str, suffix: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f"{_NOT_PORTABLE.sub('-', stem)}.{suffix}"

    def keep(self, path: Path, data: bytes) -> None:
        if path.parent != self.directory:
            raise ValueError(f"{path} is not in the materials cache")
        write_atomically(path, data)


def write_atomically(target: Path, data: bytes) -> None:
    """Write aside, then move into place: readers see the old file or the new one, never half."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def file_in_place(path: str | Path) -> str:
    """``path`` for a file another library keeps (the job queue's SQLite file), its folder made."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def publish_once(target: Path, content: str) -> None:
    """Write ``content`` to ``target`` unless another process got there first.

    The file is complete before it becomes visible (written aside, then hard-linked into place, which
    fails if the target exists), so a concurrent reader never sees it half-written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
        os.link(temp_name, target)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp_name)
