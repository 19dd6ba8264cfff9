"""The mesa interna mensual: the case managers of one modality meet each month (guide G34.P,
"Aspectos para tener en cuenta"). Its own module, as every document's form has one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from webforms.content.g34p import INTERNAL_TABLE, MODALITY_ROLES
from webforms.forms.base import DocumentForm, document_form
from webforms.forms.fields import date_field, rows, text_block
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings
from webforms.forms.rows import ActionRow, text_rows


@document_form("mesa_interna")
class MesaInternaForm(DocumentForm):
    # "Cada mes los gestores de caso de cada modalidad realizarán una mesa interna" (G34.P):
    # case managers hold it; the regional coordinators also keep it.
    roles = ("coordinador", "gestor_caso")
    modality_field = "modality"
    stable_fields = ("modality", "case_managers")
    meeting_date = date_field(_l("Fecha"), required=True)
    modality = RadioField(_l("Modalidad"), choices=[
        SelectChoice(key, group) for key, group, _, _ in MODALITY_ROLES],
        validators=[DataRequired(message=_l("Elija la modalidad."))])
    case_managers = text_rows(_l("Gestores de caso presentes"), row_label=_l("Gestor(a) de caso"),
                              add_label=_l("Añadir gestor(a) de caso"), max_length=120,
                              one_line=True)
    difficulties = text_block(_l("Dificultades en los procesos de atención"), required=True,
                              description=_l("Sin nombres ni datos que identifiquen a niñas, "
                                             "niños, adolescentes o sus familias."))
    good_practices = text_block(_l("Buenas prácticas compartidas"))
    agreements = rows(ActionRow, _l("Acuerdos"), row_label=_l("Acuerdo"),
                      add_label=_l("Añadir acuerdo"))

    about = ((_l("Mesa interna mensual"), INTERNAL_TABLE),)
    privacy_reminder = PRIVACY_REMINDER

    def collect_warnings(self):
        return personal_data_warnings(self.content_fields())
