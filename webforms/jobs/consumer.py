"""What the job consumer runs: ``huey_consumer webforms.jobs.consumer.huey`` (see Procfile).

The application is created once for the process; every task runs in its context. A watcher thread
takes up the jobs whose consumer died (services.jobs.recover) and removes expired results, every
``JOBS_WATCH_SECONDS``, in every consumer (the updates are conditional, so several agree).
"""
from __future__ import annotations

import threading

from .. import create_app
from . import EXTENSION
from .tasks import watch_forever

app = create_app()
huey = app.extensions[EXTENSION].huey
_watcher_started = threading.Lock()


@huey.on_startup()
def start_watcher() -> None:
    """Once per process (Huey calls this in each worker thread)."""
    if _watcher_started.acquire(blocking=False):
        threading.Thread(target=watch_forever, args=(app,), name="jobs-watcher",
                         daemon=True).start()
