"""One writer at a time on the SQLite file, handed over at once.

SQLite lets one connection write at a time. Another one that wants to write waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10… up to 100 ms between tries. Under a burst (several people
issuing at once across the web workers, a batch in the job consumer) most of that wait is sleep:
the file was free long before the writer woke up, the processors sit idle meanwhile, and a few
unlucky requests wait many times longer than the rest.

So a connection about to begin writing first takes an exclusive lock on a file beside the database
(``<database>-writer.lock``), trying every half millisecond, and lets it go when its transaction
ends; SQLite's own lock is then free when it asks. Every connection the application opens through
SQLAlchemy does this (:class:`OneWriterConnection` is their class), in every process: threads and
processes alike wait in line for one short transaction, not for a sleep. One waiting longer than
the busy timeout gets SQLite's own "database is locked", as before. PostgreSQL needs none of this:
its row locks wake the next writer.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
POLL_SECONDS = 0.0005


class WriterLock:
    """The exclusive lock on ``path``, held by one connection at a time."""

    def __init__(self, path: str):
        self.path = path
        self.descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self.descriptor is not None

    def acquire(self, timeout: float) -> None:
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.descriptor = descriptor
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(descriptor)
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        if self.descriptor is not None:
            descriptor, self.descriptor = self.descriptor, None
            os.close(descriptor)  # closing the file lets the lock go


class OneWriterConnection(sqlite3.Connection):
    """A sqlite3 connection that takes the writer lock before its first write of a transaction
    (the statement that makes sqlite3 begin one) and gives it back when the transaction ends."""

    def __init__(self, database, *args, timeout: float = 5.0, **kwargs):
        super().__init__(database, *args, timeout=timeout, **kwargs)
        self.busy_timeout = timeout
        memory = str(database) in ("", ":memory:") or str(database).startswith("file:")
        self.writer = None if memory else WriterLock(f"{os.fspath(database)}-writer.lock")

    def cursor(self, factory=None):
        return super().cursor(factory or OneWriterCursor)

    # sqlite3's shortcuts run a cursor of their own in C: through ours instead.
    def execute(self, statement, parameters=()):
        return self.cursor().execute(statement, parameters)

    def executemany(self, statement, parameters):
        return self.cursor().executemany(statement, parameters)

    def before(self, statement: str) -> None:
        if (self.writer is not None and not self.writer.held and not self.in_transaction
                and statement.lstrip()[:7].upper().startswith(WRITES)):
            self.writer.acquire(self.busy_timeout)

    def after(self) -> None:
        if self.writer is not None and not self.in_transaction:  # it ended, or never began
            self.writer.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.after()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.after()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.writer is not None:
                self.writer.release()


class OneWriterCursor(sqlite3.Cursor):
    def execute(self, statement, parameters=()):
        return self._in_line(super().execute, statement, parameters)

    def executemany(self, statement, parameters):
        return self._in_line(super().executemany, statement, parameters)

    def _in_line(self, run, statement, parameters):
        """``run`` the statement, the writer lock taken first when it begins a transaction."""
        self.connection.before(statement)
        try:
            return run(statement, parameters)
        finally:
            self.connection.after()
