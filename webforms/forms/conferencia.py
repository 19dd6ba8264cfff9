"""Conferencia ampliada para la gestión de casos (guide G34.P, section 4.1 and Tabla 7). The mesa
interna mensual has its own module, mesa_interna."""
from __future__ import annotations

import calendar
import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from webforms.content.g34p import (
    CONFERENCE_CONVENERS,
    CONFERENCE_FREQUENCY,
    MODALITY_ROLES,
    OPERATOR_PARTICIPANTS,
    REGIONAL_PARTICIPANTS,
)
from webforms.forms import carried
from webforms.forms.base import DocumentForm, RowForm, document_form
from webforms.forms.fields import RequiredIf, date_field, fixed_rows, rows, text_block, text_line
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings

MODALITIES = tuple((key, group) for key, group, _, _ in MODALITY_ROLES)
COMMITMENT_STATUSES = carried.FOLLOW_UP_STATUSES
MONTHS_BETWEEN_CONFERENCES = 3
IN_PERSON = "in_person"
HYBRID = "hybrid"
CASE_MANAGER = "case_manager"


def _choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


def add_months(date: dt.date, months: int) -> dt.date:
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(year=year, month=month,
                        day=min(date.day, calendar.monthrange(year, month)[1]))


class RegionalParticipantRow(RowForm):
    attending = BooleanField(_l("Asiste"))
    name = text_line(_l("Nombre de quien asiste"), max_length=120,
                     required=RequiredIf("attending", True,
                                         _l("Escriba el nombre de quien asiste.")))


class OperatorParticipantRow(RowForm):
    name = text_line(_l("Nombre"), required=True, max_length=120)
    role = RadioField(_l("Participa como"), choices=_choices((
        (CASE_MANAGER, _l("Gestor(a) de caso")), ("coordinator", _l("Coordinador(a) de la modalidad")))),
        default=CASE_MANAGER, validators=[DataRequired(message=_l("Este campo es obligatorio."))])
    modality = SelectField(_l("Modalidad"), choices=_choices(MODALITIES),
                           validators=[DataRequired(message=_l("Este campo es obligatorio."))])

    def is_blank(self) -> bool:  # the defaults of the choices alone do not make a row
        return not (self.name.data or "").strip()


class BarrierRow(RowForm):
    barrier = text_block(_l("Barrera u obstáculo"), required=True, max_length=1500, max_lines=20)
    cases_affected = text_line(
        _l("Casos afectados"), max_length=120,
        description=_l("Un número o códigos anónimos, nunca nombres."))
    sector = text_line(_l("Sector involucrado"), max_length=120)


class PlanActionRow(RowForm):
    action = text_block(_l("Acción"), required=True, max_length=1500, max_lines=20)
    responsible = text_line(_l("Responsable"), required=True)
    deadline = date_field(_l("Plazo"), required=True)
    expected_result = text_block(_l("Resultado esperado"), max_length=1500, max_lines=20)


class CommitmentRow(RowForm):
    commitment = text_block(_l("Compromiso"), required=True, max_length=1500, max_lines=20)
    responsible = text_line(_l("Responsable"))
    deadline = date_field(_l("Plazo"))
    status = SelectField(_l("Estado"), choices=_choices(
        (("", _l("— Elija —")), *COMMITMENT_STATUSES)),
        validators=[DataRequired(message=_l("Indique el estado del compromiso."))])
    observation = text_block(_l("Observación"), max_length=1500, max_lines=20)


