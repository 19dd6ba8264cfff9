"""The reminders on the home page: with no mail configured, each supervisor and coordinator sees
there the digest the mail would carry (counts, dates, record numbers and links to the team's
pages). A blueprint without routes: it brings the templates (the messages' too)."""
from __future__ import annotations

from flask import Blueprint

from webforms.accounts.reminder_settings import is_reminded
from webforms.common import dates
from webforms.reminders import reading
from webforms.reminders.links import team_links
from webforms.reminders.service import Section, mail_configured, teams_of
from webforms.web.main import home_part

bp = Blueprint("reminders", __name__, template_folder="templates")


@home_part
def on_the_home_page(user) -> dict:
    """The digest of every team ``user`` follows, when no mail carries it."""
    if mail_configured() or not is_reminded(user):
        return {}
    today = dates.local_today()  # the reader's today, as the dashboard's
    return {"reminders_digest": [Section(reading.pulse(team, user, today), team_links(team.id))
                                 for team in teams_of(user)]}

