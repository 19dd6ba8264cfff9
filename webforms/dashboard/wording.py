"""The dashboard's findings in the reader's language: each rhythm's name and rule, the gaps
that broke it ("16 días sin reunión de gestión de casos", "sin sesión extendida en octubre de
2026", "Conferencia ampliada vencida hace 12 días"), what is due next; the roles and states of
actions. The page and the spreadsheet say the same, so the words are made once, here.

Only dates, counts and numbered workers ("Trabajador/a 2") are ever put in a sentence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_skeleton
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webforms.accounts.teams import modality_label
from webforms.actions import families
from webforms.actions.families import DONE, OPEN
from webforms.actions.tracker import OVERDUE
from webforms.common.dates import written
from webforms.dashboard.rhythms import CONFERENCE, EXTENDED, INTERNAL_TABLE, MEETINGS, SUPERVISION, Gap, Rhythm

NAMES = {MEETINGS: _l("Reuniones de gestión de casos"),
         EXTENDED: _l("Sesión extendida mensual"),
         SUPERVISION: _l("Supervisión individual"),
         INTERNAL_TABLE: _l("Mesa interna mensual"),
         CONFERENCE: _l("Conferencia ampliada")}
RULES = {MEETINGS: _l("Cada 1 o 2 semanas (no más de 14 días entre reuniones), de al menos "
                      "1 hora."),
         EXTENDED: _l("Al menos una reunión extendida cada mes calendario."),
         SUPERVISION: _l("Cada trabajador/a social, no menos de 1 hora cada 2 semanas."),
         INTERNAL_TABLE: _l("Una mesa interna de gestores de caso cada mes calendario."),
         CONFERENCE: _l("Como mínimo cada tres (3) meses (la de su equipo o la de su "
                        "regional).")}
ROLES = families.ROLES
STATES = {OPEN: _l("Abierta"), OVERDUE: _l("Vencida"), DONE: _l("Cumplida")}
# An action's latest follow-up ("" while never followed up).
FOLLOWED = {"": families.STATUS_NAMES[OPEN],
            **{status: name for status, name in families.STATUS_NAMES.items() if status != OPEN}}


@dataclass(frozen=True)
class Finding:
    """One way a rhythm broke: the sentence, and its dates and days for the spreadsheet."""

    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = None


def day(value: dt.date) -> str:
    """A day as the pages write it. Five years of a team list thousands of dates; each day and
    language is written once per process (a date names no time zone: the same everywhere)."""
    return written_day(value, str(get_locale()))


def days(values) -> str:
    """Days as the pages write them, joined by " · " (the language asked once for them all)."""
    language = str(get_locale())
    return " · ".join(written_day(value, language) for value in values)


@lru_cache(maxsize=8192)
def written_day(value: dt.date, _language: str) -> str:
    return written(value)


def month_name(month: dt.date) -> str:
    """"octubre de 2026", "October 2026"."""
    return format_skeleton("yMMMM", month, locale=get_locale())


def short_month(month: dt.date) -> str:
    """"oct": a chart's axis (the chart adds the year where it changes)."""
    return format_skeleton("MMM", month, locale=get_locale())


def rhythm_name(rhythm: Rhythm) -> str:
    """The rhythm's name; a mesa interna kept per modality names its modality."""
    if rhythm.modality:
        return _("%(rhythm)s · %(modality)s", rhythm=NAMES[rhythm.key],
                 modality=modality_label(rhythm.modality))
    return str(NAMES[rhythm.key])


def worker(rhythm: Rhythm) -> str:
    return _("Trabajador/a %(number)d", number=rhythm.subject or 0)


def findings(rhythm: Rhythm) -> list[Finding]:
    """Every way ``rhythm`` broke in the period, in date order."""
    found = [gap_finding(rhythm, gap) for gap in rhythm.gaps]
    found += [Finding(missed_month(rhythm, month), month, month) for month in
              rhythm.missed_months]
    found += [Finding(short_session(rhythm, short.day, short.minutes), short.day, short.day,
                      short.minutes) for short in rhythm.short]
    return sorted(found, key=lambda finding: finding.start or dt.date.min)


def gap_finding(rhythm: Rhythm, gap: Gap) -> Finding:
    if rhythm.key == CONFERENCE:
        text = (ngettext("Conferencia ampliada vencida hace %(num)d día (la última fue el "
                         "%(start)s).", "Conferencia ampliada vencida hace %(num)d días (la "
                         "última fue el %(start)s).", gap.late, start=day(gap.start))
                if gap.ongoing else
                ngettext("%(num)d día entre conferencias ampliadas (del %(start)s al %(end)s): "
                         "más de tres meses.", "%(num)d días entre conferencias ampliadas (del "
                         "%(start)s al %(end)s): más de tres meses.", gap.days,
                         start=day(gap.start), end=day(gap.end)))
        return Finding(text, gap.start, gap.end, gap.days)
    what = (_("sin supervisión individual (trabajador/a %(number)d)", number=rhythm.subject or 0)
            if rhythm.key == SUPERVISION else _("sin reunión de gestión de casos"))
    if gap.ongoing:
        text = ngettext("%(num)d día %(what)s, desde el %(start)s.",
                        "%(num)d días %(what)s, desde el %(start)s.", gap.days, what=what,
                        start=day(gap.start))
    else:
        text = ngettext("%(num)d día %(what)s (del %(start)s al %(end)s).",
                        "%(num)d días %(what)s (del %(start)s al %(end)s).", gap.days,
                        what=what, start=day(gap.start), end=day(gap.end))
    return Finding(text, gap.start, gap.end, gap.days)


def missed_month(rhythm: Rhythm, month: dt.date) -> str:
    if rhythm.key == EXTENDED:
        return _("Sin sesión extendida en %(month)s.", month=month_name(month))
    if rhythm.modality:
        return _("Sin mesa interna de %(modality)s en %(month)s.",
                 modality=modality_label(rhythm.modality), month=month_name(month))
    return _("Sin mesa interna en %(month)s.", month=month_name(month))


def short_session(rhythm: Rhythm, when: dt.date, minutes: int) -> str:
    if rhythm.key == SUPERVISION:
        return _("Sesión de %(worker)s del %(date)s: %(minutes)d minutos (menos de 1 hora).",
                 worker=worker(rhythm), date=day(when), minutes=minutes)
    return _("Reunión del %(date)s: %(minutes)d minutos (menos de 1 hora).", date=day(when),
             minutes=minutes)


def next_due(rhythm: Rhythm) -> str:
    """What is due next, in words."""
    if rhythm.never:
        return _("Ningún registro emitido en el periodo: se espera ahora.")
    if rhythm.overdue:
        return ngettext("Vencida desde el %(date)s (hace %(num)d día).",
                        "Vencida desde el %(date)s (hace %(num)d días).", rhythm.overdue,
                        date=day(rhythm.due))
    return _("A más tardar el %(date)s.", date=day(rhythm.due))


def caseload_labels() -> list[str]:
    return [_("Casos abiertos"), _("Alto riesgo"), _("Riesgo medio")]
