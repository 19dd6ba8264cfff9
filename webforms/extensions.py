"""Flask extensions, created unbound and initialised in :func:`webforms.create_app`."""
from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mailman import Mail
from flask_wtf.csrf import CSRFProtect

from webforms.storage import limits  # noqa: F401  (registers the webforms+sqlite:// limit storage)

babel = Babel()
csrf = CSRFProtect()
# Limits are set per route; counters live in RATELIMIT_STORAGE_URI, shared by every worker.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Mail through Flask-Mailman, initialised only when WEBFORMS_MAIL_URL is set; Flask-Security-Too
# is the accounts' (accounts.extension).
mail = Mail()

LANGUAGE_COOKIE = "lang"
# The regional variant used to format dates and numbers in each language: British English
# writes "20 November 2026", as UNHCR documents do.
# Each language names its region too, which is also how Flask-Security-Too's own catalogs are named.
FORMAT_VARIANTS = {"es": "es_ES", "en": "en_GB", "fr": "fr_FR", "pt": "pt_BR"}


def select_locale() -> str:
    """The language the user chose (cookie), else the browser's preference, else Spanish."""
    return FORMAT_VARIANTS.get(interface_language(), interface_language())


def interface_language() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # background work sets its locale with force_locale
        return default
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or default
