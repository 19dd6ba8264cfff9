"""Row forms reused by several documents."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from webforms.forms.base import RowForm
from webforms.forms.carried import FOLLOW_UP_STATUSES
from webforms.forms.fields import date_field, rows, text_block, text_line


class ActionRow(RowForm):
    """An agreed action: what, who and by when."""

    action = text_block(_l("Acción"), required=True, max_length=1000, max_lines=15)
    responsible = text_line(_l("Responsable"), required=True)
    deadline = date_field(_l("Plazo"))


class PreviousActionRow(RowForm):
    """An action or agreement of an earlier meeting and how it went since (the Registro's
    follow-up of the previous meeting's actions, the follow-up of earlier agreements of the Mesa
    interna and the Supervisión Individual)."""

    action = text_block(_l("Acción acordada"), required=True, max_length=1000, max_lines=15)
    responsible = text_line(_l("Responsable"))
    deadline = date_field(_l("Plazo"))
    status = SelectField(
        _l("Estado"),
        choices=[SelectChoice(value, label)
                 for value, label in (("", _l("— Elija —")), *FOLLOW_UP_STATUSES)],
        validators=[DataRequired(message=_l(
            "Indique si la acción se cumplió, sigue en curso, no se cumplió o se canceló (ya no "
            "aplica)."))])
    note = text_block(_l("Nota"), max_length=1000, max_lines=15)


def text_rows(label, defaults=(), row_label=None, add_label=None, max_length=1000, maximum=40,
              one_line=False):
    """An editable list of sentences (or, ``one_line``, of short entries such as the names of
    the staff present), pre-filled with ``defaults``: each can be changed or removed, and more
    can be added."""
    entry = (text_line(row_label or label, required=True, max_length=max_length) if one_line
             else text_block(row_label or label, required=True, max_length=max_length,
                             max_lines=15))

    class SentenceRow(RowForm):
        text = entry

    return rows(SentenceRow, label, maximum=maximum, row_label=row_label, add_label=add_label,
                default=lambda: [{"text": text} for text in defaults])
