"""What each event says: ids, numbers, the form, the team, the revision, timestamps and links,
never what anyone typed in a record. Links are absolute, made from ``WEBFORMS_BASE_URL`` (no
request is there to say the host when the queue posts)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import current_app

from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import Job, Record, Team

ISSUED, REVISED, ANNULLED = "record.issued", "record.revised", "record.annulled"
OVERDUE, BATCH_FINISHED = "action.overdue", "batch.finished"
EVENTS = (ISSUED, REVISED, ANNULLED, OVERDUE, BATCH_FINISHED)
TEST = "webhook.test"  # the endpoint page's "send a test event" (to one endpoint only)
FALLBACK_BASE_URL = "http://localhost"


def link(endpoint: str, **values) -> str:
    """The absolute URL of a page: https://host/registros/3 (WEBFORMS_BASE_URL)."""
    base = urlsplit(current_app.config.get("BASE_URL") or FALLBACK_BASE_URL)
    urls = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                    url_scheme=base.scheme or "https")
    return urls.build(endpoint, values, force_external=True)


def moment(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def team(team_id: int | None, known: Team | None = None) -> dict | None:
    if team_id is None:
        return None
    found = known or db.session.get(Team, team_id)
    return {"id": team_id, "name": found.name if found is not None else None}


def envelope(event: str, data: dict, at: dt.datetime | None = None) -> dict:
    """The message as Standard Webhooks shape it: type, timestamp, data."""
    return {"type": event, "timestamp": moment(at or now(whole_seconds=True)), "data": data}


def record(item: Record) -> dict:
    return {"record": {
        "id": item.id, "number": item.number, "revision": item.revision,
        "form": item.document_key, "team": team(item.team_id, item.team),
        "issued_at": moment(item.issued_at), "url": link("records.record_page", record_id=item.id)}}


def annulled(item: Record) -> dict:
    data = record(item)
    data["record"]["annulled_at"] = moment(now(whole_seconds=True))
    return data


def overdue(row) -> dict:
    """An action (a row of webhooks.service.newly_overdue: no text of the action)."""
    return {"action": {
        "id": row.id, "family": row.family, "role": row.role, "agreed_on": moment(row.agreed_on),
        "deadline": moment(row.deadline), "team": team(row.team_id),
        "record": {"id": row.origin_record_id, "number": row.number,
                   "url": link("records.record_page", record_id=row.origin_record_id)},
        "url": link("actions.team", team_id=row.team_id)}}


def batch_finished(job: Job, team_id: int | None, issued: int) -> dict:
    return {"batch": {
        "id": job.id, "form": job.document_key, "team": team(team_id), "rows": job.total,
        "issued": issued, "finished_at": moment(job.finished_at),
        "url": link("batch.status", key=job.document_key, job_id=job.id)}}


def test_event(endpoint_id: int) -> dict:
    return {"endpoint": {"id": endpoint_id,
                         "url": link("webhooks.endpoint", endpoint_id=endpoint_id)}}
