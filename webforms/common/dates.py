"""One way to write a date, and a moment, on every page of a language: the day, the month's short
name in that language, the year (and the time, 24 h, in the reader's time zone). Records list,
record page, dashboard, audit log and sessions all go through :func:`written`, so one screen never
shows "2026-12-07 07:38" beside "30 nov 2026" and "7/12/26, 7:38".

The clock itself is :func:`webforms.clock.now`, below the storage that stamps rows with it;
:func:`local_today` is the reader's today every page counts from (the dashboard, the Acciones
page, the actions a new record carries, the roster), one function that a test fixes in one place."""
from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_datetime, get_timezone

from webforms.clock import now

DATE_PATTERN = "d MMM y"
MOMENT_PATTERN = "d MMM y, HH:mm"


def written(value) -> str:
    """``value`` (a date or a datetime) as the pages write it; "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, MOMENT_PATTERN)
    return format_date(value, DATE_PATTERN)


def local_today() -> dt.date:
    """Today in the reader's time zone (webforms.clock.now, the one clock)."""
    return now().astimezone(get_timezone()).date()
