"""Single sign-on in Chromium: a person clicks "Iniciar sesión con …" on the sign-in page, signs
in on a real OpenID provider's page (tests/oidc/provider.mjs, node's oidc-provider), comes back
signed in with the roles and teams their groups map to, and signing out takes them on to the
provider's end-session page."""
import threading

import pytest
from werkzeug.serving import make_server

from tests.accounts import TEST_KEYS
from tests.database import database_config
from tests.processes import NODE, OIDC_PROVIDER, free_port, oidc_provider
from webforms import create_app
from webforms.accounts.extension import security

pytestmark = pytest.mark.skipif(NODE is None or not OIDC_PROVIDER.exists(),
                                reason="node or oidc-provider (npm ci) is missing")

MAPPING = """
[[rules]]
value = "supervisores-norte"
roles = ["supervisor"]
teams = ["Equipo Norte"]
"""


@pytest.fixture(scope="module")
def sso_live_server(tmp_path_factory):
    """The application with single sign-on, served on 127.0.0.1, and its provider's issuer."""
    folder = tmp_path_factory.mktemp("sso-live")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    provider, issuer = oidc_provider(folder, [f"{url}/acceso/oidc/callback"], [f"{url}/"])
    (folder / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    app = create_app({**TEST_KEYS, "OUTPUT_DIR": folder / "output", **database_config(folder),
                      "OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": "webforms",
                      "OIDC_CLIENT_SECRET": "webforms-test-secret", "OIDC_ALLOW_HTTP": True,
                      "OIDC_SCOPES": "openid email profile groups", "OIDC_NAME": "Prueba",
                      "OIDC_MAPPING": str(folder / "mapping.toml")})
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, url, issuer
    server.shutdown()
    provider.kill()


def test_a_person_signs_in_through_the_provider_and_out_again(browser, sso_live_server):
    app, url, issuer = sso_live_server
    context = browser.new_context(locale="es-CO")
    page = context.new_page()
    page.goto(f"{url}/cuenta/ingresar")
    page.click("text=Iniciar sesión con Prueba")
    page.wait_for_url(f"{issuer}/interaction/**")  # the provider's own sign-in page
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", "cualquiera")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    with app.app_context():
        user = security.datastore.find_user(email="ana@idp.example.org")
        assert (user.role_names(), user.team_names()) == (["supervisor"], ["Equipo Norte"])
    page.goto(f"{url}/cuenta/sesiones")
    assert page.url == f"{url}/cuenta/sesiones"
    page.goto(f"{url}/")
    page.click("text=Salir")
    page.wait_for_url(f"{issuer}/session/end**")
    page.goto(f"{url}/cuenta/sesiones")
    assert page.url.startswith(f"{url}/cuenta/ingresar")
    context.close()
