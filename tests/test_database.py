"""The database's migrations: the register of an installation that predates them is kept."""
import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from tests.accounts import TEST_KEYS
from tests.database import TEST_DATABASE_URL
from webforms import create_app

# The register as the application kept it before the database layer (raw SQLite).
OLD_REGISTER = """
CREATE TABLE issued_documents (
    number TEXT PRIMARY KEY, code TEXT NOT NULL, year INTEGER NOT NULL, sequence INTEGER NOT NULL,
    document_key TEXT NOT NULL, version INTEGER NOT NULL, template_sha256 TEXT NOT NULL,
    issued_at TEXT NOT NULL, UNIQUE (code, year, sequence));
"""


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="an installation of the SQLite default")
def test_upgrading_an_installation_keeps_its_numbers_and_never_reuses_one(tmp_path):
    import flask_migrate

    from tests.helpers import issued_count, register_number
    from webforms.storage.database import migrations
    from webforms.storage.register import DocumentRegister

    database = tmp_path / "webforms.sqlite3"
    with closing(sqlite3.connect(database)) as connection:
        connection.executescript(OLD_REGISTER)
        connection.executemany("INSERT INTO issued_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (f"F1.G34.P-2026-{n:06d}", "F1.G34.P", 2026, n, "registro_reunion", 1, "0" * 64,
             "2026-11-20T10:00:00+00:00") for n in (1, 2, 7)])
        connection.commit()
    app = create_app({**TEST_KEYS, "DATABASE": str(database), "DATABASE_URL": None,
                      "OUTPUT_DIR": tmp_path / "output"})
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade()
        register = DocumentRegister()
        assert register.find("F1.G34.P-2026-000007").document_key == "registro_reunion"
        issued = register_number("F1.G34.P", "registro_reunion", 1, "1" * 64,
                                dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
        assert issued.number == "F1.G34.P-2026-000008" and issued_count() == 4


def test_job_names_of_an_installation_are_sealed_by_the_upgrade_and_opened_by_a_downgrade(
        tmp_path):
    import flask_migrate
    import sqlalchemy as sa

    from webforms.jobs import service as jobs
    from webforms.storage.database import db, migrations
    from webforms.storage.models import Job

    app = create_app({**TEST_KEYS, "DATABASE": str(tmp_path / "webforms.sqlite3"),
                      "DATABASE_URL": None, "OUTPUT_DIR": tmp_path / "output"})
    plain = {"label": "Lista de Ana Torres.xlsx", "result_name": "Lote de Ana.zip"}
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade(revision="0006")
        now = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO jobs (id, kind, state, label, result_name, done, total, attempts, "
                "created_at, updated_at) VALUES ('j' || :z, 'batch', 'done', :label, "
                ":result_name, 2, 2, 1, :now, :now)"), {"z": "0" * 31, "now": now, **plain})
            connection.execute(sa.text(
                "INSERT INTO job_parts VALUES ('j' || :z, 2, '002 Ana Torres.docx', :data), "
                "('j' || :z, 3, '', :data)"), {"z": "0" * 31, "data": jobs.seal(b"docx")})
        flask_migrate.upgrade()
        job = db.session.get(Job, "j" + "0" * 31)
        assert (job.label, job.result_name) == (plain["label"], plain["result_name"])
        assert [name for name, _data in jobs.parts(job)] == ["002 Ana Torres.docx"]
        assert jobs.left_out(job) == [3]
        db.session.remove()
        with db.engine.connect() as connection:
            assert "Ana" not in repr(connection.execute(sa.text(
                "SELECT * FROM jobs JOIN job_parts ON job_parts.job_id = jobs.id")).all())
        flask_migrate.downgrade(revision="0006")
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT label, result_name FROM jobs")).one() == \
                tuple(plain.values())
            assert connection.execute(sa.text(
                "SELECT name FROM job_parts ORDER BY position")).scalars().all() == \
                ["002 Ana Torres.docx", ""]


def test_upgrading_keeps_the_rows_that_reference_a_rebuilt_table(tmp_path):
    """SQLite alters a table by copying it and dropping the old one (0006 does so to ``records``);
    with foreign keys on, the drop would delete every revision of every record."""
    import flask_migrate
    import sqlalchemy as sa

    from webforms.storage.database import db, migrations

    app = create_app({**TEST_KEYS, "DATABASE": str(tmp_path / "webforms.sqlite3"),
                      "DATABASE_URL": None, "OUTPUT_DIR": tmp_path / "output"})
    now = "2026-11-20T10:00:00+00:00"
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade(revision="0005")
        with db.engine.begin() as connection:
            team = connection.execute(sa.text("SELECT id FROM teams LIMIT 1")).scalar() or \
                connection.execute(sa.text("INSERT INTO teams (name) VALUES ('Equipo Sur') "
                                           "RETURNING id")).scalar()
            connection.execute(sa.text(
                "INSERT INTO records (id, team_id, document_key, status, number, revision, "
                "changed_since_issue, created_at, updated_at) VALUES (1, :team, "
                "'registro_reunion', 'issued', 'F1.G34.P-2026-000001', 1, 0, :now, :now)"),
                {"team": team, "now": now})
            connection.execute(sa.text(
                "INSERT INTO record_revisions (record_id, revision, number, issued_at, "
                "template_version, template_sha256, file_sha256, language) VALUES "
                "(1, 1, 'F1.G34.P-2026-000001', :now, 1, :sha, :sha, 'es')"),
                {"now": now, "sha": "0" * 64})
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT record_id, revision FROM record_revisions")).all() == [(1, 1)]


def test_a_migration_run_in_the_process_leaves_the_application_logging(tmp_path):
    """Alembic configures its own logging; it must not disable the application's logger (the
    tests migrate in-process, and an error logged afterwards would be lost)."""
    import logging

    import flask_migrate

    from webforms.storage.database import migrations

    app = create_app({**TEST_KEYS, "DATABASE": str(tmp_path / "webforms.sqlite3"),
                      "DATABASE_URL": None, "OUTPUT_DIR": tmp_path / "output"})
    app.logger.info("the application's logger exists before the migration")
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade()
    assert not logging.getLogger(app.name).disabled
