"""The records' periodic task: the daily retention purge (``purge``, records.retention), at
``PURGE_AT_HOUR``:``PURGE_AT_MINUTE``."""
from __future__ import annotations

from flask import current_app

from webforms import jobs as queue
from webforms.records.retention import purge as purge_records


@queue.periodic_task("purge", queue.daily(minute="PURGE_AT_MINUTE", hour="PURGE_AT_HOUR"))
def purge() -> None:
    report = purge_records()
    current_app.logger.info("retention purge: %s", report)
