"""``flask backup create``: what an installation needs to be usable again, in one encrypted file.

What goes in, in this order (docs/backups.md):

1. the instance folder's files (the generated keys, a future ``signing/`` folder, anything the
   configuration keeps there), without its SQLite files, the converter's socket and the backups;
2. the audit checkpoints (``AUDIT_CHECKPOINTS``), read before the database, so the restored chain
   is never shorter than its last checkpoint;
3. ``keys.json``: the installation keys as configured (from the environment or the files), which
   open the sealed records and key the audit chain;
4. the database, while the product runs: SQLite's online backup API (a consistent copy, WAL
   included, writers never stopped), or ``pg_dump -Fc`` in the snapshot the manifest is counted in;
5. the manifest: versions, the Alembic revision, rows per table, the audit chain's head, and the
   size and SHA-256 of every part.

The job queue (its SQLite file or Redis) and the rate-limit counters are left out: they hold only
transient work, and the issued copies' bytes are in the database (records.issued_copies).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import tempfile
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from webforms.audit import trail as audit
from webforms.backup.format import Keys, Writer
from webforms.clock import now
from webforms.config import INSTALLATION_KEYS
from webforms.storage.database import db
from webforms.storage.files import SQLITE_COMPANIONS

SUFFIX = ".wfbackup"
# Instance files that are not the installation's to restore: databases, the converter's socket,
# the backups themselves.
SKIPPED_FOLDERS = {"converter", "backups"}
DATABASE_SQLITE, DATABASE_POSTGRES = "database.sqlite3", "database.pgdump"
KEYS, CHECKPOINTS = "keys.json", "audit-checkpoints.log"


def backup_name(at: dt.datetime) -> str:
    """``webforms-20261207T221857Z.wfbackup``: names sort as their times."""
    return f"webforms-{at.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}{SUFFIX}"


def configured_keys(config=None) -> Keys:
    config = config or current_app.config
    return Keys(passphrase=config.get("BACKUP_PASSPHRASE"),
                public_key=config.get("BACKUP_PUBLIC_KEY"),
                private_key=config.get("BACKUP_PRIVATE_KEY"))


def instance_folder() -> Path:
    return Path(current_app.config.get("INSTANCE_DIR") or current_app.instance_path)


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def write_backup(target_file: Path, keys: Keys) -> dict:
    """Write the backup of this installation to ``target_file``; its manifest."""
    with open(target_file, "wb") as stream, tempfile.TemporaryDirectory(
            prefix="webforms-backup-") as scratch:
        writer = Writer(stream, keys)
        add_instance_files(writer)
        add_bytes(writer, KEYS, json.dumps(key_values(), sort_keys=True).encode())
        with database_snapshot(Path(scratch)) as (part_name, snapshot, facts):
            with open(snapshot, "rb") as source:
                writer.add(part_name, source)
        return writer.close({"format": 1, "app": app_version(), "created": now().isoformat(),
                             "database": part_name, **facts})


def add_bytes(writer: Writer, name: str, data: bytes) -> None:
    with tempfile.TemporaryFile() as source:
        source.write(data)
        source.seek(0)
        writer.add(name, source)


def add_instance_files(writer: Writer) -> None:
    folder, checkpoints = instance_folder(), Path(current_app.config["AUDIT_CHECKPOINTS"])
    main = Path(current_app.config["DATABASE"])
    databases = {main.resolve(), Path(current_app.config["JOBS_DATABASE"]).resolve(),
                 main.with_name("limits.sqlite3").resolve()}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        relative = path.relative_to(folder)
        if (not path.is_file() or path.is_symlink() or relative.parts[0] in SKIPPED_FOLDERS
                or path.resolve() == checkpoints.resolve() or _is_database(path, databases)
                or relative.name.startswith((".tmp-", ".partial-"))):
            continue
        with open(path, "rb") as source:
            writer.add(f"instance/{relative.as_posix()}", source)
    add_bytes(writer, CHECKPOINTS, checkpoints.read_bytes() if checkpoints.exists() else b"")


def _is_database(path: Path, databases: set[Path]) -> bool:
    return path.suffix.startswith(".sqlite") or any(
        path.resolve() == Path(f"{database}{suffix}") for database in databases
        for suffix in SQLITE_COMPANIONS)


def key_values() -> dict:
    """The installation keys this process uses, and the former data keys still needed."""
    config = current_app.config
    return {"keys": {setting: config[setting] for setting, _variable, _file in INSTALLATION_KEYS},
            "old_data_keys": list(config.get("OLD_DATA_KEYS", ()))}


def app_version() -> str:
    try:
        return metadata.version("formularios-gc")
    except metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def database_snapshot(scratch: Path):
    """(part name, the snapshot's file, the manifest's facts about it)."""
    if is_postgres():
        with postgres_dump(scratch) as result:
            yield result
        return
    snapshot = scratch / DATABASE_SQLITE
    sqlite_copy(Path(current_app.config["DATABASE"]), snapshot)
    engine = create_engine(f"sqlite:///{snapshot}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            facts = database_facts(connection)
    finally:
        engine.dispose()
    yield DATABASE_SQLITE, snapshot, facts


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: the committed state, WAL included, writers never stopped."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


@contextmanager
def postgres_dump(scratch: Path):
    """``pg_dump -Fc`` of the snapshot the manifest's counts are read in (exported from a
    repeatable-read transaction), so the counts and the dump agree while clients write."""
    dump = scratch / DATABASE_POSTGRES
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = database_facts(connection)
            url, environment = libpq_url(db.engine.url)
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                            f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={url}"],
                           check=True, capture_output=True, env=environment)
    yield DATABASE_POSTGRES, dump, facts


def libpq_url(url) -> tuple[str, dict]:
    """SQLAlchemy's URL for ``pg_dump``/``pg_restore``: the password in the environment, never on
    a command line other users can read."""
    url = make_url(url)
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False), environment


def database_facts(connection: Connection) -> dict:
    """The Alembic revision, rows per table and the audit chain's head, read in ``connection``
    (raw tables: the backup before an upgrade reads a schema older than the models)."""
    names = sorted(inspect(connection).get_table_names())
    counts = {name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
              for name in names}
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
        if "alembic_version" in names else None
    head = connection.execute(select(audit.audit_head.c.last_id, audit.audit_head.c.last_hash)
                              ).one_or_none() if "audit_head" in names else None
    return {"alembic_revision": revision, "counts": counts,
            "audit_head": {"last_id": head.last_id, "hash": head.last_hash} if head else None}
