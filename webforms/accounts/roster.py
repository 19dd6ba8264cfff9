"""A team's roster: the staff who work in it (name, role, modality, the dates they joined and
left), kept by the team's supervisors and by administrators. Staff only, never a child or a
family.

Why a roster: the dashboard only knew the workers who already had an individual supervision, so
a worker never supervised was invisible, and one who had left stayed "overdue" forever. With the
roster it counts supervision per worker, flags the never-supervised, drops those who left and
compares the supervisors with the workers (the guidance's 1 to 5–6). The form pages offer the
roster's names for the Registro's attendance and the supervision's worker.

Why a digest beside the sealed name: a name is protected at rest (sealed under its own purpose,
like an annulment's reason); ``name_digest`` is the keyed hash a supervision keeps of its worker
(storage.sealing.person_digest), so a worker is matched with the sessions about them without
opening a record or a name. Every change is audited with ids and keys, never the name.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webforms.accounts.teams import MODALITIES
from webforms.audit import trail as audit
from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.models import RosterWorker, Team
from webforms.storage.sealing import person_digest, sealer

SEALED_AS = "roster"  # the purpose the names are sealed with (models.RosterWorker)
MAX_NAME = 120
SOCIAL_WORKER, CASE_MANAGER, SUPERVISOR = "trabajador_social", "gestor_caso", "supervisor"
# The roles of the seeds: the social workers of the Registro and the supervision, the case
# managers of the G34.P guide, and the supervisors who see them.
ROLES = {SOCIAL_WORKER: _l("Trabajador/a social"), CASE_MANAGER: _l("Gestor/a de caso"),
         SUPERVISOR: _l("Supervisor/a")}
SUPERVISED = (SOCIAL_WORKER, CASE_MANAGER)  # the roles individual supervision is for
# "Proporción sugerida: 1 Supervisor: De 5 a 6 trabajadores sociales" (supervision-functions).
MOST_WORKERS_PER_SUPERVISOR = 6
KEEPING_ROLES = ("admin", "supervisor")


class RosterError(ValueError):
    """The change cannot be made as asked; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Entry:
    """What a roster change sets: checked by :func:`checked` before anything is touched."""

    name: str
    role: str
    start_date: dt.date
    modality: str | None = None
    end_date: dt.date | None = None


# --- who ----------------------------------------------------------------------------------------
def may_keep(user, team: Team) -> bool:
    """Administrators keep every team's roster; a supervisor the active teams they belong to."""
    if user.has_role("admin"):
        return True
    return user.has_role("supervisor") and team.active and team in user.teams


# --- reading ------------------------------------------------------------------------------------
def workers_of(team_id: int) -> list[RosterWorker]:
    """Everyone ever on the team's roster: the current first, then by name."""
    rows = db.session.scalars(select(RosterWorker).where(RosterWorker.team_id == team_id))
    return sorted(rows, key=lambda worker: (worker.end_date is not None,
                                            (worker.name or "").casefold()))


def is_current(worker: RosterWorker, today: dt.date) -> bool:
    """On the team today: started, and not yet left (the end date is their last day)."""
    return worker.start_date <= today and (worker.end_date is None or worker.end_date >= today)


def current(workers: list[RosterWorker], today: dt.date, roles=SUPERVISED) -> list[RosterWorker]:
    return [worker for worker in workers if worker.role in roles and is_current(worker, today)]


def ids_by_digest(team_id: int) -> dict[str, int]:
    """The team's roster workers by the digest of their name (spaces and letter case aside:
    nothing unsealed); the latest added when two share a name. One query for a whole record."""
    return dict(db.session.execute(select(RosterWorker.name_digest, RosterWorker.id).where(
        RosterWorker.team_id == team_id).order_by(RosterWorker.id)).all())


def id_named(named: dict[str, int], name: str | None) -> int | None:
    """The id in ``named`` (:func:`ids_by_digest`) of the worker called ``name``, or None."""
    digest = person_digest(name)
    return named.get(digest) if digest is not None else None


