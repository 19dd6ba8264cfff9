"""When a team's weekly digest is due: its day and hour (accounts.reminder_settings) in the
installation's time zone, once in each ISO week. Pure arithmetic on a local moment, so the job
may run late (a consumer stopped for the night) and still send that week's digest once.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import get_timezone


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` (aware, e.g. clock.now()) in the installation's time zone."""
    return moment.astimezone(get_timezone())


def week_key(day: dt.date) -> str:
    """The ISO week of ``day``: "2026-W49"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_moment(weekday: int, hour: int, when: dt.datetime) -> dt.datetime:
    """The moment of this week's digest (the week of local ``when``) on ``weekday`` at
    ``hour``, local time."""
    monday = when.date() - dt.timedelta(days=when.weekday())
    naive = dt.datetime.combine(monday + dt.timedelta(days=weekday), dt.time(hour))
    return get_timezone().localize(naive)


def digest_due(weekday: int, hour: int, when: dt.datetime) -> bool:
    """Whether this week's digest moment has come at local ``when``."""
    return when >= digest_moment(weekday, hour, when)
