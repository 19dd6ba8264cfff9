"""The audit trail: who did what, when and from where, in one append-only, hash-chained table.

Why a chain: the table lives in the database the application writes, so whoever can open that
database could rewrite history. Each entry's hash covers its own content and the hash of the
entry before it, so a row edited, removed or slipped in by hand breaks the chain from that point,
and :func:`verify` names the first broken entry. Ids are consecutive (each append takes the next
one), so a gap is a removed entry; the one-row head (``audit_head``) keeps the last id and hash,
so removing the newest entries is noticed too. Someone able to recompute every hash *and* the
head could still forge a consistent chain: the CSV export carries the hashes, so a copy kept
elsewhere pins the chain down to the time it was taken.

Why the head row is also the lock: appends must happen strictly one after another across
gunicorn workers and servers, or two entries would claim the same predecessor. Every append
begins with ``UPDATE audit_head SET last_id = last_id + 1 ... RETURNING``. On PostgreSQL that
row stays locked until the commit, so the next writer waits and then reads the new head (READ
COMMITTED re-reads a row updated meanwhile). On SQLite a transaction whose first statement is a
write holds the database's write lock until it ends, so the next writer waits (busy_timeout)
without having read a stale head. One statement, the same on both databases.

What is never kept: the content of a form or a record. Entries hold ids (document numbers,
template codes, accounts acted upon, job ids) and short facts (a version, a language, a count);
:func:`record` refuses details longer than an id list would be.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, replace

from flask import g, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_security import current_user
from sqlalchemy import CheckConstraint, Column, Integer, String, Table, func, insert, select, update

from ..storage.database import db
from ..storage.models import AuditEntry

GENESIS = "0" * 64  # the "previous hash" of the first entry
HEAD_ID = 1
MAX_DETAILS_CHARS = 2000  # ids and counts fit easily; a typed text would not be an id

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
    "document_issued": _l("Documento emitido"),
    "document_reproduced": _l("Documento reproducido"),
    "record_viewed": _l("Registro consultado"),
    "record_downloaded": _l("Registro descargado"),
    "record_edited": _l("Registro editado"),
    "record_deleted": _l("Registro eliminado"),
    "record_restored": _l("Registro restaurado"),
    "record_duplicated": _l("Registro duplicado"),
    "template_version_added": _l("Nueva versión de plantilla"),
    "batch_started": _l("Lote iniciado"),
    "batch_finished": _l("Lote terminado"),
    "batch_row_left_out": _l("Fila de un lote no generada"),
    "batch_failed": _l("Lote fallido"),
    "batch_downloaded": _l("Lote descargado"),
    "job_downloaded": _l("Archivo de un trabajo descargado"),
    "purge": _l("Depuración de datos"),
    "data_key_rotated": _l("Rotación de la clave de datos"),
    "audit_exported": _l("Registro de auditoría exportado"),
    "dashboard_viewed": _l("Panel del equipo consultado"),
    "dashboard_exported": _l("Panel del equipo exportado"),
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
    ``head`` (the chain's head does not match the last entry)."""

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
def record(action: str, target=None, *, user=None, **details) -> int:
    """Append an entry: ``action`` (one of ACTIONS) on ``target`` (an id), with ``details``
    (ids and short facts only, never typed content). ``user`` names the account concerned when
    it is not the signed-in one (a sign-in, a failed sign-in).

    The entry is added to the current database session and committed with it: call this once
    the action is done, so the action and its entry are kept (or, on a failure, rolled back)
    together. Not inside another connection's write (``DocumentRegister.reserve``): on SQLite it
    would wait for that write to end. Returns the entry's id."""
    return record_each(action, [(target, details)], user=user)[0]


def record_each(action: str, items, *, user=None) -> list[int]:
    """:func:`record` of one entry per ``(target, details)`` of ``items``, committed together (a
    batch's documents numbered in one transaction). Returns the entries' ids."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to ACTIONS")
    actor = current_actor()
    if user is not None:
        actor = replace(actor, user_id=user.id, email=user.email)
    extra = g.get("audit_details") if has_app_context() else None
    try:
        entry_ids = append_all([entry_fields(actor, action, target, {**(extra or {}), **details})
                                for target, details in items])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entry_ids


def entry_fields(actor: Actor, action: str, target, details: dict) -> dict:
    return {"user_id": actor.user_id, "user_email": clip(actor.email, 255), "action": action,
            "target": clip(None if target is None else str(target), 255),
            "details": plain_details(details), "address": clip(actor.address, 64)}


def append_all(entries_fields: list[dict]) -> list[int]:
    """Take the next ids under the head's lock, chain each entry to the one before, move the
    head: three statements however many entries. The first statement is the head's UPDATE: see
    the module docstring for why."""
    count = len(entries_fields)
    head = db.session.execute(
        update(audit_head).where(audit_head.c.id == HEAD_ID)
        .values(last_id=audit_head.c.last_id + count)
        .returning(audit_head.c.last_id, audit_head.c.last_hash)).one_or_none()
    if head is None:
        raise RuntimeError("the audit chain has no head row: run `flask --app wsgi db upgrade`")
    last_id, previous_hash = head
    at, rows = now(), []
    for entry_id, fields in enumerate(entries_fields, start=last_id - count + 1):
        digest = entry_hash(entry_id, at, fields, previous_hash)
        rows.append({"id": entry_id, "at": at, "previous_hash": previous_hash, "hash": digest,
                     **fields})
        previous_hash = digest
    db.session.execute(insert(entries), rows)
    db.session.execute(update(audit_head).where(audit_head.c.id == HEAD_ID)
                       .values(last_hash=previous_hash))
    return [row["id"] for row in rows]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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
def entry_hash(entry_id: int, at: dt.datetime, fields, previous_hash: str) -> str:
    """SHA-256 of the previous hash and the entry's content, in a canonical JSON form."""
    content = [entry_id, utc_text(at), fields["user_id"], fields["user_email"],
               fields["action"], fields["target"], fields["details"], fields["address"]]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}\n{text}".encode()).hexdigest()


