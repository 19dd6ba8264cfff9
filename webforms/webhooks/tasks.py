"""The webhooks' tasks: one attempt at a delivery (``webhook_delivery``, queued when the event's
transaction committed, and again for each retry after its wait), and, every minute, the sweep
(``webhooks``): actions that became overdue are announced, and deliveries whose attempt is
overdue (a message lost, a consumer that died mid-attempt) are queued again."""
from __future__ import annotations

import datetime as dt

from huey import crontab

from webforms import jobs as queue
from webforms.clock import now
from webforms.common import dates
from webforms.common.tasks import periodic_task, task
from webforms.storage.database import db
from webforms.webhooks import outbox, service

SWEEP_GRACE = dt.timedelta(minutes=1)  # a retry's own message goes first


@task(outbox.DELIVERY_TASK)
def deliver(delivery_id: str) -> None:
    """One attempt: taken and committed, posted with no transaction open, then logged."""
    claimed = service.claim(delivery_id)
    db.session.commit()
    if claimed is None:
        return
    outcome = service.post(claimed)
    wait = service.settle(claimed, outcome)
    db.session.commit()
    if wait is not None:
        queue.submit_after(outbox.DELIVERY_TASK, wait, delivery_id)


@periodic_task("webhooks", lambda config: crontab())
def sweep() -> None:
    service.announce_overdue(dates.local_today())
    late = service.due(now() - SWEEP_GRACE)
    db.session.commit()
    outbox.submit(late)
