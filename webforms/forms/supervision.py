"""Registro de Supervisión Individual (seed: supervision-functions.txt) and the Lista de
verificación de criterios de calidad por hito (guide G34.P, Tablas 2–4)."""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..content.g34p import MODALITY_ROLES
from ..content.quality import quality_criteria
from ..content.supervision import BALANCE, DEFINITION, FUNCTIONS, STRUCTURE
from .base import PRIVACY_REMINDER, DocumentForm, RowForm, document_form, personal_data_warnings
from .blank import BOX, NUMBER, boxes, ruled
from .fields import (
    case_counts,
    checklist,
    count_field,
    date_field,
    duration_field,
    fixed_rows,
    format_duration,
    rows,
    text_block,
    text_line,
    time_field,
)
from .rows import ActionRow


def _criterion_label(criterion):
    """"Macro gestión: Realizar gestiones…", translated when shown."""
    if not criterion.group:
        return criterion.text
    return LazyString(lambda: f"{criterion.group}: {criterion.text}")


def _joined(*parts, separator=" — "):
    return LazyString(lambda: separator.join(str(part) for part in parts))


MINIMUM_MINUTES = 60
MAXIMUM_DAYS_BETWEEN_SESSIONS = 14


class LearningGoalRow(RowForm):
    goal = text_block(_l("Objetivo de aprendizaje"), required=True, max_length=1000,
                      max_lines=15)
    action = text_block(_l("Acción"), max_length=1000, max_lines=15)
    target_date = date_field(_l("Fecha"))


@document_form("supervision_individual")
class SupervisionIndividualForm(DocumentForm):
    supervisor_name = text_line(_l("Supervisor/a"), required=True, max_length=120)
    worker_name = text_line(_l("Trabajador/a social"), required=True, max_length=120)
    session_date = date_field(_l("Fecha de la sesión"), required=True)
    start_time = time_field(_l("Hora de inicio"))
    duration_minutes = duration_field(
        _l("No menos de 1 hora cada 2 semanas; se recomienda 1 hora semanal."))
    previous_session_date = date_field(
        _l("Fecha de la sesión anterior"),
        description=_l("Déjela vacía si es la primera sesión."))

    covered_gestion = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[0][3], ticked=False)
    notes_gestion = text_block(_l("Notas: Rendición de Cuentas y Gestión"))
    covered_desarrollo = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[1][3], ticked=False)
    notes_desarrollo = text_block(_l("Notas: Educativa y de Desarrollo Profesional"))
    covered_apoyo = checklist(_l("Incluye (temas tratados)"), FUNCTIONS[2][3], ticked=False)
    notes_apoyo = text_block(_l("Notas: De Apoyo"))

    open_cases, high_risk_cases, medium_risk_cases = case_counts(
        _l("Casos abiertos"), _l("Casos de alto riesgo"), _l("Casos de riesgo medio"))
    new_cases = count_field(_l("Casos nuevos desde la sesión anterior"))
    closed_cases = count_field(_l("Casos cerrados desde la sesión anterior"))

    learning_goals = rows(LearningGoalRow, _l("Plan de aprendizaje personal"),
                          row_label=_l("Objetivo"), add_label=_l("Añadir objetivo"))
    wellbeing = text_block(_l("Bienestar y autocuidado"),
                           description=_l("Cómo se encuentra el trabajador/a social y qué hará "
                                          "para cuidarse."))
    agreements = rows(ActionRow, _l("Acuerdos"), row_label=_l("Acuerdo"),
                      add_label=_l("Añadir acuerdo"))
    next_session_date = date_field(_l("Fecha de la próxima sesión"))

    function_fields = (("covered_gestion", "notes_gestion"),
                       ("covered_desarrollo", "notes_desarrollo"),
                       ("covered_apoyo", "notes_apoyo"))
    carried_by = {name: "functions" for pair in function_fields for name in pair} | {
        "duration_minutes": "duration"}
    privacy_reminder = PRIVACY_REMINDER
    about = ((_l("Definición"), DEFINITION), (_l("Equilibrio de las funciones"), BALANCE),
             (_l("Estructuras de la supervisión"), _joined(*STRUCTURE, separator="; ")))
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
        (None, ("agreements",)),
        (_l("Próxima sesión"), ("next_session_date",)),
    )

    def validate_previous_session_date(self, field):
        if field.data and self.session_date.data and field.data >= self.session_date.data:
            raise ValidationError(_l("La sesión anterior debe ser anterior a esta."))

    def validate_next_session_date(self, field):
        if field.data and self.session_date.data and field.data <= self.session_date.data:
            raise ValidationError(_l("La próxima sesión debe ser posterior a esta."))

    def record_date(self):
        return self.session_date.data

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
            warnings.setdefault("covered_apoyo", []).append(_l(
                "No se cubrieron las tres funciones de la supervisión; la guía pide proveerlas "
                "en equilibrio."))
        return warnings

    def blank_extra_context(self, values: dict, locale: str) -> dict:
        return _blank_supervision_context(values)

    def extra_context(self, values: dict, locale: str) -> dict:
        covered = self.covered_functions()
        functions = [
            {"name": name, "purpose": purpose, "covered": is_covered,
             "entries": [{"text": item, "ticked": str(index) in (self[covered_field].data or ())}
                       for index, item in enumerate(items)],
             "notes": self[notes_field].data or ""}
            for (_, name, purpose, items), (covered_field, notes_field), is_covered
            in zip(FUNCTIONS, self.function_fields, covered)]
        missing = [function["name"] for function in functions if not function["covered"]]
        if missing:
            balance = _l("Funciones cubiertas: %(count)d de 3. Faltó: %(missing)s. %(rule)s",
                         count=3 - len(missing), missing=", ".join(str(m) for m in missing),
                         rule=BALANCE)
        else:
            balance = _l("Funciones cubiertas: 3 de 3. La sesión cubrió en equilibrio las tres "
                         "funciones de la supervisión.")
        return {"functions": functions, "balance": balance,
                "duration": format_duration(self.duration_minutes.data)}


