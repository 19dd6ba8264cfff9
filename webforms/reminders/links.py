"""The links a reminder gives: the team's dashboard and its Acciones page. In mail they are
absolute, made from WEBFORMS_BASE_URL (no request is there to say the host); on the home page
they are the page's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, url_for

DASHBOARD = "dashboard.team"
ACTIONS = "actions.team"  # the team's Acciones page (webforms.actions)
FALLBACK_BASE_URL = "http://localhost"


@dataclass(frozen=True)
class Links:
    dashboard: str
    actions: str


def team_links(team_id: int) -> Links:
    """The links of the team's pages within the site (the home page)."""
    return Links(url_for(DASHBOARD, team_id=team_id), url_for(ACTIONS, team_id=team_id))


def absolute_team_links(team_id: int) -> Links:
    """The same links as a mail carries them: https://host/panel/3 (WEBFORMS_BASE_URL)."""
    base = urlsplit(current_app.config.get("BASE_URL") or FALLBACK_BASE_URL)
    urls = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                    url_scheme=base.scheme or "https")
    return Links(urls.build(DASHBOARD, {"team_id": team_id}, force_external=True),
                 urls.build(ACTIONS, {"team_id": team_id}, force_external=True))
