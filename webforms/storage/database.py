"""The application's database: SQLAlchemy 2 through Flask-SQLAlchemy, schema by Alembic migrations.

One machine by default: SQLite in ``instance/`` (``instance/webforms.sqlite3``, the same file the
register of numbers always used), no service to start. Several servers: ``WEBFORMS_DATABASE_URL``
points at PostgreSQL. The schema is never created by hand: ``flask --app wsgi db upgrade`` applies
the migrations in ``storage/migrations`` (the serve command does it before starting).
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import click
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

from webforms.storage.sqlite_writer import OneWriterConnection

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_SECONDS = 30  # how long a writer waits for another one before "database is locked"


def register_migrations(app) -> None:
    """``flask --app wsgi db …``: Flask-Migrate's commands, on the command line only. A web
    worker never migrates, and Alembic would hold some 10 MiB in each one for nothing."""
    if click.get_current_context(silent=True) is not None:
        migrations(app)


def migrations(app):
    """Flask-Migrate set up for ``app`` (once): what ``flask_migrate.upgrade()`` and the ``db``
    commands use. The tests call it before migrating a database of their own."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    return app.extensions["migrate"]


def database_uri(config: dict) -> str:
    """``WEBFORMS_DATABASE_URL``, or the SQLite file of the local default."""
    url = config.get("DATABASE_URL")
    if url:
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{config['DATABASE']}"


def engine_options(config: dict) -> dict:
    """SQLAlchemy's engine options; on SQLite, connections that write one at a time, handed over
    at once (see storage.sqlite_writer), and wait as long as SQLite's own busy timeout."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:"):
        options["connect_args"] = {**options.get("connect_args", {}),
                                   "factory": OneWriterConnection, "timeout": BUSY_SECONDS}
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(connection, _record):
    """SQLite: wait for other writers instead of failing, enforce foreign keys, and use WAL so
    readers never block the writer (several gunicorn workers share the file)."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        use_wal(connection)


def use_wal(connection: sqlite3.Connection, tries: int = 100) -> None:
    """Put the file in WAL mode, unless it already is (the mode is kept in the file). Workers
    opening a file at the same moment can meet: a change of journal mode then gets "database is
    locked" at once, without waiting (SQLite gives up rather than risk a deadlock), so it is tried
    again a little later."""
    for attempt in range(tries):
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == tries - 1:
                raise
            time.sleep(0.01)


def execute_core(statement, parameters=None):
    """Run a Core statement (built once, at import) in the session's transaction, on its
    connection: past the ORM's layer, which would add its own preparation and an autoflush to
    each of the few statements every issue runs. Pending ORM changes are written at the next
    flush or at the commit, in the same transaction."""
    return db.session.connection().execute(statement, parameters)
