"""Keeping children's personal data out of the records ("se necesita conocer").

Forms about cases show a reminder and warn, before the download, when a text seems to identify
someone: numbers (identity documents, phones), e-mail addresses, ages and birth dates anywhere;
and, in the free-text narratives, people's names: a common given name followed by a capitalised
word ("Valentina Gutiérrez", "Juan David"), or a word for a child or a relative followed by one
("la niña Valentina", "su madre Luisa"). Names of the staff typed in their own fields (the
supervisor, the workers present) are not narratives and are not checked for names.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from .base import fields_with_owner

GIVEN_NAMES_FILE = Path(__file__).resolve().parent.parent / "content" / "given_names.txt"

# Shown above every form about cases: the "need to know" principle of the seeds.
PRIVACY_REMINDER = _l(
    "No escriba nombres de niñas, niños o adolescentes ni datos que permitan identificarlos a ellos "
    "o a sus familias (documento, dirección, teléfono, escuela, fecha de nacimiento). Describa los "
    "casos de forma anónima: solo lo que el equipo necesita conocer.")

PERSONAL_DATA_PATTERNS = (
    re.compile(r"\b\d{6,}\b"),  # identity document or phone numbers
    re.compile(r"\b\d{3}[\s.-]\d{3,4}[\s.-]\d{3,4}\b"),  # formatted phone numbers
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # e-mail addresses
    re.compile(r"\b\d{1,2}\s*(años|meses)\b", re.IGNORECASE),  # a child's age
    re.compile(r"\bnacid[oa]s?\b|\bfecha de nacimiento\b", re.IGNORECASE),
)

CAPITALISED = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+"
# A child or a relative (any case), then, maybe after a comma, a capitalised word that is not
# itself such a word: "la niña Valentina", "su madre, Luisa", but not "Niños, Niñas y …".
RELATIVE_WORDS = (r"niñ[oa]s?|menor(?:es)?|bebés?|adolescentes?|jóvenes|joven|hij[oa]s?|"
                  r"herman(?:it)?[oa]s?|prim[oa]s?|madre|padre|mamá|papá|abuel[oa]s?|tí[oa]s?|"
                  r"padrastro|madrastra|sobrin[oa]s?|cuidador(?:a)?|acudiente|señor(?:a)?")
RELATIVE = re.compile(rf"\b(?i:{RELATIVE_WORDS})\s*,?\s+(?!(?i:{RELATIVE_WORDS}|famil|y\b|e\b))"
                      + CAPITALISED)

PERSONAL_DATA_WARNING = _l(
    "Parece contener datos que identifican a una persona (número de documento o de teléfono, "
    "correo, edad o fecha de nacimiento). Según el principio de «se necesita conocer», deje solo lo "
    "imprescindible y nunca nombres ni datos de niñas, niños o adolescentes.")
NAME_WARNING = _l(
    "Parece contener el nombre de una persona. Describa el caso sin nombres de niñas, niños, "
    "adolescentes ni de sus familias: use un código o una descripción general.")


@cache
def _given_name() -> re.Pattern:
    names = [line.strip() for line in GIVEN_NAMES_FILE.read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\s+{CAPITALISED}")


def may_identify_someone(text: str) -> bool:
    return any(pattern.search(text) for pattern in PERSONAL_DATA_PATTERNS)


def may_name_someone(text: str) -> bool:
    """Whether a narrative seems to hold a person's name (see the module's docstring)."""
    return bool(_given_name().search(text) or RELATIVE.search(text))


def personal_data_warnings(fields) -> dict[str, list]:
    """Warn on free-text fields that look like they hold identifying data."""
    warnings = {}
    for _owner, field in fields_with_owner(None, fields):
        messages = _messages_for(field)
        if messages:
            warnings[field.name] = messages
    return warnings


def _messages_for(field) -> list:
    value = field.data
    if not isinstance(value, str):
        return []
    messages = [PERSONAL_DATA_WARNING] if may_identify_someone(value) else []
    if isinstance(field, TextAreaField) and may_name_someone(value):
        messages.append(NAME_WARNING)
    return messages
