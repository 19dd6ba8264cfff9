"""Many documents from one spreadsheet, generated in the background.

Progress and the result live in the job's folder (see :class:`BatchJobStore`), so any process
can report on it; the ZIP appears only once complete. (A job queue replaces the thread later.)
"""
from __future__ import annotations

import threading
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from ..catalogue import ControlledDocument
from ..documents.engine import safe_name_part
from ..documents.views import VIEWS
from ..forms import DocumentForm
from ..storage import BatchJobStore
from . import audit
from .issuing import issue_document

PROGRESS_EVERY = 5


def batch_store() -> BatchJobStore:
    return BatchJobStore(Path(current_app.config["OUTPUT_DIR"]))


def start_batch(document: ControlledDocument, form_class: type[DocumentForm], job_id: str,
                rows: list, locale: str) -> None:
    """Generate one document per valid row (already validated) in a background thread."""
    app = current_app._get_current_object()
    audit.record("batch_started", target=job_id, document=document.key, rows=len(rows))
    batch_store().update(job_id, state="running", done=0, total=len(rows))
    # The documents are issued in the background, on behalf of the user who asked for them.
    actor = audit.current_actor()
    worker = threading.Thread(target=_run_batch, name=f"batch-{job_id}", daemon=True,
                              args=(app, document, form_class, job_id, rows, locale, actor))
    worker.start()


def _run_batch(app, document, form_class, job_id, rows, locale, actor) -> None:
    with app.app_context(), force_locale(locale), audit.acting_as(actor, job=job_id):
        store = batch_store()
        try:
            with store.writing_result(job_id) as partial:
                _write_documents(partial, store, document, form_class, job_id, rows)
            store.update(job_id, state="done", done=len(rows))
        except Exception:  # reported on the job's page; the traceback goes to the server log
            app.logger.exception("batch %s failed", job_id)
            store.update(job_id, state="failed")
            _record_quietly(app, "batch_failed", job_id, document, len(rows))
        else:
            _record_quietly(app, "batch_finished", job_id, document, len(rows))


def _record_quietly(app, action: str, job_id: str, document, rows: int) -> None:
    """The job's end in the audit trail; the job's state is already saved, so a database
    failure here only goes to the log."""
    try:
        audit.record(action, target=job_id, document=document.key, rows=rows)
    except Exception:
        app.logger.exception("the audit entry %s of batch %s was not written", action, job_id)


def _write_documents(path: Path, store, document, form_class, job_id, rows) -> None:
    """Each .docx is already compressed: it is stored in the ZIP as it is, not deflated again."""
    view = VIEWS[document.key]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for done, (row_number, formdata) in enumerate(rows, start=1):
            form = form_class(formdata=formdata, meta={"csrf": False})
            rendered = issue_document(document, form)
            archive.writestr(batch_member_name(rendered.filename, row_number,
                                               view.file_label(form)), rendered.data)
            if done % PROGRESS_EVERY == 0:
                store.update(job_id, done=done)


def batch_member_name(filename: str, row_number: int, label: str = "") -> str:
    """``007 Ana Torres - F2.G34.P … .docx``: sorted like the spreadsheet, traceable to its row."""
    label = safe_name_part(label)[:60]
    return f"{row_number:03d} {label + ' - ' if label else ''}{filename}"
