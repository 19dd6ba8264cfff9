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
        issued = register.issue("F1.G34.P", "registro_reunion", 1, "1" * 64,
                                dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
        assert issued.number == "F1.G34.P-2026-000008" and register.count() == 4