def utc_text(at: dt.datetime) -> str:
    """SQLite gives the time back without its zone (it is stored in UTC), PostgreSQL in the
    session's zone: both written the same way."""
    at = at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at.astimezone(
        dt.timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def verify() -> BrokenEntry | None:
    """The first broken entry of the chain, or None when it holds, head included.

    Entries appended while this reads are checked too: the entries are read first, then the
    head, and a head that moved on means more entries to read (commits happen in id order)."""
    with db.engine.connect() as connection:
        last_id, last_hash = 0, GENESIS
        while True:
            broken, checked_id, last_hash = check_entries(connection, last_id, last_hash)
            if broken is not None:
                return broken
            head = connection.execute(select(audit_head.c.last_id, audit_head.c.last_hash)
                                      .where(audit_head.c.id == HEAD_ID)).one_or_none()
            if head is None:
                return BrokenEntry(checked_id, "head")
            if head.last_id > checked_id and checked_id > last_id:
                last_id = checked_id  # appended meanwhile: read on
                continue
            return head_problem(head, checked_id, last_hash)


def head_problem(head, last_id: int, last_hash: str) -> BrokenEntry | None:
    if head.last_id > last_id:
        return BrokenEntry(last_id + 1, "missing")  # the newest entries were removed
    if head.last_id < last_id:
        return BrokenEntry(head.last_id + 1, "inserted")  # beyond the end the chain recorded
    if head.last_hash != last_hash:
        return BrokenEntry(last_id, "head")
    return None


def check_entries(connection, after_id: int, previous_hash: str):
    """Walk the entries after ``after_id``: (first broken entry or None, last id, last hash)."""
    query = select(entries).order_by(entries.c.id).execution_options(yield_per=1000)
    if after_id:  # from the start, every row: one numbered 0 or below was slipped in
        query = query.where(entries.c.id > after_id)
    rows = connection.execute(query)
    expected = after_id + 1
    for row in rows:
        broken = entry_problem(row, expected, previous_hash)
        if broken is not None:
            rows.close()
            return broken, expected - 1, previous_hash
        expected, previous_hash = row.id + 1, row.hash
    return None, expected - 1, previous_hash


def entry_problem(row, expected_id: int, previous_hash: str) -> BrokenEntry | None:
    if row.id > expected_id:
        return BrokenEntry(expected_id, "missing")
    if row.id < expected_id:
        return BrokenEntry(row.id, "inserted")
    if entry_hash(row.id, row.at, row._mapping, row.previous_hash) != row.hash:
        return BrokenEntry(row.id, "altered")
    if row.previous_hash != previous_hash:
        return BrokenEntry(row.id - 1, "rehashed") if row.id > 1 else BrokenEntry(1, "unlinked")
    return None


def entry_count() -> int:
    return db.session.execute(select(func.count()).select_from(entries)).scalar_one()


# --- sign-in, sign-out, password and two-factor --------------------------------------------------
def _signed_in(_sender, user, authn_via=None, **_extra):
    g.audit_sign_in_recorded = True
    record("sign_in", user=user, via=list(authn_via or []))


def _failed_sign_in(_sender, user, auth_type=None, tfa=False, **_extra):
    g.audit_sign_in_recorded = True
    record("sign_in_failed", user=user, via=auth_type, second_factor=bool(tfa))


def _signed_out(_sender, user=None, **_extra):
    record("sign_out", user=user if getattr(user, "is_authenticated", False) else None)


def _password_changed(_sender, user, **_extra):
    record("password_changed", user=user)


def _two_factor_changed(_sender, user, method=None, **_extra):
    record("two_factor_changed", user=user, method=method)


def _two_factor_disabled(_sender, user, **_extra):
    record("two_factor_disabled", user=user)


def failed_sign_in_without_signal(response):
    """The library signals a wrong password or code, not an unknown e-mail or a deactivated
    account: those are recorded here, without the e-mail typed (it may be a mistyped password)."""
    if (request.endpoint != "security.login" or request.method != "POST"
            or g.get("audit_sign_in_recorded") or current_user.is_authenticated
            or response.status_code >= 400 or not request.form.get("email")
            or not request.form.get("password")):
        return response
    from ..extensions import security

    account = security.datastore.find_user(case_insensitive=True,
                                           email=request.form["email"].strip())
    if account is None:
        record("sign_in_failed", reason="unknown_account")
    elif not account.active:
        record("sign_in_failed", user=account, reason="inactive")
    return response


def init_app(app) -> None:
    """Record sign-ins (and failures), sign-outs, password and two-factor changes."""
    from flask_login import user_logged_out
    from flask_security import signals

    for signal, receiver in ((signals.user_authenticated, _signed_in),
                             (signals.user_failed_authn, _failed_sign_in),
                             (user_logged_out, _signed_out),
                             (signals.password_changed, _password_changed),
                             (signals.tf_profile_changed, _two_factor_changed),
                             (signals.tf_disabled, _two_factor_disabled)):
        signal.connect(receiver)  # the same receiver twice is connected once
    app.after_request(failed_sign_in_without_signal)
