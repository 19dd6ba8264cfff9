"""Webhooks (webforms.webhooks, docs/webhooks.md): signed Standard Webhooks messages for issued,
revised and annulled records, overdue actions and finished batches, posted by the job queue to a
real receiver process, retried after failures, never to private addresses unless allowed, and
carrying no typed content."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER
from tests.factories import MARKERS, as_csv, issue, issue_marked, person, run_queue, upload, wait_for_zip
from tests.helpers import (
    REGISTRO_URL,
    decide_annulment,
    issue_through_page,
    pending_annulment_id,
    request_annulment,
    sign_in,
    valid_registro,
)
from tests.processes import webhook_messages, webhook_receiver
from webforms.storage.database import db
from webforms.storage.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webforms.webhooks import addresses, signing, tasks

LISTING = "/administracion/webhooks/"
EVENTS = ("record.issued", "record.revised", "record.annulled", "action.overdue",
          "batch.finished")
LOCAL = ["127.0.0.0/8", "::1/128"]
CLOSED_PORT = "http://127.0.0.1:9/hooks"  # nothing listens: each attempt fails at once
BASE_URL = "https://formularios.example.org"


@pytest.fixture
def app(make_app):
    """This module's app (and the ``client`` fixture's): endpoints on this machine allowed
    (the receiver), retries at once, absolute links."""
    return make_app(WEBHOOKS_ALLOWED_NETWORKS=LOCAL, WEBHOOKS_RETRY_DELAYS=[0, 0, 0, 0, 0],
                    BASE_URL=BASE_URL)


@pytest.fixture
def queued(make_app):
    """An app whose queue keeps its messages until :func:`run_queue` runs them, as a consumer
    does (the production path: posted after the commit, by the queue), and its team member."""
    app = make_app(WEBHOOKS_ALLOWED_NETWORKS=LOCAL, WEBHOOKS_RETRY_DELAYS=[0, 0, 0, 0, 0],
                   BASE_URL=BASE_URL, JOBS_IMMEDIATE=False)
    return app, sign_in(app.test_client(), TEAM_MEMBER)


@pytest.fixture
def receiver(tmp_path):
    started = []

    def start(fail_first: int = 0):
        started.append(webhook_receiver(tmp_path, fail_first))
        return started[-1]
    yield start
    for process, *_rest in started:
        process.kill()


def admin_of(app):
    return sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])


def register(app, url: str, events=EVENTS) -> tuple[int, str]:
    """An endpoint registered on the administrators' page: its id and the secret shown once."""
    response = admin_of(app).post(LISTING, data={"url": url, "description": "Sistema de casos",
                                                 "events": list(events), "enabled": "y"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 201, page[-1500:]
    secret = re.search(r'id="webhook-secret">(whsec_[A-Za-z0-9+/=]+)<', page).group(1)
    with app.app_context():
        return db.session.scalar(select(WebhookEndpoint.id).order_by(
            WebhookEndpoint.id.desc())), secret


def deliveries(app, event: str | None = None) -> list[dict]:
    with app.app_context():
        query = select(WebhookDelivery).order_by(WebhookDelivery.created_at, WebhookDelivery.id)
        return [{"id": row.id, "event": row.event, "payload": row.payload, "state": row.state,
                 "attempts": row.attempts} for row in db.session.scalars(query)
                if event is None or row.event == event]


def attempts_of(app, endpoint_id: int) -> list[tuple[int, int | None, str | None]]:
    with app.app_context():
        return [(row.number, row.status_code, row.error) for row in db.session.scalars(
            select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id)
            .order_by(WebhookAttempt.id))]


@pytest.mark.slow
def test_a_receiver_process_verifies_the_signature_of_record_issued(queued, receiver):
    app, client = queued
    _process, url, secret_file, results = receiver()
    endpoint_id, secret = register(app, url + "/hooks?from=formularios")
    secret_file.write_text(secret)
    record_id, number = issue_marked(app, client)
    assert not results.exists()  # nothing posted from the request: the queue posts it
    assert run_queue(app) == 1
    (message,) = webhook_messages(results, 1)
    assert message["verified"] is True and message["path"] == "/hooks?from=formularios"
    body = json.loads(message["body"])
    assert body["type"] == "record.issued"
    record = body["data"]["record"]
    assert (record["id"], record["number"], record["revision"]) == (record_id, number, 1)
    assert record["form"] == "registro_reunion" and record["team"]["name"] == "Equipo Norte"
    assert record["url"] == f"{BASE_URL}/registros/{record_id}"
    assert not any(marker in message["body"] for marker in MARKERS.values())
    assert "MARCA" not in message["body"]
    assert attempts_of(app, endpoint_id) == [(1, 204, None)]
    page = unescape(admin_of(app).get(f"{LISTING}{endpoint_id}").get_data(as_text=True))
    assert "HTTP 204" in page and message["id"] in page and secret not in page


@pytest.mark.slow
def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt(queued, receiver):
    app, client = queued
    _process, url, secret_file, results = receiver(fail_first=2)
    endpoint_id, secret = register(app, url, events=["record.issued"])
    secret_file.write_text(secret)
    issue(app, client)
    assert run_queue(app) == 3  # the first attempt, then each retry queued by the one before
    messages = webhook_messages(results, 3)
    assert [message["verified"] for message in messages] == [True, True, True]
    assert len({message["id"] for message in messages}) == 1  # one message, tried three times
    assert attempts_of(app, endpoint_id) == [(1, 500, None), (2, 500, None), (3, 204, None)]
    assert [row["state"] for row in deliveries(app)] == ["delivered"]


@pytest.mark.slow
def test_the_connection_goes_to_the_address_checked_whatever_the_name_says(receiver):
    """DNS rebinding: the attempt connects to the address it checked, the URL's host only in
    the Host header (and TLS's server name)."""
    _process, url, _secret_file, results = receiver()
    port = int(url.rsplit(":", 1)[1])
    target = addresses.Target("http", "receiver.example.invalid", port, "/x", "127.0.0.1")
    assert addresses.post(target, b"{}", {"webhook-id": "msg_1"}, timeout=10) == 204
    (message,) = webhook_messages(results, 1)
    assert message["host"] == f"receiver.example.invalid:{port}"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hooks", "http://169.254.169.254/latest/meta-data/",
    "http://localhost/hooks", "http://[::1]/hooks", "http://[::ffff:127.0.0.1]/hooks",
    "http://10.0.0.7/hooks", "http://192.168.1.10/hooks", "http://0.0.0.0/hooks",
    "http://224.0.0.1/hooks", "http://[fe80::1]/hooks",
    "http://2130706433/hooks", "http://0x7f.1/hooks"])  # 127.0.0.1 written otherwise
