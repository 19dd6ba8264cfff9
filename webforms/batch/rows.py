"""What became of each row of a batch, kept beyond its job: the batch's history and report.

An uploaded spreadsheet is a :class:`Batch` of a team (its file name sealed) and one
:class:`BatchRow` per row: issued (a record and its number, or a revision of one), or left out and
why. The upload's check tells the rows whose person already has a document of that form in the
team (its issued records, compared by ``records.subject_digest``, a keyed hash of the person that
nothing typed is read to compare) or appears earlier in the same file; the user then chooses to
skip them (the default) or to issue a new revision of that person's record. Rows hold numbers and
reasons only, never what was typed. Nothing here commits: the request or the task does.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask_babel import gettext as _
from sqlalchemy import select

from webforms.batch import spreadsheet as batch
from webforms.jobs import service as jobs
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import Batch, BatchRow, Job, Record, Team

# A row's outcome. Waiting for the consumer: PENDING, DUPLICATE (its person has a record:
# ``record_id``, ``number``). Issued: ISSUED, REVISED. Left out: INVALID (the upload's check),
# REPEATED (its person is on an earlier row, ``same_as``), SKIPPED (a duplicate the user chose to
# skip), REFUSED (the form no longer accepted it at its turn).
PENDING, DUPLICATE, ISSUED, REVISED = "pending", "duplicate", "issued", "revised"
INVALID, REPEATED, SKIPPED, REFUSED = "invalid", "repeated", "skipped", "refused"
ISSUED_AS = (ISSUED, REVISED)
LEFT_OUT = (INVALID, REPEATED, SKIPPED, REFUSED)
OUTPUTS = ("docx", "pdf", "both")
SKIP, REVISE = "skip", "revise"
DIGESTS_AT_ONCE = 500  # values of one IN (...) query


def person_of(document_key: str):
    """The key of the person a row's form is for (records.saved.subject_digest)."""
    return lambda form: saved_records.subject_digest(document_key, form)


def keep_batch(job: Job, team: Team, name: str, output: str, checked: batch.CheckedRows
               ) -> Batch:
    """The history of a batch just checked, and its rows: invalid, pending, or the same person
    as a document of the team or an earlier row (the request commits them)."""
    valid = _valid_rows(job, team, checked)
    kept = Batch(id=job.id, team_id=team.id, owner_id=job.owner_id,
                 document_key=job.document_key, output=output, duplicates=SKIP,
                 rows=checked.total)
    kept.name = name[:255]
    db.session.add(kept)
    db.session.add_all(BatchRow(batch_id=job.id, row=row, outcome=INVALID)
                       for row in checked.invalid_rows)
    db.session.add_all(valid)
    db.session.flush()
    return kept


def _valid_rows(job: Job, team: Team, checked: batch.CheckedRows) -> list[BatchRow]:
    held = issued_to(team, job.document_key, set(checked.identities.values()))
    first_row: dict[str, int] = {}
    rows = []
    for number in checked.valid:
        person = checked.identities.get(number)
        row = BatchRow(batch_id=job.id, row=number, outcome=PENDING)
        if person in first_row:
            row.outcome, row.same_as = REPEATED, first_row[person]
        elif person in held:
            row.outcome, (row.record_id, row.number) = DUPLICATE, held[person]
        if person:
            first_row.setdefault(person, number)
        rows.append(row)
    return rows


def issued_to(team: Team, document_key: str, people: set[str]) -> dict[str, tuple[int, str]]:
    """(record id, number) of the team's latest issued record of the form for each of
    ``people`` (keys of :func:`person_of`) that has one."""
    saved_records.fill_missing_digests(team, document_key)
    people, held = sorted(people), {}
    for start in range(0, len(people), DIGESTS_AT_ONCE):
        found = db.session.execute(select(Record.subject_digest, Record.id, Record.number).where(
            Record.team_id == team.id, Record.document_key == document_key,
            Record.status == saved_records.ISSUED,
            Record.subject_digest.in_(people[start:start + DIGESTS_AT_ONCE]))
            .order_by(Record.issued_at))
        held |= {digest: (record_id, number) for digest, record_id, number in found}
    return held


def batch_of(job: Job) -> Batch | None:
    return db.session.get(Batch, job.id)


def rows_of(job_id: str) -> list[BatchRow]:
    return list(db.session.scalars(select(BatchRow).where(BatchRow.batch_id == job_id)
                                   .order_by(BatchRow.row)))


def waiting(rows: list[BatchRow]) -> list[BatchRow]:
    """The rows whose person already has a document, or is on an earlier row."""
    return [row for row in rows if row.outcome in (DUPLICATE, REPEATED)]


def issued_count(rows: list[BatchRow]) -> int:
    return sum(row.outcome in ISSUED_AS for row in rows)


def reason(row: BatchRow) -> str:
    """What became of a row, in the user's words."""
    texts = {
        ISSUED: lambda: _("Emitido"),
        REVISED: lambda: _("Revisión %(revision)d del documento ya emitido",
                           revision=row.revision or 0),
        INVALID: lambda: _("No generada: la fila tiene problemas"),
        REPEATED: lambda: _("No generada: la misma persona que la fila %(row)d",
                            row=row.same_as or 0),
        SKIPPED: lambda: _("No generada: la persona ya tiene el documento %(number)s",
                           number=row.number or ""),
        REFUSED: lambda: _("No generada: el formulario cambió y ya no acepta la fila"),
        DUPLICATE: lambda: _("La persona ya tiene el documento %(number)s",
                             number=row.number or ""),
    }
    return texts.get(row.outcome, lambda: _("Pendiente"))()


def report_csv(rows: list[BatchRow]) -> bytes:
    """``informe.csv`` of a batch's ZIP: every row, its number or why it was left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Fila"), _("Número"), _("Revisión"), _("Resultado")])
    for row in rows:
        issued = row.outcome in ISSUED_AS
        writer.writerow([row.row, row.number if issued else "",
                         row.revision if issued else "", reason(row)])
    return buffer.getvalue().encode("utf-8-sig")  # Excel then shows accents correctly


def history(user, document_key: str) -> list[tuple[Batch, list[BatchRow], Job | None]]:
    """The batches of the form in ``user``'s teams, newest first, with their rows and their job
    while it is kept."""
    team_ids = [team.id for team in getattr(user, "teams", ())]
    batches = db.session.scalars(select(Batch).where(
        Batch.team_id.in_(team_ids), Batch.document_key == document_key)
        .order_by(Batch.created_at.desc()))
    return [(kept, rows_of(kept.id), db.session.get(Job, kept.id)) for kept in batches]


def kept_until(job: Job | None) -> dt.datetime | None:
    """When a finished batch's ZIP is removed (jobs.service.expire)."""
    if job is None or job.state != jobs.DONE:
        return None
    return job.updated_at + jobs.results_kept_for()


def may_open(job: Job, user) -> bool:
    """A batch's job is its owner's, and its team's members' (who hold the form's roles, as its
    routes check): its documents are team records."""
    if jobs.visible_to(job, user):
        return True
    kept = batch_of(job)
    return kept is not None and kept.team_id in {team.id for team in getattr(user, "teams", ())}
