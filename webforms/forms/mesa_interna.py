"""The mesa interna mensual: the case managers of one modality meet each month (guide G34.P,
"Aspectos para tener en cuenta"). Its own module, as every document's form has one.

Its agreements are followed up at the next mesa of the same modality: loaded on request, not as
the page opens. A team's last mesa may be another modality's (a coordinator keeps the mesas of
every modality of the team), and the page knows the modality only once it is chosen (already
chosen when the case manager works in one modality), so the case manager presses the button
after choosing it, and gets the agreements of that modality's last mesa (the modality is the
"subject" carry-forward looks for: documents.contexts.mesa_interna).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from webforms.content.g34p import INTERNAL_TABLE, MODALITY_ROLES
from webforms.forms.base import DocumentForm, document_form
from webforms.forms.carried import ON_REQUEST, carry_rows, open_agreements, previous_data
from webforms.forms.fields import date_field, rows, text_block
from webforms.forms.privacy import PRIVACY_REMINDER, personal_data_warnings
from webforms.forms.rows import ActionRow, PreviousActionRow, text_rows


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
    previous_agreements = rows(
        PreviousActionRow, _l("Seguimiento de acuerdos anteriores"),
        row_label=_l("Acuerdo anterior"), add_label=_l("Añadir acuerdo anterior"),
        description=_l("Los acuerdos de la mesa anterior de la modalidad y los que siguen "
                       "abiertos de mesas anteriores: indique cómo va cada uno."))
    agreements = rows(ActionRow, _l("Acuerdos"), row_label=_l("Acuerdo"),
                      add_label=_l("Añadir acuerdo"))

    about = ((_l("Mesa interna mensual"), INTERNAL_TABLE),)
    privacy_reminder = PRIVACY_REMINDER
    carry_forward = ON_REQUEST
    carry_forward_title = _l("Continuar desde la mesa anterior")
    carry_forward_help = _l(
        "Elija la modalidad y pulse el botón: se añaden, para su seguimiento, los acuerdos de la "
        "última mesa interna de esa modalidad emitida por su equipo y los que siguen abiertos "
        "de mesas anteriores. Lo que ya escribió se conserva.")
    carry_forward_action = _l("Cargar los acuerdos de la mesa anterior de esta modalidad")
    carry_forward_subject_missing = _l(
        "Elija primero la modalidad: se buscan los acuerdos de la mesa anterior de esa "
        "modalidad.")

    def collect_warnings(self):
        return personal_data_warnings(self.content_fields())

    def load_previous(self, embedded: dict) -> str | None:
        """The previous mesa's agreements and the earlier ones it left open, to follow up,
        after those already typed."""
        data = previous_data(embedded, self.document_key)
        if data is None:
            return str(_l("El documento no es una Mesa interna mensual de gestores de caso."))
        added = carry_rows(self.previous_agreements,
                           open_agreements(data, "agreements", "previous_agreements"), "action")
        if not added and any(not entry.form.is_blank() for entry in self.previous_agreements):
            return ""  # the action tracker loaded them first (records.carry_forward)
        return ngettext("Se cargó %(num)d acuerdo abierto para su seguimiento.",
                        "Se cargaron %(num)d acuerdos abiertos para su seguimiento.", added)
