"""Accounts, roles and teams: who may use each route, sign-in and its abuse, administration, and a
session that expires without losing a submission."""
import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER
from tests.factories import run_users
from tests.helpers import (
    REGISTRO_URL,
    audit_entries,
    issue_through_page,
    kept_link,
    session_expired,
    sign_in,
    valid_registro,
)
from tests.routes import ANONYMOUS, API_ROUTES, ROUTES, as_person
from webforms.accounts import teams
from webforms.storage.models import ROLES


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_every_route_answers_each_role_as_declared(app, who, monkeypatch):
    monkeypatch.setattr("webforms.trainers.materials.pdf_available", lambda: False)  # Word only
    client = as_person(app, who)
    for endpoint, method, url, allowed in ROUTES:
        response = client.open(url, method=method)
        to_sign_in = urlsplit(response.headers.get("Location", "")).path == "/cuenta/ingresar"
        if who in allowed:
            assert response.status_code != 403 and not to_sign_in, (endpoint, url, who)
        elif who == ANONYMOUS:
            assert response.status_code == 302, (endpoint, url)
            assert urlsplit(response.headers["Location"]).path == "/cuenta/ingresar"
        else:
            assert response.status_code == 403, (endpoint, url, who)


def test_the_route_table_covers_every_route(app):
    covered = {endpoint for endpoint, *_ in ROUTES + API_ROUTES
               if not endpoint.startswith("security.")}
    routed = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint != "static" and not rule.endpoint.startswith("security.")}
    assert routed == covered


def test_a_role_that_may_not_gets_a_clear_page_in_its_language(app):
    client = as_person(app, "formador")
    client.set_cookie("lang", "en")
    response = client.get(REGISTRO_URL)
    assert response.status_code == 403
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_anonymous_form_request_goes_to_sign_in_and_comes_back(app):
    client = app.test_client()
    response = client.get(REGISTRO_URL)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["next"] == [REGISTRO_URL]
    signed = client.post(response.headers["Location"], data={"email": TEAM_MEMBER,
                                                             "password": PASSWORD})
    assert signed.status_code == 302 and signed.headers["Location"].endswith(REGISTRO_URL)


def test_a_wrong_password_is_refused_and_sign_out_ends_the_session(app):
    client = app.test_client()
    wrong = client.post("/cuenta/ingresar", data={"email": TEAM_MEMBER, "password": "x" * 20})
    assert wrong.status_code == 200 and "No fue posible ingresar" in wrong.get_data(as_text=True)
    sign_in(client, TEAM_MEMBER)
    assert client.get(REGISTRO_URL).status_code == 200
    assert client.post("/cuenta/salir").status_code == 302
    assert client.get(REGISTRO_URL).status_code == 302


def test_sessions_expire_after_the_idle_time(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(minutes=20)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    response = client.get(REGISTRO_URL)
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith("session="))
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    left = dt.datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(
        tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(minutes=19) < left <= dt.timedelta(minutes=20)
    assert client.get("/sesion/sigo-aqui").status_code == 204


def test_a_submission_after_the_session_expired_comes_back_after_signing_in(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/cuenta/ingresar").get_data(as_text=True)).group(1)
    client.post("/cuenta/ingresar", data={"email": TEAM_MEMBER, "password": PASSWORD,
                                          "csrf_token": token})
    assert client.get(REGISTRO_URL).status_code == 200
    session_expired(client)  # the session (and its CSRF token) is gone
    data = valid_registro(complex_cases="Caso GC-44: seguimiento con salud.")
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 302
    login, back = response.headers["Location"], kept_link(response)
    assert back and "GC-44" not in login
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get(login).get_data(as_text=True)).group(1)
    client.post(login, data={"email": TEAM_MEMBER, "password": PASSWORD, "csrf_token": token})
    page = unescape(client.get(back).get_data(as_text=True))
    assert "Recuperamos todo lo que escribió" in page
    assert "Caso GC-44: seguimiento con salud." in page and 'value="Marta Gómez"' in page
    again = unescape(client.get(back).get_data(as_text=True))
    assert "GC-44" not in again  # restored once, then gone
    [kept], [restored] = audit_entries(app, "pending_kept"), audit_entries(app, "pending_restored")
    assert kept.user_email == restored.user_email == TEAM_MEMBER
    assert restored.target == "registro_reunion" and restored.details == {"restored": True}
    assert "GC-44" not in repr([(entry.target, entry.details) for entry in (kept, restored)])


def kept_count(app) -> int:
    from webforms.storage.database import db
    from webforms.storage.models import PendingSubmission

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(PendingSubmission))


