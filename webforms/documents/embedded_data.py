"""The form data travels inside the .docx it produced, as a Custom XML part.

Custom XML parts are the standard place for data in a Word package (Word keeps them when the
document is edited and saved). With the data inside, a saved document is all a user needs to load
its values into a later form, e.g. one conference's action plan as the next one's commitments.
"""
from __future__ import annotations

import io
import json
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

NAMESPACE = "urn:formularios-gc:record:1"
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
MAX_DATA_BYTES = 2 * 1024 * 1024
# An uploaded file's work is bounded, whatever its parts hold: only a Custom XML part that names
# the embedded data's namespace in its first bytes is read whole and parsed, and only the first one.
HEAD_BYTES = 1024


class EmbeddedDataError(ValueError):
    """The file holds no readable embedded data of this application."""


def embed_data(docx: Document, data: dict) -> str:
    """Store ``data`` (JSON-serialisable) as a Custom XML part of the document; returns the
    part's member name in the package (e.g. ``customXml/item2.xml``)."""
    package = docx.part.package
    part = Part(package.next_partname("/customXml/item%d.xml"), "application/xml",
                data_xml(data), package)
    docx.part.relate_to(part, RT.CUSTOM_XML)
    return part.partname.lstrip("/")


def data_xml(data: dict) -> bytes:
    """The Custom XML part that holds ``data``."""
    # "record" and the namespace are the format of every document issued: they never change.
    root = etree.Element(f"{{{NAMESPACE}}}record", nsmap={None: NAMESPACE})
    root.text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_embedded_data(data: bytes) -> dict:
    """The data embedded by :func:`embed_data` in a .docx, checked for size and form."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if sum(member.file_size for member in members) > MAX_PACKAGE_BYTES:
                raise EmbeddedDataError("package too large")
            member = next((member for member in members if _holds_data(package, member)), None)
            if member is not None:
                return parse_part(package.read(member))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise EmbeddedDataError("not a .docx") from exc
    raise EmbeddedDataError("no record")


def _holds_data(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether ``member`` is a Custom XML part of this application's embedded data (read: its head)."""
    if not member.filename.startswith("customXml/item") or member.file_size > MAX_DATA_BYTES:
        return False
    with package.open(member) as part:
        return NAMESPACE.encode() in part.read(HEAD_BYTES)


def parse_part(blob: bytes) -> dict:
    """The embedded data of a part: XML without declarations (defusedxml), then JSON of bounded depth."""
    try:
        root = fromstring(blob)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise EmbeddedDataError("damaged record") from exc
    if root.tag != f"{{{NAMESPACE}}}record":
        raise EmbeddedDataError("no record")
    try:
        data = json.loads(root.text or "")
    except (ValueError, RecursionError) as exc:  # RecursionError: nested beyond any form's data
        raise EmbeddedDataError("damaged record") from exc
    if not isinstance(data, dict):
        raise EmbeddedDataError("damaged record")
    return data
