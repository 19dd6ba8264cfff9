"""The rhythms the seeds set, checked against the dates a team's records say things happened.

Why pure functions of dates: whether a rhythm held is arithmetic on dates (and durations), the same
whatever the database or the page. Kept apart from loading and wording, the answers can be tested
against sample calendars with known gaps (no record yet, two meetings on one day, a month missed),
and the page and the spreadsheet word the same findings.

The rhythms, and the sentence of the seeds each follows:

- case-management meeting: "Debe realizarse una vez cada 1 o 2 semanas […], con una duración
  mínima de 1 hora" (registro-reunion-gestion-casos.txt): more than 14 days between two meetings
  breaks it; a meeting shorter than 60 minutes is flagged;
- extended session: "Se recomienda que una vez al mes el supervisor organice una reunión extendida"
  (same text): a calendar month without one breaks it;
- individual supervision: "Supervisión individual de manera regular · 1 hora semanal · No menos de
  1 hora cada 2 semanas" (supervision-functions.txt): each worker seen at least every 14 days, for
  at least 60 minutes;
- mesa interna: "Cada mes los gestores de caso de cada modalidad realizarán una mesa interna de
  trabajo" (G34.P-guia-rol-gestor-caso.txt, "Aspectos para tener en cuenta" 2): a calendar month
  without one breaks it, for each modality the team works in (one rhythm a modality; one for the
  team while its modalities are not set up);
- Conferencia ampliada: "Periodicidad de reunion: como mínimo cada tres (3) meses" (G34.P, 4.1):
  more than three calendar months after the previous one breaks it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from webforms.forms.conferencia import MONTHS_BETWEEN_CONFERENCES, add_months
from webforms.forms.registro import MAXIMUM_DAYS_BETWEEN_MEETINGS, MINIMUM_MINUTES
from webforms.forms.supervision import MAXIMUM_DAYS_BETWEEN_SESSIONS

MEETINGS, EXTENDED, SUPERVISION, INTERNAL_TABLE, CONFERENCE = (
    "meetings", "extended", "supervision", "internal_table", "conference")
RHYTHMS = (MEETINGS, EXTENDED, SUPERVISION, INTERNAL_TABLE, CONFERENCE)


@dataclass(frozen=True)
class Gap:
    """A stretch that broke a rhythm: from ``start`` (the last time it happened) to ``end`` (the
    next time, or today when ``ongoing``); ``days`` between the two, ``late`` past the due date."""

    start: dt.date
    end: dt.date
    days: int
    late: int
    ongoing: bool = False


@dataclass(frozen=True)
class Short:
    """A meeting or session shorter than the minimum."""

    day: dt.date
    minutes: int


@dataclass(frozen=True)
class Rhythm:
    """One rhythm over a period: the days it happened, the gaps and months that broke it, the
    sessions too short, and when it is due next (``overdue`` days past that date, or 0)."""

    key: str
    dates: tuple[dt.date, ...] = ()
    gaps: tuple[Gap, ...] = ()
    missed_months: tuple[dt.date, ...] = ()
    short: tuple[Short, ...] = ()
    due: dt.date | None = None
    overdue: int = 0
    last: dt.date | None = None  # the last time it happened, in the period or before it
    subject: int | None = None  # the worker's number on the page, for individual supervision
    digest: str | None = None  # the worker's keyed digest (never a name), to match the roster
    modality: str | None = None  # the guide's modality, for a mesa interna kept per modality

    @property
    def never(self) -> bool:
        """Nothing recorded yet (in the period, nor in the look-back before it)."""
        return self.last is None

    @property
    def broken(self) -> int:
        """How many times the rhythm broke in the period (a gap, a month, a short session)."""
        return len(self.gaps) + len(self.missed_months) + len(self.short)


def distinct_days(days: Iterable[dt.date | None]) -> list[dt.date]:
    """Each day once, in order: two meetings on one day are one day the rhythm held."""
    return sorted({day for day in days if day is not None})


def spaced(key: str, days: Iterable[dt.date], due_after: Callable[[dt.date], dt.date],
           start: dt.date, today: dt.date) -> Rhythm:
    """A rhythm of spacing: after each occurrence the next is due by ``due_after(day)``. Gaps
    that end within the period count (the look-back before ``start`` only says where the first
    one began); the gap since the last occurrence counts once its due date has passed."""
    held = [day for day in distinct_days(days) if day <= today]
    if not held:
        return Rhythm(key, due=today)
    gaps = [Gap(before, after, (after - before).days, (after - due_after(before)).days)
            for before, after in zip(held, held[1:])
            if after >= start and after > due_after(before)]
    due = due_after(held[-1])
    overdue = max(0, (today - due).days)
    if overdue:
        gaps.append(Gap(held[-1], today, (today - held[-1]).days, overdue, ongoing=True))
    return Rhythm(key, dates=tuple(day for day in held if day >= start), gaps=tuple(gaps),
                  due=due, overdue=overdue, last=held[-1])


def every_days(days: int) -> Callable[[dt.date], dt.date]:
    return lambda day: day + dt.timedelta(days=days)


def every_months(months: int) -> Callable[[dt.date], dt.date]:
    return lambda day: add_months(day, months)


def month_starts(start: dt.date, today: dt.date) -> list[dt.date]:
    """The first day of each calendar month from ``start``'s to ``today``'s, both included."""
    month, months = start.replace(day=1), []
    while month <= today:
        months.append(month)
        month = add_months(month, 1)
    return months


def monthly(key: str, days: Iterable[dt.date], start: dt.date, today: dt.date) -> Rhythm:
    """A rhythm of once a calendar month: each month of the period before the current one
    without an occurrence broke it. It is due by the end of this month, or of the next one when
    this month already has one. With no occurrence at all, the rhythm is ``never`` (one finding,
    not one per month)."""
    every = [day for day in distinct_days(days) if day <= today]
    held = [day for day in every if day >= start]
    seen = {day.replace(day=1) for day in held}
    months = month_starts(start, today)
    missed = tuple(month for month in months[:-1] if month not in seen) if every else ()
    this_month = months[-1]
    due_month = add_months(this_month, 1) if this_month in seen else this_month
    due = add_months(due_month, 1) - dt.timedelta(days=1)
    return Rhythm(key, dates=tuple(held), missed_months=missed, due=due,
                  last=every[-1] if every else None)


def too_short(sessions: Iterable[tuple[dt.date, int | None]], start: dt.date,
              minimum: int = MINIMUM_MINUTES) -> tuple[Short, ...]:
    """Each session of the period shorter than ``minimum`` minutes (each record on its own: two
    short meetings on one day are two short meetings)."""
    return tuple(Short(day, minutes) for day, minutes in sorted(sessions, key=lambda s: s[0])
                 if day is not None and day >= start and minutes and minutes < minimum)


# --- the five rhythms --------------------------------------------------------------------------
def meetings(sessions: list[tuple[dt.date, int | None]], start: dt.date,
             today: dt.date) -> Rhythm:
    """Case-management meetings: (day, minutes) of each Registro."""
    rhythm = spaced(MEETINGS, (day for day, _ in sessions),
                    every_days(MAXIMUM_DAYS_BETWEEN_MEETINGS), start, today)
    return replace(rhythm, short=too_short(sessions, start))


def extended_sessions(days: list[dt.date], start: dt.date, today: dt.date) -> Rhythm:
    return monthly(EXTENDED, days, start, today)


def internal_tables(days: list[dt.date], start: dt.date, today: dt.date) -> Rhythm:
    return monthly(INTERNAL_TABLE, days, start, today)


def internal_tables_by_modality(tables: list[tuple[str | None, dt.date]], modalities,
                                start: dt.date, today: dt.date) -> list[Rhythm]:
    """The mesa interna, one rhythm for each of ``modalities`` (keys, in order) from the
    ``(modality, day)`` of each mesa: a modality without one in a month broke it, whatever the
    other modalities held."""
    return [replace(internal_tables([day for key, day in tables if key == modality], start,
                                    today), modality=modality) for modality in modalities]


def conferences(days: list[dt.date], start: dt.date, today: dt.date) -> Rhythm:
    return spaced(CONFERENCE, days, every_months(MONTHS_BETWEEN_CONFERENCES), start, today)


def supervision(sessions: list[tuple[str, dt.date, int | None]], start: dt.date,
                today: dt.date, roster: Iterable[str] = (),
                left: Iterable[str] = ()) -> list[Rhythm]:
    """Individual supervision, one rhythm per worker (``subject``: the keyed digest of the
    worker, never a name). Workers are numbered 1, 2… in the order of their first session in the
    period, so the page and the spreadsheet name nobody.

    With the team's roster: every worker of ``roster`` (the digests of its current workers) has
    a rhythm, ``never`` when not supervised at all, overdue when seen only before the period;
    they come after the workers seen in the period. The workers who ``left`` are dropped. A
    worker not on the roster is shown when seen in the period, as without a roster."""
    roster, left = list(dict.fromkeys(roster)), set(left)
    left -= set(roster)  # a name on the roster again (came back): theirs
    by_worker: dict[str, list[tuple[dt.date, int | None]]] = {}
    for subject, day, minutes in sorted(sessions, key=lambda s: (s[1], s[0])):
        if subject not in left:
            by_worker.setdefault(subject, []).append((day, minutes))
    in_period = [subject for subject, held in by_worker.items()
                 if any(start <= day <= today for day, _ in held)]
    shown = in_period + [subject for subject in roster if subject not in set(in_period)]
    rhythms = []
    for number, subject in enumerate(shown, start=1):
        held = by_worker.get(subject, [])
        rhythm = spaced(SUPERVISION, (day for day, _ in held),
                        every_days(MAXIMUM_DAYS_BETWEEN_SESSIONS), start, today)
        rhythms.append(replace(rhythm, short=too_short(held, start), subject=number,
                               digest=subject))
    return rhythms
