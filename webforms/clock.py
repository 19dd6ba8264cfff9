"""One clock: the moment in UTC that every record, revision, job, audit entry, session and default
column takes, so that a test can stop time in one place and no two parts of the product disagree
on what "now" is (there used to be six helpers). A module of its own, below the storage (whose
columns default to it) and everything above."""
from __future__ import annotations

import datetime as dt


def now(*, whole_seconds: bool = False) -> dt.datetime:
    """The current moment, in UTC (time-zone aware); ``whole_seconds`` drops the microseconds (a
    moment printed in an issued copy, or compared with one)."""
    moment = dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0) if whole_seconds else moment
