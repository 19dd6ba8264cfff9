"""Single sign-on's pages and hooks: the way to the provider and back, the sign-in page's button,
local sign-in turned off, and sign-out at the provider too.

Authlib's Flask client (the library Flask-Security-Too's OAuth support uses) speaks OpenID
Connect: the provider's discovery document, the authorization code flow with PKCE (S256), a
``state`` and a ``nonce`` kept in the session, the code exchanged for tokens and the ID token's
signature (the provider's published keys) and claims (iss, aud, exp, iat, nonce) checked.
accounts.sso decides who the verified token is; the session is then started exactly as the
password page starts one (Flask-Security's ``login_user``: accounts.session_views keeps it on
the server, so sign-out and deactivation end it at once).

Two-step verification of SSO users is the provider's (``OIDC_TWO_STEP``, on by default): a
sign-on marks the session so web.access does not ask an administrator to set up this product's
own; with it off, an account with two steps types its code as after a password.

Signing out (the library's ``/cuenta/salir``) ends the local session and, when the session came
from the provider and its discovery names an ``end_session_endpoint``, goes on there with the
last ID token as ``id_token_hint`` and the home page as ``post_logout_redirect_uri``.
"""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import user_logged_out
from flask_security import current_user, login_user, signals
from joserfc.errors import JoseError

from webforms.accounts import sso
from webforms.accounts.extension import security
from webforms.audit import trail as audit
from webforms.web.access import TWO_STEP_ELSEWHERE, public
from webforms.web.headers import CONTENT_SECURITY_POLICY

bp = Blueprint("sso", __name__, template_folder="templates", url_prefix="/acceso/oidc")

SIGNED_ON = "webforms_sso"  # the session came from the provider
PENDING = "webforms_sso_pending"  # signed on, typing this product's two-step code
NEXT = "webforms_sso_next"  # where the person was going
EXTENSION = "webforms.sso"
LOCAL_ONLY_ENDPOINTS = {"security.login", "security.forgot_password", "security.reset_password"}


def provider():
    """This app's Authlib client of the provider; None when single sign-on is off."""
    return current_app.extensions.get(EXTENSION, {}).get("client")


@bp.route("/ingresar")
@public
def start():
    client = provider() or abort(HTTPStatus.NOT_FOUND)
    redirect_uri = url_for(".callback", _external=True)
    try:
        authorization = client.create_authorization_url(redirect_uri)
    except requests.RequestException:
        return refusal(sso.Refused("unreachable"))
    client.save_authorize_data(redirect_uri=redirect_uri, **authorization)
    sso.remember_state(authorization["state"])
    session[NEXT] = safe_next(request.args.get("next"))
    return redirect(authorization["url"])


@bp.route("/callback")
@public
def callback():
    client = provider() or abort(HTTPStatus.NOT_FOUND)
    try:
        sso.claim_state(request.args.get("state"))
        token = client.authorize_access_token()
        if "userinfo" not in token:
            raise sso.Refused("token")
        claims = dict(token["userinfo"])  # verified: the issuer is the discovery's
        user = sso.sign_on(claims["iss"], claims, token["id_token"],
                           current_app.extensions[EXTENSION]["mapping"])
    except sso.Refused as error:
        return refusal(error)
    except (OAuthError, JoseError, KeyError, ValueError) as error:
        return refusal(sso.Refused("token", detail=f"{type(error).__name__}: {error}"[:200]))
    except requests.RequestException:
        return refusal(sso.Refused("unreachable"))
    return signed_on(user, session.pop(NEXT, None) or "/")


def signed_on(user, next_url: str):
    """Start the session as the password page does (or ask for the two-step code first)."""
    if not current_app.config["OIDC_TWO_STEP"]:
        session[PENDING] = True
        answer = security.two_factor_plugins.tf_enter(user, False, "oidc", next_loc=next_url)
        if answer:
            return answer
    login_user(user, authn_via=["oidc"])
    return redirect(next_url)


def refusal(error: sso.Refused):
    sso.refused(error, current_app.extensions[EXTENSION]["issuer"])
    status = HTTPStatus.BAD_GATEWAY if error.reason == "unreachable" else HTTPStatus.FORBIDDEN
    return render_template("account/sso_refused.html", message=error.message), status


