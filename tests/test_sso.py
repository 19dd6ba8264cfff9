"""Single sign-on (accounts.sso, accounts.sso_views) against a real OpenID provider process
(tests/oidc/provider.mjs, node's oidc-provider): the code flow with PKCE, the mapping of groups
to roles and teams at each sign-in, refusals (replayed state, wrong nonce, tampered or foreign
ID token, no role, deactivated), two-step verification left to the provider, local sign-in off,
and sign-out at the provider."""
from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import select

from tests.accounts import PASSWORD, TEAM_MEMBER, enable_two_step, ensure_team
from tests.helpers import sign_in
from tests.processes import NODE, OIDC_PROVIDER, oidc_provider, provider_sign_in
from webforms.accounts import service
from webforms.accounts.extension import security
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, SsoIdentity

pytestmark = pytest.mark.skipif(NODE is None or not OIDC_PROVIDER.exists(),
                                reason="node or oidc-provider (npm ci) is missing")

APP_URL = "http://localhost"  # the test client's
MAPPING = """
create_users = true

[[rules]]
value = "supervisores-norte"
roles = ["supervisor"]
teams = ["Equipo Norte"]

[[rules]]
value = "coordinacion"
roles = ["coordinador", "admin"]

[[rules]]
value = "equipo-sur"
teams = ["Equipo Sur"]
"""
ANA = "ana@idp.example.org"
CARLA = "carla@idp.example.org"


@pytest.fixture(scope="module")
def oidc_issuer(tmp_path_factory):
    process, issuer = oidc_provider(tmp_path_factory.mktemp("oidc"),
                                    [f"{APP_URL}/acceso/oidc/callback"], [f"{APP_URL}/"])
    yield issuer
    process.kill()


