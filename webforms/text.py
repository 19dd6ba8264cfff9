"""Turning user-typed values into safe WordprocessingML text: the forms clean what is typed, the
documents escape it (a module of its own, below both, so neither imports the other).

A value typed in a browser is data, never markup or template code. Word's XML forbids most control
characters (``\\x07`` would even become a paragraph, ``\\x0c`` a page break), so they are dropped, and
the browser's ``\\r\\n`` line ends become ``\\n``, which docxtpl turns into line breaks.
"""
import re

from markupsafe import Markup, escape

# Characters XML 1.0 forbids, C1 controls and DEL (never meaningful in typed text), lone surrogates,
# and the non-characters U+FFFE/U+FFFF. Tab and line feed are kept.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Normalise line ends and drop the characters a .docx cannot hold."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", value)


def to_docx_text(value) -> Markup:
    """Jinja ``finalize`` hook: every ``{{ value }}`` in a template passes through here.

    Markup made by trusted code passes unchanged. Anything else is cleaned and escaped. Underscores are
    written as the character reference ``&#95;`` because docxtpl rewrites ``{_{``, ``}_}``, ``{_%`` and
    ``%_}`` in its output after rendering, which would otherwise alter what the user typed; the
    reference is the same character to any XML reader.
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(clean_text(str(value)))).replace("_", "&#95;"))
