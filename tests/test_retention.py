"""Retention, trash and data keys: what the purge forgets and what the register keeps, and a key
rotation after which everything opens with the new key alone."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.factories import NOW, aged, purge, rotated_to, set_record
from tests.factories import issue as issue_registro
from tests.helpers import REGISTRO_URL, audit_entries, sign_in, valid_registro
from webforms import create_app
from webforms.forms import FORMS
from webforms.jobs import service as jobs
from webforms.records import issued_copies, pending, retention
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import (
    IssuedCopy,
    IssuedDocument,
    Job,
    JobPart,
    PendingSubmission,
    Record,
    RecordRevision,
)
from webforms.storage.sealing import Sealer, sealer

SUPERVISION_URL = "/formularios/supervision_individual"


# --- helpers -----------------------------------------------------------------------------------
def issued_record(client) -> int:
    """A Registro issued (tests/factories.py): its record's id."""
    return issue_registro(client.application, client)[0]


def draft_record(client, url: str = REGISTRO_URL, **data) -> int:
    response = client.post(url, data=data | {"save": "draft"})
    assert response.status_code in (302, 303), response.status_code
    return latest_record_id(client.application)


def latest_record_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Record.id).order_by(Record.id.desc()))


def trashed(client, record_id: int, days_ago: int) -> None:
    """In the trash for ``days_ago`` days: a draft deleted, or an issued record put there before
    annulments existed (nothing puts one there now: records.annulments)."""
    assert client.post(f"/registros/{record_id}/eliminar").status_code == 303
    set_record(client.application, record_id, status=saved_records.TRASH,
               trashed_at=NOW - dt.timedelta(days=days_ago))


def snapshot(app, record_id: int) -> dict:
    with app.app_context():
        record = db.session.get(Record, record_id)
        revisions = db.session.scalars(select(RecordRevision).where(
            RecordRevision.record_id == record_id).order_by(RecordRevision.revision)).all()
        return {"status": record.status, "number": record.number, "sealed": record.sealed,
                "purged_at": record.purged_at,
                "revisions": [(r.revision, r.number, r.file_sha256, r.sealed) for r in revisions]}


def opens(app, sealed: bytes | None) -> bool:
    with app.app_context():
        try:
            saved_records.open_pairs(sealed)
        except saved_records.RecordUnavailable:
            return False
        return True


