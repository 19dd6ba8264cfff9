"""A demo region to try the team's dashboard with: a regional office, two teams, a supervisor for
each and a coordinator, and a year of issued records with deliberate gaps.

Why through the real services: the records are issued by ``saved_records.issue`` from forms that
validate, exactly as a page issues them, so they are sealed, numbered, audited and rendered like
real ones, and the dashboard reads them the way it reads any team's; the action tracker
(webforms.actions) reads them as they are issued, like any record. The calendar is fixed
relative to ``today`` (``random`` with a fixed seed only for the case counts), so the gaps are
known: team 1 has a 16-day gap between meetings, a meeting of 45 minutes, no extended session
three months ago, a worker not supervised for four weeks and a month without mesa interna; team 2
has had no meeting for 18 days and a worker not supervised for 20 days or more; the region's
Conferencia ampliada is 12 days overdue. Each team's roster has two workers who attend the
meetings but were never supervised, and one who left two months ago. Nothing typed names a
child or a family; the people are invented ("Supervisora Demo Río", "Trabajadora Demo 2").
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from webforms.accounts import roster
from webforms.accounts import teams as team_store
from webforms.accounts.service import create_user
from webforms.audit import trail as audit
from webforms.common.catalogue import catalogue
from webforms.forms import FORMS
from webforms.forms.conferencia import add_months
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import Team

REGION = "Regional Demo"
TEAMS = ("Equipo Demo Río", "Equipo Demo Montaña")
PASSWORD = "panel de demostracion 2026"
COORDINATOR = "coordinacion.demo@example.org"
SUPERVISORS = ("supervision.rio@example.org", "supervision.montana@example.org")
WORKERS = 3
# The roster: the supervised workers, two who attend the meetings (registro_pairs) but were
# never supervised, and a fourth supervised worker who left the team this many days ago.
ATTENDING_ONLY = ("Trabajadora Demo 1", "Trabajador Demo 2")
LEFT_DAYS_AGO = 60
YEAR = 52  # weeks of records


class DemoExists(Exception):
    """The demo region was created before: nothing is changed."""


@dataclass(frozen=True)
class Issued:
    key: str
    day: dt.date
    pairs: list[list[str]]


def create_region(today: dt.date) -> dict[str, int]:
    """The region, its teams and accounts, and a year of records up to ``today``; how many
    records of each form were issued. Raises DemoExists when the region is already there."""
    if db.session.scalar(db.select(Team.id).where(Team.name == REGION)) is not None:
        raise DemoExists(REGION)
    region = team_store.create(REGION, is_region=True)
    teams = [team_store.create(name, region=region) for name in TEAMS]
    coordinator = create_user(COORDINATOR, PASSWORD, ("coordinador",), [REGION]).user
    supervisors = [create_user(email, PASSWORD, ("supervisor",), [name]).user
                   for email, name in zip(SUPERVISORS, TEAMS)]
    issued: list[Issued] = []
    for number, (team, supervisor) in enumerate(zip(teams, supervisors), start=1):
        fill_roster(supervisor, team, number, today)
        issued += issue_all(supervisor, team, team_records(number, today))
        issued += issue_all(coordinator, team, internal_tables(number, today))
    issued += issue_all(coordinator, region, conferences(today))
    counts: dict[str, int] = {}
    for item in issued:
        counts[item.key] = counts.get(item.key, 0) + 1
    return counts


def issue_all(author, team: Team, records: list[Issued]) -> list[Issued]:
    """Issue each record as ``author`` would from the form's page (the form validates first):
    the services take ``author`` as who acts, and the audit entries are theirs."""
    actor = audit.Actor(author.id, author.email, audit.command_line_address())
    with audit.acting_as(actor):
        for item in sorted(records, key=lambda record: record.day):
            form = FORMS[item.key](formdata=MultiDict(item.pairs), meta={"csrf": False})
            if not form.validate():
                raise ValueError(f"demo {item.key} of {item.day} does not validate: {form.errors}")
            saved_records.issue(catalogue().get(item.key), form, item.pairs, team, author)
    return records


def fill_roster(author, team: Team, number: int, today: dt.date) -> None:
    """The team's roster, kept by its supervisor: the supervisor, the workers supervised, the
    two who only attend the meetings, and the one who left."""
    joined = today - dt.timedelta(weeks=YEAR + 1)
    left = today - dt.timedelta(days=LEFT_DAYS_AGO)
    people = [(f"Supervisora Demo {number}", roster.SUPERVISOR, None),
              *((f"Trabajadora Demo {number}.{worker}", roster.SOCIAL_WORKER, None)
                for worker in range(1, WORKERS + 1)),
              *((name, roster.SOCIAL_WORKER, None) for name in ATTENDING_ONLY),
              (f"Trabajadora Demo {number}.{WORKERS + 1}", roster.SOCIAL_WORKER, left)]
    actor = audit.Actor(author.id, author.email, audit.command_line_address())
    with audit.acting_as(actor):
        for name, role, end in people:
            roster.add(team, roster.Entry(name=name, role=role, start_date=joined,
                                          end_date=end), author)


# --- the calendar --------------------------------------------------------------------------------
def meeting_days(team: int, today: dt.date) -> list[dt.date]:
    """Weekly meetings for a year; team 1 skips a week and meets two days late (16 days), team 2
    has had none for the last 18 days."""
    first = today - dt.timedelta(weeks=YEAR) + dt.timedelta(days=team)
    days = [first + dt.timedelta(weeks=week) for week in range(YEAR + 1)]
    if team == 1:  # week 21 skipped, week 22 two days late: 16 days after week 20
        days = days[:21] + [days[22] + dt.timedelta(days=2)] + days[23:]
    else:
        days = [day for day in days if day <= today - dt.timedelta(days=18)]
        days = days[:-1] + [today - dt.timedelta(days=18)]
    return [day for day in days if day <= today]


def team_records(team: int, today: dt.date) -> list[Issued]:
    """The team's Registros (with actions followed up) and individual supervisions."""
    randomness = random.Random(team)
    days = meeting_days(team, today)
    missed_extended = add_months(today.replace(day=1), -3)
    extended_months: set[dt.date] = set()
    records, pending, open_cases = [], [], 24 + 6 * team
    for index, day in enumerate(days):
        month = day.replace(day=1)
        extended = month not in extended_months and not (team == 1 and month == missed_extended)
        extended_months.add(month)
        open_cases = max(8, open_cases + randomness.randint(-2, 2))
        counts = (open_cases, randomness.randint(1, 5), randomness.randint(3, 8))
        minutes = 45 if (team == 1 and index == 10) else 60 + 15 * (index % 3)
        followed = [(text, deadline, follow_up_status(index, number))
                    for number, (text, deadline) in enumerate(pending)]
        actions = [("supervisor_actions", f"Gestionar apoyo interinstitucional, semana {index}"),
                   ("worker_actions", f"Actualizar los planes de caso, semana {index}")]
        records.append(Issued("registro_reunion", day, registro_pairs(
            team, day, minutes, extended, counts, actions, followed)))
        pending = [(text, deadline) for text, deadline, status in followed
                   if status != "done"]  # still open: followed up again (webforms.actions)
        pending += [(text, day + dt.timedelta(days=7)) for _group, text in actions]
    return records + supervisions(team, today)


