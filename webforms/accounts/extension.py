"""Flask-Security-Too, as the accounts configure it: authenticator codes usable once, recovery
codes kept as keyed hashes, a refused password's reasons in the reader's language, mail through
Flask-Mailman (initialised only when WEBFORMS_MAIL_URL is set, which is how Flask-Security-Too and
the pages know mail is offered).

It lives with the accounts, not in webforms.extensions, so that the shared layers (web, common)
that use the other extensions depend on no feature; they reach the library's state through
``current_app.extensions["security"]`` when they need it."""
from flask_security import Security

from webforms.accounts.password_feedback import TranslatedPasswordUtil
from webforms.accounts.two_step import HashedRecoveryCodes, SingleUseTotp
from webforms.common.mail import LoggedMailUtil

security = Security(totp_cls=SingleUseTotp, mf_recovery_codes_util_cls=HashedRecoveryCodes,
                    password_util_cls=TranslatedPasswordUtil, mail_util_cls=LoggedMailUtil)
