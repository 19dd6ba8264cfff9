"""The endpoints, the outbox and the attempts.

An administrator registers an endpoint (its URL checked as addresses.check checks it), and its
secret is made here, shown once, kept sealed. An event becomes one delivery row per enabled
endpoint that subscribed to it (:func:`announce`), in the caller's transaction; the ids of the
new rows wait in the session until it commits (outbox.py hands them to the queue). A delivery
is tried by the queue's task: :func:`claim` takes it (one conditional update, so two messages
for one delivery never post twice), :func:`post` posts it with no transaction open, and
:func:`settle` logs the attempt and decides: delivered (any 2xx), retried after
``WEBHOOKS_RETRY_DELAYS[n]`` seconds, or failed once those are used up.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import urllib3
from flask import current_app
from sqlalchemy import func, or_, select, update

from webforms.actions.families import BARRIERS, STILL_OPEN
from webforms.audit import trail as audit
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import (
    Action,
    Record,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookOverdueNotice,
)
from webforms.webhooks import addresses, payloads, signing

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
QUEUED = "webhooks.queued"  # session.info: ids of deliveries written, not committed yet
LOG_LENGTH = 50
MAX_DESCRIPTION = 200
LEASE_SECONDS = 60  # an attempt's hold on its delivery, past its timeout (a worker that died)
TIMEOUT, CONNECTION, TLS, DISABLED = "timeout", "connection_error", "tls_error", "endpoint_disabled"


# --- the endpoints -------------------------------------------------------------------------------
def all_endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def find(endpoint_id) -> WebhookEndpoint | None:
    return db.session.get(WebhookEndpoint, endpoint_id) if 0 < endpoint_id < 2**31 else None


def checked_url(url: str) -> str:
    """The URL as kept, once its host resolves only to allowed addresses (else Refused)."""
    url = (url or "").strip()
    addresses.check(url, current_app.config["WEBHOOKS_ALLOWED_NETWORKS"])
    return url


def register(url: str, events, description: str, enabled: bool, user) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (to show once); raises addresses.Refused."""
    endpoint = WebhookEndpoint(url=checked_url(url), events=subscribed(events),
                               description=(description or "")[:MAX_DESCRIPTION],
                               enabled=bool(enabled), created_by=user.id)
    secret = signing.new_secret()
    endpoint.secret = secret
    db.session.add(endpoint)
    db.session.flush()
    audit.append("webhook_endpoint_created", target=endpoint.id, host=host_of(endpoint.url),
                 events=endpoint.events, enabled=endpoint.enabled)
    return endpoint, secret


def change(endpoint: WebhookEndpoint, url: str, events, description: str, enabled: bool) -> None:
    """New settings for ``endpoint``; raises addresses.Refused before changing anything."""
    endpoint.url = checked_url(url)
    endpoint.events, endpoint.enabled = subscribed(events), bool(enabled)
    endpoint.description = (description or "")[:MAX_DESCRIPTION]
    audit.append("webhook_endpoint_changed", target=endpoint.id, host=host_of(endpoint.url),
                 events=endpoint.events, enabled=endpoint.enabled)


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new secret for ``endpoint`` (the old one signs nothing from now on): shown once."""
    secret = signing.new_secret()
    endpoint.secret, endpoint.secret_rotated_at = secret, now()
    audit.append("webhook_secret_rotated", target=endpoint.id)
    return secret


def remove(endpoint: WebhookEndpoint) -> None:
    audit.append("webhook_endpoint_removed", target=endpoint.id, host=host_of(endpoint.url))
    db.session.delete(endpoint)


def subscribed(events) -> list[str]:
    return [event for event in payloads.EVENTS if event in set(events or ())]


def host_of(url: str) -> str:
    try:
        return addresses.parse(url)[1]
    except addresses.Refused:
        return ""


def delivery_log(endpoint: WebhookEndpoint) -> list[WebhookAttempt]:
    """The endpoint's latest attempts, newest first."""
    return list(db.session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint.id)
        .order_by(WebhookAttempt.at.desc(), WebhookAttempt.id.desc()).limit(LOG_LENGTH)))


# --- the outbox ----------------------------------------------------------------------------------
# Read at every issue (outbox.py): built once (building a statement costs more than running it).
ENABLED_ENDPOINTS = select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))


def announce(event: str, data: Callable[[], dict]) -> list[str]:
    """One delivery of ``event`` per enabled endpoint subscribed to it, in the caller's
    transaction; their ids wait in the session for its commit (outbox.py). ``data`` makes the
    payload, only when an endpoint takes it (an issue with no endpoint pays one query)."""
    endpoints = [endpoint for endpoint in db.session.scalars(ENABLED_ENDPOINTS)
                 if event in (endpoint.events or ())]
    payload = data() if endpoints else None
    return [enqueue(endpoint, event, payload) for endpoint in endpoints]


def send_test(endpoint: WebhookEndpoint) -> str:
    """A ``webhook.test`` event to this endpoint only (enabled or not: it is a check)."""
    audit.append("webhook_test_sent", target=endpoint.id)
    return enqueue(endpoint, payloads.TEST, payloads.test_event(endpoint.id))


