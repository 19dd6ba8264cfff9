"""The audit trail: every entry chained to the one before, so a row edited, removed or added by
hand is named; who may read it; the CSV export safe in a spreadsheet; nothing typed kept."""
from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER, TEST_KEYS
from tests.database import TEST_DATABASE_URL
from tests.factories import as_csv, person, upload, wait_for_zip
from tests.helpers import REGISTRO_URL, edited_copy, in_body, issue_through_page, valid_registro
from webforms import create_app
from webforms.audit import tasks
from webforms.audit import trail as audit
from webforms.config import PROJECT_ROOT
from webforms.storage.database import db, migrations

SIGN_IN_URL = "/cuenta/ingresar"


# --- helpers -----------------------------------------------------------------------------------
def signed_in(app, email: str):
    client = app.test_client()
    response = client.post(SIGN_IN_URL, data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def raw_sql(app, statement: str, **params) -> None:
    """A change made by hand, outside the application: sqlite3 on the file itself (or plain SQL
    on the PostgreSQL server when the tests run there)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(app.config["DATABASE"])) as connection:
            connection.execute(statement, params)
            connection.commit()
        return
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text(statement), params)
    engine.dispose()


def rows(app) -> list[dict]:
    with app.app_context():
        from webforms.storage.database import db

        result = db.session.execute(sa.select(audit.entries).order_by(audit.entries.c.id))
        return [dict(row._mapping) for row in result]


def actions(app) -> list[str]:
    return [row["action"] for row in rows(app)]


def key(app) -> bytes:
    """The audit key: the forgeries below are those of someone who holds it (the worst case)."""
    return app.config["AUDIT_KEY"].encode()


def verified(app):
    with app.app_context():
        return audit.verify()


@pytest.fixture
def five(app):
    """An app whose trail holds five entries, recorded from the command line."""
    with app.app_context():
        start = len(rows(app))
        for number in range(1, 6):
            audit.append("purge", target=f"lote-{number}", rows=number)
    assert len(rows(app)) == start + 5
    return app


# --- the chain ---------------------------------------------------------------------------------
def test_a_normal_trail_verifies(five):
    assert verified(five) is None
    result = five.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "íntegro" in result.output
    ids = [row["id"] for row in rows(five)]
    assert ids == list(range(1, len(ids) + 1))  # consecutive: a gap is a removed entry


def test_an_emptied_trail_is_named(app):
    """Every installation's chain holds at least the entry that keyed it (migration 0007)."""
    assert actions(app)[0] == audit.KEYED_FROM and verified(app) is None
    raw_sql(app, "DELETE FROM audit_entries")
    raw_sql(app, "UPDATE audit_head SET last_id = 0, last_hash = :genesis",
            genesis=audit.GENESIS)
    assert verified(app) == audit.BrokenEntry(1, "unkeyed")


def last_id(app) -> int:
    return rows(app)[-1]["id"]


@pytest.mark.parametrize("column, value", [
    ("target", "lote-99"), ("user_email", "otra@example.org"), ("address", "10.0.0.9"),
    ("action", "sign_in"), ("details", '{"rows": 300}'), ("at", "2020-01-01 00:00:00.000000"),
    ("user_id", 1), ("previous_hash", "f" * 64), ("hash", "e" * 64)])
def test_a_row_edited_by_hand_is_named(five, column, value):
    edited = last_id(five) - 2
    raw_sql(five, f"UPDATE audit_entries SET {column} = :value WHERE id = :id",
            value=value, id=edited)
    assert verified(five) == audit.BrokenEntry(edited, "altered")
    result = five.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entrada {edited}:" in result.output and "modificó" in result.output


def test_a_row_edited_and_rehashed_is_named_by_the_next_one(five):
    edited = last_id(five) - 2
    row = next(row for row in rows(five) if row["id"] == edited)
    fields = row | {"target": "lote-falso"}
    forged = audit.entry_hash(edited, row["at"], fields, row["previous_hash"], key(five))
    raw_sql(five, "UPDATE audit_entries SET target = 'lote-falso', hash = :hash WHERE id = :id",
            hash=forged, id=edited)
    assert verified(five) == audit.BrokenEntry(edited, "rehashed")


def test_the_last_row_rewritten_with_its_hash_is_named_by_the_head(five):
    row = rows(five)[-1]
    forged = audit.entry_hash(row["id"], row["at"], row | {"target": "x"}, row["previous_hash"],
                              key(five))
    raw_sql(five, "UPDATE audit_entries SET target = 'x', hash = :hash WHERE id = :id",
            hash=forged, id=row["id"])
    assert verified(five) == audit.BrokenEntry(row["id"], "head")


def test_a_row_deleted_is_named(five):
    deleted = last_id(five) - 2
    raw_sql(five, "DELETE FROM audit_entries WHERE id = :id", id=deleted)
    assert verified(five) == audit.BrokenEntry(deleted, "missing")
    result = five.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"entrada {deleted}:" in result.output


def test_the_newest_rows_deleted_are_named(five):
    newest = last_id(five)
    raw_sql(five, "DELETE FROM audit_entries WHERE id >= :id", id=newest - 1)
    assert verified(five) == audit.BrokenEntry(newest - 1, "missing")


FORGED_AT = dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone.utc)


