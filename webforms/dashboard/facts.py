"""What the dashboard needs from a team's issued records, read once: dates, durations, the kind
of meeting, the worker's digest, the anonymous case counts (the actions are the tracker's,
webforms.actions, kept as records are issued).

Why a loader of its own: the dashboard reads hundreds of records at once, so it opens each one's
latest issued revision once (saved_records.open_pairs, the same unsealing every reading uses) and
keeps only plain facts, never names or typed text. Drafts, records in the trash, deleted or
purged ones are not read; an issued record corrected since is read as last issued, not as being
edited. The query is bounded by the period (plus a look-back to see where the first gap began)
and by the team's (and, for the regional Conferencia ampliada, its region's) records.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def load(team_id: int, region_id: int | None, since: dt.date) -> tuple[list[Facts], int]:
    """The facts of the team's issued records dated from ``since`` (the region's too for the
    Conferencia ampliada), oldest first, and how many could not be opened (purged content)."""
    conference_teams = [team_id] + ([region_id] if region_id else [])
    query = (select(Record.id, Record.team_id, Record.document_key, Record.number,
                    Record.subject_digest, Record.issued_at, RecordRevision.sealed)
             .join(RecordRevision, and_(RecordRevision.record_id == Record.id,
                                        RecordRevision.revision == Record.revision))
             .where(Record.status == ISSUED, Record.record_date >= since,
                    or_(and_(Record.team_id == team_id, Record.document_key.in_(TEAM_KINDS)),
                        and_(Record.team_id.in_(conference_teams),
                             Record.document_key == CONFERENCE))))
    facts, unreadable = [], 0
    for row in db.session.execute(query):
        try:
            values = open_pairs(row.sealed)
        except RecordUnavailable:
            unreadable += 1
            continue
        facts.append(read_facts(row, values))
    facts.sort(key=lambda item: (item.day or dt.date.min, item.issued_at or dt.datetime.min,
                                 item.record_id))
    return facts, unreadable


def read_facts(row, values: MultiDict) -> Facts:
    """The facts of one record from its sealed values (as its form would read them)."""
    kind, view = row.document_key, CONTEXTS[row.document_key]
    return Facts(
        record_id=row.id, number=row.number, kind=kind, team_id=row.team_id,
        day=date_or_none(values.get(view.date_field)),
        issued_at=row.issued_at, minutes=whole(values.get("duration_minutes")),
        extended=choice(kind, "meeting_type", values.get("meeting_type")) == EXTENDED,
        subject=row.subject_digest if kind == SUPERVISION else None,
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
