"""What the dashboard needs from a team's issued records, read once: dates, durations, the kind
of meeting, the worker's digest, the anonymous case counts (the actions are the tracker's,
webforms.actions, kept as records are issued).

Why a loader of its own: the dashboard reads hundreds of records at once, so it opens each one's
latest issued revision once (saved_records.open_pairs, the same unsealing every reading uses) and
keeps only plain facts, never names or typed text. Drafts, records in the trash, deleted or
purged ones are not read; an issued record corrected since is read as last issued, not as being
edited. The query is bounded by the period (plus a look-back to see where the first gap began)
and by the team's (and, for the regional Conferencia ampliada, its region's) records; the mesas
interna are also read from the teams the caller names (a team's region, where the coordinators
keep it; a region's teams).

Why a cache: unsealing and parsing is most of a five-year dashboard's cost, and an issued
revision never changes. What a record's content says (not who filed it, nor its number) is kept
in memory keyed by the form, a digest of the sealed bytes and the data keys: a corrected record
has a new revision and new bytes, a purged one has none (it is not read), a record no key opens
any more is not served from memory once the keys change. Bounded (least recently used first).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, or_, select
from werkzeug.datastructures import MultiDict

from webforms.documents.contexts import CONTEXTS
from webforms.forms.carried import date_or_none
from webforms.forms.registro import EXTENDED
from webforms.records.saved import ISSUED, RecordUnavailable, open_pairs
from webforms.storage.database import db
from webforms.storage.models import Record, RecordRevision

MEETING, SUPERVISION, TABLE, CONFERENCE = (
    "registro_reunion", "supervision_individual", "mesa_interna", "conferencia_ampliada")
TEAM_KINDS = (MEETING, SUPERVISION, TABLE)
# Records whose content facts stay in memory (a few hundred bytes each): five years of a
# region's busiest teams.
CACHED_RECORDS = 20_000


@dataclass(frozen=True)
class Facts:
    """One issued record, as the dashboard reads it."""

    record_id: int
    number: str
    kind: str
    team_id: int
    day: dt.date | None
    issued_at: dt.datetime | None
    minutes: int | None = None
    extended: bool = False
    subject: str | None = None
    counts: tuple[int, int, int] | None = None
    modality: str | None = None  # a mesa interna's modality


def load(team_id: int, region_id: int | None, since: dt.date,
         tables_of: Iterable[int] = ()) -> tuple[list[Facts], int]:
    """The facts of the team's issued records dated from ``since`` (the region's too for the
    Conferencia ampliada, and the mesas interna of the teams ``tables_of``), oldest first, and
    how many could not be opened (purged content)."""
    conference_teams = [team_id] + ([region_id] if region_id else [])
    table_teams = sorted(set(tables_of) - {team_id})
    query = (select(Record.id, Record.team_id, Record.document_key, Record.number,
                    Record.subject_digest, Record.issued_at, RecordRevision.sealed)
             .join(RecordRevision, and_(RecordRevision.record_id == Record.id,
                                        RecordRevision.revision == Record.revision))
             .where(Record.status == ISSUED, Record.record_date >= since,
                    or_(and_(Record.team_id == team_id, Record.document_key.in_(TEAM_KINDS)),
                        and_(Record.team_id.in_(conference_teams),
                             Record.document_key == CONFERENCE),
                        and_(Record.team_id.in_(table_teams), Record.document_key == TABLE))))
    facts, unreadable, keys = [], 0, data_keys()
    for row in db.session.execute(query):
        try:
            content = content_facts(row.document_key, sealed_digest(row.sealed), keys,
                                    row.sealed)
        except RecordUnavailable:
            unreadable += 1
            continue
        facts.append(Facts(record_id=row.id, number=row.number, team_id=row.team_id,
                           issued_at=row.issued_at,
                           subject=row.subject_digest if row.document_key == SUPERVISION
                           else None, **content))
    facts.sort(key=lambda item: (item.day or dt.date.min, item.issued_at or dt.datetime.min,
                                 item.record_id))
    return facts, unreadable


def data_keys() -> tuple[str, ...]:
    """The keys the content is opened with (part of the cache's key)."""
    config = current_app.config
    return (config["DATA_KEY"], *config.get("OLD_DATA_KEYS", ()))


def sealed_digest(sealed: bytes | None) -> bytes | None:
    return None if sealed is None else hashlib.blake2b(sealed, digest_size=20).digest()


def content_facts(kind: str, digest: bytes | None, keys: tuple[str, ...],
                  sealed: bytes | None) -> dict:
    """What the content of a record of ``kind`` says (cached by digest and keys; ``sealed`` is
    read on a miss only). Raises RecordUnavailable when it cannot be opened (never cached)."""
    if digest is None:
        raise RecordUnavailable("the content of this record was purged")
    return dict(_content_facts(kind, digest, keys, Sealed(sealed)))


class Sealed:
    """The sealed bytes, carried to the cached reader but left out of its key (the digest is)."""

    __slots__ = ("value",)

    def __init__(self, value: bytes | None):
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return isinstance(other, Sealed)


@lru_cache(maxsize=CACHED_RECORDS)
def _content_facts(kind: str, _digest: bytes, _keys: tuple[str, ...],
                   sealed: Sealed) -> tuple[tuple[str, object], ...]:
    return tuple(content_of(kind, open_pairs(sealed.value)).items())


def read_facts(row, values: MultiDict) -> Facts:
    """The facts of one record from its sealed values (as its form would read them)."""
    return Facts(record_id=row.id, number=row.number, team_id=row.team_id,
                 issued_at=row.issued_at,
                 subject=row.subject_digest if row.document_key == SUPERVISION else None,
                 **content_of(row.document_key, values))


def content_of(kind: str, values: MultiDict) -> dict:
    """The facts the content of a record of ``kind`` holds (nothing of who filed it)."""
    view = CONTEXTS[kind]
    return dict(
        kind=kind, day=date_or_none(values.get(view.date_field)),
        minutes=whole(values.get("duration_minutes")),
        extended=choice(kind, "meeting_type", values.get("meeting_type")) == EXTENDED,
        counts=case_counts(values) if kind == MEETING else None,
        modality=choice(kind, "modality", values.get("modality")) if kind == TABLE else None)


def choice(kind: str, path: str, value):
    """A choice's value under today's name (records issued before a rename, see the view)."""
    return CONTEXTS[kind].former_values.get(path, {}).get(value, value)


def whole(text) -> int | None:
    text = (text or "").strip() if isinstance(text, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def case_counts(values: MultiDict) -> tuple[int, int, int] | None:
    counts = tuple(whole(values.get(name)) for name in
                   ("open_cases", "high_risk_cases", "medium_risk_cases"))
    return None if None in counts else counts
