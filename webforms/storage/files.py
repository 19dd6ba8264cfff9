"""The files the application keeps under ``output/``: the cache of printed materials (blank
templates, handouts and their PDFs). Never a record's content: saved records and jobs live,
sealed, in the database.

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


# What the installation keeps (databases, their WAL and shared-memory files, the queue, the rate
# limits, the keys) is read by this product's user alone: files 0600, folders 0700.
PRIVATE_UMASK = 0o077
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
# SQLite's companions of a database file; it gives them the database file's own mode.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal", "-writer.lock")


def create_privately() -> None:
    """From now on this process creates files only its user can read (umask 077): SQLite, Huey
    and the key files take it from the process."""
    os.umask(PRIVATE_UMASK)


def keep_private(instance_dir: str | Path, databases: tuple[str | Path, ...] = ()) -> None:
    """Files created privately from now on, and what already exists in ``instance_dir`` and
    beside the SQLite ``databases`` (an installation made before, a file copied in) made private
    too."""
    create_privately()
    folder = Path(instance_dir)
    if folder.is_dir():
        _make_private(folder)
        for path in folder.rglob("*"):
            _make_private(path)
    for database in databases:
        for suffix in SQLITE_COMPANIONS:
            _make_private(Path(f"{database}{suffix}"))


def _make_private(path: Path) -> None:
    """0700 for a folder, 0600 for a file; links and other kinds are left as they are."""
    try:
        if path.is_symlink():
            return
        if path.is_dir():
            path.chmod(PRIVATE_FOLDER)
        elif path.is_file():
            path.chmod(PRIVATE_FILE)
    except OSError as error:  # another user's file, or gone meanwhile: say so, never stop
        _log.warning("could not make %s private: %s", path, error)
