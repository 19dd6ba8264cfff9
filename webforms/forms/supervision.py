"""Registro de Supervisión Individual (seed: supervision-functions.txt): the page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from webforms.content.supervision import BALANCE, DEFINITION, FUNCTIONS, STRUCTURE
from webforms.forms.base import DocumentForm, RowForm, document_form
from webforms.forms.carried import ON_REQUEST, carry_rows, date_or_none, open_agreements, previous_data, rows_of
from webforms.forms.fields import (
    case_counts,
    checklist,
    count_field,
    date_field,
    duration_field,
    joined_text,
    rows,
    text_block,
    text_line,
    time_field,
)
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings
from webforms.forms.rows import ActionRow, PreviousActionRow

# (topics covered, notes) of each function of supervision, in the order of FUNCTIONS.
FUNCTION_FIELDS = (("covered_management", "notes_management"),
                   ("covered_development", "notes_development"),
                   ("covered_support", "notes_support"))
MINIMUM_MINUTES = 60
MAXIMUM_DAYS_BETWEEN_SESSIONS = 14
# How far the worker has come with a learning goal. A goal is carried to the next session until
# it is achieved; a goal of a record issued before goals had a status reads as not started.
ACHIEVED, NOT_STARTED = "achieved", "not_started"
GOAL_STATUSES = (
    (ACHIEVED, _l("Logrado")),
    ("in_progress", _l("En progreso")),
    (NOT_STARTED, _l("No iniciado")),
)


class LearningGoalRow(RowForm):
    goal = text_block(_l("Objetivo de aprendizaje"), required=True, max_length=1000,
                      max_lines=15)
    action = text_block(_l("Acción"), max_length=1000, max_lines=15)
    target_date = date_field(_l("Fecha"))
    status = SelectField(_l("Estado"), default=NOT_STARTED,
                         choices=[SelectChoice(value, label) for value, label in GOAL_STATUSES],
                         validators=[DataRequired(message=_l(
                             "Indique si el objetivo se logró, está en progreso o no se ha "
                             "iniciado."))])

    def is_blank(self) -> bool:  # the status's default alone does not make a goal
        return all(field.data in (None, "") for field in (self.goal, self.action,
                                                          self.target_date))


@document_form("supervision_individual")
class SupervisionIndividualForm(DocumentForm):
    roles = ("supervisor",)
    stable_fields = ("supervisor_name", "worker_name")
    roster_fields = ("worker_name", "agreements.responsible")
    supervisor_name = text_line(_l("Supervisor/a"), required=True, max_length=120)
    worker_name = text_line(_l("Trabajador/a social"), required=True, max_length=120)
    session_date = date_field(_l("Fecha de la sesión"), required=True)
    start_time = time_field(_l("Hora de inicio"))
    duration_minutes = duration_field(
        _l("No menos de 1 hora cada 2 semanas; se recomienda 1 hora semanal."))
    previous_session_date = date_field(
        _l("Fecha de la sesión anterior"),
        description=_l("Déjela vacía si es la primera sesión."))

    covered_management = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[0][3], ticked=False)
    notes_management = text_block(_l("Notas: Rendición de Cuentas y Gestión"))
    covered_development = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[1][3], ticked=False)
    notes_development = text_block(_l("Notas: Educativa y de Desarrollo Profesional"))
    covered_support = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[2][3], ticked=False)
    notes_support = text_block(_l("Notas: De Apoyo"))

    open_cases, high_risk_cases, medium_risk_cases = case_counts(
        _l("Casos abiertos"), _l("Casos de alto riesgo"), _l("Casos de riesgo medio"))
    new_cases = count_field(_l("Casos nuevos desde la sesión anterior"))
    closed_cases = count_field(_l("Casos cerrados desde la sesión anterior"))

    learning_goals = rows(LearningGoalRow, _l("Plan de aprendizaje personal"),
                          row_label=_l("Objetivo"), add_label=_l("Añadir objetivo"))
    previous_agreements = rows(
        PreviousActionRow, _l("Seguimiento de acuerdos anteriores"),
        row_label=_l("Acuerdo anterior"), add_label=_l("Añadir acuerdo anterior"),
        description=_l("Los acuerdos de la sesión anterior con el trabajador/a y los que siguen "
                       "abiertos de sesiones anteriores: indique cómo va cada uno."))
    wellbeing = text_block(_l("Bienestar y autocuidado"),
                           description=_l("Cómo se encuentra el trabajador/a social y qué hará "
                                          "para cuidarse."))
    agreements = rows(ActionRow, _l("Acuerdos"), row_label=_l("Acuerdo"),
                      add_label=_l("Añadir acuerdo"))
    next_session_date = date_field(_l("Fecha de la próxima sesión"))

    function_fields = FUNCTION_FIELDS
    privacy_reminder = PRIVACY_REMINDER
    # The previous session is the one with the worker typed on the page, so it is loaded when the
    # supervisor asks (see records.carry_forward), with these words on the page.
    carry_forward = ON_REQUEST
    carry_forward_title = _l("Continuar desde la sesión anterior")
    carry_forward_help = _l(
        "Escriba el nombre del trabajador/a social en «Sesión» y pulse el botón: se añaden los "
        "objetivos de aprendizaje aún no logrados de la última sesión con esa persona emitida "
        "por su equipo, con su estado, y sus acuerdos aún abiertos, para su seguimiento; su "
        "fecha pasa a ser la fecha de la sesión anterior. Lo que ya escribió se conserva.")
    carry_forward_action = _l(
        "Cargar los objetivos y acuerdos de la sesión anterior con este trabajador/a")
    about = ((_l("Definición"), DEFINITION), (_l("Equilibrio de las funciones"), BALANCE),
             (_l("Estructuras de la supervisión"), joined_text(*STRUCTURE, separator="; ")))
    sections = (
        (_l("Sesión"), ("supervisor_name", "worker_name", "session_date", "start_time",
                        "duration_minutes", "previous_session_date")),
        *((_l("Función %(number)d. %(name)s", number=number, name=name), pair)
          for number, ((_, name, _, _), pair) in enumerate(zip(FUNCTIONS, function_fields),
                                                           start=1)),
        (_l("Revisión de la carga de casos (sin datos personales)"),
         ("open_cases", "high_risk_cases", "medium_risk_cases", "new_cases", "closed_cases")),
        (None, ("learning_goals",)),
        (_l("Bienestar"), ("wellbeing",)),
        (None, ("previous_agreements",)),
        (None, ("agreements",)),
        (_l("Próxima sesión"), ("next_session_date",)),
    )

    def validate_previous_session_date(self, field):
        if field.data and self.session_date.data and field.data >= self.session_date.data:
            raise ValidationError(_l("La sesión anterior debe ser anterior a esta."))

    def validate_next_session_date(self, field):
        if field.data and self.session_date.data and field.data <= self.session_date.data:
            raise ValidationError(_l("La próxima sesión debe ser posterior a esta."))

    def covered_functions(self) -> list[bool]:
        return [bool(self[covered].data) or bool(self[notes].data)
                for covered, notes in self.function_fields]

    def collect_warnings(self):
        warnings = personal_data_warnings(self.content_fields())
        if self.duration_minutes.data and self.duration_minutes.data < MINIMUM_MINUTES:
            warnings.setdefault("duration_minutes", []).append(_l(
                "La supervisión individual debería durar al menos 1 hora."))
        previous, current = self.previous_session_date.data, self.session_date.data
        if previous and current and (current - previous).days > MAXIMUM_DAYS_BETWEEN_SESSIONS:
            warnings.setdefault("previous_session_date", []).append(_l(
                "Han pasado más de dos semanas desde la sesión anterior: la guía pide no menos de "
                "1 hora cada 2 semanas."))
        if not all(self.covered_functions()):
            warnings.setdefault("covered_support", []).append(_l(
                "No se cubrieron las tres funciones de la supervisión; la guía pide proveerlas "
                "en equilibrio."))
        return warnings

    def load_previous(self, embedded: dict) -> str | None:
        """From the previous session (same worker): its learning goals not yet achieved, with
        their status (a goal is carried until it is reached), and its agreements still open, to
        follow up, after what is already typed; its date becomes the previous session's date
        when none is typed."""
        data = previous_data(embedded, self.document_key)
        if data is None:
            return str(_l("El documento no es un Registro de Supervisión Individual."))
        goals = carry_rows(self.learning_goals, goals_to_carry(data), "goal")
        agreements = carry_rows(self.previous_agreements,
                                open_agreements(data, "agreements", "previous_agreements"),
                                "action")
        previous_date, field = date_or_none(data.get("session_date")), self.previous_session_date
        if previous_date and not field.data and not any(field.raw_data or ()):
            field.data, field.raw_data = previous_date, [previous_date.isoformat()]
        said = [ngettext("Se cargó %(num)d objetivo de aprendizaje de la sesión anterior.",
                         "Se cargaron %(num)d objetivos de aprendizaje de la sesión anterior.",
                         goals)]
        if agreements:  # none when the action tracker loaded them first (records.carry_forward)
            said.append(ngettext("Se cargó %(num)d acuerdo abierto para su seguimiento.",
                                 "Se cargaron %(num)d acuerdos abiertos para su seguimiento.",
                                 agreements))
        return " ".join(said)


def goals_to_carry(data: dict) -> list[dict]:
    """The learning goals of a session's ``data`` that go on to the next one: every goal not
    achieved, with its status (none, in a record issued before goals had one: not started)."""
    statuses = {value for value, _ in GOAL_STATUSES}
    return [{"goal": row.get("goal", ""), "action": row.get("action", ""),
             "target_date": date_or_none(row.get("target_date")),
             "status": row.get("status") if row.get("status") in statuses else NOT_STARTED}
            for row in rows_of(data, "learning_goals") if row.get("status") != ACHIEVED]
