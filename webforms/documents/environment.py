"""The Jinja environment every .docx template is rendered with."""
from functools import cache

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from webforms.text import to_docx_text


@cache
def document_environment() -> SandboxedEnvironment:
    """Sandboxed, autoescaping and strict: a template cannot reach Python internals, a user's ``&<>``
    cannot break the XML, and a misspelt placeholder fails loudly instead of printing nothing.

    The environment holds configuration only, so one instance per process is safe to share.
    """
    return SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=to_docx_text,
        keep_trailing_newline=True,
    )
