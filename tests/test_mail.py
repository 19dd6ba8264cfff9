"""Outgoing mail (WEBFORMS_MAIL_URL) and the password reset by e-mail: sent through a real SMTP
server process (aiosmtpd), offered only when mail is configured, telling nobody which accounts
exist."""
import re
import socket
from urllib.parse import urlsplit

import pytest

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER, enable_two_step
from tests.helpers import MAIL_FROM, REGISTRO_URL, audit_entries, sign_in, sign_in_errors
from tests.processes import received
from tests.routes import ANONYMOUS, ROUTES, as_person
from webforms.accounts import sessions
from webforms.accounts.extension import security
from webforms.config import mail_settings
from webforms.storage.models import ROLES

FORGOT_URL = "/cuenta/recuperar-clave"
NEW_PASSWORD = "Cuaderno-Verde-Montaña-2026"
RESET_LINK = re.compile(r"http://localhost(/cuenta/recuperar-clave/[^\s\"<]+)")


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def reset_link(message) -> str:
    return RESET_LINK.search(text_of(message)).group(1)


def ask_for_reset(client, email: str):
    return client.post(FORGOT_URL, data={"email": email})


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://127.0.0.1:2525", {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 2525,
                               "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
                               "MAIL_USERNAME": None, "MAIL_PASSWORD": None}),
    ("smtp://envios%40example.org:p%C3%B1s%2Fw@smtp.example.org:587?starttls=1",
     {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
      "MAIL_USE_SSL": False, "MAIL_USERNAME": "envios@example.org", "MAIL_PASSWORD": "pñs/w"}),
    ("smtps://apikey:secreto@smtp.example.org", {
        "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 465, "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": True, "MAIL_USERNAME": "apikey", "MAIL_PASSWORD": "secreto"}),
])
def test_the_mail_url_becomes_the_mail_settings(url, expected):
    config = {"MAIL_URL": url, "MAIL_FROM": MAIL_FROM}
    mail_settings(config)
    assert {key: config[key] for key in expected} == expected
    assert config["MAIL_DEFAULT_SENDER"] == MAIL_FROM and config["MAIL_BACKEND"] == "smtp"
    assert config["SECURITY_RECOVERABLE"] and config["SECURITY_TWO_FACTOR_RESCUE_EMAIL"]


@pytest.mark.parametrize("url", ["http://user:hunter22@host", "smtp://user:hunter22@:25",
                                 "smtp://user:hunter22@host:notaport"])
def test_a_bad_mail_url_is_refused_without_showing_its_password(url):
    with pytest.raises(RuntimeError) as refused:
        mail_settings({"MAIL_URL": url, "MAIL_FROM": MAIL_FROM})
    assert "hunter22" not in str(refused.value) and "WEBFORMS_MAIL_URL" in str(refused.value)


