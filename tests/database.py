"""A migrated database for each test: a copy of one SQLite file migrated once per run, or, when
``WEBFORMS_TEST_DATABASE_URL`` names a PostgreSQL server (the test command starts a throw-away
one), a new database created from a template migrated once per run."""
from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from contextlib import closing
from functools import cache
from pathlib import Path

import sqlalchemy as sa

TEST_DATABASE_URL = os.environ.get("WEBFORMS_TEST_DATABASE_URL")
TEMPLATE_NAME = "webforms_template"


def migrated(path: Path | str) -> None:
    """Apply every migration to the database an app built with ``config`` uses."""
    import flask_migrate

    from webforms import create_app

    app = create_app(_config_for(path) | {"SECRET_KEY": "migrate", "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()


def _config_for(target) -> dict:
    if isinstance(target, str) and "://" in target:
        return {"DATABASE_URL": target}
    return {"DATABASE": str(target)}


@cache
def _template_sqlite() -> Path:
    path = Path(tempfile.mkdtemp(prefix="webforms-template-")) / "webforms.sqlite3"
    migrated(path)
    return path


@cache
def _template_postgres() -> str:
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {TEMPLATE_NAME}"))
        connection.execute(sa.text(f"CREATE DATABASE {TEMPLATE_NAME}"))
    migrated(_url_of(TEMPLATE_NAME))
    return TEMPLATE_NAME


def _url_of(name: str) -> str:
    return str(sa.engine.make_url(TEST_DATABASE_URL).set(database=name))


def database_config(folder: Path) -> dict:
    """Settings pointing a new app at a freshly migrated database of its own."""
    if TEST_DATABASE_URL:
        name = f"test_{uuid.uuid4().hex[:16]}"
        admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {_template_postgres()}"))
        admin.dispose()
        return {"DATABASE_URL": _url_of(name), "DATABASE": str(Path(folder) / "unused.sqlite3")}
    target = Path(folder) / "webforms.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API copies the committed state, WAL included (a file copy could miss it).
    with closing(sqlite3.connect(_template_sqlite())) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return {"DATABASE": str(target)}
