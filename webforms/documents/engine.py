"""The single rendering entry point for controlled documents.

Every form, and later the blank templates, the PDF export and the batch generation, goes through
:func:`render_document`, so escaping, cleaning, the controlled frame and the core properties are
decided in one place.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate

from ..catalogue import ControlledDocument
from .controlled import FrameTexts, append_change_history, apply_controlled_frame, set_core_properties
from .environment import document_environment
from .record import embed_record

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters that are unsafe in a file name on some system or in an HTTP header.
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@dataclass(frozen=True)
class Branding:
    """Who issues the document: the organization's name and, optionally, its logo."""

    organization: str
    logo: Path | None = None


@dataclass(frozen=True)
class Issue:
    """What makes a copy traceable: its number, when it was produced, and from which template."""

    number: str
    issued_at: dt.datetime
    version: int
    template_sha256: str


@dataclass(frozen=True)
class RenderedDocument:
    data: bytes
    filename: str
    mimetype: str = DOCX_MIMETYPE
    issue: Issue | None = None


def _untranslated(text: str) -> str:
    return text


def template_sha256(path: Path) -> str:
    """The template's content hash; read again only when the file changes on disk."""
    stat = Path(path).stat()
    return _sha256_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _sha256_of(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def render_document(document: ControlledDocument, context: dict, branding: Branding,
                    frame_texts: FrameTexts, *, language: str = "es",
                    record_date: dt.date | None = None,
                    generated_at: dt.datetime | None = None,
                    record: dict | None = None, issue: Issue | None = None,
                    version: int | None = None, label: str = "",
                    gettext=None) -> RenderedDocument:
    """Render ``context`` into the document's template and frame it as a controlled document.

    ``context`` holds data only: it is rendered exactly once, autoescaped, in a sandbox.
    ``record``, when given, is embedded so the document's values can be loaded again later;
    ``issue`` numbers the copy; ``version`` picks an earlier template to reproduce an old document.
    ``gettext`` translates the template's fixed texts (``{{ _("…") }}``) into the document's
    language; the caller also sets that language for any lazy text in ``context``.
    """
    context = {**context, "_": gettext or _untranslated}
    generated_at = issue.issued_at if issue else generated_at or dt.datetime.now(dt.timezone.utc)
    version = issue.version if issue else version or document.version
    template = DocxTemplate(document.template_for(version))
    template.render(context, jinja_env=document_environment())
    apply_controlled_frame(template.docx, document, branding.organization, branding.logo,
                           frame_texts, version=version,
                           issue_line=frame_texts.issue_line(issue) if issue else None)
    if any(frame_texts.change_history):
        append_change_history(template.docx, document, frame_texts, version)
    set_core_properties(template.docx, document, branding.organization, generated_at, language,
                        version=version, issue=issue)
    if record is not None:
        embed_record(template.docx, {"document": document.key, "code": document.code,
                                     "version": version, "language": language, "data": record,
                                     **({"number": issue.number,
                                         "issued_at": issue.issued_at.isoformat(),
                                         "template_sha256": issue.template_sha256}
                                        if issue else {})})
    buffer = io.BytesIO()
    template.save(buffer)
    return RenderedDocument(
        data=buffer.getvalue(),
        filename=download_name(document, None if label else record_date or generated_at.date(),
                               label),
        issue=issue,
    )


def download_name(document: ControlledDocument, record_date: dt.date | None = None,
                  label: str = "") -> str:
    """A readable file name: code, title and date, e.g. ``F1.G34.P Registro … 2026-11-20.docx``.

    Accents are kept (the web layer sends an ASCII fallback with an RFC 5987 ``filename*``); anything
    that could break a file system or a header line is removed.
    """
    name = " ".join(part for part in (document.code, document.title, label,
                                      record_date.isoformat() if record_date else "") if part)
    return safe_name_part(name)[:150] + ".docx"


def safe_name_part(text: str) -> str:
    """``text`` without what a file system or an HTTP header line cannot hold."""
    return " ".join(_UNSAFE_IN_FILENAME.sub(" ", text).split())
