"""The application's database: SQLAlchemy 2 through Flask-SQLAlchemy, schema by Alembic migrations.

One machine by default: SQLite in ``instance/`` (``instance/webforms.sqlite3``, the same file the
register of numbers always used), no service to start. Several servers: ``WEBFORMS_DATABASE_URL``
points at PostgreSQL. The schema is never created by hand: ``flask --app wsgi db upgrade`` applies
the migrations in ``storage/migrations`` (the serve command does it before starting).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
MIGRATIONS = Path(__file__).with_name("migrations")


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


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(connection, _record):
    """SQLite: wait for other writers instead of failing, enforce foreign keys, and use WAL so
    readers never block the writer (several gunicorn workers share the file)."""
    if type(connection).__module__.startswith("sqlite3"):
        cursor = connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
