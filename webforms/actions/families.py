"""Where each form agrees actions and where it follows earlier ones up, and the words for them.

Why a table of its own: the tracker, the carry-forward and the pages all ask the same questions
(which rows of a Mesa interna are agreements? which group of a Supervisión follows them up?),
so the answers are written once. A group a form does not have (yet) is simply absent from its
data: nothing is read from it and nothing is carried into it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MEETING, SUPERVISION, TABLE, CONFERENCE = (
    "registro_reunion", "supervision_individual", "mesa_interna", "conferencia_ampliada")
MEETINGS, CONFERENCES, TABLES, SUPERVISIONS, BARRIERS = (
    "meetings", "conferences", "tables", "supervision", "barriers")
# The responsible of an action, by the row group that agreed it.
SUPERVISOR, WORKERS, CONFERENCE_ROLE, TABLE_ROLE, SUPERVISION_ROLE, UNCLASSIFIED = (
    "supervisor", "workers", "conference", "table", "supervision", "unclassified")
# An action's status: open until a follow-up (or its owner) says otherwise.
OPEN, IN_PROGRESS, NOT_DONE, DONE, CANCELLED = (
    "open", "in_progress", "not_done", "done", "cancelled")
STILL_OPEN = (OPEN, IN_PROGRESS, NOT_DONE)
CLOSED = (DONE, CANCELLED)
STATUSES = STILL_OPEN + CLOSED
# A barrier of a conference is not an action: it is kept to be counted, never open.
NOTED = "noted"


@dataclass(frozen=True)
class Family:
    """One form's actions: ``agreements`` ((row group, text field, role), ...), its follow-up
    group, the field naming the action there and the other fields of a follow-up row (for the
    rows carried into a new form); ``per_subject``: followed per subject, the record's
    ``subject_digest`` (a supervision's worker, a mesa interna's modality)."""

    name: str
    agreements: tuple[tuple[str, str, str], ...]
    follow_up: str
    follow_up_text: str
    note_field: str = "note"
    per_subject: bool = False


FAMILIES = {
    MEETING: Family(MEETINGS, (("supervisor_actions", "action", SUPERVISOR),
                               ("worker_actions", "action", WORKERS)),
                    "previous_actions", "action"),
    CONFERENCE: Family(CONFERENCES, (("action_plan", "action", CONFERENCE_ROLE),),
                       "commitments", "commitment", note_field="observation"),
    TABLE: Family(TABLES, (("agreements", "action", TABLE_ROLE),), "previous_agreements",
                  "action", per_subject=True),
    SUPERVISION: Family(SUPERVISIONS, (("agreements", "action", SUPERVISION_ROLE),),
                        "previous_agreements", "action", per_subject=True),
}
KIND_OF_FAMILY = {family.name: kind for kind, family in FAMILIES.items()}
# The Conferencia ampliada's barriers: (row group, text field).
BARRIER_ROWS = ("barriers", "barrier")

FAMILY_NAMES = {MEETINGS: _l("Registro de la reunión"), CONFERENCES: _l("Conferencia ampliada"),
                TABLES: _l("Mesa interna"), SUPERVISIONS: _l("Supervisión individual")}
ROLES = {SUPERVISOR: _l("Supervisor/a"), WORKERS: _l("Trabajadores sociales"),
         CONFERENCE_ROLE: _l("Conferencia ampliada"), TABLE_ROLE: _l("Mesa interna"),
         SUPERVISION_ROLE: _l("Supervisión individual"),
         UNCLASSIFIED: _l("Seguimiento sin acción de origen")}
STATUS_NAMES = {OPEN: _l("Sin seguimiento aún"), IN_PROGRESS: _l("En curso"),
                NOT_DONE: _l("No cumplido"), DONE: _l("Cumplido"), CANCELLED: _l("Cancelado")}
