"""The audit trail: who did what, when and from where, in one append-only, hash-chained table.

Why a chain: the table lives in the database the application writes, so whoever can open that
database could rewrite history. Each entry's hash covers its own content and the hash of the
entry before it, so a row edited, removed or slipped in by hand breaks the chain from that point,
and :func:`verify` names the first broken entry. Ids are consecutive (each append takes the next
one), so a gap is a removed entry; the one-row head (``audit_head``) keeps the last id and hash.

Why a key: with a plain hash, whoever can write the database can remove entries and compute the
chain again with the product's own function. Each hash is an HMAC-SHA256 under the installation's
audit key (``WEBFORMS_AUDIT_KEY``), which lives in configuration, never in the database: without
it, no entry can be rewritten, added or re-chained unseen.

Why checkpoints: the key does not stop the *newest* entries being deleted and ``audit_head`` set to
the new last row: that chain is still whole. So the head is also anchored outside the database:
:func:`checkpoint` verifies the chain and appends a line (time, last id, count, head hash, itself
HMAC'd with the key) to a checkpoint file (``AUDIT_CHECKPOINTS``, by default
``instance/audit-checkpoints.log``), daily (a periodic job) and on every ``flask audit verify``,
which prints it so it can also be kept elsewhere. :func:`verify` then names a chain shorter than
the last checkpoint (``truncated``) or whose entry at the checkpoint has another hash
(``rewritten``: possible only with the key).

Entries written before the key: existing installations hold entries hashed with plain SHA-256.
They are not re-hashed (the hashes in CSV copies kept elsewhere stay valid). Migration 0007
appends one keyed entry, ``audit_keyed``, at the end of the chain as it then was (on a new
installation it is entry 1): entries before it are checked with plain SHA-256, it and every later
one with the key. Re-chaining the old entries breaks the link into that keyed entry, which cannot
be recomputed without the key; a chain without it (removed with everything after it and rebuilt
unkeyed, or emptied) is ``unkeyed``. The key must therefore never change (keep a copy with the
database's backups).

Why the head row is also the lock: appends must happen strictly one after another across
gunicorn workers and servers, or two entries would claim the same predecessor. Every append
begins with ``UPDATE audit_head SET last_id = last_id + 1 ... RETURNING``. On PostgreSQL that
row stays locked until the commit, so the next writer waits and then reads the new head (READ
COMMITTED re-reads a row updated meanwhile). On SQLite a transaction whose first statement is a
write holds the database's write lock until it ends, so the next writer waits (busy_timeout)
without having read a stale head. One statement, the same on both databases.

What is never kept: the content of a form or a record. Entries hold ids (document numbers,
template codes, accounts acted upon, job ids) and short facts (a version, a language, a count);
:func:`append` refuses details longer than an id list would be.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_out
from flask_security import current_user, signals
from sqlalchemy import CheckConstraint, Column, Integer, String, Table, bindparam, func, insert, select, update

from webforms.clock import now
from webforms.storage.database import db, execute_core
from webforms.storage.models import AuditEntry

GENESIS = "0" * 64  # the "previous hash" of the first entry
HEAD_ID = 1
MAX_DETAILS_CHARS = 2000  # ids and counts fit easily; a typed text would not be an id
# The entry from which every hash is keyed (written once, by migration 0007); those before it
# were hashed without a key (see the module docstring).
KEYED_FROM = "audit_keyed"

# The head of the chain: one row, updated by every append (see the module docstring).
audit_head = Table(
    "audit_head", db.metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="single_row"))

entries = AuditEntry.__table__

# Every action the trail knows, with its name on the audit page. A new action is added here.
ACTIONS = {
    "sign_in": _l("Ingreso"),
    "sign_in_failed": _l("Ingreso fallido"),
    "sign_out": _l("Salida"),
    "password_changed": _l("Cambio de contraseña"),
    "two_factor_changed": _l("Verificación en dos pasos configurada"),
    "two_factor_disabled": _l("Verificación en dos pasos desactivada"),
    "session_ended": _l("Sesión cerrada por su usuario"),
    "sessions_ended": _l("Sesiones de una cuenta cerradas"),
    "user_created": _l("Cuenta creada"),
    "user_changed": _l("Roles o equipos cambiados"),
    "user_activated": _l("Cuenta activada"),
    "user_deactivated": _l("Cuenta desactivada"),
    "team_changed": _l("Equipo cambiado"),
    "password_rehashed": _l("Contraseña guardada de nuevo con la normalización actual"),
    "temporary_password_set": _l("Contraseña temporal asignada"),
    "two_factor_reset": _l("Verificación en dos pasos reiniciada"),
    "recovery_codes_created": _l("Códigos de recuperación generados"),
    "recovery_code_used": _l("Ingreso con un código de recuperación"),
    "team_created": _l("Equipo o región creado"),
    "team_deactivated": _l("Equipo o región desactivado"),
    "team_activated": _l("Equipo o región reactivado"),
    "teams_viewed": _l("Equipos y regiones consultados"),
    "document_issued": _l("Documento emitido"),
    "document_reproduced": _l("Documento reproducido"),
    "record_viewed": _l("Registro consultado"),
    "record_downloaded": _l("Registro descargado"),
    "record_edited": _l("Registro editado"),
    "record_deleted": _l("Registro eliminado"),
    "record_restored": _l("Registro restaurado"),
    "record_duplicated": _l("Registro duplicado"),
    "record_refused": _l("Acceso a un registro rechazado"),
    "annulment_requested": _l("Anulación solicitada"),
    "annulment_approved": _l("Anulación aprobada"),
    "annulment_rejected": _l("Anulación rechazada"),
    "annulment_withdrawn": _l("Solicitud de anulación retirada"),
    "record_annulled": _l("Registro anulado sin aprobación"),
    "annulments_viewed": _l("Anulaciones por decidir consultadas"),
    "template_version_added": _l("Nueva versión de plantilla"),
    "batch_started": _l("Lote iniciado"),
    "batch_finished": _l("Lote terminado"),
    "batch_row_left_out": _l("Fila de un lote no generada"),
    "batch_failed": _l("Lote fallido"),
    "batch_downloaded": _l("Lote descargado"),
    "job_downloaded": _l("Archivo de un trabajo descargado"),
    "purge": _l("Depuración de datos"),
    "data_key_rotated": _l("Rotación de la clave de datos"),
    "copies_verified": _l("Copias emitidas comprobadas"),
    "file_verified": _l("Archivo verificado"),
    "audit_exported": _l("Registro de auditoría exportado"),
    "dashboard_viewed": _l("Panel del equipo consultado"),
    "dashboard_exported": _l("Panel del equipo exportado"),
    "actions_viewed": _l("Acciones del equipo consultadas"),
    "action_updated": _l("Seguimiento de una acción registrado"),
    "actions_rebuilt": _l("Acciones reconstruidas desde los registros emitidos"),
    "sso_linked": _l("Cuenta vinculada al proveedor de identidad"),
    "sso_refused": _l("Ingreso por el proveedor de identidad rechazado"),
    "sso_signed_out": _l("Salida también en el proveedor de identidad"),
    "api_request": _l("Solicitud a la API"),
    "api_refused": _l("Token de la API rechazado"),
    "api_token_created": _l("Token de la API creado"),
    "api_token_revoked": _l("Token de la API revocado"),
    KEYED_FROM: _l("Registro de auditoría protegido con clave"),
    "audit_viewed": _l("Registro de auditoría consultado"),
    "accounts_viewed": _l("Cuentas consultadas"),
    "pending_kept": _l("Formulario guardado al terminar la sesión"),
    "pending_restored": _l("Formulario recuperado al volver a ingresar"),
    "password_reset_requested": _l("Enlace para restablecer la contraseña enviado por correo"),
    "password_reset_by_mail": _l("Contraseña restablecida con el enlace del correo"),
    "two_factor_code_mailed": _l("Código de verificación enviado por correo"),
    "reminder_sent": _l("Recordatorio enviado por correo"),
    "reminder_failed": _l("Recordatorio no enviado"),
    "reminders_chosen": _l("Recordatorios por correo activados o desactivados"),
    "roster_changed": _l("Plantilla del equipo cambiada"),
    "roster_viewed": _l("Plantilla del equipo consultada"),
    "webhooks_viewed": _l("Destinos de webhooks consultados"),
    "webhook_endpoint_created": _l("Destino de webhooks creado"),
    "webhook_endpoint_changed": _l("Destino de webhooks cambiado"),
    "webhook_endpoint_removed": _l("Destino de webhooks eliminado"),
    "webhook_secret_rotated": _l("Secreto de un destino de webhooks renovado"),
    "webhook_test_sent": _l("Evento de prueba de webhooks enviado"),
    "backup_created": _l("Copia de seguridad creada"),
    "backup_failed": _l("Copia de seguridad fallida"),
    "backup_verified": _l("Copia de seguridad comprobada"),
    "backup_restored": _l("Copia de seguridad restaurada"),
}


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: an account (or none) and an address."""

    user_id: int | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class BrokenEntry:
    """The first place where the chain does not hold.

    ``problem``: ``altered`` (its content no longer matches its hash), ``rehashed`` (it was
    changed and its hash recomputed: the next entry no longer follows it), ``missing`` (removed),
    ``inserted`` (added by hand), ``unlinked`` (the first entry does not start the chain),
    ``head`` (the chain's head does not match the last entry), ``unkeyed`` (the entry that keys
    the chain is gone: the chain was rebuilt without the key), ``truncated`` (shorter than the
    last checkpoint), ``rewritten`` (the entry the last checkpoint names has another hash),
    ``checkpoint`` (the checkpoint file's last line was not written with the key; entry 0)."""

    entry_id: int
    problem: str