def expired_post(app, client, text: str, email: str = TEAM_MEMBER):
    """``email`` signed in on ``client``, their session expired, then their form sent."""
    sign_in(client, email)
    assert client.get(REGISTRO_URL).status_code == 200
    return session_expired(client).post(REGISTRO_URL, data=valid_registro(complex_cases=text))


@pytest.mark.parametrize("note", [None, "1.forged.signature"])
def test_an_anonymous_post_is_never_kept(app, note):
    """A visitor without an account, or a page of another site (its cross-site post carries no
    SameSite=Strict note), fills nothing."""
    client = app.test_client()
    if note:
        client.set_cookie("autor", note)
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(complex_cases="Caso GC-40"))
    assert response.status_code == 302 and kept_link(response) is None
    assert kept_count(app) == 0


def test_after_signing_out_a_post_is_not_kept(app):
    client = sign_in(app.test_client(), TEAM_MEMBER)
    assert client.post("/cuenta/salir").status_code == 302
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(complex_cases="Caso GC-41"))
    assert kept_link(response) is None and kept_count(app) == 0


def test_a_kept_form_is_restored_only_to_its_author(app):
    client = app.test_client()
    back = kept_link(expired_post(app, client, "Caso GC-43"))
    assert back
    sign_in(client, ROLE_ACCOUNTS["supervisor"])  # someone else, on the same browser
    assert "GC-43" not in client.get(back).get_data(as_text=True)
    client.post("/cuenta/salir")
    sign_in(client, TEAM_MEMBER)
    assert "GC-43" in client.get(back).get_data(as_text=True)


def test_a_kept_submission_needs_the_browser_that_sent_it(app):
    back = kept_link(expired_post(app, app.test_client(), "Caso GC-45"))
    other = sign_in(app.test_client(), TEAM_MEMBER)  # the link alone, in another browser
    assert back and "GC-45" not in other.get(back).get_data(as_text=True)


def test_kept_forms_are_capped_per_user_and_in_size(app, monkeypatch):
    from webforms.records import pending

    client = app.test_client()
    links = [kept_link(expired_post(app, client, f"Caso GC-5{number}")) for number in range(5)]
    assert all(links) and kept_count(app) == pending.MOST_KEPT_PER_USER
    sign_in(client, TEAM_MEMBER)
    assert "GC-54" in client.get(links[-1]).get_data(as_text=True)  # the newest are kept
    assert "GC-50" not in client.get(links[0]).get_data(as_text=True)
    monkeypatch.setattr(pending, "MOST_KEPT_BYTES", 4000)
    response = expired_post(app, app.test_client(), "x" * 5000, ROLE_ACCOUNTS["supervisor"])
    assert kept_link(response) is None


def test_the_kept_submission_is_encrypted(app):
    from webforms.storage.database import db
    from webforms.storage.models import PendingSubmission

    expired_post(app, app.test_client(), "Caso GC-46")
    with app.app_context():
        kept = db.session.execute(db.select(PendingSubmission)).scalar_one()
    assert b"GC-46" not in kept.sealed and b"Marta" not in kept.sealed


# --- administration ---------------------------------------------------------------------------


def test_users_create_makes_an_account_that_can_sign_in(app):
    assert run_users(app, "team", "Equipo Sur").exit_code == 0
    assert run_users(app, "region", "Regional Cúcuta").exit_code == 0
    result = run_users(app, "create", "nueva@example.org", "--role", "supervisor", "--role",
                       "calidad", "--team", "Equipo Sur", "--team", "Regional Cúcuta",
                       "--password-stdin")
    assert result.exit_code == 0, result.output
    assert "calidad, supervisor" in result.output and "Equipo Sur" in result.output
    client = sign_in(app.test_client(), "nueva@example.org", "una clave muy larga de prueba 1")
    assert client.get(REGISTRO_URL).status_code == 200
    again = run_users(app, "create", "nueva@example.org", "--role", "admin", "--password-stdin")
    assert again.exit_code == 0 and "ya existe; no se cambió nada" in again.output
    listing = run_users(app, "list").output
    assert "nueva@example.org\tactiva\tcalidad,supervisor\tEquipo Sur,Regional Cúcuta" in listing


