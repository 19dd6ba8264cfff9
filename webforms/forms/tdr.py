"""Términos de Referencia (TdR) del Gestor/a de casos (seeds: tdr-gestor-casos.txt; G34.P Tabla 1
and Tabla 5). The same form validates one ToR typed on the page and each row of an intake
spreadsheet: its ``batch_columns`` are the spreadsheet's columns."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from webforms.content.g34p import COMPETENCIES, MODALITY_ROLES
from webforms.content.tdr import REPORTS_TO, REQUIREMENTS, RESPONSIBILITIES
from webforms.forms.base import DocumentForm, document_form
from webforms.forms.fields import RequiredIf, checklist, date_field, text_line
from webforms.forms.rows import text_rows

OTHER = "other"
NO_MODALITY = "none"
AGENCY_TYPES = (("unhcr", _l("ACNUR")), ("partner", _l("Agencia socia")))


def _radio(label, choices, default, message, description=""):
    return RadioField(label, choices=[SelectChoice(value, text) for value, text in choices],
                      default=default, validators=[DataRequired(message=message)],
                      description=description)


@document_form("tdr_gestor_casos")
class TdrGestorCasosForm(DocumentForm):
    roles = ("talento_humano",)
    # The post, not the person nor the dates.
    stable_fields = ("post_title", "organization", "agency_type", "duty_station", "reports_to",
                     "reports_to_other", "responsibilities", "requirements",
                     "competencies_personal", "competencies_social",
                     "competencies_methodological", "competencies_technical", "modality")
    case_manager_name = text_line(
        _l("Nombre del/de la gestor/a de casos"), max_length=120,
        description=_l("Déjelo vacío para un aviso de vacante."))
    post_title = text_line(_l("Título del puesto"), required=True, max_length=150,
                           default=_l("Gestor/a de casos"))
    organization = text_line(_l("Organización"), required=True, max_length=150)
    agency_type = _radio(_l("El puesto está en"),
                         AGENCY_TYPES,
                         "partner", _l("Indique si el puesto está en ACNUR o en una agencia socia."),
                         description=_l("Cambia el párrafo inicial de los TdR."))
    duty_station = text_line(_l("Lugar de destino"), required=True, max_length=150)
    start_date = date_field(_l("Fecha de inicio"), required=True)
    end_date = date_field(_l("Fecha de finalización"))
    duration = text_line(_l("Duración"), max_length=100,
                         description=_l("Por ejemplo: 6 meses. Indique la duración o la fecha de "
                                        "finalización."))
    reports_to = _radio(_l("Reporta a"), (*REPORTS_TO, (OTHER, _l("Otro"))), "dis_supervisor",
                        _l("Indique a quién reporta."),
                        description=_l("Se decide a nivel operativo."))
    reports_to_other = text_line(
        _l("Otro cargo al que reporta"), max_length=150,
        required=RequiredIf("reports_to", OTHER, _l("Escriba el cargo al que reporta.")))
    responsibilities = text_rows(_l("Responsabilidad"), RESPONSIBILITIES,
                                 row_label=_l("Responsabilidad"),
                                 add_label=_l("Añadir responsabilidad"))
    requirements = text_rows(_l("Requisitos"), REQUIREMENTS, row_label=_l("Requisito"),
                             add_label=_l("Añadir requisito"))
    competencies_personal = checklist(_l("Competencias personales"), COMPETENCIES[0][2])
    competencies_social = checklist(_l("Competencias sociales"), COMPETENCIES[1][2])
    competencies_methodological = checklist(_l("Competencias metodológicas"), COMPETENCIES[2][2])
    competencies_technical = checklist(_l("Competencias técnicas"), COMPETENCIES[3][2])
    modality = _radio(
        _l("Agrupación de modalidades de atención"),
        ((NO_MODALITY, _l("Ninguna")), *((key, group) for key, group, _, _ in MODALITY_ROLES)),
        NO_MODALITY, _l("Elija una agrupación de modalidades o «Ninguna»."),
        description=_l("Si elige una, los TdR incluyen el rol específico del gestor de caso en "
                       "esa agrupación (Tabla 5 de la guía G34.P)."))

    competency_fields = ("competencies_personal", "competencies_social",
                         "competencies_methodological", "competencies_technical")
    sections = (
        (_l("La persona y el puesto"), ("case_manager_name", "post_title", "organization",
                                        "agency_type", "duty_station", "start_date", "end_date",
                                        "duration", "reports_to", "reports_to_other")),
        (None, ("responsibilities",)),
        (None, ("requirements",)),
        (_l("Competencias (Tabla 1 de la guía G34.P)"), competency_fields),
        (_l("Rol por modalidad (Tabla 5 de la guía G34.P)"), ("modality",)),
    )
    batch_columns = ("case_manager_name", "post_title", "organization", "agency_type",
                     "duty_station", "start_date", "end_date", "duration", "reports_to",
                     "reports_to_other", "modality", "document_language")

    batch_example = (
        {"case_manager_name": "Ana María Torres", "post_title": "Gestora de casos",
         "organization": "Corporación Infancia Segura", "agency_type": "Agencia socia",
         "duty_station": "Cúcuta", "start_date": "15/01/2027", "duration": "12 meses",
         "reports_to": "Supervisor/a de caso", "modality": "Acogimiento Familiar",
         "document_language": "Español"},
        {"case_manager_name": "", "post_title": "Gestor/a de casos", "organization": "ACNUR",
         "agency_type": "ACNUR", "duty_station": "Riohacha", "start_date": "01/02/2027",
         "end_date": "31/12/2027", "reports_to": "Supervisor/a de DIS", "modality": "Ninguna",
         "document_language": "Inglés"},
    )

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError(_l("La fecha de finalización debe ser posterior a la de inicio."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Each field is optional on its own, so the pair is checked here.
        if not self.duration.data and not self.end_date.data and not self.end_date.errors:
            self.duration.errors = [*self.duration.errors,
                                    _l("Indique la duración o la fecha de finalización.")]
            valid = False
        return valid
