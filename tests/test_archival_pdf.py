"""Archival, accessible PDFs (webforms.documents.archival, docs/archival-pdf.md): every PDF
declares PDF/A in its XMP (PDF/A-3b when it carries the record, PDF/A-2b otherwise), is tagged,
says its language and title, embeds its fonts; an issued copy carries its record, which loads back
into the form like a .docx; and the blanks keep the pages LibreOffice's default export gave them."""
from __future__ import annotations

import io
import shutil
import subprocess
from html import unescape

import pikepdf
import pytest
from lxml import etree
from pikepdf import pdfa  # its validator needs jsonschema (the test extra)

from tests.factories import CONFERENCE_URL, blank_documents, conference, new_account
from tests.helpers import REGISTRO_URL, issue_through_page, needs_pdf, valid_registro
from webforms.documents import archival, pdf
from webforms.documents.embedded_data import EmbeddedDataError

NS = {"rdf": archival.RDF, "dc": archival.DC, "pdfaid": archival.PDFAID,
      "pdfuaid": archival.PDFUAID, **archival.EXTENSION}
REGISTRO_TITLE = "Registro de la Reunión de Gestión de Casos"
# What pikepdf's PDF/A validator (an allowlist) does not know: the extension schema PDF/A asks for
# to declare pdfuaid (ISO 19005-2 6.6.2.3.2), and the properties it declares.
DECLARED_BY_EXTENSION = ("pdfaExtension", "pdfaSchema", "pdfaProperty", "pdfuaid:part")


def xmp(document: pikepdf.Pdf) -> etree._Element:
    return etree.fromstring(document.Root.Metadata.read_bytes())


def declared(document: pikepdf.Pdf) -> tuple[str, str]:
    root = xmp(document)
    return root.findtext(".//pdfaid:part", namespaces=NS), root.findtext(
        ".//pdfaid:conformance", namespaces=NS)


def unembedded_fonts(document: pikepdf.Pdf) -> list[str]:
    missing = []
    for page in document.pages:
        for font in page.Resources.get("/Font", {}).values():
            for face in font.get("/DescendantFonts", [font]):
                descriptor = face.get("/FontDescriptor", {})
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(face.get("/BaseFont")))
    return missing


def pdfa_violations(document: pikepdf.Pdf, flavour: str) -> list:
    """What pikepdf's PDF/A validator finds against the standard, but for the extension schema."""
    return [finding for finding in pdfa.check(document, flavour).findings
            if finding.kind == "violation"
            and not any(name in finding.message for name in DECLARED_BY_EXTENSION)]


def assert_archival_and_accessible(document: pikepdf.Pdf, title: str) -> None:
    assert document.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in document.Root
    assert str(document.Root.Lang) == "es"
    assert str(document.docinfo.Title) == title
    assert xmp(document).findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=NS) == title
    assert document.Root.ViewerPreferences.DisplayDocTitle is True
    root = xmp(document)
    assert root.findtext(".//pdfuaid:part", namespaces=NS) == "1"
    assert root.findtext(".//pdfaSchema:namespaceURI", namespaces=NS) == archival.PDFUAID
    assert unembedded_fonts(document) == []


@needs_pdf
def test_an_issued_pdf_is_pdfa_3b_tagged_and_carries_its_record(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(format="pdf"))
    assert response.mimetype == "application/pdf"

    with pikepdf.open(io.BytesIO(response.data)) as document:
        assert declared(document) == ("3", "B")
        assert_archival_and_accessible(document, REGISTRO_TITLE)
        spec = document.attachments[archival.RECORD_FILE]
        assert spec.relationship == pikepdf.Name.Data
        assert spec.get_file().mime_type == "application/xml"
        assert [af.objgen for af in document.Root.AF] == [spec.obj.objgen]
        assert pdfa_violations(document, "3b") == []
    record = archival.read_document_data(response.data)
    assert record["document"] == "registro_reunion" and record["number"]
    assert record["data"]["supervisor_name"] == valid_registro()["supervisor_name"]


@needs_pdf
def test_a_blank_pdf_is_pdfa_2b_tagged_with_no_record(client):
    blank = client.get("/formularios/registro_reunion/en-blanco.pdf")
    assert blank.mimetype == "application/pdf"

    with pikepdf.open(io.BytesIO(blank.data)) as document:
        assert declared(document) == ("2", "B")
        assert_archival_and_accessible(document, REGISTRO_TITLE)
        assert "/AF" not in document.Root and not document.attachments
        assert pdfa_violations(document, "2b") == []
    with pytest.raises(EmbeddedDataError):
        archival.read_document_data(blank.data)


