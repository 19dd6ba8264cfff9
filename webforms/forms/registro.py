"""Registro de la Reunión de Gestión de Casos (seed: registro-reunion-gestion-casos.txt).

The seed's texts (definition, guidance of each agenda section, confidentiality agreement) live here,
once, and feed both the web form's help and the Word document.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from .base import PRIVACY_REMINDER, DocumentForm, RowForm, document_form, personal_data_warnings
from .blank import NUMBER
from .fields import (
    RequiredIf,
    case_counts,
    date_field,
    duration_field,
    format_duration,
    rows,
    text_block,
    text_line,
    time_field,
)
from .rows import ActionRow

MINIMUM_MINUTES = 60
MAXIMUM_DAYS_BETWEEN_MEETINGS = 14

INTRODUCTION = (
    (_l("Definición"), _l(
        "Las reuniones de gestión de casos (o reuniones de “supervisión grupal”) son reuniones "
        "programadas regularmente entre el supervisor y el equipo de gestión de casos en las que se "
        "pueden abordar las funciones de rendición de cuentas/de gestión, educacionales/de "
        "desarrollo profesional y de apoyo de la supervisión (pero no deben utilizarse como "
        "reemplazo de la supervisión individual).")),
    (_l("Propósito de la Herramienta"), _l(
        "Un supervisor debe utilizar el Registro de la Reunión de gestión de casos para dar "
        "seguimiento al progreso realizado con los trabajadores sociales en el transcurso de cada "
        "período. La herramienta ayuda al supervisor a facilitar un diálogo constructivo con los "
        "trabajadores sociales sobre las funciones de supervisión. La herramienta también ofrece "
        "espacio para que los supervisores dediquen algunos minutos de la reunión para mantener el "
        "registro de los problemas y las acciones que deben tomarse.")),
    (_l("Frecuencia/Duración"), _l(
        "Debe realizarse una vez cada 1 o 2 semanas a la misma hora, con una duración mínima de 1 "
        "hora, según el contexto y las necesidades. Se recomienda que una vez al mes el supervisor "
        "organice una reunión extendida (por una hora adicional, hasta la mitad del día) para "
        "enfocarse en el desarrollo de destrezas o el cuidado y bienestar del personal.")),
    (_l("Orientación"), _l(
        "Los supervisores de gestión de casos son responsables de programar y organizar "
        "regularmente reuniones de gestión de casos con sus equipos. Se espera que los trabajadores "
        "sociales realicen la preparación necesaria y participen plenamente en la reunión. El "
        "supervisor debe moderar las discusiones de colaboración entre los miembros del equipo y "
        "alentar a los trabajadores sociales a que ofrezcan sugerencias y faciliten la discusión.")),
)

CONFIDENTIALITY_AGREEMENT = _l(
    "Las reuniones de gestión de casos deben realizarse en un lugar privado para garantizar la "
    "confidencialidad. El equipo de gestión de casos debe acordar que lo que se discuten en la "
    "reunión relacionado con los casos no se comparta externamente. Se debe alentar a los "
    "trabajadores sociales a compartir información sobre casos desafiantes, pero se debe evitar "
    "presentar información personal, de acuerdo con el principio de “se necesita conocer”.")

EXTENDED_MEETINGS = _l(
    "Reuniones de Gestión de Casos Extendidas: Se debe realizar una sesión extendida al menos una "
    "vez al mes según las necesidades de bienestar o capacidad de los trabajadores sociales. Los "
    "temas pueden incluir:")

EXTENDED_KINDS = (
    ("tematica", _l("Sesión temática"), _l(
        "El supervisor de gestión de casos debe elegir el tema por adelantado (según las "
        "necesidades de apoyo técnico o de bienestar que identifique como prioridad) o pedir a los "
        "trabajadores sociales que identifiquen temas para los que se necesita ayuda. (Consejo: "
        "consulte el Manual interinstitucional de GC para aprovechar los recursos)")),
    ("discusion_caso", _l("Discusión del caso"), _l(
        "El supervisor de gestión de casos le pide a un trabajador social que discuta un caso "
        "interesante o desafiante del cual el resto del personal puede aprender de acuerdo con el "
        "formato descrito en la Guía de Discusión de Casos de PI (consulte el Anexo).")),
    ("orador_invitado", _l("Orador invitado"), _l(
        "El supervisor de gestión de casos puede invitar a expertos técnicos para que compartan "
        "información sobre un tema específico de protección de la infancia o una competencia a "
        "desarrollar dentro del equipo. Los supervisores también pueden solicitar que un "
        "representante de un servicio comunitario (legal, policial, médico, de registro, etc.) "
        "realice una presentación.")),
)

EXTENDED_KIND_VALUES = {value for value, _, _ in EXTENDED_KINDS}

# The five agenda sections of the seed: (field name, title, guidance bullets as (level, text)).
AGENDA = (
    ("welcome_notes", _l("Bienvenida, apertura y registro"), (
        (1, _l("El supervisor saluda al equipo (puede usar una frase para romper el hielo o una "
               "motivante).")),
        (1, _l("El equipo revisa y aprueba la agenda.")),
        (1, _l("Establezca o revise brevemente los “acuerdos” de la reunión especialmente los "
               "relacionados con el intercambio de información.")),
    )),
    ("management_notes", _l("De Gestión"), (
        (1, _l("El supervisor comparte las reflexiones de la semana pasada y brinda "
               "actualizaciones sobre logística, informes, contrataciones, etc.")),
        (1, _l("El supervisor invita a los trabajadores sociales a hacer preguntas o compartir si se "
               "enfrentan a desafíos administrativos u operativos en su trabajo.")),
        (1, _l("Presentación del trabajador social (cada miembro del equipo comparte lo "
               "siguiente):")),
        (2, _l("Un éxito o una experiencia positiva de la semana")),
        (2, _l("Desafíos que experimenta")),
        (2, _l("Revisión anónima de:")),
        (3, _l("Número de casos abiertos")),
        (3, _l("Casos de alto riesgo y algunos casos de riesgo medio [casos estancados, asuntos "
               "complejos de protección, etc.]")),
    )),
    ("development_notes", _l("De Desarrollo"), (
        (1, _l("Con base en los planes de desarrollo de las capacidades de los trabajadores "
               "sociales, el supervisor puede sugerir temas potenciales para un evento de aprendizaje "
               "en equipo, como la enseñanza mediante demostración, oradores invitados o eventos "
               "especiales.")),
        (1, _l("Se les debe pedir a los trabajadores sociales que compartan con el equipo alguna "
               "situación de aprendizaje de la que tengan conocimiento o si tienen un tema que desean "
               "enseñar.")),
    )),
    ("support_notes", _l("De Apoyo"), (
        (1, _l("Mencione el ejercicio de mandala; vigile el progreso hacia el logro de los "
               "objetivos; discuta si los objetivos aún son relevantes.")),
        (1, _l("El supervisor o el trabajador social pueden proponer actividades de formación de "
               "equipos o abordar problemas de bienestar del equipo que hayan observado desde la "
               "última reunión.")),
    )),
    ("closing_notes", _l("Cierre y puntos de acción"), (
        (1, _l("Resumen de la reunión en que se recalquen los puntos de acción planteados y el plazo "
               "esperado.")),
        (1, _l("Programa para la semana siguiente.")),
    )),
)


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
    carried_by = {name: "agenda" for name, _, _ in AGENDA} | {"duration_minutes": "duration"}
    privacy_reminder = PRIVACY_REMINDER
    about = INTRODUCTION
    sections = (
        (_l("Datos de la reunión"), ("supervisor_name", "meeting_date", "start_time",
                                     "duration_minutes", "meeting_type", "extended_kind",
                                     "extended_topic")),
        (None, ("workers",)),
        (_l("Agenda y notas de la discusión"), tuple(name for name, _, _ in AGENDA)),
        (_l("Revisión anónima de casos"), ("open_cases", "high_risk_cases", "medium_risk_cases",
                                           "complex_cases")),
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
                 SelectChoice("extendida", _l("Extendida (mensual)"))],
        default="regular",
        validators=[DataRequired(message=_l("Elija el tipo de reunión."))],
    )
    extended_kind = RadioField(
        _l("Tema de la reunión extendida"),
        choices=[SelectChoice(value, label) for value, label, _ in EXTENDED_KINDS],
        validators=[RequiredIf("meeting_type", "extendida",
                               _l("Elija el tipo de sesión de la reunión extendida."))],
        validate_choice=False,
        description=_l("Solo para la reunión extendida mensual: sesión temática, discusión del "
                       "caso u orador invitado."),
    )
    extended_topic = text_line(
        _l("Tema u orador invitado"),
        required=RequiredIf("meeting_type", "extendida", _l("Indique el tema o el orador invitado.")),
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
        if self.meeting_type.data == "extendida" and field.data not in EXTENDED_KIND_VALUES:
            raise ValidationError(_l("Elija el tipo de sesión de la reunión extendida."))

    def validate_next_meeting_date(self, field):
        if field.data and self.meeting_date.data and field.data <= self.meeting_date.data:
            raise ValidationError(_l("La próxima reunión debe ser posterior a esta."))

    def record_date(self) -> dt.date | None:
        return self.meeting_date.data

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

    def extra_context(self, values: dict, locale: str) -> dict:
        return {
            "introduction": [{"title": title, "text": text} for title, text in INTRODUCTION],
            "extended_meetings": {
                "intro": EXTENDED_MEETINGS,
                "kinds": [{"label": label, "text": text} for _, label, text in EXTENDED_KINDS],
            },
            "confidentiality_agreement": CONFIDENTIALITY_AGREEMENT,
            "agenda": [
                {"title": title, "guidance": [{"level": level, "text": text}
                                              for level, text in guidance],
                 "notes": values[name]}
                for name, title, guidance in AGENDA
            ],
            "duration": format_duration(self.duration_minutes.data),
        }

    def blank_extra_context(self, values: dict, locale: str) -> dict:
        return self.extra_context(values, locale) | {"duration": f"{NUMBER} min"}