def test_private_loopback_and_link_local_endpoints_are_refused(make_app, url):
    app = make_app()
    response = admin_of(app).post(LISTING, data={"url": url, "events": ["record.issued"],
                                                 "enabled": "y"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "red privada, local o reservada" in page and url in page  # the form filled in again
    with app.app_context():
        assert db.session.scalar(select(WebhookEndpoint.id)) is None


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/hooks", "http:// o https://"),
    ("https://user:secret@example.org/", "sin usuario ni contraseña"),
    ("http://no-such-host.invalid/hooks", "No se encontró ese servidor")])
def test_other_bad_urls_get_a_clear_message(make_app, url, message):
    app = make_app()
    response = admin_of(app).post(LISTING, data={"url": url, "events": ["record.issued"]})
    assert response.status_code == 400 and message in unescape(response.get_data(as_text=True))


def test_allowed_networks_admit_loopback_but_not_the_metadata_address(make_app):
    app = make_app(WEBHOOKS_ALLOWED_NETWORKS=LOCAL)
    register(app, "http://127.0.0.1:8080/hooks")
    register(app, "http://localhost:8080/hooks")  # a name that resolves to allowed addresses
    response = admin_of(app).post(LISTING, data={
        "url": "http://169.254.169.254/latest/meta-data/", "events": ["record.issued"]})
    assert response.status_code == 400


def test_an_address_no_longer_allowed_is_refused_at_delivery_time(make_app):
    app = make_app(WEBHOOKS_ALLOWED_NETWORKS=LOCAL, WEBHOOKS_RETRY_DELAYS=[])
    endpoint_id, _secret = register(app, CLOSED_PORT)
    app.config["WEBHOOKS_ALLOWED_NETWORKS"] = []
    assert admin_of(app).post(f"{LISTING}{endpoint_id}/probar").status_code == 302
    assert attempts_of(app, endpoint_id) == [(1, None, "refused_address")]
    assert deliveries(app)[0]["event"] == "webhook.test"


@pytest.mark.parametrize("address, refused", [
    ("8.8.8.8", False), ("2001:4860:4860::8888", False), ("127.0.0.1", True),
    ("::ffff:169.254.169.254", True), ("100.64.0.1", True), ("fc00::1", True),
    ("ff02::1", True), ("::", True), ("240.0.0.1", True), ("172.16.0.1", True)])
def test_which_addresses_are_forbidden(address, refused):
    assert addresses.forbidden(address, []) is refused


