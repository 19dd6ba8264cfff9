"""Single sign-on with the organisation's OpenID provider: who a verified ID token is here.

The protocol is Authlib's (accounts.sso_views drives it: authorization code flow with PKCE S256,
``state`` and ``nonce``, the ID token's signature and its iss, aud, exp, iat and nonce checked);
this module decides what a verified token means:

* A person is matched by (issuer, subject) (``SsoIdentity``), never by e-mail alone. The first
  sign-in creates their account when the mapping allows it (``create_users``); an existing
  local account with the same e-mail is linked only when the mapping says so
  (``link_by_email``) and the provider says the address is verified.
* The mapping file (TOML or JSON, docs/sso.md) turns claims or groups into roles and teams. It
  is applied at each sign-in: the account's roles and teams become what the claims say now. A
  person whose claims map to no role is refused.
* A deactivated account is refused here as at the password page.
* ``state`` is usable once: each sign-on under way is a row (``SsoState``), removed by the one
  callback that claims it, so a replayed callback is refused even with an old cookie.

Like every service it flushes and never commits; nothing of a token reaches the audit trail.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from webforms.accounts.extension import security
from webforms.accounts.teams import TeamError
from webforms.accounts.teams import existing as existing_team
from webforms.audit import trail as audit
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import ROLES, SsoIdentity, SsoState, User

# A sign-on left unfinished this long is forgotten (the provider's own pages time out sooner).
STATE_LIFETIME = dt.timedelta(minutes=30)

REFUSALS = {
    "state": _l("Este intento de ingreso ya se usó o venció. Vuelva a la página de ingreso e "
                "inténtelo de nuevo."),
    "token": _l("La respuesta del proveedor de identidad no pudo verificarse. Vuelva a la "
                "página de ingreso e inténtelo de nuevo."),
    "unmapped": _l("Su cuenta de la organización no tiene un rol en esta aplicación. Pida a "
                   "un administrador que le asigne el grupo correspondiente."),
    "inactive": _l("Su cuenta está desactivada en esta aplicación. Hable con un "
                   "administrador."),
    "no_email": _l("El proveedor de identidad no envió su correo electrónico; sin él no es "
                   "posible crear su cuenta. Hable con un administrador."),
    "email_taken": _l("Ya existe una cuenta con su correo electrónico en esta aplicación. Un "
                      "administrador debe vincularla antes de que pueda ingresar así."),
    "not_created": _l("Su cuenta aún no existe en esta aplicación. Pida a un administrador "
                      "que la cree."),
    "unreachable": _l("No fue posible comunicarse con el proveedor de identidad. Inténtelo "
                      "de nuevo en unos minutos."),
}


class Refused(Exception):
    """A sign-on that may not go on; ``reason`` is a key of :data:`REFUSALS`."""

    def __init__(self, reason: str, subject: str | None = None, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.subject = subject
        self.detail = detail  # what the check said (never a token)

    @property
    def message(self) -> str:
        return str(REFUSALS[self.reason])


@dataclass(frozen=True)
class Rule:
    """Whoever's ``claim`` equals ``value`` (or, for a list, contains it) gets these."""

    value: str
    claim: str = "groups"
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()

    def matches(self, claims: dict) -> bool:
        found = claims.get(self.claim)
        return self.value in found if isinstance(found, list) else found == self.value


@dataclass(frozen=True)
class Mapping:
    rules: tuple[Rule, ...] = ()
    create_users: bool = True
    link_by_email: bool = False
    granted_roles: frozenset = field(default_factory=frozenset)

    def grants(self, claims: dict) -> tuple[list[str], list[str]]:
        """The roles and team names ``claims`` map to, each once, in the file's order."""
        matched = [rule for rule in self.rules if rule.matches(claims)]
        roles = [role for rule in matched for role in rule.roles]
        teams = [team for rule in matched for team in rule.teams]
        return list(dict.fromkeys(roles)), list(dict.fromkeys(teams))


