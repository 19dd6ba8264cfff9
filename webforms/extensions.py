"""Flask extensions, created unbound and initialised in :func:`webforms.create_app`."""
from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The language the user chose (cookie), else the browser's preference, else Spanish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # background work sets its locale with force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]
