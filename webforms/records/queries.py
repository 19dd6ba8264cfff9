"""Reading the team's records for pages: the list with its filters, a record's revisions.

Only what the database shows without opening a record's content (form, team, status, number,
dates, author), so a list of thousands of records costs one indexed query a page and one count,
and no record is ever decrypted to be listed. The filters come from a query string anyone can
type: a value that does not make sense is ignored (the list shows more, never an error page), and
every value is bounded in length before it reaches the database.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import defer, joinedload

from webforms.common.catalogue import catalogue_for_pages
from webforms.extensions import interface_language
from webforms.forms import FORMS
from webforms.records.need_to_know import changeable_by, reach_of, readable_by
from webforms.records.saved import ANNULLED, DRAFT, ISSUED, TRASH
from webforms.storage.database import db
from webforms.storage.models import Record, RecordRevision, Team, User

PER_PAGE = 25
MAX_PAGE = 1_000_000
MAX_ARG_LENGTH = 80  # longer than any form key, date, id or number: anything longer is noise
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
LISTED_BY_DEFAULT = (DRAFT, ISSUED, ANNULLED)  # the trash only when asked for
STATUS_LABELS = {DRAFT: _l("Borrador"), ISSUED: _l("Emitido"), ANNULLED: _l("Anulado"),
                 TRASH: _l("En la papelera")}


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to, as read from the query string (names in Spanish, as the
    page's URL shows them). Empty values mean "any"."""

    document_key: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = ""
    author_id: int | None = None
    number: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def bounded(name: str) -> str:
            value = args.get(name) or ""
            return value.strip() if len(value) <= MAX_ARG_LENGTH else ""

        return cls(document_key=one_of(bounded("formulario"), FORMS),
                   start=parsed_date(bounded("desde")), end=parsed_date(bounded("hasta")),
                   status=one_of(bounded("estado"), STATUS_LABELS),
                   author_id=positive_int(bounded("autor")),
                   number=" ".join(bounded("numero").split()),
                   page=min(positive_int(bounded("pagina")) or 1, MAX_PAGE))

    def as_args(self) -> dict[str, str]:
        """The filters in use, as the query string writes them (for links that keep them); the
        page is left out, each link says its own."""
        values = {"formulario": self.document_key,
                  "desde": self.start.isoformat() if self.start else "",
                  "hasta": self.end.isoformat() if self.end else "", "estado": self.status,
                  "autor": str(self.author_id) if self.author_id else "", "numero": self.number}
        return {name: value for name, value in values.items() if value}

    @property
    def statuses(self) -> tuple[str, ...]:
        return (self.status,) if self.status else LISTED_BY_DEFAULT


def one_of(value: str, allowed) -> str:
    return value if value in allowed else ""


def parsed_date(text: str) -> dt.date | None:
    """A date of the years a record may carry; anything else (a typo, year 1 or 9999, whose
    day after or time zone shift would overflow) is no filter."""
    try:
        day = dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day and EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def positive_int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 2**31 else None


@dataclass(frozen=True)
class Page:
    """One page of the list: its records, and where it stands among all that match."""

    items: list[Record] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    per_page: int = PER_PAGE

    @property
    def first(self) -> int:
        """The position of the page's first record among all (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the interface's time zone, in UTC (as the dates are kept)."""
    return get_timezone().localize(dt.datetime.combine(day, dt.time())).astimezone(
        dt.timezone.utc)


def date_conditions(filters: Filters) -> list:
    """The record's date (the meeting's or session's), or for a record without one the day it
    was last changed, within the range."""
    conditions = []
    if filters.start:
        conditions.append(or_(Record.record_date >= filters.start, and_(
            Record.record_date.is_(None), Record.updated_at >= local_midnight(filters.start))))
    if filters.end:
        next_day = local_midnight(filters.end + dt.timedelta(days=1))
        conditions.append(or_(Record.record_date <= filters.end, and_(
            Record.record_date.is_(None), Record.updated_at < next_day)))
    return conditions


def conditions_for(user, filters: Filters) -> list:
    """The WHERE of the list: the records the user may read (records.need_to_know), then
    each filter in use."""
    conditions = [readable_by(user),
                  Record.status.in_(filters.statuses), *date_conditions(filters)]
    if filters.document_key:
        conditions.append(Record.document_key == filters.document_key)
    if filters.author_id:
        conditions.append(Record.updated_by == filters.author_id)
    if filters.number:
        conditions.append(func.lower(Record.number).contains(filters.number.lower(),
                                                             autoescape=True))
    return conditions


