"""The form data travels inside the .docx it produced, as a Custom XML part.

Custom XML parts are the standard place for data in a Word package (Word keeps them when the
document is edited and saved). With the data inside, a saved document is all a user needs to load
its values into a later form, e.g. one conference's action plan as the next one's commitments.
"""
from __future__ import annotations

import io
import json
import zipfile

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

NAMESPACE = "urn:formularios-gc:record:1"
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024


class RecordError(ValueError):
    """The file holds no readable record of this application."""


def embed_record(docx: Document, record: dict) -> str:
    """Store ``record`` (JSON-serialisable) as a Custom XML part of the document; returns the
    part's member name in the package (e.g. ``customXml/item2.xml``)."""
    package = docx.part.package
    part = Part(package.next_partname("/customXml/item%d.xml"), "application/xml",
                record_xml(record), package)
    docx.part.relate_to(part, RT.CUSTOM_XML)
    return part.partname.lstrip("/")


def record_xml(record: dict) -> bytes:
    """The Custom XML part that holds ``record``."""
    root = etree.Element(f"{{{NAMESPACE}}}record", nsmap={None: NAMESPACE})
    root.text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_record(data: bytes) -> dict:
    """The record embedded by :func:`embed_record` in a .docx, checked for size and form."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if sum(member.file_size for member in members) > MAX_PACKAGE_BYTES:
                raise RecordError("package too large")
            for member in members:
                if member.filename.startswith("customXml/item") and (
                        member.file_size <= MAX_RECORD_BYTES):
                    record = _parse(package.read(member))
                    if record is not None:
                        return record
    except zipfile.BadZipFile as exc:
        raise RecordError("not a .docx") from exc
    raise RecordError("no record")


def _parse(blob: bytes) -> dict | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{NAMESPACE}}}record":
        return None
    try:
        record = json.loads(root.text or "")
    except ValueError as exc:
        raise RecordError("damaged record") from exc
    if not isinstance(record, dict):
        raise RecordError("damaged record")
    return record
