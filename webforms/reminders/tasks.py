"""The reminders' periodic task: every hour at ``REMINDERS_AT_MINUTE``, the digests whose day and
hour have come and the notices not sent yet (reminders.service). Without mail configured it does
nothing: the home page shows the digest instead."""
from __future__ import annotations

from flask import current_app

from webforms.common.tasks import hourly, periodic_task
from webforms.reminders import service


@periodic_task("reminders", hourly(minute="REMINDERS_AT_MINUTE"))
def send_reminders() -> None:
    if not service.mail_configured():
        return
    outcome = service.send_due()
    current_app.logger.info("reminders: %d sent, %d failed", outcome.sent, outcome.failed)