@needs_pdf
def test_an_issued_pdf_uploaded_fills_the_next_form_as_the_docx_does(app, client):
    # Issued by another team (as in test_conferencia): what this team's tracker does not know.
    elsewhere = new_account(app, "sur@example.org", ("coordinador",), "Equipo Sur")
    previous = issue_through_page(elsewhere, CONFERENCE_URL,
                                  data=conference(elsewhere, format="pdf"))
    assert previous.mimetype == "application/pdf"
    data = conference(client, **{f"commitments-{i}-{name}": None for i in (0, 1)
                                 for name in ("commitment", "responsible", "status",
                                              "observation")})
    data["row_action"] = "load:previous"
    data["previous_document"] = (io.BytesIO(previous.data), "conferencia-anterior.pdf")

    response = issue_through_page(client, CONFERENCE_URL, data=data,
                                  content_type="multipart/form-data")

    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Se cargaron 2 compromisos de la conferencia anterior." in page
    assert "Mesa con la EPS para priorizar citas." in page
    assert 'value="Regional Norte de Santander"' in page  # what was typed is kept


@needs_pdf
def test_the_warm_converter_exports_pdfa_tagged_for_every_request(client, warm_converter):
    """The options go with the worker, not with the request: a plain request gets them."""
    if warm_converter is None:
        pytest.skip("no LibreOffice uno: no warm converter")
    docx = client.get("/formularios/registro_reunion/en-blanco.docx").data
    with pikepdf.open(io.BytesIO(pdf.warm_pdf(warm_converter, docx, 120))) as document:
        assert declared(document) == ("2", "B")  # LibreOffice's own, before the archival step
        assert document.Root.MarkInfo.Marked is True
        assert xmp(document).findtext(".//pdfuaid:part", namespaces=NS) == "1"


def test_a_pdf_without_the_record_is_refused_clearly(client):
    data = conference(client, row_action="load:previous")
    data["previous_document"] = (io.BytesIO(b"%PDF-1.7 no record here"), "x.pdf")
    response = issue_through_page(client, CONFERENCE_URL, data=data,
                                  content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'id="previous_document-error"' in response.get_data(as_text=True)


def test_an_oversized_record_in_a_pdf_is_refused(tmp_path):
    document = pikepdf.new()
    document.add_blank_page()
    archival.attach_record(document, b"<record>" + b" " * (archival.MAX_DATA_BYTES + 1))
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(EmbeddedDataError, match="too large"):
        archival.read_pdf_data(buffer.getvalue())


# --- the blanks' pages: as LibreOffice's default export made them ------------------------------
needs_poppler = pytest.mark.skipif(
    not (pdf.pdf_available() and shutil.which("pdfinfo") and shutil.which("pdftoppm")),
    reason="LibreOffice or poppler-utils not installed")


@pytest.fixture(scope="module")
def blank_pdfs(tmp_path_factory):
    """code -> (the PDF as before this change: default export, no archival step; the PDF now),
    each set converted in one cold LibreOffice start."""
    documents = blank_documents(tmp_path_factory.mktemp("archival"))
    now = pdf.to_pdfs(documents)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "cold_target", lambda: "pdf")
        patch.setattr(archival, "finish", lambda data, _docx: data)
        before = pdf.to_pdfs(documents)
    return {name.removesuffix(".pdf"): (before[name], now[name]) for name in now}


def page_images(data: bytes, folder) -> list[bytes]:
    folder.mkdir()
    (folder / "document.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-gray", "-r", "20", str(folder / "document.pdf"),
                    str(folder / "page")], check=True)
    return [path.read_bytes() for path in sorted(
        folder.glob("page*.pgm"), key=lambda path: int(path.stem.split("-")[-1]))]


@needs_poppler
def test_every_blank_keeps_its_pages(blank_pdfs, tmp_path):
    assert blank_pdfs
    for code, (before, now) in blank_pdfs.items():
        with pikepdf.open(io.BytesIO(before)) as old, pikepdf.open(io.BytesIO(now)) as new:
            assert len(new.pages) == len(old.pages), code
            assert declared(new) == ("2", "B"), code
        assert page_images(now, tmp_path / f"{code}-now") == page_images(
            before, tmp_path / f"{code}-before"), f"{code}: a page looks different"
