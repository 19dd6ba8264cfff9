"""The reminders as messages: plain text and simple HTML from the templates
reminders/message.txt and message.html (a digest or a notice), in the installation's language
(accounts have none of their own), sent through Flask-Mailman (WEBFORMS_MAIL_URL,
docs/mail.md). The templates get counts, dates, record numbers and links only
(reminders.reading): nothing else reaches them.
"""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives

DIGEST, NOTICE = "digest", "notice"


def message(kind: str, email: str, sections: list) -> EmailMultiAlternatives:
    """The ``kind`` message (digest or notice) to ``email`` about ``sections`` (one a team:
    reading.TeamPulse and its absolute links)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = (_("Resumen semanal de acciones y ritmos") if kind == DIGEST
                   else _("Aviso: acciones vencidas o ritmos incumplidos"))
        text = render_template("reminders/message.txt", kind=kind, sections=sections)
        html = render_template("reminders/message.html", kind=kind, sections=sections,
                               subject=subject)
    mail = EmailMultiAlternatives(subject=subject, body=text, to=[email])
    mail.attach_alternative(html, "text/html")
    return mail


def deliver(mail: EmailMultiAlternatives) -> None:
    """Send it now; an SMTP or network error is raised for the caller to log and audit."""
    mail.send(fail_silently=False)
