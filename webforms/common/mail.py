"""Outgoing mail: Flask-Security-Too's messages (password reset, two-step rescue) through
Flask-Mailman, configured by WEBFORMS_MAIL_URL (see config.mail_settings, docs/mail.md).

A message the server would not take must not turn a page into an error: a password-reset
request answers the same whether or not an account exists (so whether or not a message went), so
its failures are logged for the administrator and the page goes on. The two-step code by e-mail
is the exception: its page says when the code could not be sent, so that failure is passed on.
The log names the server and the error, never the credentials.
"""
from __future__ import annotations

import smtplib

from flask import current_app
from flask_security import MailUtil

# Templates whose caller reports a failed delivery itself (Flask-Security's two-step code).
REPORTED_BY_CALLER = {"security/email/two_factor_instructions"}


class LoggedMailUtil(MailUtil):
    def send_mail(self, template, subject, recipient, sender, body, html, **kwargs) -> None:
        try:
            super().send_mail(template, subject, recipient, sender, body, html, **kwargs)
        except (smtplib.SMTPException, OSError) as error:
            current_app.logger.error(
                "mail %s not sent through %s:%s: %s: %s", template.rsplit("/", 1)[-1],
                current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"],
                type(error).__name__, error)
            if template in REPORTED_BY_CALLER:
                raise