def safe_next(target: str | None) -> str | None:
    """Only a path of this site comes back after signing on."""
    parts = urlsplit(target or "")
    return target if target and not parts.scheme and not parts.netloc \
        and target.startswith("/") and not target.startswith("//") else None


def _authenticated(_sender, user, authn_via=None, **_extra):
    """The session's origin: signed on at the provider (and whose two-step it relies on), or
    not. A later password sign-in in the same browser clears it."""
    via_provider = "oidc" in (authn_via or ()) or session.pop(PENDING, False)
    session.pop(SIGNED_ON, None)
    session.pop(TWO_STEP_ELSEWHERE, None)
    if via_provider and provider() is not None:
        session[SIGNED_ON] = True
        if current_app.config["OIDC_TWO_STEP"]:
            session[TWO_STEP_ELSEWHERE] = True


def _signed_out(_sender, **_extra):
    for key in (SIGNED_ON, TWO_STEP_ELSEWHERE, PENDING):
        session.pop(key, None)


def before_sign_out():
    """Sign-out at the provider: read the ID token while the account is still here."""
    if (request.endpoint == "security.logout" and request.method == "POST"
            and session.get(SIGNED_ON) and current_user.is_authenticated and provider()):
        identity = sso.identity_of(current_user)
        g.sso_sign_out = identity.id_token if identity else None


def after_sign_out(response):
    """The library's sign-out answer, sent on to the provider's end_session_endpoint."""
    hint = g.pop("sso_sign_out", None)
    if hint is None or response.status_code not in (302, 303):
        return response
    try:
        endpoint = provider().load_server_metadata().get("end_session_endpoint")
    except requests.RequestException:
        return response
    if endpoint:
        response.headers["Location"] = provider().create_logout_url(
            post_logout_redirect_uri=url_for("main.home", _external=True),
            id_token_hint=hint)["url"]
        audit.append("sso_signed_out", issuer=current_app.extensions[EXTENSION]["issuer"])
    return response


def provider_may_take_forms(response):
    """The pages' policy lets the sign-out form's answer go on to the provider (browsers check a
    form's redirection against ``form-action``)."""
    issuer = current_app.extensions.get(EXTENSION, {}).get("issuer")
    if issuer:
        parts = urlsplit(issuer)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"))
    return response


def local_accounts_off():
    """With LOCAL_ACCOUNTS off, password sign-in (and its reset) answers no submission."""
    if (not current_app.config["LOCAL_ACCOUNTS"] and request.method == "POST"
            and request.endpoint in LOCAL_ONLY_ENDPOINTS):
        abort(HTTPStatus.FORBIDDEN)


def page_globals() -> dict:
    return {"sso_name": current_app.config["OIDC_NAME"] if provider() else None,
            "local_accounts": current_app.config["LOCAL_ACCOUNTS"]}


def init_app(app) -> None:
    app.extensions[EXTENSION] = configured(app)
    app.before_request(local_accounts_off)
    app.before_request(before_sign_out)
    app.after_request(after_sign_out)
    app.after_request(provider_may_take_forms)
    app.context_processor(page_globals)
    signals.user_authenticated.connect(_authenticated, sender=app, weak=False)
    user_logged_out.connect(_signed_out, sender=app, weak=False)


def configured(app) -> dict:
    """The provider's client and the mapping, checked at start; {} when SSO is off."""
    config = app.config
    if not config.get("OIDC_ISSUER"):
        if not config["LOCAL_ACCOUNTS"]:
            raise RuntimeError("WEBFORMS_LOCAL_ACCOUNTS=0 needs WEBFORMS_OIDC_ISSUER: "
                               "nobody could sign in.")
        return {}
    issuer = config["OIDC_ISSUER"].rstrip("/")
    if not issuer.startswith("https://") and not config["OIDC_ALLOW_HTTP"]:
        raise RuntimeError("WEBFORMS_OIDC_ISSUER must be an https:// URL.")
    if not config.get("OIDC_CLIENT_ID"):
        raise RuntimeError("WEBFORMS_OIDC_CLIENT_ID is not set.")
    oauth = OAuth(app)
    client = oauth.register(
        "oidc", client_id=config["OIDC_CLIENT_ID"], client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256"})
    return {"client": client, "issuer": issuer,
            "mapping": sso.load_mapping(config.get("OIDC_MAPPING"))}
