"""What the Registro de la Reunión de Gestión de Casos shows: the seed's texts, the agenda with
the notes of each section, the meeting's duration in words, and the follow-up of the previous
meeting's actions (template version 2 on)."""
from __future__ import annotations

from webforms.content.registro import (
    AGENDA,
    CONFIDENTIALITY_AGREEMENT,
    EXTENDED_KINDS,
    EXTENDED_MEETINGS,
    INTRODUCTION,
)
from webforms.documents.contexts import signers
from webforms.documents.contexts.base import DocumentContext, document_context, format_duration
from webforms.documents.contexts.blank import NUMBER

FOLLOW_UP = "previous_actions"  # the row group added with template version 2


@document_context("registro_reunion")
class RegistroReunionContext(DocumentContext):
    shown_through = {name: "agenda" for name, _, _ in AGENDA} | {"duration_minutes": "duration"}
    date_field = "meeting_date"
    signers = ((signers.SUPERVISOR, "supervisor_name"), (signers.SOCIAL_WORKER, "workers.name"))
    former_values = {
        "meeting_type": {"extendida": "extended"},
        "extended_kind": {"tematica": "thematic", "discusion_caso": "case_discussion",
                          "orador_invitado": "guest_speaker"},
    }

    def extra(self, form, values: dict, locale: str) -> dict:
        return {
            "introduction": [{"title": title, "text": text} for title, text in INTRODUCTION],
            "extended_meetings": {
                "intro": EXTENDED_MEETINGS,
                "kinds": [{"label": label, "text": text} for _, label, text in EXTENDED_KINDS],
            },
            "confidentiality_agreement": CONFIDENTIALITY_AGREEMENT,
            "agenda": [
                {"title": title, "guidance": [{"level": level, "text": text}
                                              for level, text in guidance],
                 "notes": values[name]}
                for name, title, guidance in AGENDA
            ],
            "duration": format_duration(form.duration_minutes.data),
        }

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        return self.extra(form, values, locale) | {"duration": f"{NUMBER} min"}

    def embedded_data(self, form) -> dict:
        """The form's values. An empty follow-up of the previous meeting's actions is left out:
        the copies issued before the follow-up existed carry no such value, and a saved copy is
        rendered again byte for byte from its data, embedded data included."""
        values = super().embedded_data(form)
        if not values.get(FOLLOW_UP):
            values.pop(FOLLOW_UP, None)
        return values

    def restore(self, data: dict) -> dict:
        """Embedded data's values under today's names, with no follow-up when it carries none."""
        return {FOLLOW_UP: []} | super().restore(data)