@pytest.mark.parametrize("password", ["corta", "password123456", "qwertyuiopasdf"])
def test_users_create_refuses_short_or_common_passwords(app, password):
    result = run_users(app, "create", "debil@example.org", "--role", "supervisor",
                       "--password-stdin", password=password)
    assert result.exit_code == 1
    assert "debil@example.org" not in run_users(app, "list").output


def test_users_create_refuses_a_team_that_does_not_exist(app):
    """A typo in a team's name creates no team: the account is refused, with where teams are
    made."""
    result = run_users(app, "create", "typo@example.org", "--role", "supervisor", "--team",
                       "Equipo Nrte", "--password-stdin")
    assert result.exit_code == 1
    assert "No existe el equipo «Equipo Nrte»" in result.output
    assert "flask users team NOMBRE" in result.output
    listing = run_users(app, "list").output
    assert "typo@example.org" not in listing and "Equipo Nrte" not in listing
    with app.app_context():
        assert [team.name for team in teams.all_teams()] == ["Equipo Norte"]


def test_users_create_refuses_an_unknown_role(app):
    result = run_users(app, "create", "x@example.org", "--role", "jefe", "--password-stdin")
    assert result.exit_code != 0 and "jefe" in result.output


def test_an_administrator_creates_a_supervisor_of_a_team(app):
    admin = as_person(app, "admin")
    response = admin.post("/administracion/usuarios", data={
        "email": "sofia@example.org", "password": "otra clave larga de prueba 9",
        "roles": ["supervisor"], "teams": "Equipo Norte", "active": "y"})
    assert response.status_code == 302
    assert "sofia@example.org" in admin.get("/administracion/usuarios").get_data(as_text=True)
    supervisor = sign_in(app.test_client(), "sofia@example.org", "otra clave larga de prueba 9")
    assert supervisor.get(REGISTRO_URL).status_code == 200
    assert supervisor.get("/formularios/tdr_gestor_casos").status_code == 403


def test_a_deactivated_user_cannot_sign_in(app):
    from webforms.storage.database import db
    from webforms.storage.models import User

    with app.app_context():
        user_id = db.session.execute(db.select(User.id).filter_by(
            email="supervisor@example.org")).scalar_one()
    admin = as_person(app, "admin")
    admin.post(f"/administracion/usuarios/{user_id}", data={"roles": ["supervisor"],
                                                            "teams": "Equipo Norte"})
    response = app.test_client().post("/cuenta/ingresar", data={
        "email": "supervisor@example.org", "password": PASSWORD})
    assert response.status_code == 200  # refused: the sign-in page again


def test_administrators_must_set_up_two_factor_first(app):
    app.config["TWO_FACTOR_FOR_ADMINS"] = True
    admin = as_person(app, "admin")
    response = admin.get("/administracion/usuarios")
    assert response.status_code == 302 and "/cuenta/dos-pasos" in response.headers["Location"]
    # Setting it up asks for the password again first (tests/test_sessions.py)
    assert admin.post("/cuenta/verify", data={"password": PASSWORD}).status_code == 302
    assert admin.get("/cuenta/dos-pasos").status_code == 200


def test_account_changes_are_audited_without_passwords(app):
    from webforms.storage.database import db
    from webforms.storage.models import AuditEntry

    admin = as_person(app, "admin")
    admin.post("/administracion/usuarios", data={
        "email": "ana@example.org", "password": "clave larga secreta de ana 5",
        "roles": ["supervisor"], "teams": "Equipo Norte", "active": "y"})
    with app.app_context():
        entries = db.session.execute(db.select(AuditEntry).where(
            AuditEntry.target == "ana@example.org")).scalars().all()
    assert [entry.action for entry in entries] == ["user_created"]
    assert entries[0].user_email == "admin@example.org"
    assert entries[0].details["roles"] == ["supervisor"]
    assert "clave larga" not in repr([entry.details for entry in entries])


def test_a_user_changes_their_own_password_within_the_rules(app):
    client = sign_in(app.test_client(), "calidad@example.org")
    short = client.post("/cuenta/cambiar-clave", data={
        "password": PASSWORD, "new_password": "corta", "new_password_confirm": "corta"})
    assert short.status_code == 200 and "12" in short.get_data(as_text=True)
    new = "una clave nueva y bastante larga 31"
    changed = client.post("/cuenta/cambiar-clave", data={
        "password": PASSWORD, "new_password": new, "new_password_confirm": new})
    assert changed.status_code == 302
    sign_in(app.test_client(), "calidad@example.org", new)
