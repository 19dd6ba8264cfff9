"""Sign-in limits: password checks (sign-in, re-authentication, password change) and
authenticator codes are limited per account and per address with growing waits (the counters:
accounts.attempts). A refused attempt gets the 429 page and changes nothing."""
from __future__ import annotations

from http import HTTPStatus

from flask import abort, request, session
from flask_security import current_user

from webforms.accounts import attempts
from webforms.accounts.extension import security


def init_app(app) -> None:
    """Refuse attempts while their wait lasts; count the password checks that failed."""

    @app.before_request
    def refuse_while_waiting():
        if request.method != "POST":
            return
        if request.endpoint in PASSWORD_CHECKS and attempts.wait_seconds(attempt_keys()):
            abort(HTTPStatus.TOO_MANY_REQUESTS)
        if request.endpoint in CODE_CHECKS and not attempts.codes_allowed(
                code_key(code_account())):
            abort(HTTPStatus.TOO_MANY_REQUESTS)

    @app.after_request
    def count_failed_password(response):
        outcome = attempts.noted()
        if request.endpoint in PASSWORD_CHECKS and outcome is not None:
            (attempts.passed if outcome else attempts.failed)(attempt_keys())
        return response


# Endpoints that check a password, and those that check an authenticator code.
PASSWORD_CHECKS = {"security.login", "security.verify", "security.change_password"}
CODE_CHECKS = {"security.two_factor_token_validation", "security.mf_recovery"}


def attempt_keys() -> attempts.Keys:
    """This account from this address; this account; this address. The account is the e-mail
    typed at sign-in, the signed-in user's elsewhere (the same counters either way)."""
    email = (current_user.email if current_user.is_authenticated
             else request.form.get("email", ""))
    account = "account:" + email.strip().lower()[:255]
    address = "address:" + (request.remote_addr or "")
    return attempts.Keys(pair=f"{account}|{address}", spread=(account, address))


def code_key(user) -> str:
    return f"code:user:{user.id if user is not None else ''}"


def code_account():
    """Whose code this is: the signed-in user's, or the one signing in (between the password and
    the code, the library keeps them in the session)."""
    if current_user.is_authenticated:
        return current_user
    uniquifier = session.get("tf_user_id")
    return security.datastore.find_user(fs_uniquifier=uniquifier) if uniquifier else None
