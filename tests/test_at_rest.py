"""What the installation keeps on disk: no typed text in plaintext anywhere under ``instance/``
(databases, their WAL and shared-memory files, the job queue, the rate-limit counters), and every
file there readable by the product's user alone."""
from __future__ import annotations

import secrets
import sqlite3
import string
from contextlib import closing
from pathlib import Path

import pytest

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import TEST_DATABASE_URL, database_config
from tests.factories import as_xlsx, person, run_queue, upload
from tests.helpers import sign_in
from webforms import create_app
from webforms.jobs import service as jobs
from webforms.storage.database import db
from webforms.storage.models import Job


def marker() -> str:
    """A word found nowhere else: letters only, so every form field takes it."""
    return "Marca" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(16))


@pytest.fixture
def instance(tmp_path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def at_rest_app(instance, tmp_path):
    """An app whose every file is in ``instance/``: the database, the queue (jobs wait on it until
    the test runs them, as a consumer would), the rate limits, and keys generated there."""
    keys = {key: value for key, value in TEST_KEYS.items()
            if key not in ("VERIFICATION_KEY", "TOTP_KEY")}
    return create_app({"TESTING": True, **keys, "TWO_FACTOR_FOR_ADMINS": False,
                       "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": tmp_path / "output",
                       "INSTANCE_DIR": str(instance), **database_config(instance),
                       "JOBS_IMMEDIATE": False, "PDF_WAIT_SECONDS": 0})


def plaintext_files(folder: Path, *markers: str) -> dict[str, list[str]]:
    """The files under ``folder`` whose raw bytes hold one of ``markers``, marker by marker."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {word: [str(path) for path in files if word.encode() in path.read_bytes()]
            for word in markers}


def checkpoint(folder: Path) -> None:
    """Every SQLite file's WAL written into the file itself."""
    for path in folder.glob("*.sqlite3"):
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_typed_names_and_e_mails_are_in_no_file_in_plaintext(at_rest_app, instance):
    person_name, file_name, typed_email = marker(), marker(), marker().lower()
    client = sign_in(at_rest_app.test_client(), TEAM_MEMBER)
    rows = [person(1, **{"Nombre del/de la gestor/a de casos": f"Ana {person_name}"}), person(2)]
    response = upload(client, as_xlsx(rows), f"{file_name}.xlsx")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert run_queue(at_rest_app) >= 1
    status_url = response.headers["Location"]
    archive = client.get(status_url + "/zip")
    assert archive.status_code == 200 and person_name.encode() in archive.data  # it was issued
    with at_rest_app.app_context():
        job = db.session.scalar(db.select(Job))
        assert job.state == jobs.DONE and job.label == f"{file_name}.xlsx"  # read back unsealed
        assert [name for name, _data in jobs.parts(job)][0].startswith("002 Ana " + person_name)  # row 2
    refused = at_rest_app.test_client().post("/cuenta/ingresar", data={
        "email": f"{typed_email}@example.org", "password": "no es la clave de nadie 2026"})
    assert refused.status_code == 200  # the sign-in page again: the failure was counted
    assert (instance / "limits.sqlite3").exists()

    markers = (person_name, file_name, typed_email)
    assert plaintext_files(instance, *markers) == {word: [] for word in markers}
    checkpoint(instance)
    assert plaintext_files(instance, *markers) == {word: [] for word in markers}


def test_every_file_in_instance_is_the_users_alone(at_rest_app, instance):
    client = sign_in(at_rest_app.test_client(), TEAM_MEMBER)
    response = upload(client, as_xlsx([person(1)]), "filas.xlsx")
    assert response.status_code == 303
    run_queue(at_rest_app)
    at_rest_app.test_client().post("/cuenta/ingresar", data={"email": "nadie@example.org",
                                                             "password": "otra clave 2026 x"})
    names = {path.name for path in instance.rglob("*")}
    # The databases written in WAL mode, the queue, the counters and the generated keys (the
    # records' database is a file here unless the run is on PostgreSQL).
    database = set() if TEST_DATABASE_URL else {"webforms.sqlite3", "webforms.sqlite3-wal",
                                                "webforms.sqlite3-shm"}
    assert database | {"jobs.sqlite3", "limits.sqlite3", "verification_key", "totp_key"} <= names, \
        names
    modes = {str(path): oct(path.stat().st_mode & 0o777) for path in instance.rglob("*")}
    expected = {path: oct(0o700 if Path(path).is_dir() else 0o600) for path in modes}
    assert modes == expected
    assert oct(instance.stat().st_mode & 0o777) == oct(0o700)


def test_files_made_before_are_made_private_at_start(instance, tmp_path):
    """An installation made before (its files 0644): the next start makes them private."""
    instance.mkdir(mode=0o755)
    old = instance / "webforms.sqlite3-wal"
    old.write_bytes(b"")
    old.chmod(0o644)
    app = create_app({"TESTING": True, **TEST_KEYS, "INSTANCE_DIR": str(instance),
                      "OUTPUT_DIR": tmp_path / "output", **database_config(instance)})
    assert app and oct(old.stat().st_mode & 0o777) == oct(0o600)
    assert oct(instance.stat().st_mode & 0o777) == oct(0o700)
