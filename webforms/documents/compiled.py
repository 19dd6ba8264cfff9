"""docxtpl, compiled once per template instead of once per document.

``DocxTemplate.render`` opens the package, serialises the body, runs its patching regexes and
compiles the result with Jinja on every call: most of the time of a render. None of that depends
on the context, so here it is done once per template file (and Jinja environment) and kept for the
life of the process. A render then only runs the compiled Jinja code and docxtpl's own
post-processing of the result, with docxtpl's methods (``patch_xml``, ``resolve_listing``,
``fix_tables``, ``fix_docpr_ids``), so the tags a quality officer writes (``{%tr %}``, ``{%tc %}``,
``{%p %}``, ``{%r %}``, ``{%cellbg %}``, ``{%colspan %}``, ``{% vm %}``, ``{% hm %}``, RichText,
Listing…) mean exactly what they mean with docxtpl.

What cannot be prepared ahead is left to docxtpl itself: objects that must reach into the
``DocxTemplate`` being rendered (InlineImage, Subdoc; see :func:`template_objects`) and documents with
several sections whose frame or footnotes (which docxtpl renders once per section) depend on them.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from jinja2.exceptions import TemplateError
from lxml import etree

FOOTNOTES_CONTENT_TYPE = ("application/vnd.openxmlformats-officedocument"
                          ".wordprocessingml.footnotes+xml")
# The core properties docxtpl renders as templates (DocxTemplate.render_properties).
TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
# Characters docxtpl's resolve_listing turns into tabs, paragraphs, line and page breaks.
_LISTING_CHARS = re.compile("[\t\a\n\f]")
# docxtpl's own paragraph pattern in resolve_listing.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# docxtpl's methods used here keep no state: one instance serves every thread.
_DOCXTPL = DocxTemplate(None)
_SCALARS = (str, bytes, int, float, bool, type(None))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NAMESPACES = {"w": W[1:-1]}
# A row with more cells than the grid has columns; a row whose cells (and spans, counted as
# docxtpl counts them: the first gridSpan of the first tcPr) fill every column.
_WIDE_ROW = etree.XPath("boolean(.//w:tr[count(w:tc) > $columns])", namespaces=_NAMESPACES)
_FULL_ROW = etree.XPath(
    "boolean(.//w:tr[count(w:tc[not(w:tcPr[1]/w:gridSpan)])"
    " + sum(w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val) >= $columns])", namespaces=_NAMESPACES)


@dataclass(frozen=True)
class PartTemplate:
    """One XML part patched by docxtpl and compiled by Jinja."""

    template: Template
    source: str

    @classmethod
    def compile(cls, patched_xml: str, environment: Environment) -> "PartTemplate":
        # As DocxTemplate.render_xml_part: one line per paragraph, for error messages.
        source = _PARAGRAPH_START.sub(r"\n<w:p\1", patched_xml)
        try:
            return cls(environment.from_string(source), source)
        except TemplateError as error:
            _add_docx_context(error, source)
            raise

    def render(self, context: Mapping) -> str:
        """The rendered XML, post-processed as ``DocxTemplate.render_xml_part`` does."""
        try:
            xml = self.template.render(context)
        except TemplateError as error:
            _add_docx_context(error, self.source)
            raise
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:
            xml = (xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
                   .replace("%_}", "%}"))
        return resolve_listing(xml)


def _add_docx_context(error: TemplateError, source: str) -> None:
    """The lines around the error, as docxtpl attaches them (``exc.docx_context``)."""
    if getattr(error, "lineno", None) is not None:
        first = max(error.lineno - 4, 0)
        error.docx_context = [re.sub(r"<[^>]+>", "", line)
                              for line in source.splitlines()[first:first + 7]]


def resolve_listing(xml: str) -> str:
    """``DocxTemplate.resolve_listing``, applied only to the paragraphs that need it.

    docxtpl rewrites every paragraph of the part; a paragraph without a tab, newline, ``\\a`` or
    ``\\f`` comes out unchanged, so only those that hold one are handed to docxtpl."""
    if not _LISTING_CHARS.search(xml):
        return xml

    def resolve(match: re.Match) -> str:
        paragraph = match.group(0)
        return _DOCXTPL.resolve_listing(paragraph) if _LISTING_CHARS.search(paragraph) else paragraph

    return _PARAGRAPH.sub(resolve, xml)


def fix_tables(xml: str) -> etree._Element:
    """``DocxTemplate.fix_tables``: the body parsed, and the grid of any table whose rows have more
    cells than its columns, or fill fewer, adjusted. docxtpl walks every row of every table in
    Python; here XPath first finds whether any table needs it, which is rare."""
    tree = etree.fromstring(xml, etree.XMLParser(recover=True))  # docxtpl's parser
    if all(_regular(table) for table in tree.iter(f"{W}tbl")):
        return tree
    return _DOCXTPL.fix_tables(xml)


def _regular(table: etree._Element) -> bool:
    """Whether docxtpl's fix_tables leaves ``table`` unchanged: no row (nested tables' included,
    as docxtpl counts them) has more cells than the grid has columns, and one fills them all."""
    grid = table.find(f"{W}tblGrid")
    if grid is None:
        return False  # docxtpl fails on such a table: let it
    columns = len(grid.findall(f"{W}gridCol"))
    return not _WIDE_ROW(table, columns=columns) and (columns == 0
                                                      or _FULL_ROW(table, columns=columns))


@dataclass(frozen=True, eq=False)
class CompiledTemplate:
    """Everything docxtpl prepares from a template before it looks at the context."""

    path: Path
    environment: Environment
    body: PartTemplate
    # Member name -> template, for the headers and footers of the document part and footnotes.
    parts: dict[str, PartTemplate]
    properties: dict[str, Template]
    footnotes: frozenset[str]
    body_children: int
    sections: int
    # One section, whose properties end the body and hold no tag: the controlled frame can be
    # prepared on the template (see engine), and footnotes are rendered once, as docxtpl does.
    single_section: bool

    def render_body(self, context: Mapping) -> etree._Element:
        """The rendered ``<w:body>``, with docxtpl's table and drawing-id fixes applied."""
        tree = fix_tables(self.body.render(context))
        if tree.find(".//{*}docPr") is not None:
            numbering = DocxTemplate(None)
            numbering.docx_ids_index = 1000  # as DocxTemplate.render_init
            numbering.fix_docpr_ids(tree)
        return tree

    def render_part(self, name: str, context: Mapping) -> bytes:
        """A header, footer or footnotes part rendered, as bytes of the package member."""
        xml = self.parts[name].render(context)
        if name in self.footnotes:
            return xml.encode("utf-8")  # docxtpl stores the footnotes text as it is
        # docxtpl loads a rendered header or footer as a new XmlPart, parsed by python-docx.
        return etree.tostring(parse_xml(xml.encode("utf-8")), encoding="UTF-8",
                              standalone=True)

    def render_properties(self, context: Mapping) -> dict[str, str]:
        return {name: template.render(context) for name, template in self.properties.items()}


