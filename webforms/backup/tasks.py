"""The daily backup (``backup``), at ``BACKUP_AT_HOUR``:``BACKUP_AT_MINUTE`` (UTC), to
``WEBFORMS_BACKUP_TARGET`` keeping the newest ``WEBFORMS_BACKUP_KEEP``. Without a passphrase or a
public key configured it takes none and says so in the log (a backup is never written in clear);
``/healthz`` then shows no last good backup."""
from __future__ import annotations

from flask import current_app

from webforms.backup import service
from webforms.backup.cli import FAILURES
from webforms.backup.create import configured_keys
from webforms.common.tasks import daily, periodic_task


@periodic_task("backup", daily(minute="BACKUP_AT_MINUTE", hour="BACKUP_AT_HOUR"))
def daily_backup() -> None:
    keys = configured_keys()
    if not (keys.passphrase or keys.public_key):
        current_app.logger.warning("no backup: set WEBFORMS_BACKUP_PASSPHRASE or "
                                   "WEBFORMS_BACKUP_PUBLIC_KEY")
        return
    try:
        name, _manifest = service.create_backup(keys=keys, reason="daily")
    except FAILURES as error:  # audited by create_backup; the queue must not retry in a loop
        current_app.logger.error("daily backup failed: %s", error)
        return
    current_app.logger.info("daily backup: %s", name)
