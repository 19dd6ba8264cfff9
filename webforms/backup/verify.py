"""``flask backup verify FILE``: open a backup without restoring it, and check everything in it.

The parts are decrypted into a private scratch folder: every chunk's authentication, then every
part's size and SHA-256 against the manifest, then the audit chain inside the database (with the
audit key the backup holds, the head it recorded and its last checkpoint), by the audit trail's
own checks (audit.trail). The first problem is raised as a :class:`BackupError` naming its part.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from webforms.audit import trail as audit
from webforms.backup.create import CHECKPOINTS, DATABASE_POSTGRES, DATABASE_SQLITE, KEYS
from webforms.backup.format import MANIFEST, BackupError, Keys, Reader


def unpack(backup: Path, keys: Keys, folder: Path) -> dict:
    """Decrypt every part of ``backup`` into ``folder``; the manifest, once every part matches
    it."""
    digests, manifest = {}, None
    with open(backup, "rb") as stream:
        handle, current = None, None
        for chunk in Reader(stream, keys).chunks():
            if chunk.part == MANIFEST:
                manifest = _manifest(manifest, chunk)
                continue
            if chunk.part != current:
                handle, current = open(_inside(folder, chunk.part), "wb"), chunk.part
                digests[current] = [hashlib.sha256(), 0]
            handle.write(chunk.data)
            digests[current][0].update(chunk.data)
            digests[current][1] += len(chunk.data)
            if chunk.last:
                handle.close()
    if not isinstance(manifest, dict):
        raise BackupError(MANIFEST, _l("falta: el archivo está incompleto"))
    _check_parts(manifest, digests)
    return manifest


def _manifest(previous, chunk) -> dict | bytes:
    data = (previous or b"") + chunk.data
    if not chunk.last:
        return data
    try:
        return json.loads(data)
    except ValueError as error:
        raise BackupError(MANIFEST, _l("es ilegible")) from error


def _inside(folder: Path, name: str) -> Path:
    """Where a part is written: always inside ``folder`` (a name never climbs out of it)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(name, _l("su nombre sale de la copia"))
    path = folder.joinpath(*relative.parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _check_parts(manifest: dict, digests: dict) -> None:
    listed = {part["name"]: part for part in manifest.get("parts", ())}
    for name, (digest, size) in digests.items():
        part = listed.get(name)
        if part is None or part["sha256"] != digest.hexdigest() or part["size"] != size:
            raise BackupError(name, _l("su suma de comprobación no coincide con el manifiesto"))
    for name in listed.keys() - digests.keys():
        raise BackupError(name, _l("figura en el manifiesto pero falta"))


def check_chain(folder: Path, manifest: dict) -> None:
    """The audit chain inside the backup holds: its entries, its head, the manifest's head and
    the last checkpoint, under the backup's own audit key."""
    key = json.loads((folder / KEYS).read_text())["keys"]["AUDIT_KEY"].encode()
    rows, head = audit_rows(folder, manifest)
    broken, walk = walk_rows(rows, head, key, last_checkpoint(folder / CHECKPOINTS, key))
    if broken is not None:
        raise BackupError(manifest["database"], _l(
            "la cadena de auditoría se rompe en la entrada %(entry)s (%(problem)s)",
            entry=broken.entry_id, problem=broken.problem))
    recorded = manifest.get("audit_head") or {}
    if recorded and (recorded["last_id"], recorded["hash"]) != (walk.last_id, walk.last_hash):
        raise BackupError(MANIFEST, _l("su final de la cadena de auditoría no es el de la base de datos"))


def walk_rows(rows, head, key: bytes, anchor) -> tuple:
    """audit.trail's checks over rows read from a backup rather than the live database."""
    walk = audit.Walk(anchor_id=anchor.last_id if anchor else None)
    for row in rows:
        broken = audit.entry_problem(row, walk, key)
        if broken is not None:
            return broken, walk
        walk.advance(row)
    if head is None:
        return audit.BrokenEntry(walk.last_id, "head"), walk
    broken = audit.head_problem(head, walk.last_id, walk.last_hash) or (
        None if walk.keyed else audit.BrokenEntry(walk.last_id + 1, "unkeyed"))
    return broken or audit.anchor_problem(anchor, walk), walk


def last_checkpoint(path: Path, key: bytes):
    """The backup's last checkpoint line, checked with its key (None before the first)."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()] \
        if path.exists() else []
    if not lines:
        return None
    match = audit.CHECKPOINT_LINE.match(lines[-1])
    checkpoint = match and audit.Checkpoint(match["at"], int(match["last_id"]),
                                            int(match["count"]), match["head"])
    if not checkpoint or audit.checkpoint_mac(checkpoint.body(), key) != match["mac"]:
        raise BackupError(CHECKPOINTS, _l("su última línea no se escribió con la clave de auditoría"))
    return checkpoint


def audit_rows(folder: Path, manifest: dict) -> tuple[list, object]:
    """The audit entries and head of the backed-up database, oldest first."""
    if manifest["database"] == DATABASE_SQLITE:
        engine = create_engine(f"sqlite:///{folder / DATABASE_SQLITE}", poolclass=NullPool)
        try:
            with engine.connect() as connection:
                rows = connection.execute(select(audit.entries).order_by(audit.entries.c.id)).all()
                head = connection.execute(select(audit.audit_head)).one_or_none()
        finally:
            engine.dispose()
        return rows, head
    return postgres_audit_rows(folder / DATABASE_POSTGRES)


def postgres_audit_rows(dump: Path) -> tuple[list, object]:
    """The audit tables of a ``pg_dump -Fc`` file, read as ``pg_restore`` prints their data
    (COPY's text format), without a server."""
    script = subprocess.run(["pg_restore", "--data-only", "--table=audit_entries",
                             "--table=audit_head", "--file=-", str(dump)],
                            check=True, capture_output=True, text=True).stdout
    tables = copy_blocks(script)
    rows = sorted((_entry(values) for values in tables.get("audit_entries", ())),
                  key=lambda row: row.id)
    heads = [SimpleNamespace(last_id=int(values["last_id"]), last_hash=values["last_hash"])
             for values in tables.get("audit_head", ())]
    return rows, heads[0] if heads else None


def copy_blocks(script: str) -> dict[str, list[dict]]:
    """COPY … FROM stdin blocks of a SQL script: table name → rows as column → text (None for
    NULL)."""
    tables, lines = {}, iter(script.splitlines())
    for line in lines:
        if not line.startswith("COPY "):
            continue
        name = line.split()[1].split(".")[-1].strip('"')
        columns = [column.strip().strip('"') for column in
                   line[line.index("(") + 1:line.index(")")].split(",")]
        rows = tables.setdefault(name, [])
        for data in lines:
            if data == "\\.":
                break
            rows.append(dict(zip(columns, (_copy_value(field) for field in data.split("\t")),
                                 strict=True)))
    return tables


COPY_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}


def _copy_value(field: str) -> str | None:
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    out, characters = [], iter(field)
    for character in characters:
        out.append(COPY_ESCAPES.get(next(characters, ""), "") if character == "\\" else character)
    return "".join(out)


def _entry(values: dict) -> SimpleNamespace:
    fields = {**values, "id": int(values["id"]),
              "user_id": int(values["user_id"]) if values["user_id"] is not None else None,
              "details": json.loads(values["details"]) if values["details"] else None,
              "at": dt.datetime.fromisoformat(values["at"])}
    return SimpleNamespace(**fields, _mapping=fields)