@pytest.fixture
def sso_settings(oidc_issuer, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return {"OIDC_ISSUER": oidc_issuer, "OIDC_CLIENT_ID": "webforms",
            "OIDC_CLIENT_SECRET": "webforms-test-secret", "OIDC_ALLOW_HTTP": True,
            "OIDC_SCOPES": "openid email profile groups", "OIDC_MAPPING": str(mapping),
            "OIDC_NAME": "Proveedor de prueba"}


@pytest.fixture
def sso_app(make_app, sso_settings):
    return make_app(**sso_settings)


def authorize(client) -> str:
    """The provider's authorization URL the app sends the browser to."""
    response = client.get("/acceso/oidc/ingresar")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def back_from_provider(client, login: str) -> str:
    """The callback URL (path and query) the provider sends ``login``'s browser back to."""
    back = urlsplit(provider_sign_in(authorize(client), login))
    assert back.path == "/acceso/oidc/callback", back
    return f"{back.path}?{back.query}"


def sign_on(client, login: str):
    return client.get(back_from_provider(client, login))


def account(app, email: str):
    with app.app_context():
        user = security.datastore.find_user(email=email)
        return user and (user.role_names(), user.team_names(), user.active)


def audited(app, action: str) -> list[dict]:
    with app.app_context():
        return [entry.details or {} for entry in db.session.execute(
            select(AuditEntry).where(AuditEntry.action == action)).scalars()]


def signed_in(client) -> bool:
    return client.get("/cuenta/sesiones").status_code == 200


def test_the_flow_uses_pkce_state_and_nonce(sso_app):
    query = parse_qs(urlsplit(authorize(sso_app.test_client())).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"] and query["nonce"] and query["response_type"] == ["code"]


def test_a_person_lands_with_the_roles_and_teams_their_groups_map_to(sso_app):
    client = sso_app.test_client()
    assert client.get("/cuenta/ingresar").get_data(as_text=True).count(
        "Iniciar sesión con Proveedor de prueba") == 1
    response = sign_on(client, "ana")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)
    assert account(sso_app, ANA) == (["supervisor"], ["Equipo Norte"], True)
    assert {"via": ["oidc"]}.items() <= audited(sso_app, "sign_in")[-1].items()
    with sso_app.app_context():
        identity = db.session.execute(select(SsoIdentity)).scalar_one()
        assert (identity.issuer, identity.subject) == (sso_app.config["OIDC_ISSUER"], "ana")
    assert not any("eyJ" in str(details) for action in ("sign_in", "sso_linked", "user_created")
                   for details in audited(sso_app, action))  # no token in the trail


def test_the_mapping_is_applied_at_each_sign_in(sso_app):
    with sso_app.app_context():
        ensure_team("Equipo Sur")
        db.session.commit()
    assert sign_on(sso_app.test_client(), "carla").status_code == 302
    assert account(sso_app, CARLA) == (["admin", "coordinador"], ["Equipo Sur"], True)
    with sso_app.app_context():  # changed here meanwhile: the provider's word wins next time
        service.set_membership(security.datastore.find_user(email=CARLA), ["calidad"],
                               ["Equipo Norte"])
        db.session.commit()
    assert sign_on(sso_app.test_client(), "carla").status_code == 302
    assert account(sso_app, CARLA) == (["admin", "coordinador"], ["Equipo Sur"], True)


def test_a_person_whose_claims_map_to_nothing_is_refused_clearly(sso_app):
    client = sso_app.test_client()
    response = sign_on(client, "nadie")
    assert response.status_code == 403
    assert "no tiene un rol en esta aplicación" in response.get_data(as_text=True)
    assert account(sso_app, "nadie@idp.example.org") is None and not signed_in(client)
    assert audited(sso_app, "sso_refused")[-1]["reason"] == "unmapped"


def test_an_existing_local_account_is_not_taken_over_by_email(sso_app):
    response = sign_on(sso_app.test_client(), "equipo")  # the provider says equipo@example.org
    assert response.status_code == 403
    assert audited(sso_app, "sso_refused")[-1]["reason"] == "email_taken"


def test_a_deactivated_account_cannot_sign_in_through_the_provider(sso_app):
    client = sso_app.test_client()
    assert sign_on(client, "ana").status_code == 302
    with sso_app.app_context():
        service.set_active(security.datastore.find_user(email=ANA), False)
        db.session.commit()
    assert not signed_in(client)
    response = sign_on(sso_app.test_client(), "ana")
    assert response.status_code == 403
    assert "desactivada" in response.get_data(as_text=True)
    assert audited(sso_app, "sso_refused")[-1]["reason"] == "inactive"


def test_a_replayed_state_is_refused(sso_app):
    client = sso_app.test_client()
    callback = back_from_provider(client, "ana")
    cookie = client.get_cookie("session").value  # the browser's cookie before the callback
    assert client.get(callback).status_code == 302
    replay = sso_app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get(callback)
    assert response.status_code == 403 and not signed_in(replay)
    assert audited(sso_app, "sso_refused")[-1]["reason"] == "state"


@pytest.fixture
def tokens(sso_app, monkeypatch):
    """Every token response the provider gave the app, in order; ``tokens.change`` (a function
    of the response) alters the next one before the app reads it, as a forged or replayed
    response would."""
    client = sso_app.extensions["webforms.sso"]["client"]
    fetch = client.fetch_access_token

    class Tokens(list):
        change = None

    received = Tokens()

    def recorded(**params):
        token = fetch(**params)
        received.append(token)
        change, received.change = received.change, None
        return change(dict(token)) if change else token
    monkeypatch.setattr(client, "fetch_access_token", recorded)
    return received


def refused_sign_on(app, login: str) -> str:
    """Sign ``login`` on, expecting the ID token refused: what the check said."""
    client = app.test_client()
    response = sign_on(client, login)
    assert response.status_code == 403, response.headers.get("Location")
    assert not signed_in(client)
    refusal = audited(app, "sso_refused")[-1]
    assert refusal["reason"] == "token"
    return refusal["detail"]


def test_an_id_token_of_another_sign_in_is_refused_for_its_nonce(sso_app, tokens):
    assert sign_on(sso_app.test_client(), "ana").status_code == 302
    # The first sign-in's response, genuine and signed by the provider: only its nonce differs.
    tokens.change = lambda _token: dict(tokens[0])
    assert "nonce" in refused_sign_on(sso_app, "ana")


def test_a_tampered_id_token_is_refused(sso_app, tokens):
    tokens.change = lambda token: {**token, "id_token": with_claims(
        token["id_token"], groups=["coordinacion"])}  # same signature, one claim changed
    assert refused_sign_on(sso_app, "ana").startswith("BadSignatureError")
    assert account(sso_app, ANA) is None


def test_an_id_token_signed_with_a_key_the_provider_does_not_have_is_refused(sso_app, tokens):
    tokens.change = lambda token: {**token, "id_token": signed_elsewhere(token["id_token"])}
    assert refused_sign_on(sso_app, "ana").startswith("InvalidKeyIdError")
    assert account(sso_app, ANA) is None


def payload_of(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def with_claims(id_token: str, **claims) -> str:
    header, payload, signature = id_token.split(".")
    changed = json.dumps(payload_of(id_token) | claims).encode()
    return ".".join((header, base64.urlsafe_b64encode(changed).rstrip(b"=").decode(), signature))


def signed_elsewhere(id_token: str) -> str:
    """The same claims (nonce, audience, issuer, times), signed by another key."""
    key = RSAKey.generate_key(2048, parameters={"kid": "not-the-providers"})
    return jwt.encode({"alg": "RS256", "kid": "not-the-providers"}, payload_of(id_token), key)


def test_sign_out_ends_the_session_and_goes_on_to_the_providers_end_session(sso_app,
                                                                             oidc_issuer):
    client = sso_app.test_client()
    assert sign_on(client, "ana").status_code == 302
    copied = client.get_cookie("session").value
    response = client.post("/cuenta/salir")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_issuer}/session/end"
    policy = client.get("/").headers["Content-Security-Policy"]  # the form may go there
    assert f"form-action 'self' {oidc_issuer};" in policy
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == [f"{APP_URL}/"]
    assert payload_of(query["id_token_hint"][0])["sub"] == "ana"
    stale = sso_app.test_client()
    stale.set_cookie("session", copied)
    assert not signed_in(stale) and not signed_in(client)


def test_a_local_sign_out_stays_here(sso_app):
    client = sign_in(sso_app.test_client(), TEAM_MEMBER)
    response = client.post("/cuenta/salir")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_local_sign_in_turned_off_hides_the_form_and_refuses_passwords(make_app, sso_settings):
    app = make_app(LOCAL_ACCOUNTS=False, **sso_settings)
    client = app.test_client()
    page = client.get("/cuenta/ingresar").get_data(as_text=True)
    assert 'id="sso-sign-in"' in page and 'name="password"' not in page
    response = client.post("/cuenta/ingresar", data={"email": TEAM_MEMBER,
                                                     "password": PASSWORD})
    assert response.status_code == 403 and not signed_in(client)
    assert sign_on(client, "ana").status_code == 302 and signed_in(client)


def test_local_sign_in_stays_on_by_default(sso_app):
    page = sso_app.test_client().get("/cuenta/ingresar").get_data(as_text=True)
    assert 'id="sso-sign-in"' in page and 'name="password"' in page
    assert signed_in(sign_in(sso_app.test_client(), TEAM_MEMBER))


def test_two_step_is_left_to_the_provider_by_default(make_app, sso_settings):
    app = make_app(TWO_FACTOR_FOR_ADMINS=True, **sso_settings)
    assert sign_on(app.test_client(), "ana").status_code == 302
    enable_two_step(app, ANA)
    client = app.test_client()
    response = sign_on(client, "ana")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)
    with app.app_context():  # an administrator is not sent to set up this product's two steps
        ensure_team("Equipo Sur")
        db.session.commit()
    admin = app.test_client()
    sign_on(admin, "carla")
    assert admin.get("/administracion/usuarios").status_code == 200


def test_two_step_here_when_not_delegated(make_app, sso_settings):
    app = make_app(OIDC_TWO_STEP=False, **sso_settings)
    assert sign_on(app.test_client(), "ana").status_code == 302
    totp = enable_two_step(app, ANA)
    client = app.test_client()
    response = sign_on(client, "ana")
    assert urlsplit(response.headers["Location"]).path == "/cuenta/dos-pasos/codigo"
    assert not signed_in(client)
    response = client.post("/cuenta/dos-pasos/codigo", data={"code": totp.generate().token})
    assert response.status_code == 302 and signed_in(client)