# --- who ---------------------------------------------------------------------------------------
def current_actor() -> Actor:
    """The signed-in user and the request's address; in a background job, whoever started it
    (:func:`acting_as`); on the command line, the operating-system account."""
    acting = g.get("audit_actor") if has_app_context() else None
    if acting is not None:
        return acting
    if has_request_context():
        user = current_user if current_user.is_authenticated else None
        return Actor(getattr(user, "id", None), getattr(user, "email", None), request.remote_addr)
    return Actor(address=command_line_address())


def command_line_address() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return "cli"


@contextmanager
def acting_as(actor: Actor, **details):
    """Entries recorded inside the block are ``actor``'s, with ``details`` added (a background
    job records on behalf of the user who started it)."""
    saved = g.get("audit_actor"), g.get("audit_details")
    g.audit_actor, g.audit_details = actor, details
    try:
        yield
    finally:
        g.audit_actor, g.audit_details = saved


# --- appending ---------------------------------------------------------------------------------
def append(action: str, target=None, *, user=None, **details) -> int:
    """Append an entry: ``action`` (one of ACTIONS) on ``target`` (an id), with ``details``
    (ids and short facts only, never typed content). ``user`` names the account concerned when
    it is not the signed-in one (a sign-in, a failed sign-in).

    The entry is appended on the session's connection, in its transaction, and never committed
    here: whoever commits the action (the request, the task, the command) commits its entry, so
    the two are kept, or rolled back, together (storage.transactions). The append holds the
    chain's head until that commit (see the module docstring): call this once the action is
    done, as late as the transaction allows. Returns the entry's id."""
    return append_each(action, [(target, details)], user=user)[0]


