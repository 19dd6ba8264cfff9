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

from webforms.forms.base import fields_with_owner

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
    re.compile(r"\bnacid[oa]s?\b|\bfecha de nacimiento\b", re.IGNORECASE),
)
# A child's age ("de 3 años", "tiene 14 años"), but not a span of time: the word before tells
# ("a 3 meses", "cada 3 meses", "durante 2 años" are durations, never ages).
AGE = re.compile(r"(?:\b(\w+)\s+)?\b\d{1,2}\s*(?:años|meses)\b", re.IGNORECASE)
DURATION_WORDS = frozenset({"a", "en", "cada", "durante", "por", "hace", "tras", "después",
                            "dentro", "plazo", "próximos", "últimos", "primeros", "hasta",
                            "desde", "los", "unos", "al", "menos", "más"})

CAPITALISED = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+"
# A child or a relative (any case), then, maybe after a comma, a capitalised word that is not
# itself such a word: "la niña Valentina", "su madre, Luisa", but not "Niños, Niñas y …".
RELATIVE_WORDS = (r"niñ[oa]s?|menor(?:es)?|bebés?|adolescentes?|jóvenes|joven|hij[oa]s?|"
                  r"herman(?:it)?[oa]s?|prim[oa]s?|madre|padre|mamá|papá|abuel[oa]s?|tí[oa]s?|"
                  r"padrastro|madrastra|sobrin[oa]s?|cuidador(?:a)?|acudiente|señor(?:a)?")
RELATIVE = re.compile(rf"\b(?i:{RELATIVE_WORDS})\s*,?\s+(?!(?i:{RELATIVE_WORDS}|famil|y\b|e\b))"
                      + CAPITALISED)



def personal_data_warning(words: str):
    return _l(
        "Parece contener datos que identifican a una persona (número de documento o de "
        "teléfono, correo, edad o fecha de nacimiento): «%(words)s». Según el principio de «se "
        "necesita conocer», deje solo lo imprescindible y nunca nombres ni datos de niñas, niños "
        "o adolescentes.", words=words)


def name_warning(words: str):
    return _l(
        "Parece contener el nombre de una persona: «%(words)s». Describa el caso sin nombres de "
        "niñas, niños, adolescentes ni de sus familias: use un código o una descripción "
        "general.", words=words)


WORDS_SHOWN = 3  # at most this many findings are quoted in one warning


@cache
def _given_name() -> re.Pattern:
    names = [line.strip() for line in GIVEN_NAMES_FILE.read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\s+{CAPITALISED}")


def identifying_words(text: str) -> list[str]:
    """The words of ``text`` that look like identifying data (numbers, e-mails, ages…)."""
    found = [match.group(0) for pattern in PERSONAL_DATA_PATTERNS
             for match in pattern.finditer(text)]
    found += [match.group(0).strip() for match in AGE.finditer(text)
              if (match.group(1) or "").casefold() not in DURATION_WORDS]
    return found


def naming_words(text: str) -> list[str]:
    """The words of a narrative that seem to hold a person's name (see the module's
    docstring)."""
    return [match.group(0) for pattern in (_given_name(), RELATIVE)
            for match in pattern.finditer(text)]


def may_identify_someone(text: str) -> bool:
    return bool(identifying_words(text))


def may_name_someone(text: str) -> bool:
    """Whether a narrative seems to hold a person's name (see the module's docstring)."""
    return bool(naming_words(text))


def personal_data_warnings(fields) -> dict[str, list]:
    """Warn on free-text fields that look like they hold identifying data."""
    warnings = {}
    for _owner, field in fields_with_owner(None, fields):
        messages = _messages_for(field)
        if messages:
            warnings[field.name] = messages
    return warnings


def _messages_for(field) -> list:
    """The warnings of one field, each quoting the words that raised it."""
    value = field.data
    if not isinstance(value, str):
        return []
    messages = []
    identifying = identifying_words(value)
    if identifying:
        messages.append(personal_data_warning(_quoted(identifying)))
    naming = naming_words(value) if isinstance(field, TextAreaField) else []
    if naming:
        messages.append(name_warning(_quoted(naming)))
    return messages


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    return "», «".join(unique[:WORDS_SHOWN])