def template_sha256(path: Path) -> str:
    """The template's content hash; read again only when the file changes on disk."""
    stat = Path(path).stat()
    return _sha256_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _sha256_of(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_cache: dict[tuple, CompiledTemplate] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 64


def compile_template(path: Path, environment: Environment, sha256: str) -> CompiledTemplate:
    """The compiled template of ``path`` (whose content hash is ``sha256``), made on first use.

    Keyed by path, content hash and environment, so a template replaced on disk (a new version)
    is compiled again and a stale compilation is never used."""
    key = (str(path), sha256, environment)
    compiled = _cache.get(key)
    if compiled is None:
        compiled = _compile(Path(path), environment)
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = compiled
    return compiled


def _compile(path: Path, environment: Environment) -> CompiledTemplate:
    docx = Document(str(path))
    body = docx.element.body
    body_xml = _DOCXTPL.patch_xml(_DOCXTPL.xml_to_string(body))
    parts, footnotes = {}, set()
    for rel in docx.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            xml = _DOCXTPL.xml_to_string(parse_xml(rel.target_part.blob))
            parts[_member(rel.target_part)] = PartTemplate.compile(
                _DOCXTPL.patch_xml(xml), environment)
    for part in docx.part.package.parts:
        if part.content_type == FOOTNOTES_CONTENT_TYPE:
            footnotes.add(_member(part))
            parts[_member(part)] = PartTemplate.compile(
                _DOCXTPL.patch_xml(part.blob.decode("utf-8")), environment)
    properties = {name: environment.from_string(getattr(docx.core_properties, name))
                  for name in TEMPLATED_PROPERTIES}
    sections = body.xpath(".//w:sectPr")
    single = len(sections) == 1 and body[-1] is sections[0] and "{" not in \
        _DOCXTPL.xml_to_string(sections[0])
    return CompiledTemplate(path, environment, PartTemplate.compile(body_xml, environment), parts,
                            properties, frozenset(footnotes), len(body), len(sections), single)


def _member(part) -> str:
    return part.partname.lstrip("/")


def template_objects(context: Mapping) -> list[DocxTemplate]:
    """The DocxTemplates that objects of ``context`` were made for (InlineImage, Subdoc…).

    Such an object writes into the DocxTemplate it was made with while it is rendered (an image
    part, a sub-document's styles), so it can only be rendered by docxtpl, with that template."""
    found: list[DocxTemplate] = []
    _collect_templates(context, found, depth=0)
    return found


def _collect_templates(value, found: list, depth: int) -> None:
    if isinstance(value, _SCALARS) or depth > 20:
        return
    if isinstance(value, Mapping):
        value = value.values()
    elif not isinstance(value, (list, tuple, set, frozenset)):
        # Read from __dict__, so that looking does not evaluate a lazy string.
        bound = getattr(value, "__dict__", {}).get("tpl")
        if isinstance(bound, DocxTemplate) and bound not in found:
            found.append(bound)
        return
    for item in value:
        _collect_templates(item, found, depth + 1)
