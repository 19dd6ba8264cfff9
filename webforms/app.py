"""The application factory: configuration, extensions, the features' blueprints and tasks.

Every feature is imported here, at the top: the factory is the one module that knows them all
(``webforms`` re-exports :func:`create_app` for ``wsgi.py``, the consumer and the tests)."""
import hashlib
import hmac
from pathlib import Path

from flask import Flask
from flask_security import SQLAlchemyUserDatastore
from werkzeug.middleware.proxy_fix import ProxyFix

from webforms import cli
from webforms import jobs as job_queue
from webforms.accounts import (
    admin_views,
    roster_views,
    session_views,
    sign_in,
    sign_in_limits,
    sso_views,
    team_views,
)
from webforms.accounts.extension import security
from webforms.accounts.sign_in import FORMS as SECURITY_FORMS
from webforms.actions import tracker as action_tracker
from webforms.actions import views as action_views
from webforms.api import admin_views as api_admin_views
from webforms.api import docs_views as api_docs_views
from webforms.api import extension as api_extension
from webforms.api import token_views as api_token_views
from webforms.audit import tasks as audit_tasks
from webforms.audit import trail as audit_trail
from webforms.audit import views as audit_views
from webforms.backup import tasks as backup_tasks
from webforms.batch import tasks as batch_tasks
from webforms.batch import views as batch_views
from webforms.catalogue import CatalogueFile
from webforms.config import Config, converter_settings, ensure_installation_keys, mail_settings
from webforms.control import views as control_views
from webforms.dashboard import views as dashboard_views
from webforms.documents import contexts  # noqa: F401  (registers every form and document context)
from webforms.extensions import babel, csrf, limiter, mail, select_locale
from webforms.jobs import tasks as jobs_tasks
from webforms.jobs import views as job_views
from webforms.records import annulment_views, fill_views, kept_forms
from webforms.records import tasks as record_tasks
from webforms.records import views as record_views
from webforms.reminders import tasks as reminder_tasks
from webforms.reminders import views as reminder_views
from webforms.storage import transactions
from webforms.storage.database import database_uri, db, engine_options, register_migrations
from webforms.storage.files import create_privately, keep_private
from webforms.storage.models import Role, User, WebAuthn
from webforms.trainers import tasks as trainer_tasks
from webforms.trainers import views as trainer_views
from webforms.web import access, errors, headers, helpers, main
from webforms.web.bounded import BoundedRequest
from webforms.webhooks import outbox as webhook_outbox
from webforms.webhooks import tasks as webhook_tasks
from webforms.webhooks import views as webhook_views


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, catalogue and blueprints."""
    app = Flask("webforms", template_folder="web/templates", static_folder="web/static")
    app.request_class = BoundedRequest
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    configure(app.config, app.config.get("INSTANCE_DIR") or app.instance_path)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    register_extensions(app)
    register_blueprints(app)
    return app


def configure(config, instance_dir) -> None:
    """The settings derived from the instance folder and the keys, and the private files."""
    create_privately()  # before the first file: the keys, the databases, the queue
    ensure_installation_keys(config, instance_dir)
    converter_settings(config, instance_dir)
    mail_settings(config)
    config["DATABASE"] = config.get("DATABASE") or str(
        Path(instance_dir) / "webforms.sqlite3")
    config["JOBS_DATABASE"] = config.get("JOBS_DATABASE") or str(
        Path(instance_dir) / "jobs.sqlite3")
    config["AUDIT_CHECKPOINTS"] = config.get("AUDIT_CHECKPOINTS") or str(
        Path(instance_dir) / "audit-checkpoints.log")
    config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri(config))
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config)
    config.setdefault("SECURITY_TOTP_SECRETS", {"1": config["TOTP_KEY"]})
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"] or (
        "webforms+sqlite://" + str(limits_file(config))))
    if config["RATELIMIT_STORAGE_URI"].startswith("webforms+sqlite://"):
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "hash_key": limit_keys_secret(config["SECRET_KEY"])})
    keep_private(instance_dir, (config["DATABASE"], config["JOBS_DATABASE"],
                                limits_file(config)))


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
    transactions.init_app(app)  # first of our request hooks: the request commits after all of them
    register_migrations(app)
    if app.config.get("MAIL_URL"):
        mail.init_app(app)
    security.init_app(app, SQLAlchemyUserDatastore(db, User, Role, WebAuthn), **SECURITY_FORMS)
    job_queue.init_app(app)
    # Each process reads the catalogue file itself, and again whenever the file changes.
    app.extensions["webforms.catalogue"] = CatalogueFile(Path(app.config["DOC_TEMPLATES_DIR"]))


BLUEPRINTS = (main.bp, fill_views.bp, record_views.bp, batch_views.bp, control_views.bp,
              trainer_views.bp, admin_views.bp, team_views.bp, audit_views.bp, dashboard_views.bp,
              job_views.bp, session_views.bp, annulment_views.bp, reminder_views.bp,
              roster_views.bp, action_views.bp, sso_views.bp, webhook_views.bp, api_docs_views.bp,
              api_token_views.bp, api_admin_views.bp)
"""The web views, one blueprint a concern."""
HOOKS = (errors, helpers, headers, sign_in_limits, access, session_views, sign_in, audit_trail, kept_forms,
         annulment_views, action_tracker, sso_views, webhook_outbox, api_extension)
"""The modules that hook into every request or page (their ``init_app``)."""
TASKS = (jobs_tasks, batch_tasks, trainer_tasks, record_tasks, audit_tasks, reminder_tasks,
         webhook_tasks, backup_tasks)
"""Each feature's tasks, registered with the queue (webforms.jobs) when imported: listed here so
the web and the consumer (jobs.consumer) know them all before the queue is made."""


def register_blueprints(app: Flask) -> None:
    """The web views, their page helpers, and the command line."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for module in HOOKS:
        module.init_app(app)
    cli.register(app)
