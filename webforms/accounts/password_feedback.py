"""Why a password is refused, in the reader's language.

Flask-Security-Too refuses a weak password with zxcvbn's own warning ("This is a very common
password."), an English text its catalogs cannot translate. :class:`TranslatedPasswordUtil` (the
library's ``password_util_cls`` hook) puts each of zxcvbn's warnings through our catalog instead;
the library's other messages (too short, too simple) already come from its own.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_security import PasswordUtil

# Every warning zxcvbn's feedback gives (zxcvbn/feedback.py), by its English text.
ZXCVBN_WARNINGS = {
    "Straight rows of keys are easy to guess.":
        _l("Las filas seguidas de teclas son fáciles de adivinar."),
    "Short keyboard patterns are easy to guess.":
        _l("Los patrones cortos del teclado son fáciles de adivinar."),
    'Repeats like "aaa" are easy to guess.':
        _l("Las repeticiones como «aaa» son fáciles de adivinar."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("Las repeticiones como «abcabcabc» son apenas más difíciles de adivinar que «abc»."),
    'Sequences like "abc" or "6543" are easy to guess.':
        _l("Las secuencias como «abc» o «6543» son fáciles de adivinar."),
    "Recent years are easy to guess.": _l("Los años recientes son fáciles de adivinar."),
    "Dates are often easy to guess.": _l("Las fechas suelen ser fáciles de adivinar."),
    "This is a top-10 common password.": _l("Es una de las 10 contraseñas más comunes."),
    "This is a top-100 common password.": _l("Es una de las 100 contraseñas más comunes."),
    "This is a very common password.": _l("Es una contraseña muy común."),
    "This is similar to a commonly used password.":
        _l("Se parece a una contraseña muy usada."),
    "A word by itself is easy to guess.": _l("Una palabra sola es fácil de adivinar."),
    "Names and surnames by themselves are easy to guess.":
        _l("Los nombres y apellidos solos son fáciles de adivinar."),
    "Common names and surnames are easy to guess.":
        _l("Los nombres y apellidos comunes son fáciles de adivinar."),
}
ADVICE = _l("Use varias palabras poco comunes, con espacios si quiere.")


def translated(messages: list | None) -> list | None:
    """``messages`` with zxcvbn's warnings in the reader's language, followed by the advice."""
    if not messages:
        return messages
    if not any(message in ZXCVBN_WARNINGS for message in messages):
        return messages
    return [str(ZXCVBN_WARNINGS.get(message, message)) for message in messages] + [str(ADVICE)]


class TranslatedPasswordUtil(PasswordUtil):
    """The library's checks (length, complexity), their verdicts in the reader's language."""

    def validate(self, password: str, is_register: bool, **kwargs):
        messages, normalized = super().validate(password, is_register, **kwargs)
        return translated(messages), normalized
