"""``flask backup restore FILE``: an installation back from its backup, into an empty one.

The backup is verified first (backup.verify: every part, the audit chain), then the database is
put back and the instance files and keys written to this installation's instance folder:

- SQLite → SQLite: the snapshot copied into ``DATABASE`` by SQLite's backup API;
- PostgreSQL → PostgreSQL: ``pg_restore`` of the ``pg_dump -Fc`` file;
- SQLite → PostgreSQL (an installation outgrowing one machine): the schema made by the
  migrations up to the backup's revision, then every table copied through SQLAlchemy in the order
  of their foreign keys, and each id sequence set after the highest id copied.

A database that already holds accounts or records is refused unless ``force`` says to replace
it: a restore must never mix two installations.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import flask_migrate
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, MetaData, create_engine, func, insert, inspect, select, table, text
from sqlalchemy.pool import NullPool

from webforms.backup.create import (
    CHECKPOINTS,
    DATABASE_POSTGRES,
    DATABASE_SQLITE,
    KEYS,
    instance_folder,
    is_postgres,
    libpq_url,
    sqlite_copy,
)
from webforms.backup.format import BackupError, Keys
from webforms.backup.verify import check_chain, unpack
from webforms.config import INSTALLATION_KEYS
from webforms.storage.database import db, migrations
from webforms.storage.files import write_atomically

# Tables whose rows make an installation "not empty": a restore would mix two of them.
OCCUPIED_BY = ("users", "records", "issued_documents")
ROWS_PER_INSERT = 1000


class NotEmpty(Exception):
    """The installation already holds data; restoring needs ``--force``."""


def restore(backup: Path, keys: Keys, force: bool = False) -> tuple[dict, list[str]]:
    """Restore ``backup`` into this installation: its manifest, and the environment variables
    that hold other keys than the backup's (see :func:`keys_set_elsewhere`)."""
    with tempfile.TemporaryDirectory(prefix="webforms-restore-") as scratch:
        folder = Path(scratch)
        manifest = unpack(backup, keys, folder)
        check_chain(folder, manifest)
        if not force and holds_data():
            raise NotEmpty
        db.session.remove()
        restore_database(folder, manifest)
        elsewhere = restore_instance(folder, manifest)
        db.session.remove()
        db.engine.dispose()
    return manifest, elsewhere


def holds_data() -> bool:
    names = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return any(connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                   for name in OCCUPIED_BY if name in names)


def restore_database(folder: Path, manifest: dict) -> None:
    db.engine.dispose()
    if manifest["database"] == DATABASE_SQLITE and not is_postgres():
        target = Path(current_app.config["DATABASE"])
        target.parent.mkdir(parents=True, exist_ok=True)
        sqlite_copy(folder / DATABASE_SQLITE, target)
    elif manifest["database"] == DATABASE_SQLITE:
        copy_into_postgres(folder / DATABASE_SQLITE, manifest["alembic_revision"])
    elif is_postgres():
        drop_tables()
        url, environment = libpq_url(db.engine.url)
        subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                        "--single-transaction", "--exit-on-error", f"--dbname={url}",
                        str(folder / DATABASE_POSTGRES)],
                       check=True, capture_output=True, env=environment)
    else:
        raise BackupError(DATABASE_POSTGRES, _l(
            "una copia de PostgreSQL se restaura en PostgreSQL (configure WEBFORMS_DATABASE_URL)"))
    db.engine.dispose()


def drop_tables() -> None:
    """Every table of the target, whatever its revision (the restore replaces them all)."""
    existing = MetaData()
    existing.reflect(db.engine)
    existing.drop_all(db.engine)


def copy_into_postgres(snapshot: Path, revision: str | None) -> None:
    drop_tables()
    migrations(current_app)
    flask_migrate.upgrade(revision=revision or "head")
    source = create_engine(f"sqlite:///{snapshot}", poolclass=NullPool)
    try:
        origin, target = MetaData(), MetaData()
        origin.reflect(source)
        target.reflect(db.engine)
        with source.connect() as reading, db.engine.begin() as writing:
            writing.execute(text("SET LOCAL TIME ZONE 'UTC'"))  # SQLite keeps UTC, zone-less
            tables = [each for each in target.sorted_tables if each.name != "alembic_version"]
            for each in reversed(tables):  # what the migrations seeded (the keyed audit entry)
                writing.execute(each.delete())
            for each in tables:
                if each.name in origin.tables:
                    copy_table(reading, writing, origin.tables[each.name], each)
            for each in tables:
                reset_sequences(writing, each)
    finally:
        source.dispose()


def copy_table(reading, writing, origin, target) -> None:
    columns = [column.name for column in target.columns if column.name in origin.columns]
    rows = reading.execution_options(yield_per=ROWS_PER_INSERT).execute(
        select(*(origin.columns[name] for name in columns)))
    for batch in rows.partitions(ROWS_PER_INSERT):
        writing.execute(insert(target), [dict(zip(columns, row, strict=True)) for row in batch])


def reset_sequences(writing, target) -> None:
    """Each serial id's sequence after the highest id copied: new rows take the next ids."""
    for column in target.primary_key.columns:
        if not isinstance(column.type, Integer):
            continue
        sequence = writing.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                   {"table": target.name, "column": column.name}).scalar()
        if sequence:
            writing.execute(text(
                f'SELECT setval(:sequence, COALESCE(MAX("{column.name}"), 0) + 1, false) '
                f'FROM "{target.name}"'), {"sequence": sequence})


def restore_instance(folder: Path, manifest: dict) -> list[str]:
    """The instance files, the key files and the audit checkpoints, written into this
    installation; this process's settings take the backup's keys."""
    instance = instance_folder()
    for part in manifest["parts"]:
        if part["name"].startswith("instance/"):
            target = instance.joinpath(*part["name"].split("/")[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, (folder / part["name"]).read_bytes())
    values = json.loads((folder / KEYS).read_text())
    for setting, _variable, file_name in INSTALLATION_KEYS:
        write_atomically(_in(instance, file_name), values["keys"][setting].encode())
        current_app.config[setting] = values["keys"][setting]
    if values["old_data_keys"]:
        write_atomically(_in(instance, "data_key.old"),
                         "\n".join(values["old_data_keys"]).encode() + b"\n")
    current_app.config["OLD_DATA_KEYS"] = values["old_data_keys"]
    checkpoints = Path(current_app.config["AUDIT_CHECKPOINTS"])
    checkpoints.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(checkpoints, (folder / CHECKPOINTS).read_bytes())
    return keys_set_elsewhere(values["keys"])


def _in(instance: Path, name: str) -> Path:
    instance.mkdir(parents=True, exist_ok=True)
    return instance / name


def keys_set_elsewhere(folder_values: dict) -> list[str]:
    """The environment variables whose key differs from the backup's: they win over the
    restored files, so they must be set to the backup's values."""
    return [variable for setting, variable, _file in INSTALLATION_KEYS
            if os.environ.get(variable) and os.environ[variable] != folder_values[setting]]