def listing(user, filters: Filters) -> Page:
    """The page of records ``user`` may read that match ``filters``, last changed first: one
    query for the page (team and author joined, the sealed content not even read) and one count.
    A page past the end shows the last one."""
    conditions = conditions_for(user, filters)
    total = db.session.scalar(select(func.count(Record.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    if not total:
        return Page(total=0, page=1, pages=1)
    items = db.session.scalars(listed_records(conditions).offset(
        (page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return Page(items=list(items), total=total, page=page, pages=pages)


def listed_records(conditions: list):
    """The SELECT of a page: the columns the list shows, the team's name and the author's
    e-mail joined in, nothing else loaded (no content, no roles, no teams of the author)."""
    return (select(Record).where(*conditions)
            .options(defer(Record.sealed), joinedload(Record.team).load_only(Team.name),
                     joinedload(Record.author).load_only(User.email).lazyload("*"))
            .order_by(Record.updated_at.desc(), Record.id.desc()))


def filter_choices(user) -> dict[str, list[tuple[str, str]]]:
    """The options of the list's filters: the forms of the catalogue whose records the user
    may read (by title), the statuses in words, and the people who last changed a record the
    user may read."""
    reach = reach_of(user)
    documents = sorted(((document.key, document.localized(interface_language()).title)
                        for document in catalogue_for_pages()
                        if document.key in FORMS and document.key in reach.readable_forms),
                       key=lambda choice: choice[1].casefold())
    return {"documents": documents,
            "statuses": [(status, str(label)) for status, label in STATUS_LABELS.items()],
            "authors": authors_of(reach.readable())}


def authors_of(readable) -> list[tuple[str, str]]:
    """(id, e-mail) of everyone who last changed a record matching ``readable`` (a WHERE of
    records.need_to_know), by e-mail: each account probed once through the index on the author
    (far cheaper than a DISTINCT over all the records once a team has thousands)."""
    changed_one = exists().where(Record.updated_by == User.id, readable)
    rows = db.session.execute(select(User.id, User.email).where(changed_one)
                              .order_by(User.email))
    return [(str(user_id), email) for user_id, email in rows]


@dataclass(frozen=True)
class NextSteps:
    """What the home page proposes to a user: the records waiting for them (drafts, and issued
    records changed since, to issue again) and the records of theirs issued last."""

    to_finish: list[Record]
    recently_issued: list[Record]


def next_steps(user, limit: int = 5) -> NextSteps:
    """The latest ``limit`` records ``user`` may change that wait to be (re)issued, and the
    latest ``limit`` issued records they may read: two small indexed queries, no content read."""
    waiting = or_(Record.status == DRAFT,
                  and_(Record.status == ISSUED, Record.changed_since_issue.is_(True)))
    to_finish = db.session.scalars(listed_records([changeable_by(user), waiting]).limit(limit))
    issued = db.session.scalars(listed_records(
        [readable_by(user), Record.status == ISSUED]).limit(limit))
    return NextSteps(to_finish=list(to_finish), recently_issued=list(issued))


@dataclass(frozen=True)
class IssuedRevision:
    """One issued revision as the record's page shows it: when (a moment, to show in the
    reader's time zone), with which template version and language, and whether it is the one in
    force or was superseded by a later one."""

    revision: int
    number: str
    issued_at: dt.datetime
    template_version: int
    language: str
    current: bool
    issued_by: str | None = None  # the e-mail of who issued it (None once the account is gone)


def revisions(record: Record) -> list[IssuedRevision]:
    """The record's issued revisions, newest first (all but the latest are *superseded*)."""
    kept = db.session.scalars(select(RecordRevision).where(
        RecordRevision.record_id == record.id).options(defer(RecordRevision.sealed))
        .order_by(RecordRevision.revision.desc()))
    issuers = dict(db.session.execute(select(User.id, User.email).where(
        User.id.in_(select(RecordRevision.issued_by).where(
            RecordRevision.record_id == record.id)))).all())
    return [IssuedRevision(revision=row.revision, number=row.number,
                           issued_at=dt.datetime.fromisoformat(row.issued_at),
                           template_version=row.template_version, language=row.language,
                           current=row.revision == record.revision,
                           issued_by=issuers.get(row.issued_by)) for row in kept]