def append_each(action: str, items, *, user=None) -> list[int]:
    """:func:`append` of one entry per ``(target, details)`` of ``items``, appended together (a
    batch's group of documents, in the transaction that numbers them). Returns the entries'
    ids."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to ACTIONS")
    actor = current_actor()
    if user is not None:
        actor = replace(actor, user_id=user.id, email=user.email)
    extra = g.get("audit_details") if has_app_context() else None
    return append_all([entry_fields(actor, action, target, {**(extra or {}), **details})
                       for target, details in items])


def entry_fields(actor: Actor, action: str, target, details: dict) -> dict:
    return {"user_id": actor.user_id, "user_email": clip(actor.email, 255), "action": action,
            "target": clip(None if target is None else str(target), 255),
            "details": plain_details(details), "address": clip(actor.address, 64)}


def append_all(entries_fields: list[dict], connection=None) -> list[int]:
    """Take the next ids under the head's lock, chain each entry to the one before, move the
    head: three statements however many entries, on the session's connection or on ``connection``
    (a migration's). The first statement is the head's UPDATE: see the module docstring."""
    count, key = len(entries_fields), audit_key()
    execute = connection.execute if connection is not None else execute_core
    head = execute(HEAD_MOVE, {"count": count}).one_or_none()
    if head is None:
        raise RuntimeError("the audit chain has no head row: run `flask --app wsgi db upgrade`")
    last_id, previous_hash = head
    at, rows = now(), []
    for entry_id, fields in enumerate(entries_fields, start=last_id - count + 1):
        digest = entry_hash(entry_id, at, fields, previous_hash, key)
        rows.append({"id": entry_id, "at": at, "previous_hash": previous_hash, "hash": digest,
                     **fields})
        previous_hash = digest
    execute(ENTRIES_INSERT, rows)
    execute(HEAD_HASH, {"hash": previous_hash})
    return [row["id"] for row in rows]


# The three statements of every append, built once (an append is on every action's path).
HEAD_MOVE = (update(audit_head).where(audit_head.c.id == HEAD_ID)
             .values(last_id=audit_head.c.last_id + bindparam("count"))
             .returning(audit_head.c.last_id, audit_head.c.last_hash))
ENTRIES_INSERT = insert(entries)
HEAD_HASH = update(audit_head).where(audit_head.c.id == HEAD_ID).values(
    last_hash=bindparam("hash"))


def plain_details(details: dict) -> dict:
    """The details as the database will give them back (JSON types), so the hash computed now
    is the one recomputed later. Too long to be ids: refused."""
    text = json.dumps(details, default=str, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_DETAILS_CHARS:
        raise ValueError("audit details hold ids, not content")
    return json.loads(text)


def clip(value: str | None, length: int) -> str | None:
    return value[:length] if value else value


# --- the chain ---------------------------------------------------------------------------------
def audit_key() -> bytes:
    """The installation's audit key (``WEBFORMS_AUDIT_KEY``): never stored in the database."""
    return current_app.config["AUDIT_KEY"].encode()


def entry_hash(entry_id: int, at: dt.datetime, fields, previous_hash: str,
               key: bytes | None) -> str:
    """HMAC-SHA256 with ``key`` of the previous hash and the entry's content, in a canonical JSON
    form; with no key, the plain SHA-256 of the entries written before the trail was keyed."""
    content = [entry_id, utc_text(at), fields["user_id"], fields["user_email"],
               fields["action"], fields["target"], fields["details"], fields["address"]]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = f"{previous_hash}\n{text}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def utc_text(at: dt.datetime) -> str:
    """SQLite gives the time back without its zone (it is stored in UTC), PostgreSQL in the
    session's zone: both written the same way."""
    at = at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at.astimezone(
        dt.timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Walk:
    """How far :func:`verify` has read the chain: the last entry checked and its hash, whether
    the keyed part has begun, how many entries, and the hash of the entry the last checkpoint
    names (``anchor_id``) once met."""

    anchor_id: int | None = None
    last_id: int = 0
    last_hash: str = GENESIS
    keyed: bool = False
    count: int = 0
    anchor_hash: str | None = None

    def advance(self, row) -> None:
        self.last_id, self.last_hash, self.count = row.id, row.hash, self.count + 1
        self.keyed = self.keyed or row.action == KEYED_FROM
        if row.id == self.anchor_id:
            self.anchor_hash = row.hash


def verify() -> BrokenEntry | None:
    """The first broken entry of the chain, or None when it holds: head, key and the last
    checkpoint included."""
    return verified_walk()[0]


def verified_walk() -> tuple[BrokenEntry | None, Walk]:
    """The chain checked from its start, then against the last checkpoint."""
    try:
        anchor = last_checkpoint()
    except ValueError:
        return BrokenEntry(0, "checkpoint"), Walk()
    walk = Walk(anchor_id=anchor.last_id if anchor else None)
    with db.engine.connect() as connection:
        broken = walk_chain(connection, walk)
    return broken or anchor_problem(anchor, walk), walk


def walk_chain(connection, walk: Walk) -> BrokenEntry | None:
    """Entries appended while this reads are checked too: the entries are read first, then the
    head, and a head that moved on means more entries to read (commits happen in id order)."""
    while True:
        read_from = walk.last_id
        broken = check_entries(connection, walk)
        if broken is not None:
            return broken
        head = connection.execute(select(audit_head.c.last_id, audit_head.c.last_hash)
                                  .where(audit_head.c.id == HEAD_ID)).one_or_none()
        if head is None:
            return BrokenEntry(walk.last_id, "head")
        if head.last_id > walk.last_id > read_from:
            continue  # appended meanwhile: read on
        return head_problem(head, walk.last_id, walk.last_hash) or (
            None if walk.keyed else BrokenEntry(walk.last_id + 1, "unkeyed"))


def head_problem(head, last_id: int, last_hash: str) -> BrokenEntry | None:
    if head.last_id > last_id:
        return BrokenEntry(last_id + 1, "missing")  # the newest entries were removed
    if head.last_id < last_id:
        return BrokenEntry(head.last_id + 1, "inserted")  # beyond the end the chain recorded
    if head.last_hash != last_hash:
        return BrokenEntry(last_id, "head")
    return None


def check_entries(connection, walk: Walk) -> BrokenEntry | None:
    """Walk the entries after ``walk.last_id``: the first broken one, or None."""
    query = select(entries).order_by(entries.c.id).execution_options(yield_per=1000)
    if walk.last_id:  # from the start, every row: one numbered 0 or below was slipped in
        query = query.where(entries.c.id > walk.last_id)
    rows, key = connection.execute(query), audit_key()
    for row in rows:
        broken = entry_problem(row, walk, key)
        if broken is not None:
            rows.close()
            return broken
        walk.advance(row)
    return None


def entry_problem(row, walk: Walk, key: bytes) -> BrokenEntry | None:
    """From the entry that keyed the trail on, every hash needs the key; before it, none."""
    expected_id = walk.last_id + 1
    if row.id > expected_id:
        return BrokenEntry(expected_id, "missing")
    if row.id < expected_id:
        return BrokenEntry(row.id, "inserted")
    keyed = walk.keyed or row.action == KEYED_FROM
    if entry_hash(row.id, row.at, row._mapping, row.previous_hash,
                  key if keyed else None) != row.hash:
        return BrokenEntry(row.id, "altered")
    if row.previous_hash != walk.last_hash:
        return BrokenEntry(row.id - 1, "rehashed") if row.id > 1 else BrokenEntry(1, "unlinked")
    return None


# --- checkpoints: the head kept outside the database ---------------------------------------------
@dataclass(frozen=True)
class Checkpoint:
    """Where the chain ended when it was last verified: a line of the checkpoint file."""

    at: str
    last_id: int
    count: int
    head: str

    def body(self) -> str:
        return f"{self.at} last_id={self.last_id} count={self.count} head={self.head}"

    def line(self, key: bytes) -> str:
        return f"{self.body()} mac={checkpoint_mac(self.body(), key)}"


CHECKPOINT_LINE = re.compile(
    r"^(?P<at>\S+) last_id=(?P<last_id>\d+) count=(?P<count>\d+) head=(?P<head>[0-9a-f]{64}) "
    r"mac=(?P<mac>[0-9a-f]{64})$")


def checkpoint_mac(body: str, key: bytes) -> str:
    return hmac.new(key, f"audit-checkpoint\n{body}".encode(), hashlib.sha256).hexdigest()


def checkpoint_file() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINTS"])


def last_checkpoint() -> Checkpoint | None:
    """The file's last checkpoint, or None before the first; ValueError when that line was not
    written with the key (edited, or forged)."""
    path = checkpoint_file()
    lines = path.read_text().split("\n") if path.exists() else []
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return None
    match = CHECKPOINT_LINE.match(last.strip())
    if match is None:
        raise ValueError("unreadable audit checkpoint")
    checkpoint = Checkpoint(match["at"], int(match["last_id"]), int(match["count"]), match["head"])
    if not hmac.compare_digest(checkpoint_mac(checkpoint.body(), audit_key()), match["mac"]):
        raise ValueError("audit checkpoint not written with the audit key")
    return checkpoint


def anchor_problem(anchor: Checkpoint | None, walk: Walk) -> BrokenEntry | None:
    """The chain against the last checkpoint: shorter (truncated), or the entry it names no
    longer the same (rewritten, even with the key)."""
    if anchor is None:
        return None
    if walk.last_id < anchor.last_id or walk.count < anchor.count:
        return BrokenEntry(walk.last_id + 1, "truncated")
    if walk.anchor_hash != anchor.head:
        return BrokenEntry(anchor.last_id, "rewritten")
    return None


def checkpoint() -> tuple[BrokenEntry | None, str | None]:
    """Verify the chain and, when it holds, append a checkpoint of its head to the checkpoint
    file: (the first broken entry or None, the line appended or None)."""
    broken, walk = verified_walk()
    if broken is not None:
        return broken, None
    line = Checkpoint(utc_text(now()), walk.last_id, walk.count, walk.last_hash).line(audit_key())
    path = checkpoint_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(line + "\n")  # one short write: lines from two processes never interleave
    return None, line


def entry_count() -> int:
    return db.session.execute(select(func.count()).select_from(entries)).scalar_one()


# --- sign-in, sign-out, password and two-factor --------------------------------------------------
def _signed_in(_sender, user, authn_via=None, **_extra):
    g.audit_sign_in_recorded = True
    append("sign_in", user=user, via=list(authn_via or []))


def _failed_sign_in(_sender, user, auth_type=None, tfa=False, **_extra):
    g.audit_sign_in_recorded = True
    append("sign_in_failed", user=user, via=auth_type, second_factor=bool(tfa))


def _signed_out(_sender, user=None, **_extra):
    append("sign_out", user=user if getattr(user, "is_authenticated", False) else None)


def _password_changed(_sender, user, **_extra):
    append("password_changed", user=user)


def _password_reset_requested(_sender, user, **_extra):
    append("password_reset_requested", user=user)


def _password_reset(_sender, user, **_extra):
    append("password_reset_by_mail", user=user)


def _two_factor_code_sent(_sender, user, method=None, **_extra):
    if method in ("email", "mail"):
        append("two_factor_code_mailed", user=user)


def _two_factor_changed(_sender, user, method=None, **_extra):
    append("two_factor_changed", user=user, method=method)


def _two_factor_disabled(_sender, user, **_extra):
    append("two_factor_disabled", user=user)


def failed_sign_in_without_signal(response):
    """The library signals a wrong password or code, not an unknown e-mail or a deactivated
    account: those are recorded here, without the e-mail typed (it may be a mistyped password)."""
    if (request.endpoint != "security.login" or request.method != "POST"
            or g.get("audit_sign_in_recorded") or current_user.is_authenticated
            or response.status_code >= 400 or not request.form.get("email")
            or not request.form.get("password")):
        return response
    datastore = current_app.extensions["security"].datastore  # Flask-Security's, as configured
    account = datastore.find_user(case_insensitive=True, email=request.form["email"].strip())
    if account is None:
        append("sign_in_failed", reason="unknown_account")
    elif not account.active:
        append("sign_in_failed", user=account, reason="inactive")
    return response


def init_app(app) -> None:
    """Record sign-ins (and failures), sign-outs, password and two-factor changes, and what
    was sent by mail."""
    for signal, receiver in ((signals.user_authenticated, _signed_in),
                             (signals.user_failed_authn, _failed_sign_in),
                             (user_logged_out, _signed_out),
                             (signals.password_changed, _password_changed),
                             (signals.tf_profile_changed, _two_factor_changed),
                             (signals.tf_disabled, _two_factor_disabled),
                             (signals.reset_password_instructions_sent, _password_reset_requested),
                             (signals.password_reset, _password_reset),
                             (signals.tf_security_token_sent, _two_factor_code_sent)):
        signal.connect(receiver)  # the same receiver twice is connected once
    app.after_request(failed_sign_in_without_signal)
