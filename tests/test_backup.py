"""Backups (webforms.backup, docs/backups.md): nothing readable without the passphrase or the
private key, a damaged part named, a restore that never lands on an installation holding data, a
folder or an S3 bucket keeping the newest N, the age of the last good one in /healthz, a backup
before an upgrade; and the restore drill: an installation backed up while a client keeps issuing,
wiped, restored elsewhere, and everything there again."""
import datetime as dt
import re
import shutil
import threading
from pathlib import Path

import boto3
import flask_migrate
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import text

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER, TEST_KEYS, code, enable_two_step
from tests.database import TEST_DATABASE_URL, empty_database_config, sqlite_database_config
from tests.factories import MARKERS, NOW, huey_of, issue, issue_batch, issue_marked, person
from tests.helpers import (
    REGISTRO_URL,
    annul,
    audit_entries,
    footer_of,
    issue_through_page,
    page_text,
    sign_in,
    sign_in_with_code,
    valid_registro,
)
from tests.processes import free_port
from webforms import create_app
from webforms.backup import service, tasks
from webforms.backup.format import new_key_pair
from webforms.common.tasks import PERIODIC
from webforms.storage.database import db, migrations
from webforms.storage.models import Record

PASSPHRASE = "una frase de paso de prueba para copias"


def backup_app(make_app, folder: Path, **settings):
    """An installation in ``folder`` (its instance folder, its backups' folder)."""
    return make_app(folder=folder, **{"INSTANCE_DIR": str(folder / "instance"),
                                       "BACKUP_PASSPHRASE": PASSPHRASE,
                                       "BACKUP_TARGET": str(folder / "backups"), **settings})


def backup_cli(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args])


def created(app, *args) -> Path:
    """A backup taken with ``backup create`` (and ``args``): its file."""
    result = backup_cli(app, "create", *args)
    assert result.exit_code == 0, result.output
    name = re.search(r"(webforms-\S+\.wfbackup)", result.output).group(1)
    return Path(app.config["BACKUP_TARGET"]) / name


@pytest.fixture
def installation(make_app, tmp_path):
    return backup_app(make_app, tmp_path)


@pytest.fixture
def member(installation):
    """A member of "Equipo Norte" signed in to ``installation``."""
    return sign_in(installation.test_client(), TEAM_MEMBER)


def test_a_backup_reveals_nothing_without_its_passphrase(installation, member, tmp_path):
    issue_marked(installation, member)
    backup = created(installation)
    data = backup.read_bytes()
    for secret in [*MARKERS.values(), "SQLite format", TEST_KEYS["DATA_KEY"], TEAM_MEMBER]:
        assert secret.encode() not in data, secret
    wrong = tmp_path / "wrong"
    wrong.write_text("otra frase de paso cualquiera")
    refused = backup_cli(installation, "verify", str(backup), "--passphrase-file", str(wrong))
    assert refused.exit_code == 1
    assert "«header»: la frase de paso o la clave privada no abre esta copia" in refused.output
    verified = backup_cli(installation, "verify", str(backup))
    assert verified.exit_code == 0, verified.output
    assert [entry.target for entry in audit_entries(installation, "backup_created")] == [
        backup.name]
    assert [entry.target for entry in audit_entries(installation, "backup_verified")] == [
        backup.name]


