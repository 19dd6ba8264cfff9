"""What the Conferencia ampliada shows: the guide's texts (4.1, Tabla 7), who took part on each
side, barriers, the action plan, and the commitments followed with a count by status."""
from __future__ import annotations

from webforms.content.g34p import (
    CONFERENCE_ASPECTS,
    CONFERENCE_CONVENING,
    CONFERENCE_FREQUENCY,
    CONFERENCE_PARTICIPANTS,
    CONFERENCE_PURPOSES,
    CONFERENCE_RESULTS,
    CONFERENCE_TABLE,
    CONVENING,
    GUIDE_SOURCE_2022,
    OPERATOR_CONTRIBUTION,
    OPERATOR_PARTICIPANTS,
    REGIONAL_CONTRIBUTION,
    REGIONAL_PARTICIPANTS,
)
from webforms.documents.contexts import former, signers
from webforms.documents.contexts.base import DocumentContext, document_context
from webforms.documents.contexts.blank import NUMBER, ruled
from webforms.forms.carried import CANCELLED
from webforms.forms.conferencia import COMMITMENT_STATUSES


@document_context("conferencia_ampliada")
class ConferenciaAmpliadaContext(DocumentContext):
    shown_through = {"regional_participants": "regional.participants",
                     "operator_participants": "operator.participants",
                     "commitments": "commitments_followed.rows"}
    date_field = "conference_date"
    signers = ((signers.CONVENER, "convener_name"), (signers.REGIONAL, "regional_participants.name"),
               (signers.OPERATOR, "operator_participants.name"))
    former_values = {
        "mode": {"presencial": "in_person", "mixta": "hybrid"},
        "convened_by": {"coordinacion": "coordination", "enlace_modalidad": "modality_liaison",
                        "delegado": "delegate"},
        "operator_participants.role": {"gestor": "case_manager", "coordinador": "coordinator"},
        "operator_participants.modality": former.MODALITIES,
        "commitments.status": {"cumplido": "done", "en_curso": "in_progress",
                               "no_cumplido": "not_done"},
    }

    def extra(self, form, values: dict, locale: str) -> dict:
        regional = [
            {"role": role, "attending": entry.form.attending.data,
             "name": entry.form.name.data or ""}
            for role, entry in zip(REGIONAL_PARTICIPANTS, form.regional_participants.entries)]
        statuses = [str(entry["status"].value) for entry in values["commitments"]]
        return {
            "purposes": list(CONFERENCE_PURPOSES),
            "frequency": CONFERENCE_FREQUENCY,
            "results": list(CONFERENCE_RESULTS),
            # The guide's texts around Tabla 7 (template version 2 on).
            "convening": {"intro": CONVENING, "entries": list(CONFERENCE_CONVENING)},
            "participants_intro": CONFERENCE_PARTICIPANTS,
            "table_caption": CONFERENCE_TABLE,
            "source": GUIDE_SOURCE_2022,
            "aspects": list(CONFERENCE_ASPECTS),
            "regional": {"participants": regional, "contribution": REGIONAL_CONTRIBUTION},
            "operator": {"participants": values["operator_participants"],
                         "contribution": OPERATOR_CONTRIBUTION,
                         "guidance": list(OPERATOR_PARTICIPANTS)},
            "commitments_followed": {
                "rows": values["commitments"],
                # "Cancelado" came later: counted when some commitment has it, so a copy
                # issued before it existed renders again as it was issued.
                "counts": [{"label": label, "count": statuses.count(key)}
                           for key, label in COMMITMENT_STATUSES
                           if key != CANCELLED or key in statuses],
            },
        }

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        context = self.extra(form, values, locale)
        context["regional"]["participants"] = [
            {"role": role, "attending": False, "name": ruled()} for role in REGIONAL_PARTICIPANTS]
        context["commitments_followed"]["counts"] = [
            {"label": label, "count": NUMBER} for key, label in COMMITMENT_STATUSES
            if key != "cancelled"]  # the blank form as printed before "Cancelado"
        return context
