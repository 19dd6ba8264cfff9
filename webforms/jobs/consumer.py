"""What the job consumer runs: ``huey_consumer webforms.jobs.consumer.huey`` (see Procfile).

The application is created once, before Huey starts its worker processes; every task runs in its
context. A worker process never uses a database connection opened before it was forked: it opens
its own. A watcher thread takes up the jobs whose consumer died (jobs.service.recover) and
removes expired results, every ``JOBS_WATCH_SECONDS``, in every worker (the updates are
conditional, so several agree).
"""
from __future__ import annotations

import os
import threading

from webforms.app import create_app
from webforms.jobs import EXTENSION
from webforms.jobs.tasks import watch_forever
from webforms.storage.database import db

app = create_app()
huey = app.extensions[EXTENSION].huey
_watcher_started = threading.Lock()


def _own_connections() -> None:
    with app.app_context():
        db.engine.dispose(close=False)  # the parent's connections stay the parent's


os.register_at_fork(after_in_child=_own_connections)


@huey.on_startup()
def start_watcher() -> None:
    """Once per process (Huey calls this in each worker, thread or process)."""
    if _watcher_started.acquire(blocking=False):
        threading.Thread(target=watch_forever, args=(app,), name="jobs-watcher",
                         daemon=True).start()
