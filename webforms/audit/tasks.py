"""The audit trail's periodic task: the daily checkpoint (``audit_checkpoint``, audit.trail), at
``AUDIT_CHECKPOINT_AT_HOUR`` o'clock."""
from __future__ import annotations

from flask import current_app

from webforms.audit import trail as audit
from webforms.common.tasks import daily, periodic_task


@periodic_task("audit_checkpoint", daily(minute="0", hour="AUDIT_CHECKPOINT_AT_HOUR"))
def audit_checkpoint() -> None:
    """The head anchored outside the database, or an error in the log when the chain does not
    hold."""
    broken, line = audit.checkpoint()
    if broken is not None:
        current_app.logger.error("audit trail broken at entry %s (%s): no checkpoint written",
                                 broken.entry_id, broken.problem)
        return
    current_app.logger.info("audit checkpoint: %s", line)
