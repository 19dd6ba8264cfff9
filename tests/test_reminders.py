"""Reminders that carry no case content: the weekly digest and the notices sent through a real SMTP
server process (aiosmtpd), listing counts, record numbers, dates and links and none of the texts
typed in the records; the per-user opt-out, once a week, once per action, every sending audited
without content, a failed recipient not stopping the others, and the digest on the home page when
no mail is configured."""
from __future__ import annotations

import datetime as dt
import json
import smtplib

import pytest

from tests.accounts import ROLE_ACCOUNTS, TEAM, TEAM_MEMBER
from tests.factories import MARKERS, issue_marked
from tests.helpers import MAIL_FROM, audit_entries, page_text, sign_in
from tests.processes import free_port, received
from webforms.accounts import reminder_settings
from webforms.common.dates import written
from webforms.common.tasks import PERIODIC
from webforms.reminders import mailing, schedule, service
from webforms.storage.database import db
from webforms.storage.models import ReminderNotice, Team

BASE_URL = "https://formularios.example.org"
# Monday 7 Dec 2026, 08:30 in Bogotá: Equipo Norte's digest (Monday 08:00 by default) is due.
MONDAY = dt.datetime(2026, 12, 7, 13, 30, tzinfo=dt.timezone.utc)
REMINDED = {ROLE_ACCOUNTS["supervisor"], ROLE_ACCOUNTS["coordinador"], TEAM_MEMBER}


@pytest.fixture
def reminding_app(make_app, smtp):
    return make_app(MAIL_URL=smtp.url, MAIL_FROM=MAIL_FROM, BASE_URL=BASE_URL)


def send(app, moment=MONDAY, **options) -> service.Outcome:
    with app.app_context():
        return service.send_due(moment, **options)


def contents(message) -> str:
    """The message's parts decoded (a marker may not hide in base64 or quoted-printable)."""
    return "\n".join(part.get_content() for part in message.walk()
                     if part.get_content_maintype() == "text")


def team_id(app, name: str = TEAM) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Team.id).where(Team.name == name))


def assert_no_marker(text: str) -> None:
    assert not [marker for marker in MARKERS.values() if marker in text]


def test_the_digest_lists_counts_numbers_and_links_and_no_typed_text(reminding_app, smtp):
    client = sign_in(reminding_app.test_client(), TEAM_MEMBER)
    record_id, number = issue_marked(reminding_app, client)
    record = page_text(client.get(f"/registros/{record_id}"))
    assert MARKERS["supervisor_actions-0-action"] in record  # the record holds them
    outcome = send(reminding_app)
    assert (outcome.sent, outcome.failed) == (3, 0)
    messages = received(smtp.maildir, 3)
    assert {message["To"] for message in messages} == REMINDED
    with reminding_app.test_request_context():
        agreed = written(dt.date(2026, 11, 20))
    team = team_id(reminding_app)
    for message in messages:
        text = contents(message)
        assert message["Subject"] == "Resumen semanal de acciones y ritmos"
        assert message.get_body(("html",)) is not None
        assert "Acciones vencidas: 2" in text and "Acciones abiertas dentro de plazo: 0" in text
        assert f"{number} · {agreed}" in text
        assert f"{BASE_URL}/panel/{team}" in text and f"{BASE_URL}/acciones/{team}" in text
        assert "Reuniones de gestión de casos" in text  # the 14 days passed on 4 Dec
        assert_no_marker(text)
        assert_no_marker(message.as_string())


def test_a_second_run_the_same_week_sends_nothing_and_the_sending_is_audited(reminding_app,
                                                                             smtp):
    client = sign_in(reminding_app.test_client(), TEAM_MEMBER)
    issue_marked(reminding_app, client)
    assert send(reminding_app).sent == 3
    received(smtp.maildir, 3)
    later = send(reminding_app, MONDAY + dt.timedelta(days=2, hours=5))
    assert (later.sent, later.failed) == (0, 0)
    assert len(list((smtp.maildir / "new").iterdir())) == 3  # sending is synchronous
    entries = audit_entries(reminding_app, "reminder_sent")
    team = team_id(reminding_app)
    assert len(entries) == 3
    for entry in entries:
        assert entry.details["kind"] == "digest" and entry.details["team"] == team
        assert entry.details["overdue"] == 2 and entry.details["open"] == 0
        assert_no_marker(json.dumps(entry.details, ensure_ascii=False))
    next_week = send(reminding_app, MONDAY + dt.timedelta(days=7))
    assert next_week.sent == 3  # a new week, a new digest


def test_an_opted_out_user_gets_nothing(reminding_app, smtp):
    supervisor = sign_in(reminding_app.test_client(), ROLE_ACCOUNTS["supervisor"])
    page = page_text(supervisor.get("/cuenta/sesiones"))
    assert "Recibir el resumen semanal y los avisos por correo" in page
    response = supervisor.post("/cuenta/avisos", data={}, follow_redirects=True)
    assert "Ya no recibirá el resumen semanal" in page_text(response)
    issue_marked(reminding_app, sign_in(reminding_app.test_client(), TEAM_MEMBER))
    assert send(reminding_app).sent == 2
    messages = received(smtp.maildir, 2)
    assert ROLE_ACCOUNTS["supervisor"] not in {message["To"] for message in messages}
    assert [entry.details["mailed"] for entry in audit_entries(reminding_app,
                                                                "reminders_chosen")] == [False]
    supervisor.post("/cuenta/avisos", data={"mailed": "y"})
    assert send(reminding_app, MONDAY + dt.timedelta(hours=1)).sent == 1  # their digest now