def test_one_flipped_byte_fails_verify_naming_the_part(installation, member):
    issue(installation, member)
    backup = created(installation)
    data = bytearray(backup.read_bytes())
    database = "database.pgdump" if TEST_DATABASE_URL else "database.sqlite3"
    for offset, part in ((len(data) // 2, database), (len(data) - 20, "manifest.json")):
        damaged = bytearray(data)
        damaged[offset] ^= 0x01
        backup.write_bytes(bytes(damaged))
        result = backup_cli(installation, "verify", str(backup))
        assert result.exit_code == 1, result.output
        assert f"«{part}»" in result.output, result.output
    assert [entry.details["part"] for entry in audit_entries(installation, "backup_failed")] == [
        database, "manifest.json"]


def test_a_public_key_backup_opens_with_its_private_key_only(make_app, tmp_path):
    private, public = new_key_pair()
    app = backup_app(make_app, tmp_path, BACKUP_PASSPHRASE=None, BACKUP_PUBLIC_KEY=public)
    backup = created(app)
    assert backup_cli(app, "verify", str(backup)).exit_code == 1  # no private key given
    key_file = tmp_path / "private"
    key_file.write_text(private)
    result = backup_cli(app, "verify", str(backup), "--private-key-file", str(key_file))
    assert result.exit_code == 0, result.output


def test_restore_refuses_an_installation_that_holds_data(installation, member):
    record_id, _number = issue(installation, member)
    backup = created(installation)
    refused = backup_cli(installation, "restore", str(backup))
    assert refused.exit_code == 1 and "--force" in refused.output
    issue(installation, member)  # a record the backup does not hold
    forced = backup_cli(installation, "restore", str(backup), "--force")
    assert forced.exit_code == 0, forced.output
    with installation.app_context():
        assert db.session.scalar(db.select(db.func.max(Record.id))) == record_id
    assert backup_cli(installation, "verify", str(backup)).exit_code == 0


def test_healthz_shows_the_age_of_the_last_good_backup(installation):
    anonymous = installation.test_client()
    assert anonymous.get("/healthz").json["backup"] == {"last_good": None, "age_seconds": None}
    created(installation)
    state = anonymous.get("/healthz").json["backup"]
    assert state["last_good"] and 0 <= state["age_seconds"] < 3600


def test_a_backup_is_taken_before_pending_migrations_only(installation, member):
    issue(installation, member)
    folder = Path(installation.config["BACKUP_TARGET"])
    assert backup_cli(installation, "before-upgrade").exit_code == 0
    assert not folder.exists()  # nothing to migrate: no backup
    with installation.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '0018'"))
        db.session.commit()
    result = backup_cli(installation, "before-upgrade")
    assert result.exit_code == 0, result.output
    assert len(list(folder.glob("*.wfbackup"))) == 1
    assert audit_entries(installation, "backup_created")[0].details["reason"] == "before_upgrade"


def test_an_upgrade_backs_up_a_database_holding_data_first(installation, member):
    """What ``flask db upgrade`` runs (Flask-Migrate's upgrade, storage/migrations/env.py)."""
    issue(installation, member)
    folder = Path(installation.config["BACKUP_TARGET"])
    with installation.app_context():
        migrations(installation)
        flask_migrate.downgrade(revision="0018")  # an installation one release behind
        assert not folder.exists()  # going down: nothing pending, no backup
        flask_migrate.upgrade()
        assert service.pending_migrations() is False
    [taken] = folder.glob("*.wfbackup")
    assert backup_cli(installation, "verify", str(taken)).exit_code == 0
    [entry] = audit_entries(installation, "backup_created")
    assert entry.details["reason"] == "before_upgrade"


@pytest.mark.slow
def test_an_s3_bucket_keeps_the_newest_backups(make_app, tmp_path, monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        for variable, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                                ("AWS_DEFAULT_REGION", "us-east-1")):
            monkeypatch.setenv(variable, value)
        endpoint = f"http://127.0.0.1:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket="copias")
        app = backup_app(make_app, tmp_path, BACKUP_KEEP=2,
                         BACKUP_TARGET=f"s3://copias/webforms?endpoint_url={endpoint}")
        times = iter(NOW + dt.timedelta(hours=hour) for hour in range(3))
        monkeypatch.setattr(service, "now", lambda: next(times))  # three names, three hours
        names = []
        for _each in range(3):
            result = backup_cli(app, "create")
            assert result.exit_code == 0, result.output
            names.append(re.search(r"(webforms-\S+\.wfbackup)", result.output).group(1))
        kept = [item["Key"] for item in s3.list_objects_v2(Bucket="copias")["Contents"]]
        assert kept == [f"webforms/{name}" for name in names[-2:]]
        s3.download_file("copias", kept[-1], str(tmp_path / "fetched.wfbackup"))
        assert backup_cli(app, "verify", str(tmp_path / "fetched.wfbackup")).exit_code == 0
    finally:
        server.stop()


# --- the restore drill ---------------------------------------------------------------------------
TWO_STEP_ACCOUNT = ROLE_ACCOUNTS["formador"]
LAST_DIGITS = re.compile(r"^(.*?)(\d+)$")


def built_installation(app) -> dict:
    """Records issued as a team does: several, one issued again (a revision), one annulled, a
    small batch; and a two-step account. What the drill checks afterwards."""
    member = sign_in(app.test_client(), TEAM_MEMBER)
    first_id, _number = issue(app, member)
    for _each in range(2):
        issue(app, member)
    revised = issue_through_page(member, REGISTRO_URL, data=valid_registro(
        record=str(first_id), closing_notes="Corregido.", revision_reason="Se añadió el cierre."))
    assert footer_of(revised)[1] == " rev. 2"
    annulled_id, _annulled = issue(app, member)
    annul(app, member, annulled_id)
    issue_batch(member, [person(number) for number in range(3)])
    return {"totp": enable_two_step(app, TWO_STEP_ACCOUNT)}


def what_it_answers(app) -> dict:
    """Every record's download (status and bytes) and what /verificar says of its number."""
    member = sign_in(app.test_client(), TEAM_MEMBER)
    with app.app_context():
        record_ids = db.session.scalars(db.select(Record.id).where(
            Record.number.is_not(None)).order_by(Record.id)).all()
    answers = {}
    for record_id in record_ids:
        download = member.get(f"/registros/{record_id}/documento.docx")
        answers[record_id] = [download.status_code, download.data]
        if download.status_code == 200:
            number, _revision, check = footer_of(download)
            answers[record_id].append(page_text(app.test_client().get(
                "/verificar", query_string={"numero": number, "codigo": check})))
    return answers


def backed_up_while_issuing(app) -> tuple[Path, int]:
    """A backup taken while another client keeps issuing records, and the last record issued
    before it began."""
    started, stop, failures = threading.Event(), threading.Event(), []

    def keep_issuing():
        try:
            writer = sign_in(app.test_client(), TEAM_MEMBER)
            while not stop.is_set():
                issue(app, writer)
                started.set()
        except Exception as error:  # noqa: BLE001  (reported by the test below)
            failures.append(error)
            started.set()

    thread = threading.Thread(target=keep_issuing)
    thread.start()
    try:
        assert started.wait(120)
        with app.app_context():
            last_before = db.session.scalar(db.select(db.func.max(Record.id)))
        backup = created(app)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    return backup, last_before


def fresh_installation_settings(folder: Path, database: dict) -> dict:
    """A new installation's settings: no keys given (restored from the backup), its own folders."""
    passlib = {"SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS":
               TEST_KEYS["SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS"]}
    return {"TESTING": True, "WTF_CSRF_ENABLED": False, "TWO_FACTOR_FOR_ADMINS": False,
            "INSTANCE_DIR": str(folder / "instance"), "OUTPUT_DIR": folder / "output",
            "JOBS_IMMEDIATE": True, "JOBS_DATABASE": str(folder / "jobs.sqlite3"),
            "CONVERTERS": (), "BACKUP_PASSPHRASE": PASSPHRASE, **passlib, **database}


def restore_drill(source, tmp_path: Path, target_database: dict) -> None:
    expected_state = built_installation(source)
    backup, last_before = backed_up_while_issuing(source)
    answers = what_it_answers(source)
    kept = shutil.copy(backup, tmp_path / backup.name)
    db_engines_closed(source)
    shutil.rmtree(tmp_path / "a")  # the machine is lost: database, keys, backups folder

    settings = fresh_installation_settings(tmp_path / "b", target_database)
    restored = backup_cli(create_app(settings), "restore", str(kept))
    assert restored.exit_code == 0, restored.output
    app = create_app(settings)  # started again: its keys are the restored ones

    restored_answers = what_it_answers(app)
    assert set(range(1, last_before + 1)) <= set(restored_answers) <= set(answers)
    for record_id, answer in restored_answers.items():
        assert answer == answers[record_id], record_id
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    numbering_continues(app)
    sign_in_with_code(app.test_client(), TWO_STEP_ACCOUNT, code(expected_state["totp"]))


def db_engines_closed(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def numbering_continues(app) -> None:
    with app.app_context():
        numbers = db.session.scalars(db.select(Record.number).where(
            Record.document_key == "registro_reunion", Record.number.is_not(None))).all()
    _record_id, new = issue(app, sign_in(app.test_client(), TEAM_MEMBER))
    prefix, last = LAST_DIGITS.match(new).groups()
    before = [int(LAST_DIGITS.match(number)[2]) for number in numbers
              if LAST_DIGITS.match(number)[1] == prefix]
    assert int(last) == max(before) + 1, (new, numbers)


@pytest.mark.slow
def test_restore_drill_into_a_fresh_installation(make_app, tmp_path):
    """SQLite → SQLite; PostgreSQL → PostgreSQL in the suite's PostgreSQL pass."""
    source = backup_app(make_app, tmp_path / "a")
    restore_drill(source, tmp_path, empty_database_config(tmp_path / "b"))


@pytest.mark.slow
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL's pass only")
def test_restore_drill_from_sqlite_into_postgresql(make_app, tmp_path):
    source = backup_app(make_app, tmp_path / "a", **sqlite_database_config(tmp_path / "a"))
    restore_drill(source, tmp_path, empty_database_config(tmp_path / "b"))


def test_the_daily_backup_needs_a_passphrase_or_a_public_key(installation):
    folder = Path(installation.config["BACKUP_TARGET"])
    with installation.app_context():
        installation.config["BACKUP_PASSPHRASE"] = None
        tasks.daily_backup()
        assert not folder.exists()  # never in clear
        installation.config["BACKUP_PASSPHRASE"] = PASSPHRASE
        tasks.daily_backup()
    assert len(list(folder.glob("*.wfbackup"))) == 1
    assert audit_entries(installation, "backup_created")[0].details["reason"] == "daily"
    assert PERIODIC["backup"][0] is tasks.daily_backup
    at = dt.datetime(2026, 12, 2, installation.config["BACKUP_AT_HOUR"],
                     installation.config["BACKUP_AT_MINUTE"])
    assert "backup" in [task.name for task in huey_of(installation).read_periodic(at)]
