"""The register of issued documents: a unique number for every generated copy.

SQLite, in WAL mode, serialises the allocation of numbers between threads and processes: the
``INSERT … RETURNING`` of a new number runs inside an immediate transaction, so two servers writing
at the same moment never receive the same number. Only metadata is kept (number, code, version,
template hash, time): never the content of a record.

Each thread keeps one connection per register file for the life of the process (a batch allocates
a thousand numbers, a server thread thousands): opening a connection costs more than the insert.
A connection is never shared between threads, nor used in a process forked after it was opened.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS issued_documents (
    number TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    document_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    template_sha256 TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    UNIQUE (code, year, sequence)
);
"""


@dataclass(frozen=True)
class IssuedDocument:
    number: str
    code: str
    document_key: str
    version: int
    template_sha256: str
    issued_at: dt.datetime


_prepared: set[Path] = set()
_prepare_lock = threading.Lock()
# This thread's open connections: register file -> (process id, connection).
_connections = threading.local()
CONNECTIONS_PER_THREAD = 8


class DocumentRegister:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection to the register, opened on first use."""
        opened = getattr(_connections, "by_path", None)
        if opened is None:
            opened = _connections.by_path = {}
        pid, connection = opened.get(self.path, (None, None))
        if pid != os.getpid():
            self._prepare()
            # timeout: how long to wait for another writer (thread or process) before failing.
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            if len(opened) >= CONNECTIONS_PER_THREAD:  # e.g. a test suite's many registers
                opened.pop(next(iter(opened)))[1].close()
            opened[self.path] = (os.getpid(), connection)
        return connection

    def _prepare(self) -> None:
        """Create the file, switch it to WAL and create the table, once per process.

        Switching the journal mode needs a moment alone with the file, which SQLite does not wait
        for, so another process doing the same at start-up is retried rather than fatal.
        """
        with _prepare_lock:
            if self.path in _prepared:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for attempt in range(50):
                try:
                    with closing(sqlite3.connect(self.path, timeout=30,
                                                 isolation_level=None)) as connection:
                        connection.execute("PRAGMA journal_mode=WAL")
                        connection.executescript(SCHEMA)
                    break
                except sqlite3.OperationalError:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
            _prepared.add(self.path)

    def issue(self, code: str, document_key: str, version: int, template_sha256: str,
              issued_at: dt.datetime) -> IssuedDocument:
        """Allocate the next number of ``code`` for the year of ``issued_at`` and record it."""
        with self.reserve(code, document_key, version, template_sha256, issued_at) as issued:
            return issued

    @contextmanager
    def reserve(self, code: str, document_key: str, version: int, template_sha256: str,
                issued_at: dt.datetime):
        """The next number, recorded only if the block completes: a copy that could not be
        produced (a full disk, a broken template) takes no number. Other writers wait meanwhile,
        so the block must be short (render and save one document)."""
        year = issued_at.year
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            (sequence,) = connection.execute(
                "SELECT COALESCE(MAX(sequence), 0) + 1 FROM issued_documents "
                "WHERE code = ? AND year = ?", (code, year)).fetchone()
            number = format_number(code, year, sequence)
            connection.execute(
                "INSERT INTO issued_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (number, code, year, sequence, document_key, version, template_sha256,
                 issued_at.isoformat()))
            yield IssuedDocument(number, code, document_key, version, template_sha256, issued_at)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def ping(self) -> None:
        """Raise sqlite3.Error when the register cannot be opened and read."""
        self._connect().execute("SELECT COUNT(*) FROM issued_documents WHERE number = ''")

    def find(self, number: str) -> IssuedDocument | None:
        row = self._connect().execute(
            "SELECT number, code, document_key, version, template_sha256, issued_at "
            "FROM issued_documents WHERE number = ?", (number.strip().upper(),)).fetchone()
        if row is None:
            return None
        return IssuedDocument(*row[:5], issued_at=dt.datetime.fromisoformat(row[5]))


def format_number(code: str, year: int, sequence: int) -> str:
    """``F1.G34.P-2026-000123``: the code, the year and a six-digit sequence."""
    return f"{code}-{year}-{sequence:06d}"