def test_a_notice_once_per_overdue_action_when_no_digest_is_due(reminding_app, smtp):
    with reminding_app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.name == TEAM))
        reminder_settings.set_digest_time(team, 6, 20)  # Sunday evening: not yet this week
        db.session.commit()
    issue_marked(reminding_app, sign_in(reminding_app.test_client(), TEAM_MEMBER))
    assert send(reminding_app).kinds == {"notice": 3}
    for message in received(smtp.maildir, 3):
        text = contents(message)
        assert message["Subject"].startswith("Aviso") and "Acciones que vencieron: 2" in text
        assert_no_marker(text)
    assert send(reminding_app, MONDAY + dt.timedelta(hours=1)).sent == 0
    with reminding_app.app_context():
        kinds = db.session.scalars(db.select(ReminderNotice.kind)).all()
    assert kinds.count("action") == 6  # two actions, three people


def test_a_refused_recipient_is_logged_and_audited_and_the_others_are_sent(reminding_app, smtp,
                                                                           monkeypatch):
    real = mailing.deliver

    def refusing(mail):
        if ROLE_ACCOUNTS["coordinador"] in mail.to:
            raise smtplib.SMTPRecipientsRefused({mail.to[0]: (550, b"no such user")})
        real(mail)

    monkeypatch.setattr(mailing, "deliver", refusing)
    issue_marked(reminding_app, sign_in(reminding_app.test_client(), TEAM_MEMBER))
    outcome = send(reminding_app)
    assert (outcome.sent, outcome.failed) == (2, 1)
    assert len(received(smtp.maildir, 2)) == 2
    failed = audit_entries(reminding_app, "reminder_failed")
    assert [entry.details["error"] for entry in failed] == ["SMTPRecipientsRefused"]
    monkeypatch.setattr(mailing, "deliver", real)
    assert send(reminding_app, MONDAY + dt.timedelta(hours=1)).sent == 1  # tried again


def test_a_server_down_fails_every_message_but_not_the_job(make_app):
    app = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}", MAIL_FROM=MAIL_FROM)
    outcome = send(app)
    assert (outcome.sent, outcome.failed) == (0, 3)
    assert len(audit_entries(app, "reminder_failed")) == 3
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ReminderNotice.id))) == 0


def test_the_command_sends_now_and_says_when_there_is_no_mail(reminding_app, smtp, make_app,
                                                               tmp_path):
    result = reminding_app.test_cli_runner().invoke(args=["reminders", "send", "--now"])
    assert result.exit_code == 0, result.output
    assert "Mensajes enviados: 3" in result.output
    assert len(received(smtp.maildir, 3)) == 3
    without_mail = make_app(tmp_path / "without-mail")
    refused = without_mail.test_cli_runner().invoke(args=["reminders", "send"])
    assert refused.exit_code != 0 and "WEBFORMS_MAIL_URL" in refused.output


def test_without_mail_the_home_page_shows_the_digest(app, fixed_today):
    issue_marked(app, sign_in(app.test_client(), TEAM_MEMBER))
    team = team_id(app)
    for email in (ROLE_ACCOUNTS["coordinador"], ROLE_ACCOUNTS["supervisor"]):
        home = sign_in(app.test_client(), email).get("/")
        body, text = home.get_data(as_text=True), page_text(home)
        assert "Resumen semanal de sus equipos" in text and "Acciones vencidas: 2" in text
        assert f'href="/panel/{team}"' in body
        assert_no_marker(body)
    other = page_text(sign_in(app.test_client(), ROLE_ACCOUNTS["gestor_caso"]).get("/"))
    assert "Resumen semanal de sus equipos" not in other


def test_the_team_page_sets_the_digest_day_and_hour(app):
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    team = team_id(app)
    form = {"name": TEAM, "active": "y", "region": "", "digest_weekday": "2",
            "digest_hour": "15"}
    assert admin.post(f"/administracion/equipos/{team}", data=form).status_code == 302
    with app.app_context():
        chosen = db.session.get(Team, team)
        assert (chosen.digest_weekday, chosen.digest_hour) == (2, 15)
        wednesday = schedule.local(MONDAY + dt.timedelta(days=2, hours=6))  # 14:30 local
        assert not schedule.digest_due(2, 15, wednesday)
        assert schedule.digest_due(2, 15, wednesday + dt.timedelta(minutes=30))
        assert not schedule.digest_due(2, 15, schedule.local(MONDAY))
    refused = admin.post(f"/administracion/equipos/{team}", data=form | {"digest_hour": "24"})
    assert refused.status_code == 400 and "Elija una hora de la lista." in page_text(refused)


def test_the_job_looks_every_hour(app):
    function, schedule_of = PERIODIC["reminders"]
    runs = schedule_of(app.config)  # at REMINDERS_AT_MINUTE (5) of every hour
    assert [runs(dt.datetime(2026, 12, 7, hour, minute)) for hour, minute in (
        (8, 5), (9, 5), (23, 5), (8, 6), (8, 0))] == [True, True, True, False, False]
    with app.app_context():
        function()  # no mail configured: nothing is sent, nothing fails
        assert db.session.scalar(db.select(db.func.count(ReminderNotice.id))) == 0