def insert_row(app, entry_id: int, previous_hash: str, forged: bool = True) -> None:
    """A row added by hand; ``forged``: with the hash the application would have given it."""
    fields = {"user_id": None, "user_email": None, "action": "purge", "target": "falso",
              "details": {}, "address": None}
    digest = audit.entry_hash(entry_id, FORGED_AT, fields, previous_hash, key(app)) if forged else (
        f"{entry_id:064d}")
    raw_sql(app, "INSERT INTO audit_entries (id, at, action, target, details, previous_hash, "
            "hash) VALUES (:id, '2026-12-01 10:00:00.000000', 'purge', 'falso', '{}', "
            ":previous, :hash)", id=entry_id, previous=previous_hash, hash=digest)


@pytest.mark.parametrize("forged", [True, False])
def test_a_row_added_at_the_end_is_named(five, forged):
    last = rows(five)[-1]
    insert_row(five, last["id"] + 1, last["hash"], forged)
    assert verified(five) == audit.BrokenEntry(last["id"] + 1,
                                               "inserted" if forged else "altered")


def test_a_row_added_before_the_first_is_named(five):
    insert_row(five, 0, audit.GENESIS)
    assert verified(five) == audit.BrokenEntry(0, "inserted")


@pytest.mark.parametrize("forged", [True, False])
def test_a_row_slipped_in_between_is_named(five, forged):
    """Renumbering the later rows to make room changes what their hashes cover: a forged row
    that follows its predecessor is named by the next one."""
    place = last_id(five) - 2
    raw_sql(five, "UPDATE audit_entries SET id = id + 1000 WHERE id >= :place", place=place)
    raw_sql(five, "UPDATE audit_entries SET id = id - 999 WHERE id >= 1000")
    insert_row(five, place, rows(five)[place - 2]["hash"], forged)
    assert verified(five) == audit.BrokenEntry(place + 1 if forged else place, "altered")


