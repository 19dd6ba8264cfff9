"""The output .docx package, assembled from a prepared skeleton and the parts a render changes.

A rendered document differs from its template in a handful of members: the body, the headers,
footers and footnotes with tags, the core properties and the embedded data. Everything else
(styles, theme, numbering, fonts, settings, relationships, content types, the controlled frame's
header and logo) is the same for every copy of a template version. The skeleton holds those
members already compressed, as a complete zip, once per process; a render appends its few members
to a copy of it. python-docx builds the skeleton, so relationships, content types and part names
are exactly what docxtpl and python-docx would write.
"""
from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from docx.opc.coreprops import CoreProperties
from docx.oxml.parser import parse_xml
from lxml import etree

from webforms.documents.compiled import CompiledTemplate

# Every member is deflated at zlib's default level, as its own ZipInfo (for the fixed date) asks.
# It stays so: an issued copy is rendered again and compared byte for byte with the one issued
# (records.saved.issued_copy), so another level would fail that check for every copy
# issued before. tools/benchmark_render.py prints what level 1 would save (time) and cost (size).


@dataclass(frozen=True, eq=False)
class PackageSkeleton:
    """The members every render of one template (and frame) shares, and where the others go."""

    static_zip: bytes
    document_part: str
    # The main document part without its body (where the body goes: a comment).
    document_root: etree._Element
    core_part: str
    core_xml: bytes
    # Members rendered from the compiled template on every call (headers, footers, footnotes).
    rendered_parts: tuple[str, ...]
    # A <w:body> holding what replaces the template's final section properties (or None).
    section_tail: bytes | None = None
    # Members that hold a placeholder replaced on every call, e.g. the issue line of a footer.
    token_parts: Mapping[str, bytes] = field(default_factory=dict)
    data_part: str | None = None

    @classmethod
    def build(cls, docx, compiled: CompiledTemplate, *, decorated: bool = False,
              replaced: Iterable[str] = (), token: str | None = None,
              data_part: str | None = None) -> "PackageSkeleton":
        """The skeleton of ``docx``: the template opened with python-docx, with whatever the
        caller added (``decorated``: a frame, its parts ``replaced`` instead of rendered)."""
        core_part = docx.part.package._core_properties_part.partname.lstrip("/")
        saved = io.BytesIO()
        docx.save(saved)
        members = _members(saved.getvalue())
        document_part = docx.part.partname.lstrip("/")
        rendered = tuple(name for name in compiled.parts if name not in set(replaced))
        tokens = {name: blob for name, blob in members.items()
                  if token and token.encode() in blob}
        dynamic = {document_part, core_part, *rendered, *tokens, data_part}
        return cls(static_zip=_zip(members, exclude=dynamic), document_part=document_part,
                   document_root=_document_without_body(docx), core_part=core_part,
                   core_xml=members[core_part], rendered_parts=rendered,
                   section_tail=_section_tail(docx, compiled) if decorated else None,
                   token_parts=tokens, data_part=data_part)

    def render_members(self, compiled: CompiledTemplate, context: Mapping) -> dict[str, bytes]:
        """The body and the templated parts rendered with ``context``."""
        members = {self.document_part: self.document_xml(compiled.render_body(context))}
        for name in self.rendered_parts:
            members[name] = compiled.render_part(name, context)
        return members

    def document_xml(self, body: etree._Element) -> bytes:
        if self.section_tail is not None:
            body.remove(body[-1])  # the template's own final section properties
            body.extend(etree.fromstring(self.section_tail))
        # Inserted into the document element as docxtpl does, so lxml drops the namespace
        # declarations the document element already makes, exactly as in docxtpl's output.
        root = copy.deepcopy(self.document_root)
        root.replace(root[self.body_index], body)
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    @property
    def body_index(self) -> int:
        return next(index for index, child in enumerate(self.document_root)
                    if child.tag is etree.Comment)

def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


# Every member carries the same date, so one copy rendered twice (at issue, and again when it
# is downloaded later, in another process) is the same file, byte for byte: its SHA-256 in the
# register then proves the copy is the one issued.
MEMBER_DATE = (1980, 1, 1, 0, 0, 0)


def member_info(name: str) -> zipfile.ZipInfo:
    """A package member's header, with the fixed date (``writestr`` would stamp the clock)."""
    info = zipfile.ZipInfo(name, date_time=MEMBER_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def with_fixed_dates(data: bytes) -> bytes:
    """A package saved by another writer (docxtpl), its members dated :data:`MEMBER_DATE`."""
    return _zip(_members(data), exclude=set())


def _zip(members: Mapping[str, bytes], exclude: set) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            if name not in exclude:
                archive.writestr(member_info(name), blob)
    return buffer.getvalue()


def _document_without_body(docx) -> etree._Element:
    root = copy.deepcopy(docx.element)
    root.replace(root.body, etree.Comment("body"))
    return root


def _section_tail(docx, compiled: CompiledTemplate) -> bytes:
    """What the decoration put at the end of the body: elements added before the final section
    properties (e.g. a change history), and those properties as it left them."""
    body = docx.element.body
    holder = etree.Element(body.tag, nsmap=body.nsmap)
    for element in body[compiled.body_children - 1:]:
        holder.append(copy.deepcopy(element))
    return etree.tostring(holder, encoding="UTF-8")


def assemble(skeleton: PackageSkeleton, members: Mapping[str, bytes]) -> bytes:
    """The .docx: the skeleton's members (compressed once), then ``members``."""
    buffer = io.BytesIO(skeleton.static_zip)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(member_info(name), blob)
    return buffer.getvalue()


def core_xml_with(core_xml: bytes, fill: Callable[[CoreProperties], None]) -> bytes:
    """The core properties part after ``fill`` has set its values, as python-docx writes it."""
    element = parse_xml(core_xml)
    fill(CoreProperties(element))
    return etree.tostring(element, encoding="UTF-8", standalone=True)
