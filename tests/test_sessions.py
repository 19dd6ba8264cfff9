"""Sessions that end: a copied session cookie stops working when its session ends (sign-out,
password change, deactivation, an administrator, the user's own list); changing two-step
verification needs the password and a current code; no sign-in by token."""
import re
from urllib.parse import urlsplit

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER, code, enable_two_step
from tests.helpers import REGISTRO_URL, copy_of, sign_in, sign_in_with_code
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, User, UserSession

SUPERVISOR = ROLE_ACCOUNTS["supervisor"]


def signed_in(client) -> bool:
    response = client.get("/cuenta/sesiones")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


def test_a_copied_cookie_is_refused_after_sign_out(app, client):
    thief = copy_of(app, client)
    assert signed_in(thief)  # the copy works while the session lives
    assert client.post("/cuenta/salir").status_code == 302
    assert not signed_in(thief) and not signed_in(client)


def test_a_copied_cookie_is_refused_after_a_password_change(app, client):
    thief = copy_of(app, client)
    new = "una clave nueva y bastante larga 32"
    changed = client.post("/cuenta/cambiar-clave", data={
        "password": PASSWORD, "new_password": new, "new_password_confirm": new})
    assert changed.status_code == 302
    assert signed_in(client)  # who changed it goes on, in a new session
    assert not signed_in(thief)


def test_a_copied_cookie_is_refused_after_deactivation_even_once_reactivated(app):
    victim = sign_in(app.test_client(), SUPERVISOR)
    thief = copy_of(app, victim)
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    url = f"/administracion/usuarios/{user_id(app, SUPERVISOR)}"
    membership = {"roles": ["supervisor"], "teams": "Equipo Norte"}
    assert admin.post(url, data=membership).status_code == 302  # "active" unticked
    assert admin.post(url, data=membership | {"active": "y"}).status_code == 302
    assert not signed_in(thief) and not signed_in(victim)
    assert signed_in(sign_in(app.test_client(), SUPERVISOR))


def test_a_deactivated_account_is_refused_on_its_very_next_request(app):
    """The account is read again on every request, with its roles: an account made inactive
    (here straight in the database, no session ended) or whose roles change is refused, or
    limited, from its next request on, without signing out."""
    browser = sign_in(app.test_client(), SUPERVISOR)
    assert signed_in(browser) and browser.get("/panel/").status_code == 200
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=SUPERVISOR)).scalar_one()
        user.roles = []
        db.session.commit()
    assert signed_in(browser) and browser.get("/panel/").status_code == 403
    with app.app_context():
        db.session.execute(db.update(User).filter_by(email=SUPERVISOR).values(active=False))
        db.session.commit()
    assert not signed_in(browser)


def test_an_administrator_ends_every_session_of_an_account(app):
    first = sign_in(app.test_client(), SUPERVISOR)
    second = sign_in(app.test_client(), SUPERVISOR)
    thief = copy_of(app, first)
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    supervisor_id = user_id(app, SUPERVISOR)
    assert "Sesiones abiertas: 2" in admin.get(
        f"/administracion/usuarios/{supervisor_id}").get_data(as_text=True)
    response = admin.post(f"/administracion/usuarios/{supervisor_id}/cerrar-sesiones")
    assert response.status_code == 302
    assert not any(signed_in(browser) for browser in (first, second, thief))
    assert signed_in(admin)
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).filter_by(
            action="sessions_ended")).scalar_one()
    assert entry.user_email == ROLE_ACCOUNTS["admin"] and entry.target == SUPERVISOR
    assert entry.details["count"] == 2


def test_a_user_sees_their_sessions_and_ends_the_others(app):
    laptop = sign_in(app.test_client(), TEAM_MEMBER)
    phone = sign_in(app.test_client(), TEAM_MEMBER)
    tablet = app.test_client()
    tablet.environ_base["HTTP_USER_AGENT"] = "Tableta"
    sign_in(tablet, TEAM_MEMBER)
    page = laptop.get("/cuenta/sesiones").get_data(as_text=True)
    assert page.count("Cerrar</button>") == 2 and "Tableta" in page and "esta sesión" in page
    other_ids = sorted(int(found) for found in re.findall(
        r"/cuenta/sesiones/(\d+)/cerrar", page))
    assert laptop.post(f"/cuenta/sesiones/{other_ids[-1]}/cerrar").status_code == 302
    assert not signed_in(tablet) and signed_in(phone) and signed_in(laptop)
    assert laptop.post(f"/cuenta/sesiones/{other_ids[-1]}/cerrar").status_code == 404
    assert laptop.post("/cuenta/sesiones/cerrar-otras").status_code == 302
    assert not signed_in(phone) and signed_in(laptop)
    with app.app_context():
        actions = db.session.execute(db.select(AuditEntry.action).where(
            AuditEntry.action.in_(["session_ended", "sessions_ended"]))).scalars().all()
    assert actions == ["session_ended", "sessions_ended"]


