"""Configuration read from the environment, with an embedded default that needs no external service.

Every setting has a ``WEBFORMS_`` environment variable. ``WEBFORMS_ENV=production`` turns on the
strict checks a deployment needs (an explicit secret key, secure cookies).
"""
import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask_babel import lazy_gettext as _l

from webforms.documents.pdf import Converter
from webforms.storage.files import publish_once

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Default settings; ``create_app`` reads them after the environment is known."""

    ENV_NAME = os.environ.get("WEBFORMS_ENV", "local")
    SECRET_KEY = os.environ.get("WEBFORMS_SECRET_KEY") or os.environ.get("SECRET_KEY")
    # Derives the check code printed beside each copy's number (see records.numbering).
    VERIFICATION_KEY = os.environ.get("WEBFORMS_VERIFICATION_KEY")
    # Shared counters of the rate limits: Redis when several servers share the work; by default
    # a SQLite file beside the register (see storage.limits).
    REDIS_URL = os.environ.get("WEBFORMS_REDIS_URL")
    RATELIMIT_HEADERS_ENABLED = True
    # A failing counter store is logged and lets the request through: limits must not take the
    # service down with them.
    RATELIMIT_SWALLOW_ERRORS = True

    # Where per-installation state lives (the generated local secret key).
    INSTANCE_DIR = os.environ.get("WEBFORMS_INSTANCE_DIR")
    # The database: PostgreSQL when several servers share the work; otherwise the SQLite file
    # DATABASE (by default instance/webforms.sqlite3). Accounts, register, audit trail.
    DATABASE_URL = os.environ.get("WEBFORMS_DATABASE_URL")
    DATABASE = os.environ.get("WEBFORMS_DATABASE")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    DOC_TEMPLATES_DIR = _env_path("WEBFORMS_DOC_TEMPLATES_DIR", PROJECT_ROOT / "doc_templates")
    OUTPUT_DIR = _env_path("WEBFORMS_OUTPUT_DIR", PROJECT_ROOT / "output")
    # Organization shown in the controlled header; the catalogue holds the default.
    ORG_NAME = os.environ.get("WEBFORMS_ORG_NAME")
    ORG_LOGO = os.environ.get("WEBFORMS_ORG_LOGO")
    # The organisation's key that signs every issued PDF (common.signing, docs/signed-pdf.md): a
    # PKCS#12 file and its passphrase, or a PEM certificate and key; the certificates up to the
    # root, the trust anchor copies must chain to, and an RFC 3161 timestamp authority (its root
    # certificate in SIGNING_TIMESTAMP_TRUST). None: a self-signed certificate in instance/signing/.
    SIGNING_PKCS12 = os.environ.get("WEBFORMS_SIGNING_PKCS12")
    SIGNING_PASSPHRASE = os.environ.get("WEBFORMS_SIGNING_PASSPHRASE")
    SIGNING_CERT = os.environ.get("WEBFORMS_SIGNING_CERT")
    SIGNING_KEY = os.environ.get("WEBFORMS_SIGNING_KEY")
    SIGNING_CHAIN = os.environ.get("WEBFORMS_SIGNING_CHAIN")
    SIGNING_TRUST = os.environ.get("WEBFORMS_SIGNING_TRUST")
    SIGNING_TIMESTAMP_URL = os.environ.get("WEBFORMS_SIGNING_TIMESTAMP_URL")
    SIGNING_TIMESTAMP_TRUST = os.environ.get("WEBFORMS_SIGNING_TIMESTAMP_TRUST")

    # Former data keys, comma-separated: they still open what they sealed until
    # `records rotate-key` has sealed everything again with WEBFORMS_DATA_KEY (storage.sealing).
    OLD_DATA_KEYS = [key.strip() for key in os.environ.get("WEBFORMS_OLD_DATA_KEYS", "").split(",")
                     if key.strip()]
    # Days a saved record keeps its content after it was last issued or changed; then only the
    # register's entry stays (number, template, version, dates, hash). Five years by default: the
    # team's history and the dashboard's trends reach that far back; set the installation's own
    # records schedule here.
    RETENTION_DAYS = _env_int("WEBFORMS_RETENTION_DAYS", 1826)
    # The API (webforms.api): a token's longest validity, in days, and each token's rate limit
    # (Flask-Limiter's notation).
    API_TOKEN_MAX_DAYS = _env_int("WEBFORMS_API_TOKEN_MAX_DAYS", 365)
    API_RATE_LIMIT = os.environ.get("WEBFORMS_API_RATE_LIMIT", "120 per minute")
    # Days a deleted record stays in the trash, restorable, before its content is purged.
    TRASH_DAYS = _env_int("WEBFORMS_TRASH_DAYS", 30)
    # Whether annulling an issued record's number waits for a reviewer's approval (a `calidad`
    # user, or a coordinator of the record team's region); "0" annuls at the request, still with
    # a reason (records.annulments, docs/annulments.md).
    ANNUL_NEEDS_APPROVAL = os.environ.get("WEBFORMS_ANNUL_NEEDS_APPROVAL", "1") != "0"

    # Rendering cost grows faster than the input, so requests are capped well above any real record.
    MAX_CONTENT_LENGTH = _env_int("WEBFORMS_MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    # Fields of one request, multipart or urlencoded: a form with every row group full has ~1,000.
    MAX_FORM_PARTS = _env_int("WEBFORMS_MAX_FORM_FIELDS", 2000)

    # Seconds LibreOffice may take to convert one request's documents to PDF.
    PDF_TIMEOUT = _env_int("WEBFORMS_PDF_TIMEOUT", 120)

    # The job queue (webforms.jobs): Huey in a SQLite file of the instance folder, or in Redis
    # (REDIS_URL) when several servers share the work. Immediate: jobs run at once in the
    # process that submits them (the tests; never with several processes).
    JOBS_IMMEDIATE = os.environ.get("WEBFORMS_JOBS_IMMEDIATE") == "1"
    JOBS_QUEUE_NAME = os.environ.get("WEBFORMS_JOBS_QUEUE_NAME", "webforms")
    JOBS_DATABASE = os.environ.get("WEBFORMS_JOBS_DATABASE")
    # A running job silent this long lost its consumer and is taken up again (a PDF reports only
    # when it starts: its time limit and a margin); the watcher looks this often.
    JOBS_STALE_SECONDS = _env_int("WEBFORMS_JOBS_STALE_SECONDS", PDF_TIMEOUT + 60)
    JOBS_WATCH_SECONDS = _env_int("WEBFORMS_JOBS_WATCH_SECONDS", 15)
    # Hours a job's result (a batch's ZIP, a PDF) is kept after it ends.
    JOB_RESULTS_HOURS = _env_int("WEBFORMS_JOB_RESULTS_HOURS", 24)
    # Seconds a page waits for its PDF before showing the job's progress page instead (which
    # polls, and offers the file once made). None by default: a web worker has one thread
    # (gunicorn.conf.py), and a page waiting would hold the whole worker meanwhile.
    PDF_WAIT_SECONDS = _env_int("WEBFORMS_PDF_WAIT_SECONDS", 0)
    # The daily retention purge (records.retention), in UTC: 02:30 in Bogotá.
    PURGE_AT_HOUR = _env_int("WEBFORMS_PURGE_AT_HOUR", 7)
    PURGE_AT_MINUTE = _env_int("WEBFORMS_PURGE_AT_MINUTE", 30)
    # The audit trail's checkpoints (audit.trail): a line appended by every `audit verify` and
    # daily at this hour (UTC) to this file, by default instance/audit-checkpoints.log. Point it
    # at storage the database's administrators cannot rewrite, or ship its lines elsewhere.
    AUDIT_CHECKPOINTS = os.environ.get("WEBFORMS_AUDIT_CHECKPOINTS")
    AUDIT_CHECKPOINT_AT_HOUR = _env_int("WEBFORMS_AUDIT_CHECKPOINT_AT_HOUR", 6)
    # The reminders (webforms.reminders, docs/reminders.md) are looked at every hour at this
    # minute: the weekly digests whose team's day and hour have come, the notices not sent yet.
    REMINDERS_AT_MINUTE = _env_int("WEBFORMS_REMINDERS_AT_MINUTE", 5)
    # Webhooks (docs/webhooks.md): the networks an endpoint may be in although private,
    # loopback or link-local (CIDRs, comma-separated; none by default), the seconds each attempt
    # may take, and the waits before each retry (the first attempt goes at once).
    WEBHOOKS_ALLOWED_NETWORKS = [network.strip() for network in os.environ.get(
        "WEBFORMS_WEBHOOKS_ALLOWED_NETWORKS", "").split(",") if network.strip()]
    WEBHOOKS_TIMEOUT = _env_int("WEBFORMS_WEBHOOKS_TIMEOUT", 10)
    WEBHOOKS_RETRY_DELAYS = [int(delay) for delay in os.environ.get(
        "WEBFORMS_WEBHOOKS_RETRY_DELAYS", "10,60,300,1800,7200").split(",") if delay.strip()]
    # The converter kept warm (webforms.jobs.converter, docs/converter.md): CONVERTER_INSTANCES
    # LibreOffices, each replaced after CONVERTER_RESTART_AFTER conversions. It listens on a Unix
    # socket in the instance folder (CONVERTER_SOCKET), or, for a converter host serving several
    # web hosts, on CONVERTER_INTERFACE:CONVERTER_PORT. WEBFORMS_CONVERTER lists where the web
    # servers and job consumers reach it (socket paths or host:port, comma-separated; by default
    # the local socket). Every call proves it knows CONVERTER_SECRET (by default generated in the
    # instance folder; required on every host when the converter listens beyond loopback).
    CONVERTER_INSTANCES = _env_int("WEBFORMS_CONVERTER_INSTANCES", 1)
    CONVERTER_SOCKET = os.environ.get("WEBFORMS_CONVERTER_SOCKET")
    CONVERTER_INTERFACE = os.environ.get("WEBFORMS_CONVERTER_INTERFACE")
    CONVERTER_PORT = _env_int("WEBFORMS_CONVERTER_PORT", 2003)
    CONVERTER_SECRET = os.environ.get("WEBFORMS_CONVERTER_SECRET")
    CONVERTER_RESTART_AFTER = _env_int("WEBFORMS_CONVERTER_RESTART_AFTER", 200)
    # The OS user LibreOffice runs as when the converter is started as root (scripts/
    # system-packages creates it); otherwise it runs as the converter's own user.
    CONVERTER_USER = os.environ.get("WEBFORMS_CONVERTER_USER", "webforms-converter")
    CONVERTER_ADDRESSES = tuple(filter(None, (
        address.strip() for address in os.environ.get("WEBFORMS_CONVERTER", "").split(","))))
    # Backups (webforms.backup, docs/backups.md): encrypted with a passphrase and/or an X25519
    # public key (`flask backup keygen`); the private key is needed only to verify or restore.
    # Daily at BACKUP_AT_HOUR:BACKUP_AT_MINUTE UTC (03:15 in Bogotá) to BACKUP_TARGET (a folder or
    # s3://bucket/prefix?endpoint_url=…; instance/backups by default), the newest BACKUP_KEEP kept.
    BACKUP_PASSPHRASE = os.environ.get("WEBFORMS_BACKUP_PASSPHRASE")
    BACKUP_PUBLIC_KEY = os.environ.get("WEBFORMS_BACKUP_PUBLIC_KEY")
    BACKUP_PRIVATE_KEY = os.environ.get("WEBFORMS_BACKUP_PRIVATE_KEY")
    BACKUP_TARGET = os.environ.get("WEBFORMS_BACKUP_TARGET")
    BACKUP_KEEP = _env_int("WEBFORMS_BACKUP_KEEP", 14)
    BACKUP_AT_HOUR = _env_int("WEBFORMS_BACKUP_AT_HOUR", 8)
    BACKUP_AT_MINUTE = _env_int("WEBFORMS_BACKUP_AT_MINUTE", 15)
    # The most rows one spreadsheet may hold (one document each).
    BATCH_MAX_ROWS = _env_int("WEBFORMS_BATCH_MAX_ROWS", 500)
    # A batch of at least BATCH_SLICE_ROWS rows a worker is cut into slices that the job
    # consumer's workers (JOBS_WORKERS processes: the Procfile starts it with as many) issue side
    # by side, one core each.
    JOBS_WORKERS = _env_int("WEBFORMS_JOBS_WORKERS", 2)
    BATCH_SLICE_ROWS = _env_int("WEBFORMS_BATCH_SLICE_ROWS", 200)

    # A supervisor may keep a long form open for hours: the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"

    # Accounts (Flask-Security-Too): a modern hash, long passwords that are not common ones
    # (zxcvbn's lists), TOTP two-factor offered to everyone and required for administrators,
    # sessions that end after WEBFORMS_IDLE_MINUTES without a request.
    SECURITY_PASSWORD_HASH = "argon2"
    SECURITY_PASSWORD_LENGTH_MIN = _env_int("WEBFORMS_PASSWORD_MIN_LENGTH", 12)
    SECURITY_PASSWORD_COMPLEXITY_CHECKER = "zxcvbn"
    SECURITY_ZXCVBN_MINIMUM_SCORE = 3
    SECURITY_REGISTERABLE = False
    SECURITY_RECOVERABLE = False  # on only with mail (see mail_settings)
    SECURITY_CHANGEABLE = True
    SECURITY_SEND_PASSWORD_CHANGE_EMAIL = False
    SECURITY_TWO_FACTOR = True
    SECURITY_TWO_FACTOR_ENABLED_METHODS = ["authenticator"]
    SECURITY_TOTP_ISSUER = "formularios-gc"
    SECURITY_TWO_FACTOR_ALWAYS_VALIDATE = True
    SECURITY_URL_PREFIX = "/cuenta"
    SECURITY_LOGIN_URL = "/ingresar"
    SECURITY_LOGOUT_URL = "/salir"
    SECURITY_CHANGE_URL = "/cambiar-clave"
    SECURITY_TWO_FACTOR_SETUP_URL = "/dos-pasos"
    SECURITY_TWO_FACTOR_TOKEN_VALIDATION_URL = "/dos-pasos/codigo"
    SECURITY_LOGOUT_METHODS = ["POST"]
    SECURITY_POST_LOGIN_VIEW = "/"
    SECURITY_POST_LOGOUT_VIEW = "/"
    SECURITY_DEFAULT_REMEMBER_ME = False
    SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
    SECURITY_FLASH_MESSAGES = True
    SECURITY_CLI_USERS_NAME = False  # the application's own `users` group replaces the library's
    SECURITY_CLI_ROLES_NAME = False
    IDLE_MINUTES = _env_int("WEBFORMS_IDLE_MINUTES", 20)
    PERMANENT_SESSION_LIFETIME = dt.timedelta(minutes=IDLE_MINUTES)
    TWO_FACTOR_FOR_ADMINS = os.environ.get("WEBFORMS_TWO_FACTOR_FOR_ADMINS", "1") != "0"
    SESSION_REFRESH_EACH_REQUEST = True
    # Sign-in by token is off (the library's Authentication-Token header and ?auth_token=): a
    # token that outlives sign-out and sits in access logs is not wanted; sessions only.
    SECURITY_API_ENABLED_METHODS = ["session"]
    SECURITY_FRESHNESS_ALLOW_AUTH_TOKEN = False
    # Changing or disabling two-step verification (and e-mail, were it offered) needs a fresh
    # re-authentication: password and current code at /cuenta/verify, valid this long (enough
    # to scan the new code). Signing in does not count as fresh (see accounts.session_views), so a copied
    # cookie cannot do it.
    SECURITY_FRESHNESS = dt.timedelta(minutes=_env_int("WEBFORMS_FRESHNESS_MINUTES", 5))
    SECURITY_FRESHNESS_GRACE_PERIOD = dt.timedelta(minutes=0)
    # Passwords are hashed and checked in this Unicode form, wherever they are typed (the
    # library's default, named here because accounts.passwords relies on it).
    SECURITY_PASSWORD_NORMALIZE_FORM = "NFKD"
    # One-time recovery codes for two-step verification, kept as keyed hashes (accounts.two_step):
    # shown once when made (after re-authentication), each usable once.
    SECURITY_MULTI_FACTOR_RECOVERY_CODES = True
    SECURITY_MULTI_FACTOR_RECOVERY_CODES_N = 8
    SECURITY_MULTI_FACTOR_RECOVERY_CODES_URL = "/codigos-de-recuperacion"
    SECURITY_MULTI_FACTOR_RECOVERY_URL = "/dos-pasos/recuperacion"
    # Outgoing mail (docs/mail.md): WEBFORMS_MAIL_URL names the SMTP server, e.g.
    # smtp://user:password@host:587?starttls=1 or smtps://user:password@host:465, and
    # WEBFORMS_MAIL_FROM the sender. Without it nothing offers mail: no password reset by e-mail,
    # no two-step rescue by e-mail (mail_settings turns them on).
    MAIL_URL = os.environ.get("WEBFORMS_MAIL_URL")
    MAIL_FROM = os.environ.get("WEBFORMS_MAIL_FROM")
    # Where the two-step page's "contact the administrator" rescue writes; the sender by default.
    MAIL_HELP = os.environ.get("WEBFORMS_MAIL_HELP")
    MAIL_TIMEOUT = _env_int("WEBFORMS_MAIL_TIMEOUT", 30)
    # The address users reach the product at, e.g. https://formularios.organizacion.org: the
    # links of mail sent when no page asked for it (the reminders' weekly digest and notices,
    # docs/reminders.md).
    BASE_URL = os.environ.get("WEBFORMS_BASE_URL")
    SECURITY_TWO_FACTOR_RESCUE_EMAIL = False
    # A reset link works this long, and once: the new password changes the token's hash.
    SECURITY_RESET_PASSWORD_WITHIN = dt.timedelta(hours=_env_int("WEBFORMS_RESET_HOURS", 2))
    SECURITY_RESET_URL = "/recuperar-clave"
    # A reset asked for an unknown, deactivated or mistyped address answers as for a known one.
    SECURITY_RETURN_GENERIC_RESPONSES = True
    # The reset's messages and mail subjects in the page's language, as "usted" (the e-mails'
    # own texts are the templates in security/email/).
    SECURITY_MSG_PASSWORD_RESET_REQUEST = (_l(
        "Si %(email)s corresponde a una cuenta activa, le enviamos un enlace para elegir una "
        "contraseña nueva. Revise su correo."), "info")
    SECURITY_MSG_PASSWORD_RESET_EXPIRED = (_l(
        "El enlace venció: valía por %(within)s. Pida uno nuevo."), "error")
    SECURITY_MSG_INVALID_RESET_PASSWORD_TOKEN = (_l(
        "El enlace para restablecer la contraseña no es válido o ya se usó. Pida uno nuevo."),
        "error")
    SECURITY_MSG_PASSWORD_RESET_NO_LOGIN = (_l(
        "Su contraseña se cambió. Ingrese con la contraseña nueva."), "success")
    SECURITY_EMAIL_SUBJECT_PASSWORD_RESET = _l("Restablecer su contraseña de formularios-gc")
    SECURITY_EMAIL_SUBJECT_PASSWORD_NOTICE = _l("Su contraseña de formularios-gc se restableció")
    SECURITY_EMAIL_SUBJECT_TWO_FACTOR = _l("Su código de verificación de formularios-gc")
    SECURITY_EMAIL_SUBJECT_TWO_FACTOR_RESCUE = _l(
        "Una cuenta pide ayuda con la verificación en dos pasos")
    # Password checks (sign-in, re-authentication, password change), see accounts.attempts: free
    # failures of one account from one address before the waits (1 s, 2 s, 4 s… up to
    # SIGN_IN_MAX_DELAY seconds) begin; failures of one account from anywhere, or from one
    # address whatever the account, before a 429; wrong authenticator codes per account.
    SIGN_IN_FREE_FAILURES = _env_int("WEBFORMS_SIGN_IN_FREE_FAILURES", 5)
    SIGN_IN_MAX_DELAY = _env_int("WEBFORMS_SIGN_IN_MAX_DELAY", 15 * 60)
    SIGN_IN_RATE_LIMIT = os.environ.get("WEBFORMS_SIGN_IN_RATE_LIMIT", "50 per 15 minutes")
    TWO_STEP_CODE_LIMIT = os.environ.get("WEBFORMS_TWO_STEP_CODE_LIMIT", "5 per 15 minutes")
    # Reverse proxies in front of the application (the HTTPS proxy: 1): their X-Forwarded-For
    # and X-Forwarded-Proto are believed, so limits and the audit see the client's address.
    # 0 (the default) believes no such header: right when nothing stands in front.
    TRUSTED_PROXIES = _env_int("WEBFORMS_TRUSTED_PROXIES", 0)

    # Single sign-on with the organisation's OpenID provider (accounts.sso, docs/sso.md): on when
    # WEBFORMS_OIDC_ISSUER is set (its /.well-known/openid-configuration is read). The mapping
    # file (TOML or JSON) turns claims or groups into roles and teams at each sign-in.
    # OIDC_NAME is the provider's name on the sign-in page's button. LOCAL_ACCOUNTS=0 turns
    # sign-in by password off (SSO only). OIDC_TWO_STEP=1 (the default) leaves two-step
    # verification of SSO users to the provider; 0 asks them for this product's own as well.
    # An http:// issuer is refused unless OIDC_ALLOW_HTTP=1 (a test provider on loopback).
    OIDC_ISSUER = os.environ.get("WEBFORMS_OIDC_ISSUER")
    OIDC_CLIENT_ID = os.environ.get("WEBFORMS_OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("WEBFORMS_OIDC_CLIENT_SECRET")
    OIDC_SCOPES = os.environ.get("WEBFORMS_OIDC_SCOPES", "openid email profile")
    OIDC_MAPPING = os.environ.get("WEBFORMS_OIDC_MAPPING")
    OIDC_NAME = os.environ.get("WEBFORMS_OIDC_NAME", "SSO")
    OIDC_TWO_STEP = os.environ.get("WEBFORMS_OIDC_TWO_STEP", "1") != "0"
    OIDC_ALLOW_HTTP = os.environ.get("WEBFORMS_OIDC_ALLOW_HTTP") == "1"
    LOCAL_ACCOUNTS = os.environ.get("WEBFORMS_LOCAL_ACCOUNTS", "1") != "0"

    # Interface languages (Spanish is the source); documents are written in es or en.
    LANGUAGES = ["es", "en", "fr", "pt"]
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("WEBFORMS_TIMEZONE", "America/Bogota")
    # flask-babel resolves relative directories against the package, so give an absolute one.
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    # Flask-Security-Too's own texts: its catalogs, then ours over them (translations/<language>/
    # LC_MESSAGES/flask_security.po: formal "usted" and the product's words in Spanish).
    SECURITY_I18N_DIRNAME = ["builtin", BABEL_TRANSLATION_DIRECTORIES]


# Keys every server of an installation must share: (setting, environment variable, file name of
# the copy generated in the instance folder for the local default).
INSTALLATION_KEYS = (("SECRET_KEY", "WEBFORMS_SECRET_KEY", "secret_key"),
                     ("VERIFICATION_KEY", "WEBFORMS_VERIFICATION_KEY", "verification_key"),
                     ("SECURITY_PASSWORD_SALT", "WEBFORMS_PASSWORD_SALT", "password_salt"),
                     ("TOTP_KEY", "WEBFORMS_TOTP_KEY", "totp_key"),
                     ("DATA_KEY", "WEBFORMS_DATA_KEY", "data_key"),
                     ("AUDIT_KEY", "WEBFORMS_AUDIT_KEY", "audit_key"))


def ensure_installation_keys(config: dict, instance_path: str) -> None:
    """Make sure every installation key exists before the first request uses one.

    In production a missing key is a deployment error and must stop the server. Locally a key is
    generated once and kept in the instance folder, so every gunicorn worker shares it (a random key
    per process would make the CSRF token of one worker invalid in the other, and the check codes
    printed on copies unverifiable after a restart).
    """
    for setting, variable, file_name in INSTALLATION_KEYS:
        config[setting] = config.get(setting) or os.environ.get(variable)
        if config[setting]:
            continue
        if config.get("ENV_NAME") == "production":
            raise RuntimeError(
                f"{variable} is not set. A production server needs a fixed key: generate one "
                "with `python -c 'import secrets; print(secrets.token_hex(32))'`.")
        key_file = Path(instance_path) / file_name
        if not key_file.exists():
            publish_once(key_file, secrets.token_hex(32))
        config[setting] = key_file.read_text().strip()
    config["OLD_DATA_KEYS"] = [*config.get("OLD_DATA_KEYS", ()), *local_former_data_keys(
        instance_path)]


MAIL_SCHEMES = {"smtp": 25, "smtps": 465}
TRUE_WORDS = {"1", "true", "yes", "on"}


def mail_settings(config: dict) -> None:
    """Flask-Mailman's settings from MAIL_URL, and the mail-only account pages turned on.

    ``smtp://`` sends in clear (a local relay) unless ``?starttls=1``; ``smtps://`` uses TLS
    from the start. The password never appears in an error: a bad URL is named without it."""
    if not config.get("MAIL_URL"):
        return
    url = urlsplit(config["MAIL_URL"])
    try:
        port = url.port or MAIL_SCHEMES.get(url.scheme)
    except ValueError:
        port = None
    if url.scheme not in MAIL_SCHEMES or not url.hostname or port is None:
        raise RuntimeError("WEBFORMS_MAIL_URL must look like smtp://user:password@host:587"
                           "?starttls=1 or smtps://user:password@host:465 (scheme, host, port)")
    if not config.get("MAIL_FROM"):
        raise RuntimeError("WEBFORMS_MAIL_FROM is not set: the address mail is sent from.")
    options = {key: values[-1].lower() for key, values in parse_qs(url.query).items()}
    config.update(
        MAIL_SERVER=url.hostname, MAIL_PORT=port, MAIL_USE_SSL=url.scheme == "smtps",
        MAIL_USE_TLS=url.scheme == "smtp" and options.get("starttls") in TRUE_WORDS,
        MAIL_USERNAME=unquote(url.username) if url.username else None,
        MAIL_PASSWORD=unquote(url.password) if url.password else None,
        MAIL_DEFAULT_SENDER=config["MAIL_FROM"], MAIL_BACKEND=config.get("MAIL_BACKEND") or "smtp",
        SECURITY_TWO_FACTOR_RESCUE_MAIL=config.get("MAIL_HELP") or config["MAIL_FROM"],
        SECURITY_RECOVERABLE=True, SECURITY_TWO_FACTOR_RESCUE_EMAIL=True)


def local_former_data_keys(instance_path: str) -> list[str]:
    """The keys a local key rotation left aside (``instance/data_key.old``) until it ended."""
    former = Path(instance_path) / "data_key.old"
    if not former.exists():
        return []
    return [line.strip() for line in former.read_text().splitlines() if line.strip()]


def instance_dir() -> Path:
    """The instance folder of a process that has no app (the converter): as ``create_app``'s."""
    return Path(Config.INSTANCE_DIR) if Config.INSTANCE_DIR else PROJECT_ROOT / "instance"


def default_converter_socket(instance_path: str | Path) -> Path:
    return Path(instance_path) / "converter" / "socket"


def converter_secret(instance_path: str | Path, configured: str | None = None) -> bytes:
    """WEBFORMS_CONVERTER_SECRET, or the one generated once in the instance folder (0600)."""
    configured = configured or Config.CONVERTER_SECRET
    if configured:
        return configured.encode()
    key_file = Path(instance_path) / "converter_key"
    if not key_file.exists():
        publish_once(key_file, secrets.token_hex(32))
    return key_file.read_text().strip().encode()


def converter_settings(config: dict, instance_path: str) -> None:
    """CONVERTERS: where this process's PDFs are converted warm, each with the secret."""
    if "CONVERTERS" in config:  # set by a test
        return
    secret = converter_secret(instance_path, config.get("CONVERTER_SECRET"))
    addresses = config["CONVERTER_ADDRESSES"] or (
        config.get("CONVERTER_SOCKET") or str(default_converter_socket(instance_path)),)
    config["CONVERTERS"] = tuple(Converter(address, secret) for address in addresses)
