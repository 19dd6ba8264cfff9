"""CSRF protection is on for the whole app; a refused POST loses nothing."""
import re
from html import unescape

import pytest

from tests.accounts import PASSWORD, TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.helpers import REGISTRO_URL, issue_through_page, valid_registro
from webforms import create_app


@pytest.fixture
def protected_client(tmp_path):
    app = create_app({"TESTING": True, **TEST_KEYS, "OUTPUT_DIR": tmp_path / "out",
                      **database_config(tmp_path)})
    assert app.config.get("WTF_CSRF_ENABLED", True)
    client = app.test_client()
    token = token_from(client.get("/cuenta/ingresar").get_data(as_text=True))
    response = client.post("/cuenta/ingresar", data={"email": TEAM_MEMBER, "password": PASSWORD,
                                                     "csrf_token": token})
    assert response.status_code == 302
    return client


def token_from(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_post_without_token_is_refused_and_the_form_comes_back_filled(protected_client, tmp_path):
    response = issue_through_page(protected_client, REGISTRO_URL, data=valid_registro(
        welcome_notes="Lo que escribí"))
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "sesión de seguridad" in page
    assert "Lo que escribí" in page
    assert 'value="Marta Gómez"' in page
    assert not (tmp_path / "out").exists()


def test_post_with_a_forged_token_is_refused(protected_client):
    response = issue_through_page(protected_client, REGISTRO_URL, data=valid_registro(csrf_token="forged"))
    assert response.status_code == 400


def test_post_with_the_page_token_downloads(protected_client):
    page = protected_client.get(REGISTRO_URL).get_data(as_text=True)
    response = issue_through_page(protected_client, REGISTRO_URL, data=valid_registro(
        csrf_token=token_from(page)))
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")


def test_refused_page_carries_a_fresh_token_that_works(protected_client):
    protected_client.get(REGISTRO_URL)  # the session exists, but the post lacks the token
    refused = issue_through_page(protected_client, REGISTRO_URL, data=valid_registro())
    retry = issue_through_page(protected_client, REGISTRO_URL, data=valid_registro(
        csrf_token=token_from(refused.get_data(as_text=True))))
    assert retry.status_code == 200


def test_signing_in_gives_a_new_token_and_the_old_one_stops_working(tmp_path):
    app = create_app({"TESTING": True, **TEST_KEYS, "OUTPUT_DIR": tmp_path / "out",
                      **database_config(tmp_path)})
    client = app.test_client()
    before = token_from(client.get("/cuenta/ingresar").get_data(as_text=True))
    signed = client.post("/cuenta/ingresar", data={"email": TEAM_MEMBER, "password": PASSWORD,
                                                   "csrf_token": before})
    assert signed.status_code == 302
    after = token_from(client.get(REGISTRO_URL).get_data(as_text=True))
    assert issue_through_page(client, REGISTRO_URL, data=valid_registro(csrf_token=before)).status_code == 400
    assert issue_through_page(client, REGISTRO_URL, data=valid_registro(csrf_token=after)).status_code == 200
