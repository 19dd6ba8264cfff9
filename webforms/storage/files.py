"""The files the application keeps under ``output/``: batch jobs (kept a day) and the cache of
printed materials. Never a record's content: saved records live sealed in the database.

Every file is written aside and moved into place (:func:`write_atomically`), so several processes
can write at once and nobody ever reads half a file. Nothing outside this package builds a path
under ``output/``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
import uuid
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

    def expire(self, before: dt.datetime, dry_run: bool = False) -> list[str]:
        """Remove the jobs nothing has touched since ``before`` (upload, status and result
        together); returns their ids, or with ``dry_run`` the ids that would go. A folder that
        cannot be removed is logged and left out of the list."""
        if not self.directory.is_dir():
            return []
        with os.scandir(self.directory) as entries:
            expired = sorted(entry.name for entry in entries
                             if self._JOB_ID.match(entry.name) and entry.is_dir()
                             and _last_change(Path(entry.path)) < before.timestamp())
        if dry_run:
            return expired
        removed = []
        for job_id in expired:
            try:
                shutil.rmtree(self.directory / job_id)
            except FileNotFoundError:  # another process removed it meanwhile
                pass
            except OSError:
                _log.exception("batch job %s could not be removed", job_id)
                continue
            removed.append(job_id)
        return removed


def _last_change(folder: Path) -> float:
    """When anything in ``folder`` (or the folder itself) last changed, as a timestamp; a folder
    removed meanwhile counts as never old."""
    try:
        latest = folder.stat().st_mtime
        with os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(FileNotFoundError):  # written aside, then moved
                    latest = max(latest, entry.stat(follow_symlinks=False).st_mtime)
    except FileNotFoundError:
        return float("inf")
    return latest


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