def enqueue(endpoint: WebhookEndpoint, event: str, data: dict) -> str:
    at = now(whole_seconds=True)
    delivery = WebhookDelivery(id=new_message_id(), endpoint_id=endpoint.id, event=event,
                               payload=payloads.envelope(event, data, at), state=PENDING,
                               attempts=0, next_attempt_at=at, created_at=now())
    db.session.add(delivery)
    db.session.info.setdefault(QUEUED, []).append(delivery.id)
    return delivery.id


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(24)


def due(before: dt.datetime) -> list[str]:
    """Pending deliveries whose next attempt was due by ``before`` (the queue's sweep)."""
    return list(db.session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.state == PENDING, WebhookDelivery.next_attempt_at <= before)))


# --- an attempt ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Claimed:
    """A delivery taken for one attempt: what posting it needs, read before the network."""

    delivery_id: str
    endpoint_id: int
    number: int
    url: str
    secret: str
    body: bytes
    enabled: bool


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def claim(delivery_id: str) -> Claimed | None:
    """Take a pending delivery that is due, for one attempt (None: not due, or taken)."""
    at = now()
    taken = db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.state == PENDING,
        WebhookDelivery.next_attempt_at <= at).values(
        attempts=WebhookDelivery.attempts + 1,
        next_attempt_at=at + dt.timedelta(seconds=lease_seconds()))).rowcount
    if not taken:
        return None
    delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    return Claimed(delivery.id, endpoint.id, delivery.attempts, endpoint.url, endpoint.secret,
                   body(delivery.payload), endpoint.enabled or delivery.event == payloads.TEST)


def body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def lease_seconds() -> int:
    return current_app.config["WEBHOOKS_TIMEOUT"] + LEASE_SECONDS


def post(claimed: Claimed) -> Outcome:
    """One attempt: the URL checked again, then posted to the address checked."""
    if not claimed.enabled:
        return Outcome(None, DISABLED, 0)
    started = time.monotonic()
    try:
        target = addresses.check(claimed.url, current_app.config["WEBHOOKS_ALLOWED_NETWORKS"])
        headers = signing.signed_headers(claimed.secret, claimed.delivery_id, now(), claimed.body)
        status = addresses.post(target, claimed.body, headers,
                                current_app.config["WEBHOOKS_TIMEOUT"])
        error = None
    except addresses.Refused as refused:
        status, error = None, refused.code
    except urllib3.exceptions.TimeoutError:
        status, error = None, TIMEOUT
    except urllib3.exceptions.SSLError:
        status, error = None, TLS
    except (urllib3.exceptions.HTTPError, OSError):
        status, error = None, CONNECTION
    return Outcome(status, error, round((time.monotonic() - started) * 1000))


def settle(claimed: Claimed, outcome: Outcome) -> float | None:
    """Log the attempt and decide; the seconds to the retry, or None when there is none."""
    delivery = db.session.get(WebhookDelivery, claimed.delivery_id)
    if delivery is None:  # its endpoint was removed meanwhile
        return None
    db.session.add(WebhookAttempt(delivery_id=delivery.id, endpoint_id=claimed.endpoint_id,
                                  number=claimed.number, at=now(), status_code=outcome.status,
                                  error=outcome.error, duration_ms=outcome.duration_ms))
    delays = current_app.config["WEBHOOKS_RETRY_DELAYS"]
    if outcome.delivered or claimed.number > len(delays) or outcome.error == DISABLED:
        delivery.state = DELIVERED if outcome.delivered else FAILED
        delivery.finished_at, delivery.next_attempt_at = now(), None
        return None
    wait = delays[claimed.number - 1]
    delivery.next_attempt_at = now() + dt.timedelta(seconds=wait)
    return wait


# --- actions that became overdue -----------------------------------------------------------------
def newly_overdue(today: dt.date) -> list:
    """Open actions whose deadline passed by ``today`` and not announced with that deadline."""
    return list(db.session.execute(
        select(Action.id, Action.team_id, Action.family, Action.role, Action.agreed_on,
               Action.deadline, Action.origin_record_id, Record.number)
        .join(Record, Record.id == Action.origin_record_id)
        .outerjoin(WebhookOverdueNotice, WebhookOverdueNotice.action_id == Action.id)
        .where(Action.family != BARRIERS, Action.status.in_(STILL_OPEN),
               Action.deadline < today,
               or_(WebhookOverdueNotice.action_id.is_(None),
                   WebhookOverdueNotice.deadline != Action.deadline))
        .order_by(Action.id)))


def announce_overdue(today: dt.date) -> int:
    """``action.overdue`` once per action that became overdue (nothing while no endpoint is
    registered); how many actions were announced."""
    if not db.session.scalar(select(func.count()).select_from(WebhookEndpoint)):
        return 0
    rows = newly_overdue(today)
    for row in rows:
        notice = db.session.get(WebhookOverdueNotice, row.id)
        if notice is None:
            db.session.add(WebhookOverdueNotice(action_id=row.id, deadline=row.deadline))
        else:
            notice.deadline, notice.noticed_at = row.deadline, now()
        announce(payloads.OVERDUE, lambda row=row: payloads.overdue(row))
    db.session.flush()
    return len(rows)
