"""Lista de verificación de criterios de calidad por hito (guide G34.P, Tablas 2–4): the page.
Its criteria come from ``content/quality_criteria.toml``; one fixed row group per moment."""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from webforms.content.g34p import MODALITY_ROLES
from webforms.content.quality import quality_criteria
from webforms.forms.base import DocumentForm, RowForm, document_form
from webforms.forms.fields import ShownWhen, checklist, date_field, fixed_rows, joined_text, rows, text_line
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings
from webforms.forms.rows import ActionRow


def criterion_label(criterion):
    """"Macro gestión: Realizar gestiones…", translated when shown."""
    if not criterion.group:
        return criterion.text
    return LazyString(lambda: f"{criterion.group}: {criterion.text}")


MARKS = (("met", _l("Cumple")), ("not_met", _l("No cumple")),
         ("not_applicable", _l("No aplica")))


class CriterionRow(RowForm):
    mark = RadioField(_l("Valoración"), choices=[SelectChoice(value, label) for value, label in MARKS],
                      validate_choice=False)
    observation = text_line(_l("Observación"), max_length=500)

    def validate_mark(self, field):
        if field.data and field.data not in dict(MARKS):
            raise ValidationError(_l("Elija cumple, no cumple o no aplica."))


@document_form("verificacion_hitos")
class VerificacionHitosForm(DocumentForm):
    # The supervisor's check of a case's milestones, and the case manager's own tool (G34.P).
    roles = ("supervisor", "gestor_caso")
    stable_fields = ("case_manager", "modality")
    case_code = text_line(_l("Código anónimo del caso"), required=True, max_length=40,
                          description=_l("Solo el código interno: nunca el nombre ni el documento "
                                         "del niño, niña o adolescente."))
    review_date = date_field(_l("Fecha de la revisión"), required=True)
    case_manager = text_line(_l("Gestor(a) de caso"), required=True, max_length=120)
    modality = SelectField(_l("Modalidad"), choices=[
        SelectChoice(key, group) for key, group, _, _ in MODALITY_ROLES],
        validators=[DataRequired(message=_l("Este campo es obligatorio."))])
    moments = checklist(_l("Momentos revisados"),
                        [joined_text(m.milestone, m.moment) for m in quality_criteria().moments],
                        ticked=False,
                        description=_l("Valore abajo cada criterio de los momentos elegidos."))
    techniques = checklist(_l("Técnica del MAC utilizada"),
                           [t.name for t in quality_criteria().techniques], ticked=False)
    management_actions = checklist(
        _l("Acciones de gestión acordadas (Tabla 4)"),
        [joined_text(level.name, action, separator=": ")
         for level in quality_criteria().management_levels for action in level.actions],
        ticked=False)
    follow_up = rows(ActionRow, _l("Acciones de seguimiento"), row_label=_l("Acción"),
                     add_label=_l("Añadir acción"))

    privacy_reminder = PRIVACY_REMINDER

    def layout(self):
        criteria = [(joined_text(m.milestone, m.moment), (f"criteria_{m.key}",))
                    for m in quality_criteria().moments]
        return ((_l("El caso"), ("case_code", "review_date", "case_manager", "modality",
                                  "moments")),
                *criteria,
                (_l("Técnicas y gestión"), ("techniques", "management_actions")),
                (None, ("follow_up",)))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        chosen = self.chosen_moments()
        if not chosen:
            self.moments.errors = [*self.moments.errors, _l("Elija al menos un momento.")]
            valid = False
        for moment in chosen:
            for criterion, entry in zip(moment.criteria, self[f"criteria_{moment.key}"].entries):
                if not criterion.lead_in and not entry.form.mark.data:
                    entry.form.mark.errors = [*entry.form.mark.errors, _l(
                        "Marque cumple, no cumple o no aplica.")]
                    valid = False
        return valid

    def chosen_moments(self):
        chosen = set(self.moments.data or ())
        return [m for index, m in enumerate(quality_criteria().moments) if str(index) in chosen]

    def collect_warnings(self):
        return personal_data_warnings(self.content_fields())


for _index, _moment in enumerate(quality_criteria().moments):
    # Shown on the page only while its moment is ticked in "Momentos revisados".
    setattr(VerificacionHitosForm, f"criteria_{_moment.key}", fixed_rows(
        CriterionRow, _l("Criterios de calidad"),
        [criterion_label(criterion) for criterion in _moment.criteria],
        description=_moment.intro, shown_when=ShownWhen("moments", str(_index)),
        lead_ins=[position for position, criterion in enumerate(_moment.criteria)
                  if criterion.lead_in]))