@document_form("conferencia_ampliada")
class ConferenciaAmpliadaForm(DocumentForm):
    roles = ("coordinador",)
    stable_fields = ("regional_office", "mode", "place", "convened_by", "convener_name",
                     "regional_participants", "operator_participants")
    regional_office = text_line(_l("Regional"), required=True, max_length=120)
    conference_date = date_field(_l("Fecha"), required=True)
    mode = RadioField(_l("Modalidad de la reunión"), choices=_choices((
        (IN_PERSON, _l("Presencial")), ("virtual", _l("Virtual")),
        (HYBRID, _l("Presencial y virtual")))), default=IN_PERSON,
        validators=[DataRequired(message=_l("Este campo es obligatorio."))])
    place = text_line(_l("Lugar"), max_length=150,
                      required=RequiredIf("mode", (IN_PERSON, HYBRID), _l("Indique el lugar."),
                                          shown_anyway=True))
    convened_by = RadioField(_l("Convoca"), choices=_choices(CONFERENCE_CONVENERS),
                             validators=[DataRequired(message=_l("Indique quién convoca."))])
    convener_name = text_line(_l("Nombre de quien convoca"), max_length=120)
    regional_participants = fixed_rows(
        RegionalParticipantRow, _l("Participantes de la instancia Regional"),
        REGIONAL_PARTICIPANTS,
        description=_l("Marque a quienes asisten y escriba su nombre."))
    operator_participants = rows(
        OperatorParticipantRow, _l("Participantes de la instancia Operador"), start=3,
        row_label=_l("Participante"), add_label=_l("Añadir participante"),
        description=OPERATOR_PARTICIPANTS[0])
    barriers = rows(BarrierRow, _l("Barreras y obstáculos para la movilización de los casos"),
                    row_label=_l("Barrera"), add_label=_l("Añadir barrera"))
    action_plan = rows(PlanActionRow, _l("Plan de acción para la movilización de casos"),
                       row_label=_l("Acción"), add_label=_l("Añadir acción"))
    commitments = rows(CommitmentRow, _l("Seguimiento a compromisos"),
                       row_label=_l("Compromiso"), add_label=_l("Añadir compromiso"),
                       description=_l("Los compromisos de la conferencia anterior: el plan de "
                                      "acción de la última conferencia emitida por su equipo se "
                                      "carga solo; el de otra instalación, desde su documento."))
    next_conference_date = date_field(
        _l("Fecha de la próxima conferencia"), required=True,
        description=CONFERENCE_FREQUENCY)

    accepts_previous = True
    # A new conference opens with every commitment still open (see records.carry_forward).
    carry_forward = carried.AUTOMATIC
    carry_forward_title = _l("Compromisos abiertos a la fecha de la conferencia")
    carry_forward_help = _l(
        "Al abrir una conferencia nueva se cargan los compromisos aún abiertos hoy. Si la "
        "conferencia es de otra fecha, escríbala y cargue los abiertos ese día: las filas sin "
        "estado ni observación se reemplazan.")
    carry_forward_action = _l("Cargar los compromisos abiertos a la fecha de la conferencia")
    privacy_reminder = PRIVACY_REMINDER
    sections = (
        (_l("Datos de la conferencia"), ("regional_office", "conference_date", "mode", "place",
                                         "convened_by", "convener_name")),
        (_l("Participantes (Tabla 7)"), ("regional_participants", "operator_participants")),
        (None, ("barriers",)),
        (None, ("action_plan",)),
        (None, ("commitments",)),
        (_l("Próxima conferencia"), ("next_conference_date",)),
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        start = self.conference_date.data
        for entry in self.action_plan.entries:
            deadline = entry.form.deadline
            if start and deadline.data and deadline.data < start:
                deadline.errors = [*deadline.errors, _l(
                    "El plazo no puede ser anterior a la fecha de la conferencia.")]
                valid = False
        return valid

    def validate_next_conference_date(self, field):
        if field.data and self.conference_date.data and field.data <= self.conference_date.data:
            raise ValidationError(_l("La próxima conferencia debe ser posterior a esta."))

    def collect_warnings(self):
        warnings = personal_data_warnings(self.content_fields())
        start, following = self.conference_date.data, self.next_conference_date.data
        if start and following and following > add_months(start, MONTHS_BETWEEN_CONFERENCES):
            warnings.setdefault("next_conference_date", []).append(_l(
                "La conferencia debe realizarse como mínimo cada tres (3) meses: la próxima fecha "
                "está a más de tres meses."))
        managers = [entry.form.modality.data for entry in self.operator_participants.entries
                    if not entry.form.is_blank() and entry.form.role.data == CASE_MANAGER]
        if len(managers) != len(set(managers)):
            warnings.setdefault("operator_participants", []).append(_l(
                "Cada operador delega un(a) gestor(a) de caso por cada modalidad: hay más de uno "
                "para la misma modalidad."))
        return warnings

    def load_previous(self, embedded: dict) -> str | None:
        """The previous conference's action plan becomes this one's commitments to follow up."""
        data = carried.previous_data(embedded, self.document_key)
        if data is None:
            return str(_l("El archivo no es un documento de la Conferencia ampliada."))
        items = [{"commitment": row.get("action", ""), "responsible": row.get("responsible", ""),
                  "deadline": carried.date_or_none(row.get("deadline")), "status": "",
                  "observation": ""}
                 for row in carried.rows_of(data, "action_plan")]
        added = carried.carry_rows(self.commitments, items, "commitment")
        return ngettext("Se cargó %(num)d compromiso de la conferencia anterior.",
                        "Se cargaron %(num)d compromisos de la conferencia anterior.", added)
