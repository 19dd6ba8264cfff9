"""Registro de la Reunión de Gestión de Casos (seed: registro-reunion-gestion-casos.txt): the
page. Its texts are in ``content.registro``; what the Word document shows, in its document context."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from webforms.content.registro import AGENDA, EXTENDED_KINDS, INTRODUCTION
from webforms.forms.base import DocumentForm, RowForm, document_form
from webforms.forms.carried import AUTOMATIC, carry_rows, date_or_none, previous_data, rows_of
from webforms.forms.fields import (
    RequiredIf,
    case_counts,
    date_field,
    duration_field,
    rows,
    text_block,
    text_line,
    time_field,
)
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings
from webforms.forms.rows import ActionRow, PreviousActionRow

MINIMUM_MINUTES = 60
MAXIMUM_DAYS_BETWEEN_MEETINGS = 14
EXTENDED = "extended"
EXTENDED_KIND_VALUES = {value for value, _, _ in EXTENDED_KINDS}

def _agenda_notes(index: int):
    """The notes box of one agenda section, with the seed's guidance bullets as its help."""
    _, title, guidance = AGENDA[index]
    return text_block(_l("Notas de la discusión: %(section)s", section=title),
                      description=guidance)


class WorkerRow(RowForm):
    """A social worker present, with what they shared in their presentation."""

    name = text_line(_l("Nombre del trabajador social"), required=True, max_length=120)
    success = text_block(_l("Un éxito o una experiencia positiva de la semana"), max_length=2000,
                         max_lines=30)
    challenges = text_block(_l("Desafíos que experimenta"), max_length=2000, max_lines=30)


