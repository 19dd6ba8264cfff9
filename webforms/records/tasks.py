"""The records' periodic task, the daily retention purge (``purge``, records.retention, at
``PURGE_AT_HOUR``:``PURGE_AT_MINUTE``), and what the records tell the queue about their jobs: who
may see a record's copy (records.need_to_know) and where its PDF is kept (records.issued_copies)."""
from __future__ import annotations

from flask import current_app

from webforms.common.tasks import daily, periodic_task
from webforms.jobs import pdf as pdf_jobs
from webforms.jobs import service as jobs
from webforms.records import issued_copies, need_to_know
from webforms.records.retention import purge as purge_records
from webforms.storage.database import db


@periodic_task("purge", daily(minute="PURGE_AT_MINUTE", hour="PURGE_AT_HOUR"))
def purge() -> None:
    report = purge_records()
    db.session.commit()
    current_app.logger.info("retention purge: %s", report)


jobs.RECORD_READERS.append(need_to_know.may_read)
pdf_jobs.RECORD_PDF_KEEPERS.append(issued_copies.kept_pdf)
