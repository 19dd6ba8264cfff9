"""The last touch on every PDF LibreOffice makes: what an archive and a screen reader need to
know, which the .docx says and LibreOffice does not carry over.

LibreOffice exports PDF/A-2b, tagged, declaring PDF/UA (webforms.documents.pdf.EXPORT_OPTIONS);
this step then sets, from the .docx it came from:

- the language (``/Lang``: the document's ``dc:language``, Spanish by default; LibreOffice would
  say the template's ``en-US``) and the title (DocInfo, XMP ``dc:title``, and
  ``/ViewerPreferences /DisplayDocTitle``, so a reader shows the title rather than a file name);
- the record's data, when the .docx carries it (webforms.documents.embedded_data), embedded as an
  associated file (``/AF``, relationship ``/Data``, ``record.xml``: the same XML as the .docx's
  Custom XML part), so a saved PDF loads back into its form like the .docx; the PDF then declares
  PDF/A-3b (PDF/A-2 admits only PDF/A files as attachments);
- the PDF/A extension schema that declares PDF/UA's ``pdfuaid`` property in the XMP (LibreOffice
  7.4 writes the property without it, which PDF/A forbids).

DocInfo and XMP are kept saying the same thing, as PDF/A requires. No Flask: the converter and the
job consumer call it alike. See docs/archival-pdf.md.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import pikepdf
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from lxml import etree

from webforms.documents.embedded_data import (
    MAX_DATA_BYTES,
    EmbeddedDataError,
    data_xml,
    parse_part,
    read_embedded_data,
)

DEFAULT_LANGUAGE = "es"
RECORD_FILE = "record.xml"
RECORD_DESCRIPTION = "formularios-gc record data"
CORE_PROPERTIES = "docProps/core.xml"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
EXTENSION = {"pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
             "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
             "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}
XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
XPACKET_END = b'\n<?xpacket end="w"?>'
XMP_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)


@dataclass(frozen=True)
class Facts:
    """What the .docx says that the PDF must say too."""

    title: str
    language: str
    record: dict | None


def finish(pdf: bytes, docx: bytes) -> bytes:
    """``pdf`` (LibreOffice's export of ``docx``) with its language, title and, when ``docx``
    carries one, its record embedded."""
    facts = facts_of(docx)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        describe(document, facts)
        part = 2
        if facts.record is not None:
            attach_record(document, data_xml(facts.record))
            part = 3
        update_xmp(document, facts.title, part)
        if "/DocChecksum" in document.trailer:  # LibreOffice's own, not a PDF key
            del document.trailer.DocChecksum
        output = io.BytesIO()
        # Object streams (PDF/A-2 and 3 admit them): the tagged structure's many small objects
        # compressed, half the file LibreOffice writes.
        document.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def facts_of(docx: bytes) -> Facts:
    """The title and language of the .docx's core properties, and its embedded record."""
    title, language = "", ""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            root = fromstring(package.read(CORE_PROPERTIES))
        title = (root.findtext(f"{{{DC}}}title") or "").strip()
        language = (root.findtext(f"{{{DC}}}language") or "").strip()
    except (KeyError, zipfile.BadZipFile, ParseError, DefusedXmlException):
        pass  # no properties: the defaults
    try:
        record = read_embedded_data(docx)
    except EmbeddedDataError:
        record = None
    return Facts(title, language or DEFAULT_LANGUAGE, record)


def describe(document: pikepdf.Pdf, facts: Facts) -> None:
    """The catalogue's language and the title, shown as the window's title."""
    document.Root.Lang = pikepdf.String(facts.language)
    preferences = document.Root.get("/ViewerPreferences")
    if not isinstance(preferences, pikepdf.Dictionary):
        preferences = document.Root.ViewerPreferences = pikepdf.Dictionary()
    preferences.DisplayDocTitle = True
    if facts.title:
        document.docinfo.Title = pikepdf.String(facts.title)


def attach_record(document: pikepdf.Pdf, xml: bytes) -> None:
    """The record as the document's associated data file (PDF/A-3's ``/AF``)."""
    made = document.docinfo.get("/CreationDate")
    dated = {"creation_date": str(made), "mod_date": str(made)} if made is not None else {}
    spec = pikepdf.AttachedFileSpec(document, xml, description=RECORD_DESCRIPTION,
                                    filename=RECORD_FILE, mime_type="application/xml",
                                    relationship=pikepdf.Name.Data, **dated)
    document.attachments[RECORD_FILE] = spec
    document.Root.AF = pikepdf.Array([spec.obj])


def update_xmp(document: pikepdf.Pdf, title: str, part: int) -> None:
    """The XMP said again with the PDF/A part, the title, and pdfuaid's extension schema."""
    if "/Metadata" not in document.Root:  # not a PDF/A export (a LibreOffice before 7.4)
        return
    root = etree.fromstring(document.Root.Metadata.read_bytes(), XMP_PARSER)
    rdf = root.find(f"{{{RDF}}}RDF")
    for identification in rdf.iter(f"{{{PDFAID}}}part"):
        identification.text = str(part)
    if title:
        for old in rdf.iter(f"{{{DC}}}title"):
            old.getparent().remove(old)
        alternatives = etree.SubElement(etree.SubElement(_description(rdf, "dc", DC),
                                                         f"{{{DC}}}title"), f"{{{RDF}}}Alt")
        etree.SubElement(alternatives, f"{{{RDF}}}li", {XML_LANG: "x-default"}).text = title
    if next(rdf.iter(f"{{{PDFUAID}}}part"), None) is not None and next(
            rdf.iter(f"{{{EXTENSION['pdfaExtension']}}}schemas"), None) is None:
        rdf.append(_pdfua_extension_schema())
    document.Root.Metadata = document.make_stream(
        XPACKET_BEGIN + etree.tostring(root, encoding="utf-8") + XPACKET_END,
        Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def _description(rdf: etree._Element, prefix: str, namespace: str) -> etree._Element:
    return etree.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""},
                            nsmap={prefix: namespace})


