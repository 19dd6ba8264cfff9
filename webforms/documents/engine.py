"""The rendering of controlled documents, in two steps: :func:`prepare_document` renders the body,
then :meth:`PreparedDocument.finish` writes what the copy's number changes (footer line,
properties, embedded data, file name). :func:`render_document` is the two in one call.

Every controlled document goes through :func:`prepare_document`: filled forms, a batch's copies and
reproductions of issued copies (``common.rendering.prepare_filled``), blank templates and
handouts (``common.rendering.render_in``), the HTML copy (``records.copy_html``) and the template
check (``control.service``, through :func:`render_document`). The PDF export converts the .docx made
here; it renders nothing. So escaping, cleaning, the controlled frame and the core properties are
decided in one place.

Documents come in bursts (a cohort's ToRs, a region's conference records), so a render must cost
little more than writing the zip. Everything that does not depend on the context is prepared once
per process: the template compiled with docxtpl's preprocessing (:mod:`.compiled`), and the
template in its controlled frame, as a package skeleton (:mod:`.package`) per template version,
language, organisation, logo and wording. A render runs the compiled Jinja code and writes the few
members that change: the body, the numbered footer line, the core properties and the embedded data. What
the compiled path does not cover goes through docxtpl itself, with the same frame.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import threading
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docxtpl import DocxTemplate
from flask_babel.speaklater import LazyString

from webforms.catalogue import ControlledDocument
from webforms.documents.compiled import (
    TEMPLATED_PROPERTIES,
    compile_template,
    template_objects,
    template_sha256,
)
from webforms.documents.controlled import (
    FrameTexts,
    append_change_history,
    apply_controlled_frame,
    fill_core_properties,
)
from webforms.documents.embedded_data import data_xml, embed_data
from webforms.documents.environment import document_environment
from webforms.documents.memory import release_free_memory
from webforms.documents.package import PackageSkeleton, assemble, core_xml_with, with_fixed_dates

__all__ = ["DOCX_MIMETYPE", "Branding", "Issue", "PreparedDocument", "RenderedDocument",
           "download_name", "prepare_document", "render_document", "safe_name_part",
           "template_sha256"]

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters that are unsafe in a file name on some system or in an HTTP header.
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f<>:"|?*]+')
_SLASHES = re.compile(r"\s*[/\\]+\s*")  # "Gestor/a" stays readable as "Gestor-a"
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")
# Written into a prepared footer where the issue line of a numbered copy goes.
_ISSUE_TOKEN = f"issue-line-{uuid.uuid4().hex}"
SKELETON_CACHE_SIZE = 64
TRANSLATION_CACHES = 16
LAZY_TEXTS = 4096
# (language, id of a lazy text) -> (the lazy text, kept so its id is not reused; its translation)
_lazy_texts: dict[tuple, tuple] = {}
_translations: dict[tuple, dict[str, str]] = {}
_translations_lock = threading.Lock()
_skeletons: dict[tuple, PackageSkeleton] = {}
_skeletons_lock = threading.Lock()


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
    revision: int = 1  # a saved record issued again keeps its number: "… rev. 2"
    reason: str = ""  # why a revision was issued (a correction's what and why), printed with it

    @property
    def label(self) -> str:
        """The number as printed: ``F1.G34.P-2026-000042``, or ``… rev. 2`` for a revision."""
        return self.number if self.revision == 1 else f"{self.number} rev. {self.revision}"


@dataclass(frozen=True)
class RenderedDocument:
    data: bytes
    filename: str
    mimetype: str = DOCX_MIMETYPE
    issue: Issue | None = None


def _untranslated(text: str) -> str:
    return text


def fixed_texts(gettext, language: str):
    """``gettext`` for the template's fixed texts, each translated once per process and language.

    A template's ``{{ _("…") }}`` are the same in every copy: by the contract of
    :func:`render_document`, ``gettext`` translates into ``language``, as flask-babel's does under
    ``force_locale(language)``, whose catalogues are also loaded once per process. A call with
    variables is passed through."""
    key = (gettext, language)
    cache = _translations.get(key)
    if cache is None:
        with _translations_lock:
            if len(_translations) >= TRANSLATION_CACHES:
                _translations.pop(next(iter(_translations)))
            cache = _translations.setdefault(key, {})

    def translate(text, *args, **variables):
        if args or variables or type(text) is not str:
            return gettext(text, *args, **variables)
        translated = cache.get(text)
        if translated is None:
            translated = cache[text] = gettext(text)
        return translated

    return translate


def lazy_texts_once(value, language: str):
    """``value`` with each lazy text (flask-babel's ``lazy_gettext``: the seed texts of forms and
    handouts) replaced by a lazy text that is already translated, once per process and language.

    The replacement is again a LazyString, so a template sees the same kind of object; by the
    contract of :func:`render_document` lazy text is shown in ``language``. A lazy text made for
    one request (a new object) is translated as before, and forgotten."""
    kind = type(value)
    if kind is LazyString:
        key = (language, id(value))
        held = _lazy_texts.get(key)
        if held is None or held[0] is not value:
            held = _lazy_texts[key] = (value, LazyString(str, str(value)))
            if len(_lazy_texts) > LAZY_TEXTS:
                with _translations_lock:
                    for stale in list(_lazy_texts)[:LAZY_TEXTS // 4]:
                        _lazy_texts.pop(stale, None)
        return held[1]
    if kind is dict:
        return {name: lazy_texts_once(item, language) for name, item in value.items()}
    if kind is list or kind is tuple:
        return kind(lazy_texts_once(item, language) for item in value)
    return value


def render_document(document: ControlledDocument, context: dict, branding: Branding,
                    frame_texts: FrameTexts, *, language: str = "es",
                    record_date: dt.date | None = None,
                    generated_at: dt.datetime | None = None,
                    embedded: dict | None = None, issue: Issue | None = None,
                    version: int | None = None, label: str = "",
                    gettext=None) -> RenderedDocument:
    """Render ``context`` into the document's template and frame it as a controlled document.

    ``context`` holds data only: it is rendered exactly once, autoescaped, in a sandbox.
    ``embedded``, the form's data when given, is embedded so the document's values can be loaded again later;
    ``issue`` numbers the copy; ``version`` picks an earlier template to reproduce an old document.
    ``gettext`` translates the template's fixed texts (``{{ _("…") }}``) into the document's
    language; the caller also sets that language for any lazy text in ``context``.
    """
    prepared = prepare_document(
        document, context, branding, frame_texts, language=language, record_date=record_date,
        generated_at=generated_at, embedded=embedded, numbered=issue is not None, label=label,
        version=issue.version if issue else version, gettext=gettext)
    return prepared.finish(issue)


def prepare_document(document: ControlledDocument, context: dict, branding: Branding,
                     frame_texts: FrameTexts, *, language: str = "es",
                     record_date: dt.date | None = None,
                     generated_at: dt.datetime | None = None, embedded: dict | None = None,
                     numbered: bool = False, version: int | None = None, label: str = "",
                     gettext=None) -> "PreparedDocument":
    """:func:`render_document` up to the number: the body is rendered now, and what the number
    changes (footer line, properties, embedded data, file name) is written by
    :meth:`PreparedDocument.finish`. A numbered copy can so be rendered before its number is
    taken, and the number's transaction (which other writers wait for) lasts only as long as
    the finishing touches."""
    job = _Job(document=document,
               context={**lazy_texts_once(context, language),
                        "_": fixed_texts(gettext or _untranslated, language)},
               branding=branding, frame_texts=frame_texts, language=language,
               generated_at=generated_at or dt.datetime.now(dt.timezone.utc),
               version=version or document.version, issue=None, numbered=numbered,
               embedded=None if embedded is None else {})  # its payload is written when finished
    return PreparedDocument(job=job, embedded=embedded, record_date=record_date, label=label,
                            body=_render_body(job))


@dataclass(frozen=True)
class PreparedDocument:
    """A copy rendered up to its number (see :func:`prepare_document`)."""

    job: "_Job"
    embedded: dict | None
    record_date: dt.date | None
    label: str
    body: "_Body | None"  # None: docxtpl renders the whole copy when it is finished

    def finish(self, issue: Issue | None) -> RenderedDocument:
        """The .docx, numbered ``issue`` when the copy was prepared as numbered."""
        if (issue is not None) != self.job.numbered or (
                issue is not None and issue.version != self.job.version):
            raise ValueError("the issue does not match the prepared copy")
        job = self.job if issue is None else replace(self.job, issue=issue,
                                                     generated_at=issue.issued_at)
        if self.embedded is not None:
            job = replace(job, embedded=_embedded_payload(job.document, job.version,
                                                          job.language, self.embedded, issue))
        record_date = None if self.label else self.record_date or job.generated_at.date()
        return RenderedDocument(
            data=_finish(job, self.body),
            filename=download_name(job.document, record_date, self.label,
                                   issue.label if issue else ""),
            issue=issue,
        )


@dataclass(frozen=True)
class _Job:
    """One render: what varies from copy to copy, and the frame it goes into."""

    document: ControlledDocument
    context: dict
    branding: Branding
    frame_texts: FrameTexts
    language: str
    generated_at: dt.datetime
    version: int
    issue: Issue | None
    embedded: dict | None  # the payload embedded in the .docx (see embedded_data)
    numbered: bool = False  # framed with a footer line for the copy's number

    @property
    def template(self) -> Path:
        return self.document.template_for(self.version)

    @property
    def issue_line(self) -> str | None:
        return self.frame_texts.issue_line(self.issue) if self.issue else None

    def fill_properties(self, properties) -> None:
        fill_core_properties(properties, self.document, self.branding.organization,
                             self.generated_at, self.language, version=self.version,
                             issue=self.issue)


def _embedded_payload(document, version, language, data, issue) -> dict:
    return {"document": document.key, "code": document.code, "version": version,
            "language": language, "data": data,
            **({"number": issue.number, "revision": issue.revision,
                "issued_at": issue.issued_at.isoformat(),
                "template_sha256": issue.template_sha256} if issue else {})}


@dataclass(frozen=True)
class _Body:
    """The members the context filled, and the framed skeleton they go into."""

    skeleton: PackageSkeleton
    members: dict


def _render_body(job: _Job) -> _Body | None:
    """The members the context fills, rendered through the compiled template; None when the
    compiled path does not cover the template (several sections, images or rich text in the
    context): docxtpl then renders the whole copy in :func:`_finish`."""
    compiled = compile_template(job.template, document_environment(),
                                template_sha256(job.template))
    if not compiled.single_section or template_objects(job.context):
        return None
    skeleton = _framed_skeleton(compiled, job)
    return _Body(skeleton, skeleton.render_members(compiled, job.context))


def _finish(job: _Job, body: _Body | None) -> bytes:
    """The .docx: the prepared members with the footer line, properties and embedded data written."""
    line = job.issue_line
    # python-docx would write a tab or a line end of the issue line as an element.
    if body is None or (line and _CONTROL_CHARACTERS.search(line)):
        return _render_with_docxtpl(job)
    skeleton, members = body.skeleton, dict(body.members)
    line = escape(line).encode("utf-8") if job.issue else b""
    for name, blob in skeleton.token_parts.items():
        members[name] = blob.replace(_ISSUE_TOKEN.encode("ascii"), line)
    members[skeleton.core_part] = core_xml_with(skeleton.core_xml, job.fill_properties)
    if job.embedded is not None:
        members[skeleton.data_part] = data_xml(job.embedded)
    return assemble(skeleton, members)


def _framed_skeleton(compiled, job: _Job) -> PackageSkeleton:
    """The template in its controlled frame, prepared once per template version, language,
    organisation, logo and frame wording (and whether the copy is numbered or carries embedded data)."""
    logo = job.branding.logo
    key = (compiled, job.document, job.branding, _file_stamp(logo) if logo else None,
           job.frame_texts, job.version, job.numbered, job.embedded is not None)
    skeleton = _skeletons.get(key)
    if skeleton is None:
        skeleton = _build_framed_skeleton(compiled, job)
        release_free_memory()  # what parsing the package took, once per worker and template
        with _skeletons_lock:
            if len(_skeletons) >= SKELETON_CACHE_SIZE:
                _skeletons.pop(next(iter(_skeletons)))
            _skeletons[key] = skeleton
    return skeleton


def _build_framed_skeleton(compiled, job: _Job) -> PackageSkeleton:
    docx = Document(str(compiled.path))
    _frame(docx, job, issue_line=_ISSUE_TOKEN if job.numbered else None)
    framed = {part.partname.lstrip("/") for section in docx.sections
              for part in (section.header.part, section.footer.part)}
    data_part = embed_data(docx, {}) if job.embedded is not None else None
    properties = docx.core_properties
    for name in TEMPLATED_PROPERTIES:  # created in the order docxtpl's render creates them
        setattr(properties, name, getattr(properties, name))
    return PackageSkeleton.build(docx, compiled, decorated=True, replaced=framed,
                                 token=_ISSUE_TOKEN, data_part=data_part)


def _frame(docx, job: _Job, issue_line: str | None) -> None:
    """The controlled header and footer, and the change history when the wording has one."""
    apply_controlled_frame(docx, job.document, job.branding.organization, job.branding.logo,
                           job.frame_texts, version=job.version, issue_line=issue_line)
    if any(job.frame_texts.change_history):
        append_change_history(docx, job.document, job.frame_texts, job.version)


def _render_with_docxtpl(job: _Job) -> bytes:
    """docxtpl itself, for what the compiled path does not cover (see _render_body)."""
    template = DocxTemplate(job.template)
    template.render(job.context, jinja_env=document_environment())
    _frame(template.docx, job, issue_line=job.issue_line)
    job.fill_properties(template.docx.core_properties)
    if job.embedded is not None:
        embed_data(template.docx, job.embedded)
    buffer = io.BytesIO()
    template.save(buffer)
    return with_fixed_dates(buffer.getvalue())


def _file_stamp(path: Path) -> tuple:
    stat = Path(path).stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def download_name(document: ControlledDocument, record_date: dt.date | None = None,
                  label: str = "", number: str = "") -> str:
    """A readable file name: the copy's number (which begins with the code) or the code, the
    title, a label and the date, e.g. ``F1.G34.P-2026-000042 Registro … 2026-11-20.docx``: two
    records of one day never share a name.

    Accents are kept (the web layer sends an ASCII fallback with an RFC 5987 ``filename*``); anything
    that could break a file system or a header line is removed.
    """
    name = " ".join(part for part in (number or document.code, document.title, label,
                                      record_date.isoformat() if record_date else "") if part)
    return safe_name_part(name)[:150] + ".docx"


def safe_name_part(text: str) -> str:
    """``text`` without what a file system or an HTTP header line cannot hold."""
    return " ".join(_UNSAFE_IN_FILENAME.sub(" ", _SLASHES.sub("-", text)).split())