def test_appends_from_many_workers_at_once_stay_one_chain(app):
    """Two apps on one database (two servers), four threads each (workers): every entry gets its
    own id and follows the one before."""
    config = {key: app.config[key] for key in ("DATABASE", "DATABASE_URL", "SECRET_KEY",
                                               "VERIFICATION_KEY", "SECURITY_PASSWORD_SALT",
                                               "TOTP_KEY", "AUDIT_KEY", "OUTPUT_DIR")}
    config |= {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
               "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    servers = [app, create_app(config)]
    before, failures = len(rows(app)), []

    def worker(server, number):
        try:
            with server.app_context():
                for count in range(15):
                    audit.append("purge", target=f"{number}-{count}")
        except Exception as error:  # reported below, with the thread's number
            failures.append((number, error))

    threads = [threading.Thread(target=worker, args=(servers[n % 2], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(rows(app)) == before + 8 * 15
    assert verified(app) is None


# --- what is recorded --------------------------------------------------------------------------
def test_sign_in_and_sign_out_are_recorded_with_the_address(app):
    client = signed_in(app, ROLE_ACCOUNTS["calidad"])
    client.post("/cuenta/salir")
    entries = rows(app)
    sign_in, sign_out = entries[-2], entries[-1]
    assert sign_in["action"] == "sign_in" and sign_in["user_email"] == ROLE_ACCOUNTS["calidad"]
    assert sign_in["address"] == "127.0.0.1" and sign_in["details"] == {"via": ["password"]}
    assert sign_out["action"] == "sign_out" and sign_out["user_id"] == sign_in["user_id"]
    assert verified(app) is None


def test_failed_sign_ins_are_recorded_without_what_was_typed(app):
    client = app.test_client()
    client.post(SIGN_IN_URL, data={"email": ROLE_ACCOUNTS["supervisor"],
                                   "password": "clave-equivocada-7781"})
    client.post(SIGN_IN_URL, data={"email": "desconocida-4412@example.org",
                                   "password": "otra-clave-9932"})
    wrong_password, unknown = rows(app)[-2:]
    assert wrong_password["action"] == unknown["action"] == "sign_in_failed"
    assert wrong_password["user_email"] == ROLE_ACCOUNTS["supervisor"]
    assert unknown["user_id"] is None and unknown["details"] == {"reason": "unknown_account"}
    dump = repr(rows(app))
    for typed in ("clave-equivocada-7781", "desconocida-4412", "otra-clave-9932"):
        assert typed not in dump


def test_a_deactivated_account_signing_in_is_recorded(app):
    raw_sql(app, "UPDATE users SET active = :no WHERE email = :email", no=False,
            email=ROLE_ACCOUNTS["formador"])
    app.test_client().post(SIGN_IN_URL, data={"email": ROLE_ACCOUNTS["formador"],
                                              "password": PASSWORD})
    entry = rows(app)[-1]
    assert (entry["action"], entry["user_email"]) == ("sign_in_failed", ROLE_ACCOUNTS["formador"])
    assert entry["details"] == {"reason": "inactive"}


def test_an_issued_document_is_recorded_and_nothing_typed_is(app):
    client = signed_in(app, TEAM_MEMBER)
    typed = valid_registro(document_language="en")
    response = issue_through_page(client, REGISTRO_URL, data=typed)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    entry = next(row for row in rows(app) if row["action"] == "document_issued")
    assert entry["user_email"] == TEAM_MEMBER
    number = entry["target"]
    assert entry["details"] == {"number": number, "revision": 1, "record": 1,
                                "document": "registro_reunion", "code": "F1.G34.P",
                                "version": 3, "language": "en", "with_reason": False}
    dump = repr(rows(app))
    for value in typed.values():
        if len(value) > 3 and not value.isdigit() and "-" not in value[:5]:
            assert value not in dump, value
    assert verified(app) is None


def test_a_batch_is_recorded_with_each_document_on_behalf_of_its_user(app):
    client = signed_in(app, TEAM_MEMBER)
    response = upload(client, as_csv([person(1), person(2)]), "personas.csv")
    wait_for_zip(client, response.headers["Location"])
    for _ in range(100):  # the thread records its end just after the ZIP is complete
        if "batch_finished" in actions(app):
            break
        threading.Event().wait(0.05)
    entries = [row for row in rows(app) if row["action"].startswith(("batch", "document"))
               and row["action"] != "batch_downloaded"]
    assert [row["action"] for row in entries] == [
        "batch_started", "document_issued", "document_issued", "batch_finished"]
    assert "batch_downloaded" in actions(app)  # wait_for_zip downloaded it
    job = entries[0]["target"]
    assert entries[0]["details"] == {"document": "tdr_gestor_casos", "rows": 2, "duplicates": "skip"}
    assert {row["user_email"] for row in entries} == {TEAM_MEMBER}
    assert all(row["details"]["job"] == job for row in entries[1:])
    assert verified(app) is None


def test_a_new_template_version_is_recorded(tmp_path):
    import shutil

    from tests.accounts import TEST_KEYS
    from tests.database import database_config

    templates = tmp_path / "doc_templates"
    shutil.copytree(PROJECT_ROOT / "doc_templates", templates)
    app = create_app({"TESTING": True, **TEST_KEYS, "OUTPUT_DIR": tmp_path / "out",
                      "DOC_TEMPLATES_DIR": templates, **database_config(tmp_path)})
    from webforms.catalogue import load_catalogue

    current = load_catalogue(templates).get("registro_reunion")
    assert current.version == 3
    revised = edited_copy(current.template, tmp_path / "revised.docx",
                          in_body("Datos de la reunión", "Datos generales de la reunión"))
    result = app.test_cli_runner().invoke(args=["templates", "new-version", "F1.G34.P",
                                                str(revised), "--change", "Se renombra."])
    assert result.exit_code == 0, result.output
    entry = rows(app)[-1]
    assert (entry["action"], entry["target"]) == ("template_version_added", "F1.G34.P")
    assert entry["details"] == {"code": "F1.G34.P", "document": "registro_reunion",
                                "version": 4}
    assert entry["address"].startswith("cli")


def test_unknown_actions_and_long_details_are_refused(app):
    with app.app_context():
        with pytest.raises(ValueError):
            audit.append("typo_action")
        with pytest.raises(ValueError):
            audit.append("purge", note="x" * 5000)


# --- the page and the export -------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/auditoria", "/auditoria.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 302 and SIGN_IN_URL in response.headers["Location"]


@pytest.mark.parametrize("role", ["supervisor", "coordinador", "talento_humano", "formador"])
@pytest.mark.parametrize("url", ["/auditoria", "/auditoria.csv"])
def test_other_roles_get_403(app, role, url):
    assert signed_in(app, ROLE_ACCOUNTS[role]).get(url).status_code == 403


@pytest.mark.parametrize("role", ["calidad", "admin"])
def test_quality_and_administrators_read_it(app, role):
    response = signed_in(app, ROLE_ACCOUNTS[role]).get("/auditoria")
    assert response.status_code == 200
    assert "Registro de auditoría" in response.get_data(as_text=True)


@pytest.mark.parametrize("role, linked", [("calidad", True), ("admin", True),
                                           ("supervisor", False)])
def test_the_menu_links_the_log_for_those_who_may_read_it(app, role, linked):
    home = signed_in(app, ROLE_ACCOUNTS[role]).get("/").get_data(as_text=True)
    assert ('href="/auditoria"' in home) == linked


class Person:
    def __init__(self, user_id, email):
        self.id, self.email = user_id, email


@pytest.fixture
def varied(app, monkeypatch):
    """Entries by two people, on two days (Bogotá time), of two kinds."""
    moments = iter([dt.datetime(2026, 3, 10, 15, tzinfo=dt.timezone.utc),
                    dt.datetime(2026, 3, 10, 16, tzinfo=dt.timezone.utc),
                    dt.datetime(2026, 3, 12, 3, tzinfo=dt.timezone.utc),  # 11 March in Bogotá
                    dt.datetime(2026, 3, 14, 15, tzinfo=dt.timezone.utc)])
    monkeypatch.setattr(audit, "now", lambda: next(moments))
    with app.test_request_context():
        audit.append("purge", target="ANA-1", user=Person(501, "ana@example.org"))
        audit.append("record_viewed", target="ANA-2", user=Person(501, "ana@example.org"))
        audit.append("purge", target="LUIS-1", user=Person(502, "luis@example.org"))
        audit.append("record_viewed", target="LUIS-2", user=Person(502, "luis@example.org"))
    monkeypatch.undo()
    return signed_in(app, ROLE_ACCOUNTS["calidad"])


def shown(response) -> set[str]:
    text = response.get_data(as_text=True)
    return {target for target in ("ANA-1", "ANA-2", "LUIS-1", "LUIS-2") if target in text}


@pytest.mark.parametrize("query, expected", [
    ("", {"ANA-1", "ANA-2", "LUIS-1", "LUIS-2"}),
    ("usuario=ANA@example", {"ANA-1", "ANA-2"}),
    ("accion=record_viewed", {"ANA-2", "LUIS-2"}),
    ("usuario=luis&accion=purge", {"LUIS-1"}),
    ("desde=2026-03-11", {"LUIS-1", "LUIS-2"}),
    ("hasta=2026-03-10", {"ANA-1", "ANA-2"}),
    ("desde=2026-03-11&hasta=2026-03-11", {"LUIS-1"}),
    ("usuario=%25", set()),  # a % typed is searched for, not a wildcard
])
def test_the_page_filters_by_user_action_and_dates(varied, query, expected):
    response = varied.get(f"/auditoria?{query}")
    assert response.status_code == 200
    assert shown(response) == expected


def test_a_wrong_filter_says_so(varied):
    response = varied.get("/auditoria?desde=ayer&accion=nada")
    assert response.status_code == 400 and shown(response) == set()


def test_the_page_is_paged(app):
    with app.app_context():
        for number in range(120):
            audit.append("purge", target=f"P-{number:03d}")
    client = signed_in(app, ROLE_ACCOUNTS["calidad"])
    first = client.get("/auditoria?accion=purge").get_data(as_text=True)
    second = client.get("/auditoria?accion=purge&pagina=2").get_data(as_text=True)
    assert "P-119" in first and "P-020" in first and "P-019" not in first
    assert "P-019" in second and "P-000" in second and "P-119" not in second


def exported(client, query="") -> list[list[str]]:
    response = client.get(f"/auditoria.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_neutralises_formulas(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "-1"}):
        audit.append("purge", target="=HYPERLINK(\"http://x\",\"y\")",
                     user=Person(7, "+SUM(1,2)@example.org"))
        audit.append("purge", target="@cmd", user=Person(8, "-2+3@example.org"))
    table = exported(signed_in(app, ROLE_ACCOUNTS["calidad"]), "accion=purge")
    header, *lines = table
    assert len(header) == 11 and len(lines) == 2
    cells = [cell for line in lines for cell in line]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'@cmd" in cells
    assert "'+SUM(1,2)@example.org" in cells and "'-2+3@example.org" in cells and "'-1" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)


def test_the_csv_carries_the_chain_and_the_export_is_recorded(varied):
    table = exported(varied, "usuario=ana")
    header, *lines = table
    assert [line[6] for line in lines] == ["ANA-1", "ANA-2"]  # oldest first
    assert lines[1][9] == lines[0][10]  # each entry's previous hash is the one before's
    entry = rows(varied.application)[-1]
    assert entry["action"] == "audit_exported" and entry["details"] == {
        "filters": {"usuario": "ana"}}
    assert entry["user_email"] == ROLE_ACCOUNTS["calidad"]


# --- the key and the checkpoints ---------------------------------------------------------------
def checkpoint_lines(app) -> list[str]:
    path = Path(app.config["AUDIT_CHECKPOINTS"])
    return path.read_text().splitlines() if path.exists() else []


def verify_command(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def rechain(app, rows_kept: list[dict], start: int, key_used: bytes | None) -> None:
    """Number ``rows_kept`` again from 1 and recompute every hash from entry ``start`` on with
    ``key_used`` (None: the plain SHA-256 of before), head included, as someone holding the
    database (and perhaps not the key) would."""
    previous = audit.GENESIS
    for new_id, row in enumerate(rows_kept, start=1):
        if new_id >= start:
            digest = audit.entry_hash(new_id, row["at"], row, previous, key_used)
            raw_sql(app, "UPDATE audit_entries SET id = :new, previous_hash = :previous, "
                    "hash = :hash WHERE id = :old", new=new_id, previous=previous, hash=digest,
                    old=row["id"])
            previous = digest
        else:
            previous = row["hash"]
    raw_sql(app, "UPDATE audit_head SET last_id = :id, last_hash = :hash",
            id=len(rows_kept), hash=previous)


def test_verify_appends_a_checkpoint_and_prints_it(five):
    first = verify_command(five)
    assert first.exit_code == 0, first.output
    [line] = checkpoint_lines(five)
    assert line in first.output and f"last_id={last_id(five)} " in line
    with five.app_context():
        audit.append("purge", target="después")
    second = verify_command(five)  # checked against the first checkpoint, then a second one
    assert second.exit_code == 0, second.output
    assert checkpoint_lines(five)[0] == line and len(checkpoint_lines(five)) == 2
    assert f"last_id={last_id(five)} " in checkpoint_lines(five)[1]


def test_the_periodic_task_appends_a_checkpoint(five):
    hour = five.config["AUDIT_CHECKPOINT_AT_HOUR"]
    due = five.extensions["webforms.jobs"].huey.read_periodic(dt.datetime(2026, 5, 4, hour, 0))
    assert "audit_checkpoint" in [task.name for task in due]
    with five.app_context():
        tasks.audit_checkpoint()
    [line] = checkpoint_lines(five)
    assert f"last_id={last_id(five)} count={len(rows(five))} " in line


def test_the_newest_entries_deleted_with_the_head_rewritten_are_named(five):
    assert verify_command(five).exit_code == 0
    newest = last_id(five)
    raw_sql(five, "DELETE FROM audit_entries WHERE id > :id", id=newest - 2)
    kept = rows(five)[-1]
    raw_sql(five, "UPDATE audit_head SET last_id = :id, last_hash = :hash", id=kept["id"],
            hash=kept["hash"])
    assert verified(five) == audit.BrokenEntry(newest - 1, "truncated")
    result = verify_command(five)
    assert result.exit_code == 1 and "más corta" in result.output
    assert len(checkpoint_lines(five)) == 1  # a broken chain is never anchored


@pytest.mark.parametrize("key_used", [None, b"not-the-audit-key"])
def test_one_users_entries_removed_and_rechained_without_the_key_are_named(app, key_used):
    with app.test_request_context():
        for number in range(6):
            audit.append("record_viewed", target=f"R-{number}",
                         user=Person(501 + number % 2, f"persona{number % 2}@example.org"))
    assert verified(app) is None
    everything = rows(app)
    first_removed = next(row["id"] for row in everything if row["user_id"] == 501)
    raw_sql(app, "DELETE FROM audit_entries WHERE user_id = 501")
    rechain(app, [row for row in everything if row["user_id"] != 501], first_removed, key_used)
    assert [row["user_id"] for row in rows(app)].count(501) == 0
    assert verified(app) == audit.BrokenEntry(first_removed, "altered")


def test_the_whole_chain_rebuilt_without_the_key_is_named(five):
    everything = rows(five)
    assert everything[0]["action"] == audit.KEYED_FROM
    raw_sql(five, "DELETE FROM audit_entries WHERE id = 1")
    rechain(five, everything[1:], 1, None)  # the entry that keyed the chain removed
    assert verified(five) == audit.BrokenEntry(len(everything), "unkeyed")


def test_a_middle_entry_rewritten_even_with_the_key_is_named_by_the_checkpoint(five):
    assert verify_command(five).exit_code == 0
    anchored = last_id(five)
    edited = anchored - 2
    raw_sql(five, "UPDATE audit_entries SET target = 'lote-falso' WHERE id = :id", id=edited)
    rewritten = [row | {"target": "lote-falso"} if row["id"] == edited else row
                 for row in rows(five)]
    rechain(five, rewritten, edited, key(five))
    assert verified(five) == audit.BrokenEntry(anchored, "rewritten")
    assert "reescribió" in verify_command(five).output


def test_a_checkpoint_edited_by_hand_is_named(five):
    assert verify_command(five).exit_code == 0
    path = Path(five.config["AUDIT_CHECKPOINTS"])
    line = path.read_text()
    path.write_text(line.replace(f"last_id={last_id(five)} ", "last_id=1 "))
    assert verified(five) == audit.BrokenEntry(0, "checkpoint")


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="migrates a SQLite file of its own")
def test_entries_hashed_before_the_key_still_verify_and_stay_protected(tmp_path):
    """An installation upgraded from before the key: its entries keep their plain SHA-256 hashes;
    the entry that keyed the chain follows them, and re-chaining them breaks the link into it."""
    app = create_app(TEST_KEYS | {"TESTING": True, "DATABASE": str(tmp_path / "old.sqlite3"),
                                  "DATABASE_URL": None, "INSTANCE_DIR": str(tmp_path),
                                  "OUTPUT_DIR": tmp_path})
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade(revision="0006")
        previous = audit.GENESIS
        for entry_id in (1, 2, 3):
            fields = audit.entry_fields(audit.Actor(address="10.0.0.1"), "purge", f"V-{entry_id}",
                                        {})
            at = dt.datetime(2026, 1, entry_id, tzinfo=dt.timezone.utc)
            digest = audit.entry_hash(entry_id, at, fields, previous, None)
            db.session.execute(sa.insert(audit.entries).values(
                id=entry_id, at=at, previous_hash=previous, hash=digest, **fields))
            previous = digest
        db.session.execute(sa.update(audit.audit_head).values(last_id=3, last_hash=previous))
        db.session.commit()
        flask_migrate.upgrade()
        db.session.remove()
    assert actions(app) == ["purge"] * 3 + [audit.KEYED_FROM]
    assert rows(app)[3]["details"] == {"earlier_entries": 3}
    assert verified(app) is None
    old = rows(app)
    raw_sql(app, "UPDATE audit_entries SET target = 'V-falso' WHERE id = 1")
    rechain(app, [old[0] | {"target": "V-falso"}, *old[1:3]], 1, None)
    raw_sql(app, "UPDATE audit_head SET last_id = 4, last_hash = :hash", hash=old[3]["hash"])
    assert verified(app) == audit.BrokenEntry(3, "rehashed")


# --- pages seen --------------------------------------------------------------------------------
def test_viewing_the_audit_log_and_the_account_pages_is_recorded(app):
    reader = signed_in(app, ROLE_ACCOUNTS["calidad"])
    assert reader.get("/auditoria?accion=purge").status_code == 200
    viewed = rows(app)[-1]
    assert viewed["action"] == "audit_viewed"
    assert viewed["user_email"] == ROLE_ACCOUNTS["calidad"]
    assert viewed["details"] == {"filters": {"accion": "purge"}, "page": 1}
    admin = signed_in(app, ROLE_ACCOUNTS["admin"])
    assert admin.get("/administracion/usuarios").status_code == 200
    assert rows(app)[-1]["action"] == "accounts_viewed"
    assert admin.get("/administracion/usuarios/3").status_code == 200
    last = rows(app)[-1]
    assert (last["action"], last["target"], last["user_email"]) == (
        "accounts_viewed", "3", ROLE_ACCOUNTS["admin"])
