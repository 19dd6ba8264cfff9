"""formularios-gc: forms that produce controlled Word documents for case-management teams."""
import hashlib
import hmac
from pathlib import Path

from flask import Flask
from flask_security import SQLAlchemyUserDatastore
from werkzeug.middleware.proxy_fix import ProxyFix

from webforms import jobs as job_queue
from webforms.accounts.sign_in import FORMS as SECURITY_FORMS
from webforms.catalogue import CatalogueFile
from webforms.config import Config, converter_settings, ensure_installation_keys, mail_settings
from webforms.extensions import babel, csrf, limiter, mail, security, select_locale
from webforms.storage import transactions
from webforms.storage.database import database_uri, db, engine_options, register_migrations
from webforms.storage.files import create_privately, keep_private
from webforms.web.bounded import BoundedRequest


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, catalogue and blueprints."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.request_class = BoundedRequest
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    instance_dir = app.config.get("INSTANCE_DIR") or app.instance_path
    create_privately()  # before the first file: the keys, the databases, the queue
    ensure_installation_keys(app.config, instance_dir)
    converter_settings(app.config, instance_dir)
    mail_settings(app.config)
    app.config["DATABASE"] = app.config.get("DATABASE") or str(
        Path(instance_dir) / "webforms.sqlite3")
    app.config["JOBS_DATABASE"] = app.config.get("JOBS_DATABASE") or str(
        Path(instance_dir) / "jobs.sqlite3")
    app.config["AUDIT_CHECKPOINTS"] = app.config.get("AUDIT_CHECKPOINTS") or str(
        Path(instance_dir) / "audit-checkpoints.log")
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri(app.config))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    app.config.setdefault("SECURITY_TOTP_SECRETS", {"1": app.config["TOTP_KEY"]})
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or (
        "webforms+sqlite://" + str(limits_file(app.config))))
    if app.config["RATELIMIT_STORAGE_URI"].startswith("webforms+sqlite://"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "hash_key": limit_keys_secret(app.config["SECRET_KEY"])})
    keep_private(instance_dir, (app.config["DATABASE"], app.config["JOBS_DATABASE"],
                                limits_file(app.config)))

    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    register_extensions(app)
    register_blueprints(app)
    return app


def limits_file(config) -> Path:
    """The SQLite file of the rate limits' counters (storage.limits), beside the database."""
    return Path(config["DATABASE"]).with_name("limits.sqlite3")


def limit_keys_secret(secret_key: str) -> str:
    """The key of the rate-limit counters' hashed keys (storage.limits), from the secret key."""
    return hmac.new(secret_key.encode(), b"webforms rate-limit keys", hashlib.sha256).hexdigest()


def register_extensions(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    db.init_app(app)
    transactions.init_app(app)  # first: the request commits after every other hook
    register_migrations(app)
    if app.config.get("MAIL_URL"):
        mail.init_app(app)
    from webforms.storage.models import Role, User, WebAuthn  # the tables the migrations describe

    security.init_app(app, SQLAlchemyUserDatastore(db, User, Role, WebAuthn), **SECURITY_FORMS)
    job_queue.init_app(app)
    # Each process reads the catalogue file itself, and again whenever the file changes.
    app.extensions["webforms.catalogue"] = CatalogueFile(Path(app.config["DOC_TEMPLATES_DIR"]))


def register_blueprints(app: Flask) -> None:
    """The web views, one blueprint a concern, their page helpers, and the command line."""
    from webforms import cli
    from webforms.accounts import (
        admin_views as admin,
    )
    from webforms.accounts import (
        session_views as sessions,
    )
    from webforms.accounts import (
        sign_in,
    )
    from webforms.accounts import (
        team_views as teams,
    )
    from webforms.audit import trail as audit_trail
    from webforms.audit import views as audit
    from webforms.batch import views as batch
    from webforms.control import views as control
    from webforms.dashboard import views as dashboard
    from webforms.documents import contexts as views  # noqa: F401  (registers every form and document view)
    from webforms.jobs import views as jobs
    from webforms.records import (
        annulment_views as annulments,
    )
    from webforms.records import (
        fill_views as records,
    )
    from webforms.records import (
        kept_forms,
    )
    from webforms.records import (
        views as team_records,
    )
    from webforms.trainers import views as trainers
    from webforms.web import access, errors, headers, helpers, main

    for blueprint in (main.bp, records.bp, team_records.bp, batch.bp, control.bp, trainers.bp,
                      admin.bp, teams.bp, audit.bp, dashboard.bp, jobs.bp, sessions.bp,
                      annulments.bp):
        app.register_blueprint(blueprint)
    for module in (errors, helpers, headers, access, sessions, sign_in, audit_trail, kept_forms,
                   annulments):
        module.init_app(app)
    cli.register(app)
