"""Accounts present in every test database: one person per role, and a team member who holds every
role that fills forms (most tests act as them). All in "Equipo Norte"; one password for all. The
case manager works in ``CASE_MANAGER_MODALITY``."""
from __future__ import annotations

PASSWORD = "una clave larga de prueba 2026"
TEAM = "Equipo Norte"
TEAM_MEMBER = "equipo@example.org"
CASE_MANAGER_MODALITY = "family_support"
ROLE_ACCOUNTS = {role: f"{role}@example.org" for role in (
    "admin", "supervisor", "coordinador", "talento_humano", "formador", "calidad",
    "gestor_caso")}
ACCOUNTS = {email: (role,) for role, email in ROLE_ACCOUNTS.items()} | {
    TEAM_MEMBER: ("supervisor", "coordinador", "talento_humano")}


def seed_accounts() -> None:
    """Create the test accounts (inside an app context of a migrated database)."""
    from flask_security import hash_password

    from webforms.accounts.extension import security
    from webforms.storage.database import db
    from webforms.storage.models import Team

    datastore, hashed = security.datastore, hash_password(PASSWORD)
    team = Team(name=TEAM)
    for email, roles in ACCOUNTS.items():
        user = datastore.create_user(email=email, password=hashed, active=True, roles=[
            datastore.find_or_create_role(role) for role in roles])
        user.teams = [team]
        if "gestor_caso" in roles:
            user.modality = CASE_MANAGER_MODALITY
    db.session.commit()


def ensure_team(name: str, *, region: bool = False):
    """The team (or region) ``name``, created when missing as an administrator would (inside an
    app context): accounts only join teams that exist."""
    from webforms.accounts import teams

    team = teams.find(name) or teams.create(name, is_region=region)
    if region:
        team.is_region = True
    return team

def enable_two_step(app, email: str):
    """Give ``email`` an authenticator (as if set up): the passlib TOTP that makes its codes."""
    from passlib.totp import TOTP

    from webforms.accounts.extension import security
    from webforms.storage.database import db

    with app.app_context():
        secret = security.totp_factory.generate_totp_secret()
        user = security.datastore.find_user(email=email)
        security.datastore.tf_set(user, "authenticator", totp_secret=secret)
        db.session.commit()
        return TOTP(key=security.totp_factory.get_totp_b32_key(secret), format="base32")


def code(totp, steps_ahead: int = 0) -> str:
    """The authenticator's code ``steps_ahead`` 30-second steps from now (a code is usable once:
    a second code in the same half-minute is the next step's, within the accepted tolerance)."""
    import time

    return totp.generate(time.time() + 30 * steps_ahead).token


# The keys of every test app: the database's password hashes need the same salt in all of them.
# Argon2 with a small cost, in tests only: hundreds of sign-ins stay fast (the hash stays argon2;
# the same options everywhere, so no sign-in rehashes).
TEST_KEYS = {"SECRET_KEY": "test-secret", "VERIFICATION_KEY": "test-verification",
             "SECURITY_PASSWORD_SALT": "test-salt", "TOTP_KEY": "test-totp-key",
             "DATA_KEY": "test-data-key", "AUDIT_KEY": "test-audit-key",
             "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS": {
                 "argon2__memory_cost": 1024, "argon2__rounds": 1, "argon2__parallelism": 1}}


def account_state(app, email: str, *attributes: str) -> dict:
    """The stored ``attributes`` of ``email``'s account (and its id), read afresh."""
    from webforms.accounts.extension import security

    with app.app_context():
        user = security.datastore.find_user(email=email)
        return {"id": user.id, **{name: getattr(user, name) for name in attributes}}
