"""One writer at a time on the SQLite file (storage.sqlite_writer): a second writer waits for the
first one's transaction to end, goes on as soon as it does, and readers never wait."""
import sqlite3
import threading

import pytest
from sqlalchemy import text

from tests.database import TEST_DATABASE_URL
from webforms.storage.database import db
from webforms.storage.sqlite_writer import OneWriterConnection


def connect(path, timeout: float = 5.0) -> OneWriterConnection:
    return sqlite3.connect(path, factory=OneWriterConnection, timeout=timeout,
                           check_same_thread=False)


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "writers.sqlite3"
    with connect(path) as setup:
        setup.execute("PRAGMA journal_mode = WAL")
        setup.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
    return path


def test_a_second_writer_waits_for_the_first_transaction_and_goes_on_when_it_ends(database):
    first, second = connect(database), connect(database)
    first.execute("INSERT INTO numbers VALUES (1)")
    assert first.writer.held
    wrote = threading.Event()

    def write_next():
        second.execute("INSERT INTO numbers VALUES (2)")
        wrote.set()
        second.commit()

    writer = threading.Thread(target=write_next)
    writer.start()
    assert not wrote.wait(0.3)  # it waits in line, not in an error
    assert first.execute("SELECT COUNT(*) FROM numbers").fetchone() == (1,)
    first.commit()
    assert not first.writer.held
    assert wrote.wait(5)
    writer.join(5)
    assert connect(database).execute("SELECT n FROM numbers ORDER BY n").fetchall() == [(1,), (2,)]


def test_readers_do_not_wait_for_the_writer(database):
    writer, reader = connect(database), connect(database)
    writer.execute("INSERT INTO numbers VALUES (1)")
    assert reader.execute("SELECT COUNT(*) FROM numbers").fetchone() == (0,)
    assert not reader.writer.held
    writer.rollback()


def test_the_lock_is_let_go_after_a_rollback_a_failed_statement_and_a_close(database):
    first, second = connect(database, timeout=0.5), connect(database, timeout=0.5)
    first.execute("INSERT INTO numbers VALUES (1)")
    first.rollback()
    second.execute("INSERT INTO numbers VALUES (1)")
    second.commit()
    with pytest.raises(sqlite3.IntegrityError):
        first.execute("INSERT INTO numbers VALUES (1)")
    first.rollback()
    assert not first.writer.held
    second.execute("INSERT INTO numbers VALUES (2)")
    second.close()
    first.execute("INSERT INTO numbers VALUES (3)")
    first.commit()


def test_a_writer_that_waits_too_long_gets_database_is_locked(database):
    first, second = connect(database), connect(database, timeout=0.2)
    first.execute("INSERT INTO numbers VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        second.execute("INSERT INTO numbers VALUES (2)")
    first.commit()
    second.execute("INSERT INTO numbers VALUES (2)")
    second.commit()


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the application on SQLite only")
def test_the_application_writes_through_it(app):
    with app.app_context():
        connection = db.session.connection().connection.dbapi_connection
        assert isinstance(connection, OneWriterConnection)
        db.session.execute(text("UPDATE audit_head SET last_id = last_id WHERE id = 1"))
        assert connection.writer.held
        db.session.rollback()
        assert not connection.writer.held
