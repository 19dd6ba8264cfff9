"""Training handouts: controlled documents built from the seed texts, with no form behind them.

A handout is declarative like a form: a catalogue entry (``kind = "material"``), a .docx, and here
the function that gives its template the texts to print.
"""
from __future__ import annotations

from .content.definitions import DEFINITIONS, MODULE
from .content.g34p import COMPETENCIES, MODALITY_ROLES, MODALITY_SOURCE
from .content.supervision import (
    BALANCE,
    DEFINITION,
    FUNCTIONS,
    ORIENTATION,
    PROTECTION_PRACTICE,
    QUALITY,
    STRUCTURE,
)

HANDOUTS = {}


def handout(key: str):
    def register(build):
        HANDOUTS[key] = build
        return build
    return register


@handout("material_supervision")
def supervision_functions() -> dict:
    return {
        "definition": DEFINITION, "orientation": ORIENTATION, "balance": BALANCE,
        "quality": QUALITY,
        "functions": [{"number": number, "name": name, "purpose": purpose,
                       "entries": list(items)}
                      for number, (_, name, purpose, items) in enumerate(FUNCTIONS, start=1)],
        "protection": list(PROTECTION_PRACTICE),
        "structure": list(STRUCTURE),
    }


@handout("material_definiciones")
def case_management_definitions() -> dict:
    return {"module": MODULE,
            "definitions": [{"title": title, "text": text} for title, text in DEFINITIONS]}


@handout("material_competencias")
def competencies() -> dict:
    return {"groups": [{"group": group, "entries": list(items)}
                       for _, group, items in COMPETENCIES]}


@handout("material_rol_modalidades")
def role_by_modality() -> dict:
    return {"groups": [{"group": group, "introduction": introduction or "",
                        "aspects": list(aspects)}
                       for _, group, introduction, aspects in MODALITY_ROLES],
            "source": MODALITY_SOURCE}
