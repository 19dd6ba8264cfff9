"""The register of issued documents: a unique number for every generated copy.

A number is taken by incrementing its code's counter row for the year (``number_counters``) inside
a transaction that also records the copy: the row is locked (PostgreSQL) or the database is
(SQLite, which waits for the other writer), so two servers writing at the same moment never get the
same number, and a copy that could not be produced gives its number back with the rollback. Only
metadata is kept (number, code, version, template hash, time): never the content of a record.

Table access only: which number a copy takes, and in which transaction, is the numbering
service's (records.numbering), always the caller's own transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from webforms.storage.database import db
from webforms.storage.models import IssuedDocument as IssuedRow
from webforms.storage.models import NumberCounter


@dataclass(frozen=True)
class IssuedDocument:
    number: str
    code: str
    document_key: str
    version: int
    template_sha256: str
    issued_at: dt.datetime


class DocumentRegister:
    """The register in the application's database (use inside an application context)."""

    def ping(self) -> None:
        """Raise when the register cannot be read."""
        with db.engine.connect() as connection:
            connection.execute(select(IssuedRow.number).limit(1))

    def find(self, number: str) -> IssuedDocument | None:
        with db.engine.connect() as connection:
            row = connection.execute(select(
                IssuedRow.number, IssuedRow.code, IssuedRow.document_key, IssuedRow.version,
                IssuedRow.template_sha256, IssuedRow.issued_at).where(
                IssuedRow.number == number.strip().upper())).first()
        if row is None:
            return None
        return IssuedDocument(*row[:5], issued_at=dt.datetime.fromisoformat(row[5]))


def take_number(connection, code: str, document_key: str, version: int, template_sha256: str,
                issued_at: dt.datetime) -> IssuedDocument:
    """Take the next number of ``code`` in ``connection``'s transaction: it is kept only if that
    transaction commits (a saved record's issue does this in the session that saves it)."""
    return take_numbers(connection, code, document_key, version, template_sha256, issued_at)[0]


def take_numbers(connection, code: str, document_key: str, version: int, template_sha256: str,
                 issued_at: dt.datetime, count: int = 1) -> list[IssuedDocument]:
    """The next ``count`` numbers of ``code``, consecutive, taken with one update of the counter
    (a batch numbers its documents a few at a time)."""
    year = issued_at.year
    last = _next_sequence(connection, code, year, count)
    rows = [{"number": format_number(code, year, sequence), "code": code, "year": year,
             "sequence": sequence, "document_key": document_key, "version": version,
             "template_sha256": template_sha256, "issued_at": issued_at.isoformat()}
            for sequence in range(last - count + 1, last + 1)]
    connection.execute(ISSUED_INSERT, rows)
    return [IssuedDocument(row["number"], code, document_key, version, template_sha256,
                           issued_at) for row in rows]


def _counter_upsert(dialect_insert):
    """``INSERT … ON CONFLICT (code, year) DO UPDATE SET last = last + :count RETURNING last``:
    the counter created at ``count`` the first time, else moved on by ``count``."""
    statement = dialect_insert(NumberCounter).values(
        code=bindparam("code"), year=bindparam("year"), last=bindparam("count"))
    return statement.on_conflict_do_update(
        index_elements=[NumberCounter.code, NumberCounter.year],
        set_={"last": NumberCounter.last + statement.excluded.last}).returning(NumberCounter.last)


# One statement per database, built once: taking a number is on every issue's path.
COUNTER_UPSERT = {"postgresql": _counter_upsert(postgresql.insert),
                  "sqlite": _counter_upsert(sqlite.insert)}
ISSUED_INSERT = insert(IssuedRow)


def _next_sequence(connection, code: str, year: int, count: int = 1) -> int:
    """Add ``count`` to the counter of ``code`` and ``year`` (created the first time) and give
    its new value, in one statement. The row stays locked until the transaction ends (SQLite:
    the database's write lock); a concurrent creation waits, then moves the row it finds."""
    return connection.execute(COUNTER_UPSERT[connection.dialect.name],
                              {"code": code, "year": year, "count": count}).scalar_one()


def format_number(code: str, year: int, sequence: int) -> str:
    """``F1.G34.P-2026-000123``: the code, the year and a six-digit sequence."""
    return f"{code}-{year}-{sequence:06d}"