def _pdfua_extension_schema() -> etree._Element:
    """The declaration of ``pdfuaid:part`` that PDF/A asks of a property it does not define."""
    schema, prop, extension = (EXTENSION[name] for name in
                               ("pdfaSchema", "pdfaProperty", "pdfaExtension"))
    description = etree.Element(f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""},
                                nsmap={"rdf": RDF, **EXTENSION})
    bag = etree.SubElement(etree.SubElement(description, f"{{{extension}}}schemas"),
                           f"{{{RDF}}}Bag")
    item = etree.SubElement(bag, f"{{{RDF}}}li", {f"{{{RDF}}}parseType": "Resource"})
    for name, text in (("schema", "PDF/UA Universal Accessibility Schema"),
                       ("namespaceURI", PDFUAID), ("prefix", "pdfuaid")):
        etree.SubElement(item, f"{{{schema}}}{name}").text = text
    field = etree.SubElement(etree.SubElement(etree.SubElement(item, f"{{{schema}}}property"),
                                              f"{{{RDF}}}Seq"), f"{{{RDF}}}li",
                             {f"{{{RDF}}}parseType": "Resource"})
    for name, text in (("name", "part"), ("valueType", "Integer"), ("category", "internal"),
                       ("description", "Indicates, which part of ISO 14289 standard is "
                                       "followed")):
        etree.SubElement(field, f"{{{prop}}}{name}").text = text
    return description


def read_pdf_data(data: bytes) -> dict:
    """The record :func:`finish` embedded in a PDF, checked like a .docx's (size and form);
    EmbeddedDataError when the file holds none."""
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            attached = document.attachments.get(RECORD_FILE)
            if attached is None:
                raise EmbeddedDataError("no record")
            blob = _bounded(attached.get_file().obj)
    except (pikepdf.PdfError, KeyError, TypeError) as exc:
        raise EmbeddedDataError("not a PDF of this application") from exc
    return parse_part(blob)


def _bounded(stream: pikepdf.Stream) -> bytes:
    """The embedded file's bytes, decompressed no further than the largest record."""
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters is None:
        content = raw
    elif filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        try:
            content = zlib.decompressobj().decompress(raw, MAX_DATA_BYTES + 1)
        except zlib.error as exc:
            raise EmbeddedDataError("damaged record") from exc
    else:
        raise EmbeddedDataError("damaged record")
    if len(content) > MAX_DATA_BYTES:
        raise EmbeddedDataError("record too large")
    return content


def read_document_data(data: bytes) -> dict:
    """The record embedded in a PDF or a .docx of this application."""
    if data[:5] == b"%PDF-":
        return read_pdf_data(data)
    return read_embedded_data(data)