def test_a_revision_and_an_approved_annulment_send_their_events(app, client):
    app.config["WEBHOOKS_RETRY_DELAYS"] = []
    register(app, CLOSED_PORT)
    record_id, number = issue_marked(app, client)
    revised = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        **(MARKERS | {"supervisor_name": "Marta Gómez Ríos"}), record=str(record_id),
        revision_reason="Nombre completo de la supervisora."))
    assert revised.status_code == 200
    assert request_annulment(client, record_id).status_code == 303
    quality = sign_in(app.test_client(), ROLE_ACCOUNTS["calidad"])
    assert decide_annulment(quality, pending_annulment_id(app, record_id)).status_code == 303
    sent = deliveries(app)
    assert [row["event"] for row in sent] == ["record.issued", "record.revised", "record.annulled"]
    records = [row["payload"]["data"]["record"] for row in sent]
    assert [(record["number"], record["revision"]) for record in records] == [
        (number, 1), (number, 2), (number, 2)]
    assert records[2]["annulled_at"] and records[2]["url"] == f"{BASE_URL}/registros/{record_id}"
    assert [row["state"] for row in sent] == ["failed"] * 3  # nothing listens there
    written = json.dumps([row["payload"] for row in sent], ensure_ascii=False)
    assert "MARCA" not in written and "Marta" not in written and "Emitido por error" not in written


def test_a_finished_batch_sends_batch_finished(app, client):
    app.config["WEBHOOKS_RETRY_DELAYS"] = []
    register(app, CLOSED_PORT, events=["batch.finished"])
    started = upload(client, as_csv([person(1), person(2)]), "intake.csv")
    assert started.status_code == 303
    wait_for_zip(client, started.headers["Location"])
    (sent,) = deliveries(app)
    batch = sent["payload"]["data"]["batch"]
    assert sent["event"] == "batch.finished" and (batch["rows"], batch["issued"]) == (2, 2)
    assert batch["url"] == BASE_URL + started.headers["Location"].split("localhost", 1)[-1]
    assert batch["team"]["name"] == "Equipo Norte" and batch["form"] == "tdr_gestor_casos"
    assert "Persona" not in json.dumps(sent["payload"]) and "intake" not in json.dumps(sent["payload"])


def test_an_action_is_announced_once_when_it_becomes_overdue(app, client, monkeypatch):
    """The Registro of issue_marked agrees two actions, due 25 and 27 Nov 2026."""
    app.config["WEBHOOKS_RETRY_DELAYS"] = []
    issue_marked(app, client)
    endpoint_id, _secret = register(app, CLOSED_PORT, events=["action.overdue"])

    def sweep_on(day: dt.date) -> list[dict]:
        monkeypatch.setattr("webforms.common.dates.local_today", lambda: day)
        with app.app_context():
            tasks.sweep()
        return [row["payload"]["data"]["action"] for row in deliveries(app, "action.overdue")]

    assert sweep_on(dt.date(2026, 11, 25)) == []
    first = sweep_on(dt.date(2026, 11, 26))
    assert [action["deadline"] for action in first] == ["2026-11-25"]
    assert sweep_on(dt.date(2026, 11, 26)) == first  # once per action
    both = sweep_on(dt.date(2026, 11, 30))
    assert sorted(action["deadline"] for action in both) == ["2026-11-25", "2026-11-27"]
    assert both[0]["record"]["number"] and both[0]["url"].startswith(BASE_URL + "/acciones/")
    assert "MARCA" not in json.dumps(both)
    assert len(attempts_of(app, endpoint_id)) == 2  # each was posted once (nothing listens)


def test_signatures_match_the_standard_webhooks_test_vector():
    """The example of the Standard Webhooks specification (and of its reference libraries)."""
    headers = signing.signed_headers(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
        dt.datetime.fromtimestamp(1614265330, dt.timezone.utc), b'{"test": 2432232314}')
    assert headers["webhook-timestamp"] == "1614265330"
    assert headers["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) >= 24


def test_the_secret_is_kept_sealed_and_a_rotation_shows_a_new_one_once(app):
    endpoint_id, secret = register(app, CLOSED_PORT)
    admin = admin_of(app)
    assert secret not in admin.get(f"{LISTING}{endpoint_id}").get_data(as_text=True)
    rotated = admin.post(f"{LISTING}{endpoint_id}/rotar-secreto")
    new = re.search(r'id="webhook-secret">(whsec_[A-Za-z0-9+/=]+)<', rotated.get_data(as_text=True))
    assert rotated.status_code == 200 and new and new.group(1) != secret
    with app.app_context():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        assert endpoint.secret == new.group(1)
        assert new.group(1).encode() not in endpoint.sealed_secret
        assert new.group(1)[6:].encode() not in endpoint.sealed_secret