def test_nobody_ends_another_accounts_session(app):
    victim = sign_in(app.test_client(), SUPERVISOR)
    with app.app_context():
        victim_session = db.session.execute(db.select(UserSession.id).filter_by(
            user_id=user_id(app, SUPERVISOR))).scalar_one()
    other = sign_in(app.test_client(), TEAM_MEMBER)
    assert other.post(f"/cuenta/sesiones/{victim_session}/cerrar").status_code == 404
    assert signed_in(victim)


def test_re_enrolling_two_step_needs_the_password_and_a_current_code(app):
    totp = enable_two_step(app, SUPERVISOR)
    owner = sign_in_with_code(app.test_client(), SUPERVISOR, code(totp))
    thief = copy_of(app, owner)
    with app.app_context():
        secret = db.session.execute(db.select(User.tf_totp_secret).filter_by(
            email=SUPERVISOR)).scalar_one()
    for attempt in (thief.get("/cuenta/dos-pasos"),
                    thief.post("/cuenta/dos-pasos", data={"setup": "authenticator"}),
                    thief.post("/cuenta/dos-pasos", data={"setup": "disable"})):
        assert attempt.status_code == 302
        assert urlsplit(attempt.headers["Location"]).path == "/cuenta/verify"
    password_only = thief.post("/cuenta/verify", data={"password": PASSWORD})
    assert password_only.status_code == 200
    wrong_code = thief.post("/cuenta/verify", data={"password": PASSWORD, "code": "000000"
                                                    if code(totp, 1) != "000000" else "111111"})
    assert wrong_code.status_code == 200
    assert thief.post("/cuenta/dos-pasos", data={"setup": "disable"}).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(User.tf_totp_secret).filter_by(
            email=SUPERVISOR)).scalar_one() == secret
    verified = owner.post("/cuenta/verify", data={"password": PASSWORD, "code": code(totp, 1)})
    assert verified.status_code == 302
    setup = owner.post("/cuenta/dos-pasos", data={"setup": "authenticator"})
    assert setup.status_code == 200 and 'id="qrcode"' in setup.get_data(as_text=True)


def test_signing_in_is_not_enough_to_change_two_step(app):
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    response = admin.get("/cuenta/dos-pasos")
    assert urlsplit(response.headers["Location"]).path == "/cuenta/verify"
    assert admin.post("/cuenta/verify", data={"password": PASSWORD}).status_code == 302
    assert admin.get("/cuenta/dos-pasos").status_code == 200


def test_a_two_step_change_ends_the_other_sessions(app):
    totp = enable_two_step(app, SUPERVISOR)
    owner = sign_in_with_code(app.test_client(), SUPERVISOR, code(totp))
    thief = copy_of(app, owner)
    owner.post("/cuenta/verify", data={"password": PASSWORD, "code": code(totp, 1)})
    response = owner.post("/cuenta/dos-pasos", data={"setup": "disable"})
    assert response.status_code == 302
    assert signed_in(owner) and not signed_in(thief)


def test_no_sign_in_by_token(app, anonymous):
    from webforms.accounts.extension import security

    response = anonymous.post("/cuenta/ingresar?include_auth_token", json={
        "email": TEAM_MEMBER, "password": PASSWORD})
    assert response.status_code == 200
    assert "authentication_token" not in response.get_data(as_text=True)
    with app.test_request_context():
        token = security.datastore.find_user(email=TEAM_MEMBER).get_auth_token()
    stranger = app.test_client()
    assert stranger.get(REGISTRO_URL, headers={"Authentication-Token": token}).status_code == 302
    assert stranger.get(REGISTRO_URL, query_string={"auth_token": token}).status_code == 302


def test_the_rescue_by_mail_is_neither_offered_nor_a_500_without_mail(app):
    enable_two_step(app, SUPERVISOR)
    client = sign_in(app.test_client(), SUPERVISOR)
    page = client.get("/cuenta/dos-pasos/codigo").get_data(as_text=True)
    assert "two_factor_rescue_form" not in page
    for help_setup in ("help", "email"):
        assert client.post("/cuenta/tf-rescue", data={"help_setup": help_setup}).status_code == 404


def test_the_sign_in_page_promises_no_remembered_session(anonymous):
    """A remembered cookie outlives no session (each request needs its live session row), so the
    page offers no "Remember me" box that would promise it."""
    page = anonymous.get("/cuenta/ingresar").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert 'name="remember"' not in page
