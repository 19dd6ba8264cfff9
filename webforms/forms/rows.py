"""Row forms reused by several documents."""
from flask_babel import lazy_gettext as _l

from .base import RowForm
from .fields import date_field, text_block, text_line


class ActionRow(RowForm):
    """An agreed action: what, who and by when."""

    action = text_block(_l("Acción"), required=True, max_length=1000, max_lines=15)
    responsible = text_line(_l("Responsable"), required=True)
    deadline = date_field(_l("Plazo"))