def names_offered(team_id: int, today: dt.date) -> list[str]:
    """The names a form page offers for its workers: the team's current supervised staff."""
    return sorted((worker.name for worker in current(workers_of(team_id), today) if worker.name),
                  key=str.casefold)


def role_label(key: str) -> str:
    return str(ROLES.get(key, key))


# --- changes ------------------------------------------------------------------------------------
def checked(team_id: int, entry: Entry, worker: RosterWorker | None = None) -> Entry:
    """``entry`` cleaned; refused (RosterError) when it cannot be kept as asked."""
    name = " ".join((entry.name or "").split())
    if not name:
        raise RosterError(_("Escriba el nombre."))
    if len(name) > MAX_NAME:
        raise RosterError(_("El nombre no puede tener más de %(num)d caracteres.", num=MAX_NAME))
    if entry.role not in ROLES:
        raise RosterError(_("Elija un rol de la lista."))
    if entry.modality and entry.modality not in MODALITIES:
        raise RosterError(_("Elija una modalidad de la lista."))
    if entry.end_date and entry.end_date < entry.start_date:
        raise RosterError(_("La fecha de salida no puede ser anterior a la de ingreso."))
    digest = person_digest(name)
    if any(other.name_digest == digest and other is not worker and other.end_date is None
           for other in workers_of(team_id)) and entry.end_date is None:
        raise RosterError(_("«%(name)s» ya figura en la plantilla del equipo.", name=name))
    return Entry(name, entry.role, entry.start_date, entry.modality or None, entry.end_date)


def add(team: Team, entry: Entry, user) -> RosterWorker:
    """Put a worker on ``team``'s roster, as ``user``; audited without the name."""
    entry = checked(team.id, entry)
    worker = RosterWorker(team_id=team.id, created_by=user.id)
    fill(worker, entry, user)
    db.session.add(worker)
    db.session.flush()
    audit.append("roster_changed", target=team.id, worker=worker.id, change="added",
                 role=worker.role, modality=worker.modality)
    return worker


def change(worker: RosterWorker, entry: Entry, user) -> None:
    """Change a worker (an end date: they left), as ``user``; audited with what changed (keys,
    never the name)."""
    entry = checked(worker.team_id, entry, worker)
    before = snapshot(worker)
    fill(worker, entry, user)
    db.session.flush()
    changed = sorted(key for key, value in snapshot(worker).items() if before[key] != value)
    if changed:
        audit.append("roster_changed", target=worker.team_id, worker=worker.id,
                     change="left" if "end_date" in changed and worker.end_date else "changed",
                     fields=changed, role=worker.role, modality=worker.modality)


def fill(worker: RosterWorker, entry: Entry, user) -> None:
    worker.name, worker.name_digest = entry.name, person_digest(entry.name)
    worker.role, worker.modality = entry.role, entry.modality
    worker.start_date, worker.end_date = entry.start_date, entry.end_date
    worker.updated_by, worker.updated_at = user.id, now(whole_seconds=True)


def snapshot(worker: RosterWorker) -> dict:
    return {"name": worker.name_digest, "role": worker.role, "modality": worker.modality,
            "start_date": worker.start_date, "end_date": worker.end_date}


# --- the data key -------------------------------------------------------------------------------
def reseal_names() -> int:
    """Seal every name again with the current data key, and hash it again with it (the digest
    is keyed too): the rotation of the data key (records.retention). Returns how many."""
    purpose, count = sealer(SEALED_AS), 0
    for worker in db.session.scalars(select(RosterWorker)):
        worker.sealed_name = purpose.reseal(worker.sealed_name)
        worker.name_digest = person_digest(worker.name)
        count += 1
    db.session.flush()
    return count


def by_id(team_id: int, worker_id: int) -> RosterWorker | None:
    worker = db.session.get(RosterWorker, worker_id)
    return worker if worker is not None and worker.team_id == team_id else None
