"""Row forms reused by several documents."""
from flask_babel import lazy_gettext as _l

from webforms.forms.base import RowForm
from webforms.forms.fields import date_field, rows, text_block, text_line


class ActionRow(RowForm):
    """An agreed action: what, who and by when."""

    action = text_block(_l("Acción"), required=True, max_length=1000, max_lines=15)
    responsible = text_line(_l("Responsable"), required=True)
    deadline = date_field(_l("Plazo"))


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