def kept_copies(app, record_id: int) -> list[tuple]:
    """The record's kept copies: (format, SHA-256, sealed bytes)."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(IssuedCopy.format, IssuedCopy.sha256, IssuedCopy.sealed)
            .where(IssuedCopy.record_id == record_id).order_by(IssuedCopy.format))]


def job_touched(app, hours: int, **fields) -> str:
    """A job last touched ``hours`` before NOW, with a part (a document of its batch)."""
    with app.app_context():
        job, _ = jobs.create("batch", b"upload", owner=None, label="filas.xlsx", **fields)
        job.updated_at = NOW - dt.timedelta(hours=hours)
        db.session.add(JobPart(job_id=job.id, position=1, name="001.docx", data=b"sealed"))
        db.session.commit()
        return job.id


def job_exists(app, job_id: str) -> bool:
    with app.app_context():
        return db.session.get(Job, job_id) is not None


# --- retention ---------------------------------------------------------------------------------
def test_issued_record_past_retention_loses_its_content_but_keeps_its_register(app, client):
    old_id, recent_id = issued_record(client), issued_record(client)
    aged(app, old_id, days=app.config["RETENTION_DAYS"] + 1)
    aged(app, recent_id, days=app.config["RETENTION_DAYS"] - 1)
    before = snapshot(app, old_id)

    copies_before = kept_copies(app, old_id)
    assert copies_before and all(sealed is not None for *_, sealed in copies_before)

    report = purge(app)

    after = snapshot(app, old_id)
    assert [record.id for record in report.expired] == [old_id]
    assert kept_copies(app, old_id) == [(kind, sha, None) for kind, sha, _ in copies_before]
    assert all(sealed is not None for *_, sealed in kept_copies(app, recent_id))
    assert after["sealed"] is None and after["purged_at"] is not None
    assert after["status"] == saved_records.ISSUED and after["number"] == before["number"]
    assert [(rev, number, sha) for rev, number, sha, _ in after["revisions"]] == [
        (rev, number, sha) for rev, number, sha, _ in before["revisions"]]
    assert all(sealed is None for *_, sealed in after["revisions"])
    with app.app_context():
        assert db.session.get(IssuedDocument, before["number"]) is not None
    assert client.get(f"/registros/{old_id}/documento.docx").status_code == 410
    kept = snapshot(app, recent_id)
    assert kept["purged_at"] is None and opens(app, kept["sealed"])
    assert all(opens(app, sealed) for *_, sealed in kept["revisions"])


def test_a_recent_edit_keeps_a_record_issued_long_ago(app, client):
    edited_id, draft_id = issued_record(client), draft_record(client, **valid_registro())
    days = app.config["RETENTION_DAYS"] + 10
    aged(app, edited_id, days)
    set_record(app, edited_id, updated_at=NOW - dt.timedelta(days=3))
    set_record(app, draft_id, updated_at=NOW - dt.timedelta(days=days))

    report = purge(app)

    assert [record.id for record in report.expired] == [draft_id]
    assert opens(app, snapshot(app, edited_id)["sealed"])
    draft = snapshot(app, draft_id)
    assert draft["sealed"] is None and draft["status"] == saved_records.DRAFT


def test_dry_run_reports_and_changes_nothing(app, client, output_dir):
    old_id, trash_id = issued_record(client), issued_record(client)
    aged(app, old_id, days=app.config["RETENTION_DAYS"] + 1)
    trashed(client, trash_id, days_ago=31)
    job_id = job_touched(app, hours=25)
    before = snapshot(app, old_id), snapshot(app, trash_id)
    entries_before = len(audit_entries(app, "purge"))

    report = purge(app, dry_run=True)

    assert report.dry_run
    assert [(r.id, r.number) for r in report.expired] == [(old_id, before[0]["number"])]
    assert [r.id for r in report.deleted] == [trash_id]
    assert report.batch_jobs == [job_id]
    assert (snapshot(app, old_id), snapshot(app, trash_id)) == before
    assert job_exists(app, job_id)
    assert len(audit_entries(app, "purge")) == entries_before


# --- the trash ---------------------------------------------------------------------------------
def test_trash_older_than_the_trash_period_is_deleted_and_newer_stays_restorable(app, client):
    gone_id, kept_id = issued_record(client), issued_record(client)
    trashed(client, gone_id, days_ago=app.config["TRASH_DAYS"] + 1)
    trashed(client, kept_id, days_ago=app.config["TRASH_DAYS"] - 1)
    number = snapshot(app, gone_id)["number"]

    report = purge(app)

    assert [(r.id, r.number) for r in report.deleted] == [(gone_id, number)]
    gone = snapshot(app, gone_id)
    assert gone["status"] == saved_records.DELETED and gone["sealed"] is None
    assert gone["number"] == number and gone["revisions"]
    assert all(sealed is None for *_, sealed in gone["revisions"])
    assert client.get(f"/registros/{gone_id}").status_code == 404
    assert snapshot(app, kept_id)["status"] == saved_records.TRASH
    assert client.post(f"/registros/{kept_id}/restaurar").status_code == 303
    kept = snapshot(app, kept_id)
    assert kept["status"] == saved_records.ISSUED and opens(app, kept["sealed"])


# --- files and kept submissions ----------------------------------------------------------------
def test_old_jobs_are_removed_with_their_parts_and_recent_ones_kept(app):
    old_job = job_touched(app, hours=25, state=jobs.DONE)
    recent_job = job_touched(app, hours=23, state=jobs.DONE)

    report = purge(app)

    assert report.batch_jobs == [old_job]
    assert not job_exists(app, old_job) and job_exists(app, recent_job)
    with app.app_context():
        assert db.session.scalars(select(JobPart.job_id)).all() == [recent_job]


def test_kept_submissions_go_after_their_time(app):
    with app.app_context():
        for token, age in (("viejo", pending.KEPT_FOR * 2), ("nuevo", pending.KEPT_FOR / 2)):
            db.session.add(PendingSubmission(
                token=token, user_id=1, browser_hash="0" * 64, document_key="registro_reunion",
                created_at=NOW - age, sealed=sealer("pending").seal([["a", "b"]])))
        db.session.commit()

    assert purge(app).pending_submissions == 1

    with app.app_context():
        assert db.session.scalars(select(PendingSubmission.token)).all() == ["nuevo"]


def test_the_purge_writes_one_audit_entry_with_counts_only(app, client):
    old_id = issued_record(client)
    aged(app, old_id, days=app.config["RETENTION_DAYS"] + 1)
    number = snapshot(app, old_id)["number"]

    report = purge(app)

    entries = audit_entries(app, "purge")
    assert len(entries) == 1
    assert entries[0].details == report.counts()
    assert report.counts()["records_expired"] == 1
    written = json.dumps(entries[0].details) + str(entries[0].target)
    assert number not in written and "Luis Ortega" not in written


# --- the data key ------------------------------------------------------------------------------


def all_sealed(app) -> dict:
    with app.app_context():
        return {"records": dict(db.session.execute(select(Record.id, Record.sealed)).all()),
                "revisions": dict(db.session.execute(select(
                    RecordRevision.record_id, RecordRevision.sealed)).all()),
                "copies": dict(db.session.execute(select(
                    IssuedCopy.record_id, IssuedCopy.sealed)).all())}


def test_after_rotation_every_record_opens_with_the_new_key_alone(app, client):
    issued_record(client)
    draft_record(client, **valid_registro(supervisor_name="Ana Pérez"))
    before = all_sealed(app)

    rotated_to(app, "a-new-data-key")

    after = all_sealed(app)
    for kind in ("records", "revisions", "copies"):
        assert after[kind].keys() == before[kind].keys()
        assert all(after[kind][key] != before[kind][key] for key in before[kind])
    assert all(opens(app, sealed) for kind in ("records", "revisions")
               for sealed in after[kind].values())
    with app.app_context():
        assert all(sealer(issued_copies.SEALED_AS).open_bytes(sealed)
                   for sealed in after["copies"].values())
    app.config["DATA_KEY"] = TEST_KEYS["DATA_KEY"]  # the former key alone opens nothing now
    assert not any(opens(app, sealed) for sealed in after["records"].values())
    [entry] = audit_entries(app, "data_key_rotated")
    assert entry.details == {"records": 2, "revisions": 1, "pending_submissions": 0,
                             "copies": 1, "annulments": 0, "roster": 0}


def test_rotation_keeps_finding_the_same_subject(app, client):
    record_id = draft_record(client, SUPERVISION_URL, worker_name="Luis Ortega")
    with app.app_context():
        before = db.session.get(Record, record_id).subject_digest
    assert before is not None

    rotated_to(app, "a-new-data-key")

    with app.app_context():
        record = db.session.get(Record, record_id)
        form = FORMS[record.document_key](formdata=saved_records.open_pairs(record.sealed),
                                          meta={"csrf": False})
        expected = saved_records.subject_digest(record.document_key, form)
        assert record.subject_digest == expected != before


def test_rotation_changes_nothing_when_a_value_opens_with_no_key(app, client):
    issued_record(client)
    stray_id = draft_record(client, **valid_registro())
    with app.app_context():
        unknown = Sealer(["a-lost-key"], saved_records.SEALED_AS).seal([["a", "b"]])
    set_record(app, stray_id, sealed=unknown)
    before = all_sealed(app)

    with pytest.raises(retention.UnreadableContent):
        rotated_to(app, "a-new-data-key")

    assert all_sealed(app) == before
    assert audit_entries(app, "data_key_rotated") == []


# --- the command line --------------------------------------------------------------------------
def test_purge_dry_run_command_lists_what_would_go(app, client):
    old_id = issued_record(client)
    aged(app, old_id, days=app.config["RETENTION_DAYS"] + 1)
    number = snapshot(app, old_id)["number"]

    result = app.test_cli_runner().invoke(args=["records", "purge", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Simulación" in result.output and number in result.output
    assert opens(app, snapshot(app, old_id)["sealed"])


@pytest.fixture
def local_key_app(tmp_path, output_dir, monkeypatch):
    """An app whose data key is the local default, generated in its own instance folder."""
    monkeypatch.delenv("WEBFORMS_DATA_KEY", raising=False)
    monkeypatch.delenv("WEBFORMS_OLD_DATA_KEYS", raising=False)
    keys = {name: value for name, value in TEST_KEYS.items() if name != "DATA_KEY"}

    def started():  # a server (re)starting on the same installation
        return create_app({"TESTING": True, **keys, **database, "TWO_FACTOR_FOR_ADMINS": False,
                           "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": output_dir,
                           "INSTANCE_DIR": str(tmp_path / "instance"), "OLD_DATA_KEYS": []})

    database = database_config(tmp_path)
    return started


def test_rotate_key_generate_replaces_the_local_key(local_key_app, tmp_path):
    app = local_key_app()
    issued_record(sign_in(app.test_client(), TEAM_MEMBER))
    key_file = tmp_path / "instance" / "data_key"
    old_key = key_file.read_text()

    result = app.test_cli_runner().invoke(args=["records", "rotate-key", "--generate"])

    assert result.exit_code == 0, result.output
    assert key_file.read_text() not in ("", old_key)
    assert not (tmp_path / "instance" / "data_key.old").exists()
    restarted = local_key_app()
    assert restarted.config["DATA_KEY"] == key_file.read_text()
    assert restarted.config["OLD_DATA_KEYS"] == []
    sealed = all_sealed(restarted)
    assert sealed["records"] and all(opens(restarted, value) for value in sealed["records"].values())
    assert all(opens(restarted, value) for value in sealed["revisions"].values())


def test_rotate_key_generate_is_refused_for_a_configured_key(local_key_app, tmp_path, monkeypatch):
    app = local_key_app()
    key_file = tmp_path / "instance" / "data_key"
    old_key = key_file.read_text()
    monkeypatch.setenv("WEBFORMS_DATA_KEY", old_key)

    result = app.test_cli_runner().invoke(args=["records", "rotate-key", "--generate"])

    assert result.exit_code == 1
    assert "WEBFORMS_DATA_KEY" in result.output
    assert key_file.read_text() == old_key
    assert not (tmp_path / "instance" / "data_key.old").exists()
