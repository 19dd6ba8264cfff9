"""Sign-in that protects without locking out: growing waits per account and address, a limit on
authenticator codes, the client's real address behind a trusted proxy, and one message for every
failed sign-in."""
import pytest

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEST_KEYS, code, enable_two_step
from tests.database import database_config
from tests.helpers import sign_in, sign_in_errors, sign_in_with_code
from webforms import create_app

SUPERVISOR = ROLE_ACCOUNTS["supervisor"]
ATTACKER, OWNER = "198.51.100.66", "192.0.2.10"


def attempt(client, email=SUPERVISOR, password="una clave equivocada 1", address=ATTACKER,
            **extra):
    return client.post("/cuenta/ingresar", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, **extra).status_code


def test_an_attacker_at_one_address_cannot_lock_the_owner_out_at_another(app):
    attacker = app.test_client()
    tries = [attempt(attacker) for _ in range(12)]
    assert tries[:5] == [200] * 5 and set(tries[5:]) == {429}
    assert attempt(attacker, password=PASSWORD) == 429  # the right password is not confirmed
    refused = attacker.post("/cuenta/ingresar", data={"email": SUPERVISOR, "password": "x" * 20},
                            environ_base={"REMOTE_ADDR": ATTACKER})
    assert "Demasiadas solicitudes" in refused.get_data(as_text=True)
    assert attempt(app.test_client(), password=PASSWORD, address=OWNER) == 302


def test_waits_grow_and_refused_attempts_do_not_prolong_them(app, anonymous, clock):
    assert [attempt(anonymous) for _ in range(5)] == [200] * 5
    assert attempt(anonymous) == 429  # waits 1 s
    clock.advance(1.5)
    assert attempt(anonymous) == 200  # 6th failure: now 2 s
    clock.advance(1)
    assert [attempt(anonymous) for _ in range(3)] == [429] * 3
    clock.advance(1.5)
    assert attempt(anonymous) == 200  # on time, despite the refused attempts: now 4 s
    clock.advance(2.5)
    assert attempt(anonymous) == 429
    clock.advance(2)
    assert attempt(anonymous, password=PASSWORD) == 302  # and a success clears the run
    assert [attempt(app.test_client()) for _ in range(5)] == [200] * 5


def test_many_accounts_from_one_address_or_many_addresses_on_one_account_hit_the_limit(app):
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per 15 minutes"
    client = app.test_client()
    spread = [attempt(client, email=email) for email in list(ROLE_ACCOUNTS.values())[:4]]
    assert spread == [200, 200, 200, 429]
    assert attempt(client, email=ROLE_ACCOUNTS["calidad"], password=PASSWORD,
                   address=OWNER) == 302
    many = [attempt(app.test_client(), email=ROLE_ACCOUNTS["formador"],
                    address=f"203.0.113.{number}")
            for number in range(4)]
    assert many == [200, 200, 200, 429]


def test_successful_sign_ins_never_count_as_failures(app):
    app.config["SIGN_IN_FREE_FAILURES"] = 1
    app.config["SIGN_IN_RATE_LIMIT"] = "2 per 15 minutes"
    for _ in range(4):
        client = app.test_client()
        response = client.post("/cuenta/ingresar", json={"email": SUPERVISOR,
                                                         "password": PASSWORD})
        assert response.status_code == 200 and "errors" not in response.json["response"]
        assert attempt(client, password=PASSWORD) == 302


def test_password_checks_of_a_signed_in_session_are_limited_too(app, client):
    wrong = {"password": "no es la clave 123", "new_password": "una clave nueva larga 44",
             "new_password_confirm": "una clave nueva larga 44"}
    changes = [client.post("/cuenta/cambiar-clave", data=wrong).status_code for _ in range(6)]
    assert changes == [200] * 5 + [429]
    assert client.post("/cuenta/verify", data={"password": PASSWORD}).status_code == 429


def test_the_verify_page_counts_wrong_passwords(app):
    client = sign_in(app.test_client(), SUPERVISOR)
    checks = [client.post("/cuenta/verify", data={"password": "otra clave mala 9"}).status_code
              for _ in range(6)]
    assert checks == [200] * 5 + [429]


def proxied_app(tmp_path, proxies: int):
    return create_app({"TESTING": True, **TEST_KEYS, "TWO_FACTOR_FOR_ADMINS": False,
                       "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": tmp_path / "out",
                       "TRUSTED_PROXIES": proxies, "SIGN_IN_FREE_FAILURES": 1,
                       **database_config(tmp_path)})


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_clients_are_limited_separately(tmp_path, proxies):
    app = proxied_app(tmp_path, proxies)
    proxy = "10.0.0.2"  # every request arrives from the proxy
    first, second = app.test_client(), app.test_client()
    forwarded = [attempt(first, address=proxy, headers={"X-Forwarded-For": "203.0.113.5"})
                 for _ in range(2)]
    assert forwarded == [200, 429]
    other = attempt(second, address=proxy, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other == (200 if proxies else 429)


def test_the_three_failed_sign_ins_read_the_same(app):
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    admin.post("/administracion/usuarios", data={
        "email": "inactiva@example.org", "password": PASSWORD, "roles": ["calidad"],
        "teams": "Equipo Norte"})  # created deactivated
    for language, expected in (("es", "No fue posible ingresar"),
                               ("en", "Could not sign in")):
        pages = []
        for email, password in (("nadie@example.org", PASSWORD),
                                (SUPERVISOR, "una clave equivocada 1"),
                                ("inactiva@example.org", PASSWORD)):
            client = app.test_client()
            client.set_cookie("lang", language)
            response = client.post("/cuenta/ingresar", data={"email": email,
                                                             "password": password})
            assert response.status_code == 200
            page = response.get_data(as_text=True)
            pages.append(page.replace(email, "EMAIL"))
        errors = [sign_in_errors(page) for page in pages]
        assert errors[0] == errors[1] == errors[2] and expected in errors[0][0]
        assert pages[0] == pages[1] == pages[2]


def test_the_sixth_wrong_code_is_refused_even_when_right(app):
    totp = enable_two_step(app, SUPERVISOR)
    client = sign_in(app.test_client(), SUPERVISOR)
    right = code(totp)
    window = {code(totp, steps) for steps in range(-5, 6)}
    wrong = next(candidate for candidate in (f"{number:06d}" for number in range(1000))
                 if candidate not in window)
    tries = [client.post("/cuenta/dos-pasos/codigo", data={"code": wrong}).status_code
             for _ in range(5)]
    assert tries == [200] * 5
    assert client.post("/cuenta/dos-pasos/codigo", data={"code": right}).status_code == 429
    assert client.get("/cuenta/sesiones").status_code == 302  # not signed in
    elsewhere = sign_in(app.test_client(), SUPERVISOR)  # the limit is the account's
    assert elsewhere.post("/cuenta/dos-pasos/codigo", data={"code": right}).status_code == 429


def test_a_code_is_refused_the_second_time(app):
    totp = enable_two_step(app, SUPERVISOR)
    right = code(totp)
    first = sign_in_with_code(app.test_client(), SUPERVISOR, right)
    assert first.get("/cuenta/sesiones").status_code == 200
    second = sign_in(app.test_client(), SUPERVISOR)
    replay = second.post("/cuenta/dos-pasos/codigo", data={"code": right})
    assert replay.status_code == 200 and second.get("/cuenta/sesiones").status_code == 302
    assert second.post("/cuenta/dos-pasos/codigo", data={"code": code(totp, 1)}
                       ).status_code == 302
