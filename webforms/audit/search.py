"""Reading the audit trail for the auditors' page and its export (audit.views): the entries that
match the filters, counted, a page of them, or all of them a few hundred at a time."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Select, func, select

from webforms.storage.database import db
from webforms.storage.models import AuditEntry


def matching(user: str | None = None, action: str | None = None,
             start: dt.datetime | None = None, end: dt.datetime | None = None) -> Select:
    """The entries whose user's e-mail contains ``user``, of ``action``, from ``start`` and
    before ``end`` (each filter only when given)."""
    query = select(AuditEntry)
    if user:
        query = query.where(func.lower(AuditEntry.user_email).contains(
            user.lower(), autoescape=True))
    if action:
        query = query.where(AuditEntry.action == action)
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    return query


def count(query: Select) -> int:
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def page(query: Select, number: int, size: int) -> list[AuditEntry]:
    """Page ``number`` (from 1) of the entries, newest first, kept as read (a commit of the
    session afterwards, the page's own audit entry, would expire them)."""
    shown = db.session.execute(query.order_by(AuditEntry.id.desc()).offset(
        (number - 1) * size).limit(size)).scalars().all()
    for entry in shown:
        db.session.expunge(entry)
    return list(shown)


def in_order(query: Select) -> Iterator[AuditEntry]:
    """Every entry, oldest first, read 500 at a time (a long log is never held in memory)."""
    yield from db.session.execute(
        query.order_by(AuditEntry.id).execution_options(yield_per=500)).scalars()
