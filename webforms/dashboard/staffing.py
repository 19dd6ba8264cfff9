"""The supervisor-to-worker ratio of a team's roster, against the guidance: "Proporción sugerida:
1 Supervisor: De 5 a 6 trabajadores sociales" (supervision-functions.txt, "Estructuras de la
Supervisión").

Why apart: it is arithmetic on two counts of the roster (accounts.roster), tested with known
answers, and said the same way wherever it is shown. A team without a roster has no ratio: the
dashboard then says nothing of it, as before rosters existed.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from webforms.accounts.roster import MOST_WORKERS_PER_SUPERVISOR


@dataclass(frozen=True)
class Staffing:
    """The current supervisors and supervised workers of a team's roster."""

    supervisors: int
    workers: int

    @property
    def per_supervisor(self) -> float | None:
        """Workers for each supervisor; None without a supervisor."""
        return self.workers / self.supervisors if self.supervisors else None

    @property
    def too_many(self) -> bool:
        """More workers than the guidance suggests for the supervisors there are."""
        return self.workers > MOST_WORKERS_PER_SUPERVISOR * self.supervisors


def sentence(staffing: Staffing) -> str:
    """"2 supervisores/as y 9 trabajadores/as en la plantilla: 1 supervisor/a por cada 4,5
    trabajadores/as." """
    people = _("%(supervisors)s y %(workers)s en la plantilla", supervisors=ngettext(
        "%(num)d supervisor/a", "%(num)d supervisores/as", staffing.supervisors),
        workers=ngettext("%(num)d trabajador/a", "%(num)d trabajadores/as", staffing.workers))
    if staffing.per_supervisor is None:
        return _("%(people)s: ningún supervisor/a vigente.", people=people)
    return _("%(people)s: 1 supervisor/a por cada %(ratio)s trabajadores/as.", people=people,
             ratio=format_decimal(round(staffing.per_supervisor, 1), format="#,##0.#"))


def guidance() -> str:
    return _("La guía sugiere 1 supervisor/a por cada 5–6 trabajadores sociales.")


def warning(staffing: Staffing) -> str | None:
    """What to say when the roster has more workers than the guidance suggests."""
    if not staffing.too_many:
        return None
    if not staffing.supervisors:
        return _("Ningún supervisor/a vigente en la plantilla para sus trabajadores/as.")
    return _("Más de %(most)d trabajadores/as por supervisor/a: por encima de lo que sugiere "
             "la guía.", most=MOST_WORKERS_PER_SUPERVISOR)