def load_mapping(path: str | None) -> Mapping:
    """The mapping file (``.toml``, otherwise JSON); a role that does not exist stops the
    server at start, with the rule that names it."""
    if not path:
        return Mapping()
    text = Path(path).read_text(encoding="utf-8")
    data = tomllib.loads(text) if path.endswith(".toml") else json.loads(text)
    rules = []
    for number, item in enumerate(data.get("rules", []), start=1):
        unknown = set(item.get("roles", ())) - set(ROLES)
        if unknown or "value" not in item:
            raise RuntimeError(f"{path}: rule {number} needs a value and known roles "
                               f"({', '.join(ROLES)}); unknown: {sorted(unknown)}")
        rules.append(Rule(value=str(item["value"]), claim=item.get("claim", "groups"),
                          roles=tuple(item.get("roles", ())), teams=tuple(item.get("teams", ()))))
    return Mapping(rules=tuple(rules), create_users=bool(data.get("create_users", True)),
                   link_by_email=bool(data.get("link_by_email", False)))


def state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def remember_state(state: str) -> None:
    """A sign-on begins: its ``state`` may be claimed once (old unfinished ones are dropped)."""
    db.session.execute(delete(SsoState).where(SsoState.created_at < now() - STATE_LIFETIME))
    db.session.add(SsoState(state_hash=state_hash(state)))
    db.session.flush()


def claim_state(state: str | None) -> None:
    """Take the sign-on ``state`` names, once: a second callback with it (or an unknown or
    stale one) is refused. One atomic delete, so two callbacks cannot both win."""
    claimed = bool(state) and db.session.execute(delete(SsoState).where(
        SsoState.state_hash == state_hash(state),
        SsoState.created_at >= now() - STATE_LIFETIME)).rowcount == 1
    db.session.flush()
    if not claimed:
        raise Refused("state")


def sign_on(issuer: str, claims: dict, id_token: str, mapping: Mapping) -> User:
    """The account a verified ID token's ``claims`` name, its roles and teams made what the
    mapping gives them now. Raises :class:`Refused`."""
    subject = str(claims["sub"])
    roles, teams = mapping.grants(claims)
    if not roles:
        raise Refused("unmapped", subject)
    identity = db.session.execute(select(SsoIdentity).where(
        SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)).scalar_one_or_none()
    user = identity.user if identity else account_for(claims, mapping, subject)
    if not user.active:
        raise Refused("inactive", subject)
    if identity is None:
        identity = SsoIdentity(user=user, issuer=issuer, subject=subject)
        db.session.add(identity)
        audit.append("sso_linked", target=user.email, user=user, issuer=issuer)
    identity.last_sign_in_at, identity.id_token = now(), id_token
    apply_membership(user, roles, teams)
    return user


def account_for(claims: dict, mapping: Mapping, subject: str) -> User:
    """The account a first sign-on joins: a new one, or (``link_by_email``) the one with the
    provider's verified address."""
    email = (claims.get("email") or "").strip()
    if not email:
        raise Refused("no_email", subject)
    existing = security.datastore.find_user(email=email)
    if existing is not None:
        if mapping.link_by_email and claims.get("email_verified") is True:
            return existing
        raise Refused("email_taken", subject)
    if not mapping.create_users:
        raise Refused("not_created", subject)
    user = security.datastore.create_user(email=email, active=True)
    db.session.flush()
    audit.append("user_created", target=user.email, user=user, via="sso")
    return user


def apply_membership(user: User, roles: list[str], teams: list[str]) -> None:
    """Roles and teams as the claims say now; a team the mapping names but this installation
    does not have (or has deactivated) is left out, and logged."""
    chosen = []
    for name in teams:
        try:
            chosen.append(existing_team(name))
        except TeamError:
            current_app.logger.warning("single sign-on: the mapping names team %r, which "
                                       "does not exist or is deactivated", name)
    datastore = security.datastore
    before = (user.role_names(), user.team_names())
    user.roles = [datastore.find_or_create_role(name) for name in roles]
    user.teams = chosen
    db.session.flush()
    if (user.role_names(), user.team_names()) != before:
        audit.append("user_changed", target=user.email, user=user, roles=sorted(roles),
                     teams=user.team_names(), via="sso")


def refused(error: Refused, issuer: str) -> None:
    details = {"detail": error.detail} if error.detail else {}
    audit.append("sso_refused", target=error.subject, reason=error.reason, issuer=issuer,
                 **details)


def identity_of(user: User) -> SsoIdentity | None:
    """The account's identity signed on with most recently (its ID token hints sign-out)."""
    return db.session.execute(select(SsoIdentity).where(SsoIdentity.user_id == user.id).order_by(
        SsoIdentity.last_sign_in_at.desc()).limit(1)).scalar_one_or_none()