def _blank_supervision_context(values: dict) -> dict:
    functions = [
        {"name": name, "purpose": purpose, "covered": False,
         "entries": [{"text": item, "ticked": False} for item in items],
         "notes": values[notes_field]}
        for (_, name, purpose, items), (_, notes_field)
        in zip(FUNCTIONS, SupervisionIndividualForm.function_fields)]
    return {"functions": functions, "duration": f"{NUMBER} min",
            "balance": _l("Funciones cubiertas: %(count)s de 3. %(rule)s", count=NUMBER,
                          rule=BALANCE)}


MARKS = (("cumple", _l("Cumple")), ("no_cumple", _l("No cumple")), ("no_aplica", _l("No aplica")))


class CriterionRow(RowForm):
    mark = RadioField(_l("Valoración"), choices=[SelectChoice(value, label) for value, label in MARKS],
                      validate_choice=False)
    observation = text_line(_l("Observación"), max_length=500)

    def validate_mark(self, field):
        if field.data and field.data not in dict(MARKS):
            raise ValidationError(_l("Elija cumple, no cumple o no aplica."))


@document_form("verificacion_hitos")
class VerificacionHitosForm(DocumentForm):
    case_code = text_line(_l("Código anónimo del caso"), required=True, max_length=40,
                          description=_l("Solo el código interno: nunca el nombre ni el documento "
                                         "del niño, niña o adolescente."))
    review_date = date_field(_l("Fecha de la revisión"), required=True)
    case_manager = text_line(_l("Gestor(a) de caso"), required=True, max_length=120)
    modality = SelectField(_l("Modalidad"), choices=[
        SelectChoice(key, group) for key, group, _, _ in MODALITY_ROLES],
        validators=[DataRequired(message=_l("Este campo es obligatorio."))])
    moments = checklist(_l("Momentos revisados"),
                        [_joined(m.milestone, m.moment) for m in quality_criteria().moments],
                        ticked=False,
                        description=_l("Valore abajo cada criterio de los momentos elegidos."))
    techniques = checklist(_l("Técnica del MAC utilizada"),
                           [t.name for t in quality_criteria().techniques], ticked=False)
    management_actions = checklist(
        _l("Acciones de gestión acordadas (Tabla 4)"),
        [_joined(level.name, action, separator=": ")
         for level in quality_criteria().management_levels for action in level.actions],
        ticked=False)
    follow_up = rows(ActionRow, _l("Acciones de seguimiento"), row_label=_l("Acción"),
                     add_label=_l("Añadir acción"))

    privacy_reminder = PRIVACY_REMINDER

    def layout(self):
        criteria = [(_joined(m.milestone, m.moment), (f"criteria_{m.key}",))
                    for m in quality_criteria().moments]
        return ((_l("El caso"), ("case_code", "review_date", "case_manager", "modality",
                                  "moments")),
                *criteria,
                (_l("Técnicas y gestión"), ("techniques", "management_actions")),
                (None, ("follow_up",)))

    @property
    def carried_by(self):
        return {f"criteria_{m.key}": "reviewed" for m in quality_criteria().moments} | {
            "moments": "reviewed", "techniques": "techniques_used",
            "management_actions": "management"}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        chosen = self.chosen_moments()
        if not chosen:
            self.moments.errors = [*self.moments.errors, _l("Elija al menos un momento.")]
            valid = False
        for moment in chosen:
            for entry in self[f"criteria_{moment.key}"].entries:
                if not entry.form.mark.data:
                    entry.form.mark.errors = [*entry.form.mark.errors, _l(
                        "Marque cumple, no cumple o no aplica.")]
                    valid = False
        return valid

    def chosen_moments(self):
        chosen = set(self.moments.data or ())
        return [m for index, m in enumerate(quality_criteria().moments) if str(index) in chosen]

    def record_date(self):
        return self.review_date.data

    def collect_warnings(self):
        return personal_data_warnings(self.content_fields())

    def blank_extra_context(self, values: dict, locale: str) -> dict:
        """On paper every moment is printed, each criterion with its three boxes."""
        marks = "   ".join(boxes(label for _, label in MARKS))
        reviewed = [{"milestone": m.milestone, "moment": m.moment, "intro": m.intro,
                     "note": m.note,
                     "criteria": [{"text": _criterion_label(c), "mark": marks,
                                   "observation": ruled(20)} for c in m.criteria],
                     "met": NUMBER, "not_met": NUMBER, "not_applicable": NUMBER,
                     "applicable": NUMBER}
                    for m in quality_criteria().moments]
        techniques = [{"name": f"{BOX} {t.name}", "actions": list(t.actions)}
                      for t in quality_criteria().techniques]
        return {"reviewed": reviewed, "techniques_used": techniques,
                "management": values["management_actions"], "source": quality_criteria().source}

    def extra_context(self, values: dict, locale: str) -> dict:
        labels = dict(MARKS)
        reviewed = []
        for moment in self.chosen_moments():
            marks = [entry.form.mark.data for entry in self[f"criteria_{moment.key}"].entries]
            observations = [entry.form.observation.data or ""
                            for entry in self[f"criteria_{moment.key}"].entries]
            reviewed.append({
                "milestone": moment.milestone, "moment": moment.moment, "intro": moment.intro,
                "note": moment.note,
                "criteria": [{"text": _criterion_label(criterion), "mark": labels.get(mark, ""),
                              "observation": observation}
                             for criterion, mark, observation
                             in zip(moment.criteria, marks, observations)],
                "met": marks.count("cumple"), "not_met": marks.count("no_cumple"),
                "not_applicable": marks.count("no_aplica"),
                "applicable": len(marks) - marks.count("no_aplica"),
            })
        chosen_techniques = set(self.techniques.data or ())
        techniques = [{"name": t.name, "actions": list(t.actions)}
                      for index, t in enumerate(quality_criteria().techniques)
                      if str(index) in chosen_techniques]
        return {"reviewed": reviewed, "techniques_used": techniques,
                "management": values["management_actions"],
                "source": quality_criteria().source}


for _moment in quality_criteria().moments:
    setattr(VerificacionHitosForm, f"criteria_{_moment.key}", fixed_rows(
        CriterionRow, _l("Criterios de calidad"),
        [_criterion_label(criterion) for criterion in _moment.criteria],
        description=_moment.intro))
