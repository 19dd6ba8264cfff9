"""Training handouts: controlled documents built from the seed texts, with no form behind them.

A handout is declarative like a form: a catalogue entry (``kind = "handout"``), a .docx, and here
the document context that gives its template the texts to print.
"""
from __future__ import annotations

from webforms.content.definitions import DEFINITIONS, MODULE
from webforms.content.g34p import (
    COMPETENCIES,
    COMPETENCIES_NOTES,
    COMPETENCIES_SOURCE,
    COMPETENCIES_TABLE,
    MODALITY_ROLES,
    MODALITY_SOURCE,
    MODALITY_TABLE,
)
from webforms.content.supervision import (
    BALANCE,
    DEFINITION,
    FUNCTIONS,
    ORIENTATION,
    PROTECTION_PRACTICE,
    QUALITY,
    STRUCTURE,
)
from webforms.documents.contexts.base import HandoutContext, document_context


@document_context("material_supervision")
class SupervisionFunctions(HandoutContext):
    def printed_context(self, locale: str) -> dict:
        return {
            "definition": DEFINITION, "orientation": ORIENTATION, "balance": BALANCE,
            "quality": QUALITY,
            "functions": [{"number": number, "name": name, "purpose": purpose,
                           "entries": list(items)}
                          for number, (_, name, purpose, items) in enumerate(FUNCTIONS, start=1)],
            "protection": list(PROTECTION_PRACTICE),
            "structure": list(STRUCTURE),
        }


@document_context("material_definiciones")
class CaseManagementDefinitions(HandoutContext):
    def printed_context(self, locale: str) -> dict:
        return {"module": MODULE,
                "definitions": [{"title": title, "text": text} for title, text in DEFINITIONS]}


@document_context("material_competencias")
class Competencies(HandoutContext):
    def printed_context(self, locale: str) -> dict:
        return {"groups": [{"group": group, "entries": list(items)}
                           for _, group, items in COMPETENCIES],
                "caption": COMPETENCIES_TABLE, "source": COMPETENCIES_SOURCE,
                "notes": [{"mark": mark, "text": text} for mark, text in COMPETENCIES_NOTES]}


@document_context("material_rol_modalidades")
class RoleByModality(HandoutContext):
    def printed_context(self, locale: str) -> dict:
        return {"groups": [{"group": group, "introduction": introduction or "",
                            "aspects": list(aspects)}
                           for _, group, introduction, aspects in MODALITY_ROLES],
                "source": MODALITY_SOURCE, "caption": MODALITY_TABLE}
