"""Passwords: any Unicode password signs in however it was set (command line, administrators'
page, temporary password) and however it is typed (NFC or NFD); accounts hashed the old way
from the raw text still sign in and are re-hashed; administrators help users back in (temporary
password, two-step reset, sessions ended); one-time recovery codes."""
import re
import unicodedata
from urllib.parse import urlsplit

import pytest

from tests.accounts import PASSWORD, ROLE_ACCOUNTS, account_state, code, enable_two_step
from tests.factories import run_users
from tests.helpers import REGISTRO_URL, audit_entries, sign_in, sign_in_errors, sign_in_with_code
from tests.routes import as_person

MONTANA = "Cuaderno-Verde-Montaña-2026"
PADLOCK = "contraseña 🔒 ü"
SUPERVISOR = ROLE_ACCOUNTS["supervisor"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def without_accents(text: str) -> str:
    return "".join(char for char in nfd(text) if not unicodedata.combining(char))


# (the password as set, the password as typed at sign-in)
TYPINGS = [(MONTANA, MONTANA), (nfd(MONTANA), nfd(MONTANA)), (MONTANA, nfd(MONTANA)),
           (nfd(MONTANA), MONTANA), (PADLOCK, PADLOCK), (nfd(PADLOCK), nfc(PADLOCK))]


def signs_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/cuenta/ingresar", data={"email": email,
                                                                "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("set_as, typed", TYPINGS)
def test_an_account_created_on_the_command_line_signs_in(app, set_as, typed):
    result = run_users(app, "create", "nueva@example.org", "--role", "supervisor",
                       "--password-stdin", password=set_as)
    assert result.exit_code == 0, result.output
    assert signs_in(app, "nueva@example.org", typed)
    assert not signs_in(app, "nueva@example.org", without_accents(typed))


@pytest.mark.parametrize("set_as, typed", TYPINGS)
def test_an_account_created_by_an_administrator_signs_in(app, set_as, typed):
    response = as_person(app, "admin").post("/administracion/usuarios", data={
        "email": "sofia@example.org", "password": set_as, "roles": ["supervisor"],
        "teams": "Equipo Norte", "active": "y"})
    assert response.status_code == 302
    assert signs_in(app, "sofia@example.org", typed)


@pytest.mark.parametrize("set_as, typed", TYPINGS)
def test_a_temporary_password_set_on_the_command_line_signs_in(app, set_as, typed):
    result = run_users(app, "set-password", SUPERVISOR, "--password-stdin", password=set_as)
    assert result.exit_code == 0, result.output
    assert signs_in(app, SUPERVISOR, typed)
    assert not signs_in(app, SUPERVISOR, PASSWORD)  # the former password no longer does


def test_a_password_changed_on_the_change_page_signs_in_typed_either_way(app):
    client = sign_in(app.test_client(), SUPERVISOR)
    changed = client.post("/cuenta/cambiar-clave", data={
        "password": PASSWORD, "new_password": nfd(PADLOCK), "new_password_confirm": nfd(PADLOCK)})
    assert changed.status_code == 302
    assert signs_in(app, SUPERVISOR, nfc(PADLOCK))


def old_hash(app, email: str, raw: str) -> str:
    """Store ``raw``'s hash as the code before the fix did (no normalisation) and mark the
    account as hashed the old way, as migration 0011 marks every existing account."""
    from flask_security import hash_password

    from webforms.accounts.extension import security
    from webforms.storage.database import db

    with app.app_context():
        user = security.datastore.find_user(email=email)
        user.password, user.password_normalized = hash_password(raw), False
        db.session.commit()
        return user.password


@pytest.mark.parametrize("raw", [MONTANA, nfd(PADLOCK), "Reunión semanal del equipo norte"])
def test_an_account_hashed_the_old_way_signs_in_and_is_rehashed(app, raw):
    from flask_security import verify_password

    from webforms.accounts.passwords import normalized

    stored = old_hash(app, SUPERVISOR, raw)
    with app.app_context():  # what made those accounts unusable: the check is normalised
        assert not verify_password(normalized(nfc(raw)), stored) or raw == normalized(raw)
    assert not signs_in(app, SUPERVISOR, "Cuaderno-Rojo-Montaña-2026")
    assert account_state(app, SUPERVISOR, "password")["password"] == stored  # wrong: unchanged
    assert signs_in(app, SUPERVISOR, nfc(raw))
    after = account_state(app, SUPERVISOR, "password", "password_normalized")
    assert after["password"] != stored and after["password_normalized"] is True
    with app.app_context():
        assert verify_password(normalized(raw), after["password"])
    assert [entry.target for entry in audit_entries(app, "password_rehashed")] == [SUPERVISOR]
    assert signs_in(app, SUPERVISOR, nfd(raw))  # and now typed either way


def test_only_a_normalised_hash_is_checked_once_rehashed(app):
    from webforms.accounts.passwords import upgrade_legacy_hash

    old_hash(app, SUPERVISOR, PASSWORD)
    assert signs_in(app, SUPERVISOR, PASSWORD)
    with app.app_context():
        assert not upgrade_legacy_hash(SUPERVISOR, PASSWORD)  # not checked again


# --- administrators help users -----------------------------------------------------------------
def test_an_administrator_sets_a_temporary_password_to_change_at_sign_in(app):
    person = sign_in(app.test_client(), SUPERVISOR)
    supervisor_id = account_state(app, SUPERVISOR)["id"]
    admin = as_person(app, "admin")
    refused = admin.post(f"/administracion/usuarios/{supervisor_id}/clave-temporal",
                         data={"temporary_password": "corta"})
    assert refused.status_code == 400 and "12" in refused.get_data(as_text=True)
    assert person.get(REGISTRO_URL).status_code == 200  # nothing changed
    set_it = admin.post(f"/administracion/usuarios/{supervisor_id}/clave-temporal",
                        data={"temporary_password": MONTANA})
    assert set_it.status_code == 302
    assert person.get(REGISTRO_URL).status_code == 302  # their sessions ended

    client = sign_in(app.test_client(), SUPERVISOR, nfd(MONTANA))
    for url in (REGISTRO_URL, "/registros/", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == "/cuenta/cambiar-clave"
    assert client.get("/cuenta/cambiar-clave").status_code == 200
    new = "una clave propia y bastante larga 31"
    changed = client.post("/cuenta/cambiar-clave", data={
        "password": MONTANA, "new_password": new, "new_password_confirm": new})
    assert changed.status_code == 302
    assert client.get(REGISTRO_URL).status_code == 200  # they proceed
    assert account_state(app, SUPERVISOR, "must_change_password")["must_change_password"] is False
    entries = audit_entries(app, "temporary_password_set")
    assert [(entry.target, entry.user_email) for entry in entries] == [
        (SUPERVISOR, ROLE_ACCOUNTS["admin"])]
    assert "Montaña" not in repr(entries[0].details)


def test_an_administrator_resets_two_step_verification_and_sessions_end(app):
    totp = enable_two_step(app, SUPERVISOR)
    person = sign_in_with_code(app.test_client(), SUPERVISOR, code(totp))
    assert person.get(REGISTRO_URL).status_code == 200
    admin = as_person(app, "admin")
    supervisor_id = account_state(app, SUPERVISOR)["id"]
    assert "Reiniciar la verificación" in admin.get(
        f"/administracion/usuarios/{supervisor_id}").get_data(as_text=True)
    assert admin.post(f"/administracion/usuarios/{supervisor_id}/reiniciar-dos-pasos"
                      ).status_code == 302
    assert person.get(REGISTRO_URL).status_code == 302  # signed out
    state = account_state(app, SUPERVISOR, "tf_primary_method", "tf_totp_secret")
    assert state["tf_primary_method"] is None and state["tf_totp_secret"] is None
    client = sign_in(app.test_client(), SUPERVISOR)  # no code asked: they set it up again
    assert client.get(REGISTRO_URL).status_code == 200
    assert [entry.target for entry in audit_entries(app, "two_factor_reset")] == [SUPERVISOR]


def test_an_administrator_ends_a_users_sessions(app):
    person = sign_in(app.test_client(), SUPERVISOR)
    supervisor_id = account_state(app, SUPERVISOR)["id"]
    assert as_person(app, "admin").post(
        f"/administracion/usuarios/{supervisor_id}/cerrar-sesiones").status_code == 302
    assert person.get(REGISTRO_URL).status_code == 302
    assert [entry.target for entry in audit_entries(app, "sessions_ended")] == [SUPERVISOR]


def test_the_command_line_helps_users_and_is_audited(app):
    totp = enable_two_step(app, SUPERVISOR)
    person = sign_in_with_code(app.test_client(), SUPERVISOR, code(totp))
    assert run_users(app, "end-sessions", SUPERVISOR).exit_code == 0
    assert person.get(REGISTRO_URL).status_code == 302
    assert run_users(app, "reset-two-step", SUPERVISOR).exit_code == 0
    assert account_state(app, SUPERVISOR, "tf_primary_method")["tf_primary_method"] is None
    person = sign_in(app.test_client(), SUPERVISOR)
    assert run_users(app, "deactivate", SUPERVISOR).exit_code == 0
    assert person.get(REGISTRO_URL).status_code == 302  # deactivating ends their sessions
    assert not signs_in(app, SUPERVISOR, PASSWORD)
    assert run_users(app, "activate", SUPERVISOR).exit_code == 0
    assert signs_in(app, SUPERVISOR, PASSWORD)
    unknown = run_users(app, "set-password", "nadie@example.org", "--password-stdin")
    assert unknown.exit_code == 1 and "nadie@example.org" in unknown.output
    for action in ("sessions_ended", "two_factor_reset", "user_deactivated", "user_activated"):
        assert [entry.target for entry in audit_entries(app, action)] == [SUPERVISOR], action


# --- recovery codes ----------------------------------------------------------------------------
def make_recovery_codes(app, totp, step: int = 0) -> list[str]:
    """Sign in with the authenticator, confirm (password and a new code), make codes (each
    authenticator code is usable once: the codes of ``step`` and the next are used)."""
    client = sign_in_with_code(app.test_client(), SUPERVISOR, code(totp, step))
    assert client.post("/cuenta/verify", data={"password": PASSWORD,
                                               "code": code(totp, step + 1)}).status_code == 302
    page = client.post("/cuenta/codigos-de-recuperacion", data={"generate_new_codes": "1"})
    assert page.status_code == 200
    codes = re.findall(r"<code>([0-9a-f-]+)</code>", page.get_data(as_text=True))
    shown_again = client.get("/cuenta/codigos-de-recuperacion?show_codes=1")
    assert not any(item in shown_again.get_data(as_text=True) for item in codes)
    return codes


def sign_in_with_recovery_code(app, recovery_code: str):
    client = sign_in(app.test_client(), SUPERVISOR)
    return client, client.post("/cuenta/dos-pasos/recuperacion", data={"code": recovery_code})


def test_recovery_codes_sign_in_once_each_and_are_kept_hashed(app):
    totp = enable_two_step(app, SUPERVISOR)
    codes = make_recovery_codes(app, totp)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert all(re.fullmatch(r"([0-9a-f]{4}-){3}[0-9a-f]{4}", item) for item in codes)
    stored = account_state(app, SUPERVISOR, "mf_recovery_codes")["mf_recovery_codes"]
    assert len(stored) == 8 and not set(codes) & set(stored)
    assert not any(item.replace("-", "") in "".join(stored) for item in codes)

    client, used = sign_in_with_recovery_code(app, codes[0])
    assert used.status_code == 302
    assert client.get(REGISTRO_URL).status_code == 200
    again_client, again = sign_in_with_recovery_code(app, codes[0])
    assert again.status_code == 200 and sign_in_errors(again.get_data(as_text=True))
    assert again_client.get(REGISTRO_URL).status_code == 302  # not signed in
    _, other = sign_in_with_recovery_code(app, codes[1].upper())
    assert other.status_code == 302
    assert len(account_state(app, SUPERVISOR, "mf_recovery_codes")["mf_recovery_codes"]) == 6
    assert [entry.details["left"] for entry in audit_entries(app, "recovery_code_used")] == [7, 6]


def test_new_recovery_codes_replace_the_old(app):
    totp = enable_two_step(app, SUPERVISOR)
    old = make_recovery_codes(app, totp)
    new = make_recovery_codes(app, totp, step=2)
    assert not set(old) & set(new)
    assert sign_in_with_recovery_code(app, old[2])[1].status_code == 200  # refused
    assert sign_in_with_recovery_code(app, new[2])[1].status_code == 302
    assert len(audit_entries(app, "recovery_codes_created")) == 2


def test_the_code_page_offers_a_recovery_code(app):
    enable_two_step(app, SUPERVISOR)
    page = sign_in(app.test_client(), SUPERVISOR).get("/cuenta/dos-pasos/codigo")
    assert "/cuenta/dos-pasos/recuperacion" in page.get_data(as_text=True)