def follow_up_status(meeting: int, row: int) -> str:
    """How an action went by the next meeting: mostly done, now and then still in progress or
    not done (both followed again at the next meeting, until done)."""
    turn = meeting * 3 + row
    if turn % 17 == 4:
        return "not_done"
    return "in_progress" if turn % 5 == 2 else "done"


def supervisions(team: int, today: dt.date) -> list[Issued]:
    """Each worker every two weeks; team 1's third worker once waits four weeks, team 2's
    second worker has not been seen for at least 20 days; the fourth worker, until they left
    the team (``LEFT_DAYS_AGO``: the roster drops them, the dashboard does not wait for them)."""
    records = []
    for worker in range(1, WORKERS + 2):
        day = today - dt.timedelta(weeks=YEAR) + dt.timedelta(days=worker + team)
        last = today - dt.timedelta(days=20) if (team, worker) == (2, 2) else today
        if worker == WORKERS + 1:
            last = today - dt.timedelta(days=LEFT_DAYS_AGO + 10)
        previous, session = None, 0
        while day <= last:
            records.append(Issued("supervision_individual", day, supervision_pairs(
                team, worker, day, previous) + learning_goal_pairs(session)))
            previous, session = day, session + 1
            long_wait = team == 1 and worker == 3 and 150 <= (today - day).days < 164
            day += dt.timedelta(weeks=4 if long_wait else 2)
    return records


def internal_tables(team: int, today: dt.date) -> list[Issued]:
    """A mesa interna on the 5th of each month (team 1 skips the one five months ago)."""
    months = [add_months(today.replace(day=1), -back) for back in range(12, -1, -1)]
    skipped = add_months(today.replace(day=1), -5) if team == 1 else None
    return [Issued("mesa_interna", month.replace(day=5), mesa_pairs(month.replace(day=5)))
            for month in months if month != skipped and month.replace(day=5) <= today]


def conferences(today: dt.date) -> list[Issued]:
    """Four conferences of the region: one 20 days late, the last now 12 days overdue."""
    last = add_months(today - dt.timedelta(days=12), -3)
    third = add_months(last, -3) + dt.timedelta(days=7)
    second = add_months(third, -3) - dt.timedelta(days=20)
    first = add_months(second, -3) + dt.timedelta(days=5)
    days = [first, second, third, last]
    records, previous = [], []
    for index, day in enumerate(days):
        plan = [(f"Mesa con el sector salud para priorizar citas ({index + 1})",
                 day + dt.timedelta(days=30)),
                (f"Jornada de registro civil ({index + 1})", day + dt.timedelta(days=60))]
        records.append(Issued("conferencia_ampliada", day,
                              conferencia_pairs(day, plan, previous)))
        previous = [(text, deadline, ("done", "in_progress")[n]) for n, (text, deadline)
                    in enumerate(plan)]
    return records


