"""Rate-limit counters in SQLite, shared by every worker of one machine.

Flask-Limiter keeps its counters in a storage of the ``limits`` library: memory (one per process:
two workers would each allow the limit), Redis, Memcached… The embedded default has no service to
start, so the counters live here, in a SQLite file beside the register, under the scheme
``webforms+sqlite://``; with ``WEBFORMS_REDIS_URL`` Redis is used instead. Only the fixed-window
strategy is offered (``incr``/``get``/``get_expiry``), which is what the application configures.

A counter's key holds what the limit counts by: an address, or what was typed in the sign-in
page's e-mail box. The file keeps only a keyed hash of it (HMAC-SHA-256 with ``hash_key``, a key
the application derives from its secret key): a copy of the file reveals no address typed.
"""
from __future__ import annotations

import hashlib
import hmac
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import Storage

from webforms.storage.database import use_wal

SCHEMA = ("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, "
          "expires_at REAL NOT NULL)")


def set_up(connection: sqlite3.Connection) -> None:
    """WAL and the table, on a file several workers may open for the first time at once."""
    use_wal(connection)
    connection.execute(SCHEMA)


class SQLiteLimitStorage(Storage):
    STORAGE_SCHEME = ["webforms+sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(uri.split("://", 1)[1])
        self._hash_key = str(options.get("hash_key", "")).encode()
        self._local = threading.local()

    def _stored(self, key: str) -> str:
        """The counter's key as the file keeps it: a keyed hash, never the text."""
        return hmac.new(self._hash_key, key.encode(), hashlib.sha256).hexdigest()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            set_up(connection)
            self._local.connection = connection
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        key, now = self._stored(key), time.time()
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("DELETE FROM counters WHERE key = ? AND expires_at <= ?", (key, now))
            connection.execute(
                "INSERT INTO counters VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry))
            (value,) = connection.execute("SELECT value FROM counters WHERE key = ?",
                                          (key,)).fetchone()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return value

    def get(self, key: str) -> int:
        key = self._stored(key)
        row = self._connection().execute(
            "SELECT value FROM counters WHERE key = ? AND expires_at > ?",
            (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        key = self._stored(key)
        row = self._connection().execute(
            "SELECT expires_at FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        self._connection().execute("SELECT 1")
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        key = self._stored(key)
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
