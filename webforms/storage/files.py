"""The files the application keeps under ``output/``: copies of issued documents, batch jobs, and
the cache of printed materials.

Every file is written aside and moved into place (:func:`write_atomically`), so several processes
can write at once and nobody ever reads half a file. Nothing outside this package builds a path
under ``output/``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
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

    def check_writable(self) -> None:
        """Raise OSError when a copy could not be written now (missing, read-only, full)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.directory, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())

    def check_ready(self, room: int = 16 * 1024 * 1024) -> None:
        """Raise OSError, cheaply, when a copy could not be written now: the folder cannot be made,
        is not writable, is on a read-only file system or has less than ``room`` bytes free."""
        self.directory.mkdir(parents=True, exist_ok=True)
        space = os.statvfs(self.directory)
        if not os.access(self.directory, os.W_OK) or space.f_flag & os.ST_RDONLY:
            raise PermissionError(f"{self.directory} is not writable")
        if space.f_bavail * space.f_frsize < room:
            raise OSError(errno.ENOSPC, f"less than {room} bytes free in {self.directory}")

    def save(self, data: bytes, filename: str, now: dt.datetime | None = None) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / unique_name(filename, now)
        write_atomically(target, data)
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


class BatchJobStore:
    """Batch jobs on disk, one folder each: the uploaded file, a status file and the result.

    Every gunicorn worker sees the same folders, so the page that shows progress can be served by
    any process, and a job outlives the request that started it.
    """

    STATUS = "status.json"
    RESULT = "result.zip"
    _JOB_ID = re.compile(r"^[0-9a-f]{32}$")

    def __init__(self, directory: Path):
        self.directory = Path(directory) / "batches"

    def create(self, upload_name: str, data: bytes, **status) -> str:
        job_id = uuid.uuid4().hex
        folder = self.directory / job_id
        folder.mkdir(parents=True)
        write_atomically(folder / "upload", data)
        self.update(job_id, upload_name=upload_name, **status)
        return job_id

    def exists(self, job_id: str) -> bool:
        return bool(self._JOB_ID.match(job_id or "")) and (self.directory / job_id).is_dir()

    def status(self, job_id: str) -> dict | None:
        if not self.exists(job_id):
            return None
        try:
            return json.loads((self.directory / job_id / self.STATUS).read_text("utf-8"))
        except FileNotFoundError:
            return None

    def update(self, job_id: str, **fields) -> dict:
        status = (self.status(job_id) or {}) | fields
        status["updated_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
        write_atomically(self.directory / job_id / self.STATUS,
                          json.dumps(status, ensure_ascii=False).encode("utf-8"))
        return status

    def upload(self, job_id: str) -> bytes:
        return (self.directory / job_id / "upload").read_bytes()

    def result_path(self, job_id: str) -> Path:
        return self.directory / job_id / self.RESULT

    @contextlib.contextmanager
    def writing_result(self, job_id: str):
        """A path to write the result to; it becomes :meth:`result_path` only when the block
        completes, and is removed if it fails."""
        partial = self.directory / job_id / (self.RESULT + ".partial")
        try:
            yield partial
            os.replace(partial, self.result_path(job_id))
        finally:
            partial.unlink(missing_ok=True)


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
