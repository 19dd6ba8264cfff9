"""What the mesa interna mensual shows: its purpose (guide G34.P) and the fields as typed; from
template version 3, the follow-up of earlier agreements.

The mesa's subject, for carry-forward (records.carry_forward), is its modality: the next mesa of
the same modality follows up its agreements (see forms.mesa_interna)."""
from __future__ import annotations

from webforms.content.g34p import INTERNAL_TABLE
from webforms.documents.contexts import former, signers
from webforms.documents.contexts.base import DocumentContext, document_context
from webforms.documents.contexts.follow_up import with_defaults, without_defaults

# Added with template version 3: an empty follow-up.
FOLLOW_UP_DEFAULTS = {"previous_agreements": []}


@document_context("mesa_interna")
class MesaInternaContext(DocumentContext):
    date_field = "meeting_date"
    subject_field = "modality"
    signers = ((signers.CASE_MANAGER, "case_managers.text"),)
    former_values = {"modality": former.MODALITIES}

    def extra(self, form, values: dict, locale: str) -> dict:
        return {"purpose": INTERNAL_TABLE}

    def embedded_data(self, form) -> dict:
        """The form's values, without an empty follow-up (see follow_up.without_defaults)."""
        return without_defaults(super().embedded_data(form), FOLLOW_UP_DEFAULTS)

    def restore(self, data: dict) -> dict:
        return with_defaults(super().restore(data), FOLLOW_UP_DEFAULTS)
