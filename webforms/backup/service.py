"""Taking a backup to its target, with retention and an audit entry for every backup and every
failure; the age of the last good one for ``/healthz``; the backup before an upgrade.

The audit entries name the backup file, its size and how many parts it has: never its content.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import select

from webforms.audit import trail as audit
from webforms.backup.create import backup_name, configured_keys, instance_folder, write_backup
from webforms.backup.format import Keys
from webforms.backup.restore import holds_data
from webforms.backup.targets import keep_newest, target_for
from webforms.clock import now
from webforms.common.health import fact
from webforms.storage.database import db, migrations
from webforms.storage.models import AuditEntry


def configured_target(setting: str | None = None):
    """``WEBFORMS_BACKUP_TARGET`` (or ``setting``): a folder or a bucket; instance/backups by
    default."""
    return target_for(setting or current_app.config.get("BACKUP_TARGET"),
                      instance_folder() / "backups")


def create_backup(target=None, keys: Keys | None = None, keep: int | None = None,
                  reason: str = "manual") -> tuple[str, dict]:
    """Back up this installation to ``target``, keep the newest ``keep``, audit it: the backup's
    name and manifest. A failure is audited, then raised."""
    target = target or configured_target()
    keep = current_app.config.get("BACKUP_KEEP", 14) if keep is None else keep
    name = backup_name(now())
    try:
        with tempfile.TemporaryDirectory(prefix="webforms-backup-") as scratch:
            local = Path(scratch) / name
            manifest = write_backup(local, keys or configured_keys())
            size = local.stat().st_size
            target.put(local, name)
        removed = keep_newest(target, keep)
    except Exception as error:
        db.session.rollback()
        audit.append("backup_failed", reason=reason, error=type(error).__name__)
        db.session.commit()
        raise
    audit.append("backup_created", name, reason=reason, size=size,
                 parts=len(manifest["parts"]), removed=len(removed))
    db.session.commit()
    return name, manifest


@fact("backup")
def last_good_backup() -> dict:
    """When the last good backup was taken, and how long ago (None before the first)."""
    at = db.session.scalar(select(AuditEntry.at).where(AuditEntry.action == "backup_created")
                           .order_by(AuditEntry.id.desc()).limit(1))
    if at is None:
        return {"last_good": None, "age_seconds": None}
    at = at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at
    return {"last_good": audit.utc_text(at), "age_seconds": int((now() - at).total_seconds())}


def pending_migrations() -> bool:
    """Whether ``flask db upgrade`` has migrations to apply to this database."""
    script = ScriptDirectory.from_config(migrations(current_app).migrate.get_config())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())


def needs_backup_before_upgrade() -> bool:
    """A database that holds data, with migrations pending: an upgrade that must be undoable."""
    return pending_migrations() and holds_data()