# --- what each form is filled with ---------------------------------------------------------------
def registro_pairs(team: int, day: dt.date, minutes: int, extended: bool,
                   counts: tuple[int, int, int], actions: list[tuple[str, str]],
                   previous: list[tuple[str, dt.date, str]]) -> list[list[str]]:
    """A Registro de la Reunión as its page posts it: no names of children, invented staff."""
    pairs = [["document_language", "es"], ["supervisor_name", f"Supervisora Demo {team}"],
             ["meeting_date", day.isoformat()], ["start_time", "09:00"],
             ["duration_minutes", str(minutes)],
             ["meeting_type", "extended" if extended else "regular"],
             ["workers-0-name", "Trabajadora Demo 1"], ["workers-1-name", "Trabajador Demo 2"],
             ["management_notes", "Revisión de la agenda y de los informes del mes."],
             ["open_cases", str(counts[0])], ["high_risk_cases", str(counts[1])],
             ["medium_risk_cases", str(counts[2])], ["no_personal_data", "y"],
             ["next_meeting_date", (day + dt.timedelta(days=7)).isoformat()]]
    if extended:
        pairs += [["extended_kind", "thematic"], ["extended_topic", "Autocuidado del equipo"]]
    for index, (text, deadline, status) in enumerate(previous):
        pairs += [[f"previous_actions-{index}-action", text],
                  [f"previous_actions-{index}-responsible", "Equipo"],
                  [f"previous_actions-{index}-deadline", deadline.isoformat()],
                  [f"previous_actions-{index}-status", status]]
    for group, text in actions:
        pairs += [[f"{group}-0-action", text], [f"{group}-0-responsible", "Equipo"],
                  [f"{group}-0-deadline", (day + dt.timedelta(days=7)).isoformat()]]
    return pairs


def supervision_pairs(team: int, worker: int, day: dt.date,
                      previous: dt.date | None) -> list[list[str]]:
    pairs = [["document_language", "es"], ["supervisor_name", f"Supervisora Demo {team}"],
             ["worker_name", f"Trabajadora Demo {team}.{worker}"],
             ["session_date", day.isoformat()], ["start_time", "10:00"],
             ["duration_minutes", "60"], ["open_cases", str(8 + worker)],
             ["high_risk_cases", "1"], ["medium_risk_cases", "2"],
             ["notes_management", "Revisión de la carga de casos."],
             ["notes_development", "Plan de aprendizaje."], ["notes_support", "Autocuidado."]]
    if previous:
        pairs.append(["previous_session_date", previous.isoformat()])
    return pairs


def learning_goal_pairs(session: int) -> list[list[str]]:
    """One learning goal for every six sessions (about a quarter): not started at its first
    session, in progress after, achieved at its last, then the next goal."""
    goal, turn = divmod(session, 6)
    status = "not_started" if turn == 0 else "achieved" if turn == 5 else "in_progress"
    return [["learning_goals-0-goal", f"Objetivo de aprendizaje {goal + 1}."],
            ["learning_goals-0-action", "Lectura y práctica supervisada."],
            ["learning_goals-0-status", status]]


def mesa_pairs(day: dt.date) -> list[list[str]]:
    return [["document_language", "es"], ["meeting_date", day.isoformat()],
            ["modality", "residential_care"], ["case_managers-0-text", "Gestora Demo"],
            ["difficulties", "Rotación de profesionales en los equipos."]]


def conferencia_pairs(day: dt.date, plan: list[tuple[str, dt.date]],
                      commitments: list[tuple[str, dt.date, str]]) -> list[list[str]]:
    pairs = [["document_language", "es"], ["regional_office", REGION],
             ["conference_date", day.isoformat()], ["mode", "virtual"],
             ["convened_by", "coordination"], ["operator_participants-0-name", "Gestora Demo"],
             ["operator_participants-0-role", "case_manager"],
             ["operator_participants-0-modality", "residential_care"],
             ["next_conference_date", add_months(day, 3).isoformat()]]
    for index, (text, deadline) in enumerate(plan):
        pairs += [[f"action_plan-{index}-action", text],
                  [f"action_plan-{index}-responsible", "Enlace regional"],
                  [f"action_plan-{index}-deadline", deadline.isoformat()]]
    for index, (text, deadline, status) in enumerate(commitments):
        pairs += [[f"commitments-{index}-commitment", text],
                  [f"commitments-{index}-deadline", deadline.isoformat()],
                  [f"commitments-{index}-status", status]]
    return pairs