def test_without_mail_nothing_offers_mail(app, anonymous):
    assert "mailman" not in app.extensions
    page = anonymous.get("/cuenta/ingresar").get_data(as_text=True)
    assert FORGOT_URL not in page and "Olvidó" not in page
    assert anonymous.get(FORGOT_URL).status_code == 404
    assert ask_for_reset(anonymous, TEAM_MEMBER).status_code == 404
    assert anonymous.get(FORGOT_URL + "/un-enlace").status_code == 404
    assert anonymous.post(FORGOT_URL + "/un-enlace", data={
        "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 404


def test_a_reset_message_goes_through_a_real_smtp_server_and_its_link_sets_a_new_password(
        mail_app, smtp):
    before = sign_in(mail_app.test_client(), TEAM_MEMBER)  # a session the reset must end
    client = mail_app.test_client()
    sign_in_page = client.get("/cuenta/ingresar").get_data(as_text=True)
    assert "¿Olvidó su contraseña?" in sign_in_page and f'href="{FORGOT_URL}"' in sign_in_page
    asked = ask_for_reset(client, TEAM_MEMBER)
    assert asked.status_code == 200 and "Revise su correo" in asked.get_data(as_text=True)

    [message] = received(smtp.maildir, 1)
    assert message["To"] == TEAM_MEMBER and message["From"] == MAIL_FROM
    assert message["Subject"] == "Restablecer su contraseña de formularios-gc"
    assert "Si usted no lo pidió" in text_of(message) and "2 horas" in text_of(message)
    assert reset_link(message) in message.get_body(("html",)).get_content()

    link = reset_link(message)
    assert client.get(link).status_code == 200
    reset = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert reset.status_code == 302 and urlsplit(reset.headers["Location"]).path == \
        "/cuenta/ingresar"
    with mail_app.app_context():  # the other session ended, on the server too
        assert sessions.listing(security.datastore.find_user(email=TEAM_MEMBER)) == []
    assert before.get(REGISTRO_URL).status_code == 302
    assert sign_in_errors(client.post("/cuenta/ingresar", data={
        "email": TEAM_MEMBER, "password": PASSWORD}).get_data(as_text=True))
    sign_in(client, TEAM_MEMBER, NEW_PASSWORD)
    assert client.get(REGISTRO_URL).status_code == 200

    used_again = mail_app.test_client().get(link)  # the new password makes the link stale
    assert urlsplit(used_again.headers["Location"]).path == FORGOT_URL
    notice = received(smtp.maildir, 2)[1]
    assert notice["To"] == TEAM_MEMBER and "se restableció" in text_of(notice)
    for action in ("password_reset_requested", "password_reset_by_mail"):
        assert [entry.user_email for entry in audit_entries(mail_app, action)] == [TEAM_MEMBER]


def test_an_unknown_address_gets_the_same_answer_as_a_known_one(mail_app, smtp):
    answers = {}
    for email in ("nadie@example.org", "no es un correo", TEAM_MEMBER):
        response = ask_for_reset(mail_app.test_client(), email)
        answers[email] = (response.status_code,
                          response.get_data(as_text=True).replace(email, "EMAIL"))
    assert answers["nadie@example.org"] == answers[TEAM_MEMBER]
    assert answers["no es un correo"] == answers[TEAM_MEMBER]
    assert [message["To"] for message in received(smtp.maildir, 1)] == [TEAM_MEMBER]
    assert [entry.user_email for entry in audit_entries(
        mail_app, "password_reset_requested")] == [TEAM_MEMBER]


def test_the_message_is_in_the_language_of_the_page(mail_app, smtp):
    client = mail_app.test_client()
    client.set_cookie("lang", "en")
    ask_for_reset(client, TEAM_MEMBER)
    [message] = received(smtp.maildir, 1)
    assert message["Subject"] == "Reset your formularios-gc password"
    assert "2 hours" in text_of(message) and "contraseña" not in text_of(message)


def test_a_reset_link_expires(mail_app, smtp, clock):
    ask_for_reset(mail_app.test_client(), TEAM_MEMBER)
    link = reset_link(received(smtp.maildir, 1)[0])
    clock.advance(2 * 3600 + 1)
    client = mail_app.test_client()
    refused = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert urlsplit(refused.headers["Location"]).path == FORGOT_URL
    assert "El enlace venció" in client.get(FORGOT_URL).get_data(as_text=True)
    assert sign_in(mail_app.test_client(), TEAM_MEMBER)  # the old password still works


def test_a_server_that_refuses_the_message_changes_nothing_on_the_page(
        tmp_path, make_app, mail_app, caplog):
    """The same answer (nothing tells whether a message went), and the failure logged for the
    administrator without the mail password."""
    with socket.socket() as held:  # bound, never listening: a connection there is refused,
        held.bind(("127.0.0.1", 0))  # and no other test's server can take the port meanwhile
        refusing = make_app(tmp_path / "refusing", MAIL_FROM=MAIL_FROM,
                            MAIL_URL=f"smtp://envios:hunter22@127.0.0.1:{held.getsockname()[1]}")
        failed = ask_for_reset(refusing.test_client(), TEAM_MEMBER)
    sent = ask_for_reset(mail_app.test_client(), TEAM_MEMBER)
    assert (failed.status_code, failed.get_data()) == (sent.status_code, sent.get_data())
    assert "reset_instructions not sent" in caplog.text and "hunter22" not in caplog.text


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_the_reset_pages_are_public_with_mail(mail_app, who):
    client = as_person(mail_app, who)
    for endpoint, method, url, allowed in ROUTES:
        if endpoint.startswith("security.") and who in allowed:
            response = client.open(url, method=method)
            assert response.status_code in (200, 302), (endpoint, who)
            assert urlsplit(response.headers.get("Location", "")).path != "/cuenta/ingresar"


def test_with_mail_the_two_step_rescue_sends_the_code_or_asks_for_help(mail_app, smtp):
    supervisor = ROLE_ACCOUNTS["supervisor"]
    enable_two_step(mail_app, supervisor)
    client = sign_in(mail_app.test_client(), supervisor)
    assert "two_factor_rescue_form" in client.get(
        "/cuenta/dos-pasos/codigo").get_data(as_text=True)
    assert client.post("/cuenta/tf-rescue", data={"help_setup": "help"}).status_code == 200
    [help_asked] = received(smtp.maildir, 1)
    assert help_asked["To"] == MAIL_FROM and supervisor in text_of(help_asked)
    assert client.post("/cuenta/tf-rescue", data={"help_setup": "email"}).status_code == 200
    message = received(smtp.maildir, 2)[1]
    assert message["To"] == supervisor
    mailed = re.search(r"\b(\d{6})\b", text_of(message)).group(1)
    signed = client.post("/cuenta/dos-pasos/codigo", data={"code": mailed})
    assert signed.status_code == 302 and client.get(REGISTRO_URL).status_code == 200
    assert [entry.user_email for entry in audit_entries(
        mail_app, "two_factor_code_mailed")] == [supervisor]
