"""The settings of the reminders (webforms.reminders) that belong to accounts and teams: whether
a user takes them by mail (the account page), and when a team's weekly digest goes (the team's
page). Kept here, below the reminders, so that the account and team pages set them without
knowing how reminders are sent. Like every service it flushes and never commits.
"""
from __future__ import annotations

from webforms.audit import trail as audit
from webforms.storage.database import db
from webforms.storage.models import Team

# Who gets the weekly digest and the notices: the roles that follow a team's rhythms.
REMINDED_ROLES = ("supervisor", "coordinador")
WEEKDAYS = range(7)  # 0 Monday … 6 Sunday
HOURS = range(24)
DEFAULT_WEEKDAY, DEFAULT_HOUR = 0, 8


def is_reminded(user) -> bool:
    """Whether ``user``'s roles are those reminders go to."""
    return any(user.has_role(role) for role in REMINDED_ROLES)


def choose_mail(user, wanted: bool) -> None:
    """Whether ``user`` takes the digest and the notices by mail; audited when it changes."""
    if bool(user.reminders) == wanted:
        return
    user.reminders = wanted
    db.session.flush()
    audit.append("reminders_chosen", target=user.id, mailed=wanted)


def set_digest_time(team: Team, weekday: int, hour: int) -> None:
    """The day (0 Monday … 6 Sunday) and hour of ``team``'s weekly digest, in the installation's
    time zone; audited when it changes."""
    if weekday not in WEEKDAYS or hour not in HOURS:
        raise ValueError("a weekday is 0..6 and an hour 0..23")
    if (team.digest_weekday, team.digest_hour) == (weekday, hour):
        return
    team.digest_weekday, team.digest_hour = weekday, hour
    db.session.flush()
    audit.append("team_changed", target=team.name, digest_weekday=weekday, digest_hour=hour)