@document_form("registro_reunion")
class RegistroReunionForm(DocumentForm):
    roles = ("supervisor",)
    stable_fields = ("supervisor_name", "workers.name")
    roster_fields = ("workers.name", "supervisor_actions.responsible",
                     "worker_actions.responsible")
    privacy_reminder = PRIVACY_REMINDER
    about = INTRODUCTION
    # A new Registro opens with every action still open (see records.carry_forward); a
    # back-filled one loads those open on its date.
    carry_forward = AUTOMATIC
    carry_forward_title = _l("Acciones abiertas a la fecha de la reunión")
    carry_forward_help = _l(
        "Al abrir un registro nuevo se cargan las acciones aún abiertas hoy. Si la reunión es de "
        "otra fecha, escriba la fecha y cargue las abiertas ese día: las filas sin estado ni "
        "nota se reemplazan.")
    carry_forward_action = _l("Cargar las acciones abiertas a la fecha de la reunión")
    sections = (
        (_l("Datos de la reunión"), ("supervisor_name", "meeting_date", "start_time",
                                     "duration_minutes", "meeting_type", "extended_kind",
                                     "extended_topic")),
        (None, ("workers",)),
        (_l("Agenda y notas de la discusión"), tuple(name for name, _, _ in AGENDA)),
        (_l("Revisión anónima de casos"), ("open_cases", "high_risk_cases", "medium_risk_cases",
                                           "complex_cases")),
        (None, ("previous_actions",)),
        (_l("Acciones"), ("supervisor_actions", "worker_actions")),
        (_l("Próxima reunión"), ("next_meeting_date", "next_meeting_programme")),
        (_l("Confidencialidad"), ("no_personal_data",)),
    )

    supervisor_name = text_line(_l("Nombre del Supervisor"), required=True, max_length=120)
    meeting_date = date_field(_l("Fecha"), required=True)
    start_time = time_field(_l("Hora de inicio"))
    duration_minutes = duration_field(_l("Duración mínima de 1 hora."))
    meeting_type = RadioField(
        _l("Tipo de reunión"),
        choices=[SelectChoice("regular", _l("Regular")),
                 SelectChoice(EXTENDED, _l("Extendida (mensual)"))],
        default="regular",
        validators=[DataRequired(message=_l("Elija el tipo de reunión."))],
    )
    extended_kind = RadioField(
        _l("Tema de la reunión extendida"),
        choices=[SelectChoice(value, label) for value, label, _ in EXTENDED_KINDS],
        validators=[RequiredIf("meeting_type", EXTENDED,
                               _l("Elija el tipo de sesión de la reunión extendida."))],
        validate_choice=False,
        description=_l("Solo para la reunión extendida mensual: sesión temática, discusión del "
                       "caso u orador invitado."),
    )
    extended_topic = text_line(
        _l("Tema u orador invitado"),
        required=RequiredIf("meeting_type", EXTENDED, _l("Indique el tema o el orador invitado.")),
    )
    workers = rows(WorkerRow, _l("Trabajadores Sociales Presentes"), minimum=1, start=3,
                   row_label=_l("Trabajador social"),
                   add_label=_l("Añadir trabajador social"))

    welcome_notes = _agenda_notes(0)
    management_notes = _agenda_notes(1)
    development_notes = _agenda_notes(2)
    support_notes = _agenda_notes(3)
    closing_notes = _agenda_notes(4)

    open_cases, high_risk_cases, medium_risk_cases = case_counts(
        _l("Número de casos abiertos"), _l("Casos de alto riesgo"), _l("Casos de riesgo medio"))
    complex_cases = text_block(
        _l("Casos estancados o asuntos complejos de protección"),
        description=_l("Sin nombres ni datos que identifiquen al niño, niña o adolescente: use "
                       "un código o una descripción general."))

    previous_actions = rows(
        PreviousActionRow, _l("Seguimiento de las acciones de la reunión anterior"),
        row_label=_l("Acción anterior"), add_label=_l("Añadir acción anterior"),
        description=_l("Las acciones del equipo aún abiertas (acordadas en reuniones anteriores) "
                       "se cargan solas: indique cómo va cada una. «Cumplido» o «Cancelado» la "
                       "cierran; las demás vuelven en la próxima reunión."))
    supervisor_actions = rows(ActionRow, _l("Acciones que realizará el Supervisor"),
                              row_label=_l("Acción"), add_label=_l("Añadir acción"))
    worker_actions = rows(ActionRow, _l("Acciones que realizarán los Trabajadores Sociales"),
                          row_label=_l("Acción"), add_label=_l("Añadir acción"))

    next_meeting_date = date_field(_l("Fecha de la próxima reunión"))
    next_meeting_programme = text_block(_l("Programa para la semana siguiente"))

    no_personal_data = BooleanField(
        _l("Confirmo que este registro no contiene nombres ni datos que identifiquen a niñas, "
           "niños, adolescentes o a sus familias."),
        validators=[DataRequired(message=_l(
            "Revise el registro y confirme que no contiene datos personales."))],
    )

    def validate_extended_kind(self, field):
        if self.meeting_type.data == EXTENDED and field.data not in EXTENDED_KIND_VALUES:
            raise ValidationError(_l("Elija el tipo de sesión de la reunión extendida."))

    def validate_next_meeting_date(self, field):
        if field.data and self.meeting_date.data and field.data <= self.meeting_date.data:
            raise ValidationError(_l("La próxima reunión debe ser posterior a esta."))

    def collect_warnings(self):
        warnings = personal_data_warnings(self.content_fields())
        if self.duration_minutes.data and self.duration_minutes.data < MINIMUM_MINUTES:
            warnings.setdefault("duration_minutes", []).append(_l(
                "La reunión debería durar al menos 1 hora."))
        if (self.next_meeting_date.data and self.meeting_date.data and
                (self.next_meeting_date.data - self.meeting_date.data).days
                > MAXIMUM_DAYS_BETWEEN_MEETINGS):
            warnings.setdefault("next_meeting_date", []).append(_l(
                "Las reuniones deberían realizarse una vez cada 1 o 2 semanas."))
        return warnings

    def load_previous(self, embedded: dict) -> str | None:
        """The actions agreed at the previous meeting (the supervisor's, then the workers'), to
        say how each went; their status is left for the supervisor to choose."""
        data = previous_data(embedded, self.document_key)
        if data is None:
            return str(_l("El documento no es un Registro de la Reunión de Gestión de Casos."))
        items = [{"action": row.get("action", ""), "responsible": row.get("responsible", ""),
                  "deadline": date_or_none(row.get("deadline")), "status": "", "note": ""}
                 for row in rows_of(data, "supervisor_actions", "worker_actions")]
        if not items:
            return str(_l("Sin acciones de la reunión anterior."))
        added = carry_rows(self.previous_actions, items, "action")
        return ngettext("Se cargó %(num)d acción de la reunión anterior.",
                        "Se cargaron %(num)d acciones de la reunión anterior.", added)
