"""What the mesa interna mensual shows: its purpose (guide G34.P) and the fields as typed."""
from __future__ import annotations

from webforms.content.g34p import INTERNAL_TABLE
from webforms.documents.contexts import former, signers
from webforms.documents.contexts.base import DocumentContext, document_context


@document_context("mesa_interna")
class MesaInternaContext(DocumentContext):
    date_field = "meeting_date"
    signers = ((signers.CASE_MANAGER, "case_managers.text"),)
    former_values = {"modality": former.MODALITIES}

    def extra(self, form, values: dict, locale: str) -> dict:
        return {"purpose": INTERNAL_TABLE}
