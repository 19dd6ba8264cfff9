"""formularios-gc: forms that produce controlled Word documents for case-management teams."""
from pathlib import Path

from flask import Flask

from .catalogue import load_catalogue
from .config import Config, ensure_secret_key
from .extensions import babel, csrf, select_locale


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, catalogue and blueprints."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    ensure_secret_key(app.config, app.config.get("INSTANCE_DIR") or app.instance_path)

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)

    # The catalogue is read once at start-up and never changes while the process runs, so every
    # process holds its own identical, read-only copy.
    app.extensions["webforms.catalogue"] = load_catalogue(Path(app.config["DOC_TEMPLATES_DIR"]))

    from . import forms  # noqa: F401  (registers the document forms)
    from .web import batch, errors, helpers, main, records

    app.register_blueprint(main.bp)
    app.register_blueprint(records.bp)
    app.register_blueprint(batch.bp)
    errors.register(app)
    helpers.register(app)
    return app
