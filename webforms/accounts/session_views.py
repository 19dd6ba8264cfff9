"""Sessions that end: each sign-in starts a session kept on the server (accounts.sessions), every
request checks it, and the account's events end them. The account page lists a user's sessions
and ends the others; an administrator ends all of an account's (accounts.admin_views).

At sign-in the browser also gets a new CSRF token (one planted before sign-in is worthless) and
no freshness: changing two-step verification asks for the password and a current code first
(accounts.sign_in), even right after signing in, so a copied cookie cannot do it.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_out
from flask_security import current_user, signals
from flask_security.utils import set_request_attr
from flask_wtf import FlaskForm
from wtforms import BooleanField

from webforms.accounts import reminder_settings
from webforms.accounts import sessions as user_sessions
from webforms.audit import trail as audit
from webforms.web.access import for_roles, signed_in

bp = Blueprint("sessions", __name__, template_folder="templates", url_prefix="/cuenta")

TOKEN = "webforms_session"  # the session cookie's key holding the session's token
CSRF_FIELD = "csrf_token"  # Flask-WTF's key in the session and in ``g``


class RemindersForm(FlaskForm):
    mailed = BooleanField(_l("Recibir el resumen semanal y los avisos por correo"), description=_l(
        "Cuentas, fechas, números de registro y enlaces de los equipos que usted sigue; nunca "
        "el texto de un registro."))


@bp.route("/sesiones")
@signed_in
def listing():
    current = user_sessions.token_hash(session.get(TOKEN, ""))
    reminders = RemindersForm(data={"mailed": current_user.reminders}) \
        if reminder_settings.is_reminded(current_user) else None
    return render_template("account/sessions.html", current=current, reminders=reminders,
                           sessions=user_sessions.listing(current_user))


@bp.post("/avisos")
@for_roles(*reminder_settings.REMINDED_ROLES)
def choose_reminders():
    """The account's choice: the weekly digest and the notices by mail, or not
    (webforms.reminders)."""
    form = RemindersForm()
    form.validate_on_submit()  # a checkbox: unchecked is a choice too
    reminder_settings.choose_mail(current_user, bool(form.mailed.data))
    flash(_("Recibirá el resumen semanal y los avisos por correo.") if form.mailed.data
          else _("Ya no recibirá el resumen semanal ni los avisos por correo."), "info")
    return redirect(url_for(".listing"))


@bp.route("/sesiones/<int:session_id>/cerrar", methods=["POST"])
@signed_in
def end_one(session_id: int):
    if not user_sessions.end(current_user, session_id):
        abort(HTTPStatus.NOT_FOUND)
    audit.append("session_ended", target=current_user.email, session=session_id)
    flash(_("La sesión se cerró."), "info")
    return redirect(url_for(".listing"))


@bp.route("/sesiones/cerrar-otras", methods=["POST"])
@signed_in
def end_others():
    ended = user_sessions.end_all(current_user, keep_token=session.get(TOKEN))
    audit.append("sessions_ended", target=current_user.email, count=ended)
    flash(_("Se cerraron las demás sesiones."), "info")
    return redirect(url_for(".listing"))


def start_session(user) -> None:
    """This browser's new session of ``user``, with a new CSRF token and no freshness."""
    session[TOKEN] = user_sessions.start(user, request.user_agent.string, request.remote_addr)
    session.permanent = True  # lasts PERMANENT_SESSION_LIFETIME from its last request
    session.pop(CSRF_FIELD, None)
    g.pop(CSRF_FIELD, None)
    session.pop("fs_paa", None)
    session.pop("fs_gexp", None)


def _signed_in(_sender, user, **_extra):
    start_session(user)


def _signed_out(_sender, user=None, **_extra):
    if getattr(user, "id", None) is not None:
        user_sessions.end_all(user)
    session.pop(TOKEN, None)


def _credentials_changed(_sender, user, **_extra):
    """Every session of ``user`` ends; the browser that made the change (if it is theirs) goes
    on in a new one."""
    user_sessions.end_all(user)
    if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
        start_session(user)


def refuse_ended_sessions(app) -> None:
    """The cookie's account is signed in only while it is active and its server-side session
    lives. Flask-Login keeps one user loader (also what a remember-me cookie goes through, so
    that cannot bypass this either): Flask-Security's is replaced by one reading the account,
    its roles and teams and its live session in one statement (accounts.sessions.signed_in),
    setting what Flask-Security's sets for a session's account."""

    @app.login_manager.user_loader
    def load_account_of_live_session(user_id):
        user = user_sessions.signed_in(user_id, session.get(TOKEN))
        if user is None or not user.active:
            return None
        set_request_attr("fs_authn_via", "session")
        set_request_attr("fs_paa", session.get("fs_paa", 0))
        return user


def init_app(app) -> None:
    refuse_ended_sessions(app)
    for signal, receiver in ((signals.user_authenticated, _signed_in),
                             (user_logged_out, _signed_out),
                             (signals.password_changed, _credentials_changed),
                             (signals.password_reset, _credentials_changed),
                             (signals.tf_profile_changed, _credentials_changed),
                             (signals.tf_disabled, _credentials_changed)):
        signal.connect(receiver, sender=app, weak=False)
