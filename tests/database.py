"""A migrated database for each test: a copy of one SQLite file migrated once per run, or, when
``WEBFORMS_TEST_DATABASE_URL`` names a PostgreSQL server (the test command starts a throw-away
one), a new database created from a template migrated once per run.

``WEBFORMS_TEST_DATABASE_URL`` is an administrator's URL (``postgresql+psycopg://postgres@host:port
/postgres``) of PostgreSQL 13 or later: it creates databases, and drops those of the run when it
ends (``WITH (FORCE)``), so a developer's own server does not fill up with them.
"""
from __future__ import annotations

import atexit
import os
import sqlite3
import tempfile
import uuid
from contextlib import closing
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

TEST_DATABASE_URL = os.environ.get("WEBFORMS_TEST_DATABASE_URL")
# Names of this run only: two runs (or pytest-xdist workers) may share a server.
TEMPLATE_NAME = f"webforms_template_{uuid.uuid4().hex[:12]}"
_created: list[str] = []  # this run's databases, dropped when it ends
# Where apps made by database_config convert PDFs: none (a LibreOffice started for each PDF), or
# the session's warm converter while a test marked `pdf` runs (tests/conftest.py sets it).
WARM_CONVERTERS: tuple = ()
# How many databases database_config has made in this process: tests/conftest.py checks that a
# test which made one is marked `db`, so the PostgreSQL pass does not leave it out.
made = [0]


def migrated(target: Path | str) -> None:
    """Apply every migration to ``target`` (a SQLite path or a database URL), then close every
    connection: PostgreSQL copies a template only while nobody is connected to it."""
    import flask_migrate

    from tests.accounts import TEST_KEYS, seed_accounts
    from webforms import create_app
    from webforms.storage.database import db, migrations

    app = create_app(_config_for(target) | TEST_KEYS | {"TESTING": True})
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade()
        seed_accounts()  # tests/accounts.py: the accounts every test database holds
        db.session.remove()
        db.engine.dispose()


def _config_for(target) -> dict:
    """The settings of the app that migrates ``target``. Its installation keys and rate-limit
    file go to a temporary folder, never to the checkout's ``instance/``."""
    scratch = Path(tempfile.mkdtemp(prefix="webforms-migrate-"))
    if isinstance(target, str) and "://" in target:
        return {"DATABASE_URL": target, "DATABASE": str(scratch / "unused.sqlite3"),
                "INSTANCE_DIR": str(scratch)}
    return {"DATABASE": str(target), "DATABASE_URL": None, "INSTANCE_DIR": str(scratch)}


@cache
def _template_sqlite() -> Path:
    path = Path(tempfile.mkdtemp(prefix="webforms-template-")) / "webforms.sqlite3"
    migrated(path)
    return path


@cache
def _admin() -> sa.Engine:
    """The server's maintenance database, where databases are created and dropped (no pool:
    nothing stays connected between two statements)."""
    return sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _create_database(name: str, template: str | None = None) -> str:
    with _admin().connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"
                                   + (f" TEMPLATE {template}" if template else "")))
    if not _created:
        atexit.register(_drop_created)
    _created.append(name)
    return name


def _drop_created() -> None:
    """At the end of the run, drop its databases, the template last. FORCE: an app of a test
    may still be connected."""
    with _admin().connect() as connection:
        for name in reversed(_created):
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@cache
def _template_postgres() -> str:
    """The template, migrated once per run."""
    migrated(_url_of(_create_database(TEMPLATE_NAME)))
    return TEMPLATE_NAME


def _url_of(name: str) -> str:
    url = sa.engine.make_url(TEST_DATABASE_URL).set(database=name)
    return url.render_as_string(hide_password=False)


def _postgres_config(folder: Path) -> dict:
    name = _create_database(f"test_{uuid.uuid4().hex[:16]}", template=_template_postgres())
    # DATABASE still matters: the rate limiter keeps its counters in a file beside it. The app
    # keeps its pool, as in production: the connections left when the run ends are closed by
    # the DROP ... WITH (FORCE) of _drop_created.
    return {"DATABASE_URL": _url_of(name), "DATABASE": str(Path(folder) / "unused.sqlite3")}


def database_config(folder: Path) -> dict:
    """Settings pointing a new app at a freshly migrated database of its own, with a job queue
    that runs each job at once in the test's process (tests/test_jobs.py runs real consumers) and
    PDFs converted by a LibreOffice started for them, or by the session's warm converter in a test
    marked `pdf`."""
    made[0] += 1
    jobs = {"JOBS_IMMEDIATE": True, "JOBS_DATABASE": str(Path(folder) / "jobs.sqlite3"),
            "CONVERTERS": WARM_CONVERTERS}
    # Each test's audit checkpoints are its own (never the checkout's instance/ folder).
    audit = {"AUDIT_CHECKPOINTS": str(Path(folder) / "audit-checkpoints.log")}
    # What the app generates in its instance folder (the signing certificate) is the test's too.
    instance = {"INSTANCE_DIR": str(folder)}
    return {**jobs, **audit, **instance, **_database_only(folder)}


def _database_only(folder: Path) -> dict:
    if TEST_DATABASE_URL:
        return _postgres_config(folder)
    return sqlite_database_config(folder)


def sqlite_database_config(folder: Path) -> dict:
    """A migrated SQLite database in ``folder``, in the PostgreSQL pass too (a SQLite
    installation moving to PostgreSQL, tests/test_backup.py)."""
    target = Path(folder) / "webforms.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API copies the committed state, WAL included (a file copy could miss it).
    with closing(sqlite3.connect(_template_sqlite())) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    # DATABASE_URL None: a WEBFORMS_DATABASE_URL in the environment must not redirect the tests.
    return {"DATABASE": str(target), "DATABASE_URL": None}


def empty_database_config(folder: Path) -> dict:
    """Settings pointing a new app at a database with nothing in it, not even the schema (a
    restore's target, tests/test_backup.py): a new PostgreSQL database in the PostgreSQL pass,
    else a SQLite file not yet created."""
    made[0] += 1
    if TEST_DATABASE_URL:
        name = _create_database(f"test_{uuid.uuid4().hex[:16]}")
        return {"DATABASE_URL": _url_of(name), "DATABASE": str(Path(folder) / "unused.sqlite3")}
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {"DATABASE": str(Path(folder) / "webforms.sqlite3"), "DATABASE_URL": None}
