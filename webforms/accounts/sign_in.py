"""How Flask-Security-Too's sign-in, re-authentication and two-step pages check who is there.

* Sign-in says the same, in the page's language, for an unknown account, a wrong password and
  a deactivated account, so it tells nobody which accounts exist, nor that a deactivated
  account's password was right.
* Re-authentication (``/cuenta/verify``, asked before two-step verification is changed or
  disabled) takes the password *and* a current code when the account has a second factor.
* Wrong authenticator codes are limited per account (accounts.attempts): past the limit the next
  code is refused, right or not. (Each code is usable once: accounts.two_step.)
* No sign-in by token: the library's token (``Authentication-Token`` header, ``?auth_token=``)
  authenticates nothing, and no response hands one out (``?include_auth_token``).
* Every password check says whether it passed (accounts.attempts.note), which is what the limits
  count: a success is never counted as a failure.
* An account whose hash was made the old way (from the raw text) is checked as typed once and
  re-hashed normalised before the library checks it (accounts.passwords).
* A temporary password set by an administrator is changed before anything else (web.access);
  changing it on the change page clears that.
* Wrong recovery codes count with wrong authenticator codes; a right one is spent at once.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_security import ChangePasswordForm, LoginForm, MfRecoveryForm, VerifyForm, signals
from flask_security.utils import get_message
from flask_security.views import default_render_json
from wtforms import StringField
from wtforms.validators import Length

from webforms.accounts import attempts, passwords
from webforms.accounts.extension import security
from webforms.accounts.sign_in_limits import code_key

SIGN_IN_FAILED = _l("No fue posible ingresar: revise el correo y la contraseña.")
RECOVERY_CODE = _l("Código de recuperación")
TOO_MANY_CODES = _l("Demasiados códigos equivocados. Espere unos minutos e inténtelo de nuevo.")


class SignInForm(LoginForm):
    """The library's sign-in form, with one message for every failed sign-in."""

    def validate(self, **kwargs) -> bool:
        passwords.upgrade_legacy_hash(self.email.data, self.password.data)
        if super().validate(**kwargs):
            attempts.note(True)
            return True
        if self.ifield is not None:  # the fields were filled in: the check itself failed
            attempts.note(False)
            self.ifield.errors[:] = []
            self.password.errors[:] = []
            self.form_errors.append(str(SIGN_IN_FAILED))
        return False


class FreshVerifyForm(VerifyForm):
    """Re-authentication: the password, and a current code when the account has two steps."""

    code = StringField(_l("Código de su aplicación de autenticación"), validators=[
        Length(max=16)], render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})

    def validate(self, **kwargs) -> bool:
        if not super().validate(**kwargs):
            if self.password.data:
                attempts.note(False)
            return False
        attempts.note(True)
        if not self.user.tf_primary_method:
            return True
        if not attempts.codes_allowed(code_key(self.user)):
            self.code.errors.append(str(TOO_MANY_CODES))
            return False
        if not security.totp_factory.verify_totp(
                token=(self.code.data or "").strip(), totp_secret=self.user.tf_totp_secret,
                user=self.user,
                window=current_app.config["SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY"]):
            self.user.track_failed_authn("code", tfa=True)
            self.code.errors.append(get_message("TWO_FACTOR_INVALID_TOKEN")[0])
            return False
        return True


class CheckedChangePasswordForm(ChangePasswordForm):
    """The library's password change, saying whether the current password was right."""

    def validate(self, **kwargs) -> bool:
        valid = super().validate(**kwargs)
        if self.password.data:
            attempts.note(get_message("INVALID_PASSWORD")[0] not in self.password.errors)
        return valid


class CountedRecoveryForm(MfRecoveryForm):
    """The library's recovery code form; a wrong code counts as a wrong authenticator code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.code.label.text = RECOVERY_CODE

    def validate(self, **kwargs) -> bool:
        if super().validate(**kwargs):
            return True
        if self.code.data and self.user is not None:
            attempts.code_failed(code_key(self.user))
        return False


FORMS = {"login_form": SignInForm, "verify_form": FreshVerifyForm,
         "change_password_form": CheckedChangePasswordForm,
         "mf_recovery_form": CountedRecoveryForm}


def count_wrong_code(_sender, user, tfa=False, **_extra):
    """A wrong (or already used) authenticator code, wherever it was typed, counts."""
    if tfa and user is not None:
        attempts.code_failed(code_key(user))


def no_token(_request):
    """Flask-Login's request loader: no request signs in by token."""
    return None


def without_auth_token(payload, code, headers, user):
    """The library's JSON answers, never carrying an authentication token."""
    if isinstance(payload.get("user"), dict):
        payload["user"].pop("authentication_token", None)
    return default_render_json(payload, code, headers, user)


def password_changed(_sender, user, **_extra):
    passwords.changed_by_user(user)


def mail_configured() -> bool:
    return "mailman" in current_app.extensions


def init_app(app) -> None:
    app.login_manager.request_loader(no_token)
    signals.user_failed_authn.connect(count_wrong_code, sender=app, weak=False)
    signals.password_changed.connect(password_changed, sender=app, weak=False)
    security.render_json(without_auth_token)
    app.context_processor(lambda: {"rescue_offered": mail_configured()})

    @app.before_request
    def no_rescue_without_mail():
        """The two-step rescue sends mail; without mail it is neither offered nor answered."""
        if request.endpoint == "security.two_factor_rescue" and not mail_configured():
            abort(HTTPStatus.NOT_FOUND)
