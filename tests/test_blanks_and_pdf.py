"""Blank templates for paper, PDF copies, and the trainers' pack."""
import io
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile

import pytest

from tests.helpers import (
    HAS_PDF,
    REGISTRO_URL,
    body_text,
    header_rows,
    issue_through_page,
    needs_libreoffice,
    needs_pdf,
    open_docx,
    part_xml,
    pdf_text,
    valid_registro,
)
from webforms.documents import pdf
from webforms.forms import FORMS


def paper_marks(app, key) -> set[str]:
    """What the blank must show for the kinds of fields its form has: boxes for choices, date
    skeletons for dates."""
    from wtforms import BooleanField, DateField, FieldList, RadioField, SelectField

    from webforms.documents.contexts.blank import BOX, DATE

    with app.test_request_context():
        form = FORMS[key]()
        fields = [sub for field in form.content_fields()
                  for sub in (field.entries[0].form if isinstance(field, FieldList) else [field])]
    marks = set()
    if any(isinstance(field, (BooleanField, RadioField, SelectField)) for field in fields):
        marks.add(BOX)
    if any(isinstance(field, DateField) for field in fields):
        marks.add(DATE)
    return marks


@pytest.mark.parametrize("key", sorted(FORMS))
def test_every_blank_has_the_header_and_no_leftovers(app, client, key):
    response = client.get(f"/formularios/{key}/en-blanco.docx")
    assert response.status_code == 200
    document = open_docx(response.data)
    entry = app.extensions["webforms.catalogue"].current().get(key)
    rows = header_rows(document)
    assert rows[0][2] == entry.code and rows[1][2] == f"Versión {entry.version}"
    xml = part_xml(response.data, r"word/(document|header\d*|footer\d*)\.xml")
    for leftover in ("{{", "}}", "{%", "%}", "None", "&lt;", "AnyValue", "BlankChoice"):
        assert leftover not in xml, leftover
    text = body_text(document)
    for mark in paper_marks(app, key):
        assert mark in text, mark
    assert "Documento N.º" not in "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "en blanco" in response.headers["Content-Disposition"]


def test_registro_blank_is_designed_for_paper(client):
    document = open_docx(client.get("/formularios/registro_reunion/en-blanco.docx").data)
    text = body_text(document)
    assert "☐ Regular" in text.replace("\u00a0", " ")
    assert "☐ Sesión temática" in text.replace("\u00a0", " ")
    assert "El supervisor saluda al equipo" in text  # guidance is printed
    workers = [t for t in document.tables if t.rows[0].cells[0].text == "Trabajador social"][0]
    assert len(workers.rows) == 1 + 6
    actions = [t for t in document.tables if t.rows[0].cells[0].text == "Acción"]
    assert [len(t.rows) - 1 for t in actions] == [6, 6]
    assert "Ninguna acción registrada." not in text
    assert "___/___/_____" in text


def test_checklist_blank_prints_every_criterion_with_its_boxes(client):
    from webforms.content.quality import quality_criteria

    document = open_docx(client.get("/formularios/verificacion_hitos/en-blanco.docx").data)
    criteria = [t for t in document.tables if t.rows[0].cells[0].text == "Criterio"]
    assert sum(len(t.rows) - 1 for t in criteria) == sum(
        len(m.criteria) for m in quality_criteria().moments)
    assert criteria[0].rows[1].cells[1].text.replace("\u00a0", " ") == (
        "☐ Cumple   ☐ No cumple   ☐ No aplica")


@pytest.mark.pdf
def test_trainers_pack_holds_every_blank_and_handout(app, client):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/formadores/paquete.zip").data))
    names = archive.namelist()
    catalogue = app.extensions["webforms.catalogue"].current()
    for document in catalogue:
        matching = [n for n in names if n.split("/")[-1].startswith(document.code + " ")]
        extensions = sorted(n.rsplit(".", 1)[1] for n in matching)
        assert extensions == (["docx", "pdf"] if HAS_PDF else ["docx"]), document.code
    blanks = [n for n in names if n.startswith("Plantillas en blanco/") and n.endswith(".docx")]
    assert len(blanks) == len(FORMS) == sum(d.kind == "form" for d in catalogue)
    handouts = [n for n in names if n.startswith("Material de formación/") and n.endswith(".docx")]
    assert len(handouts) == sum(d.kind == "handout" for d in catalogue)
    competencies = open_docx(archive.read(next(n for n in handouts if "M3.G34.P" in n)))
    assert "Autoconocimiento." in body_text(competencies)
    assert header_rows(competencies)[0][2] == "M3.G34.P"


def test_handouts_mirror_the_seeds(app, client):
    from webforms.content.supervision import STRUCTURE

    page = client.get("/formadores/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Plantillas en blanco" in text and "Material de formación" in text
    documents = len(app.extensions["webforms.catalogue"].current().documents)
    assert text.count(" KB)") == documents  # every Word file has its size
    # (a PDF has its size once converted: the pack, or its first download, converts it)
    supervision = open_docx(client.get("/formadores/material_supervision.docx").data)
    body = body_text(supervision)
    assert "Para garantizar la práctica competente y responsable del personal" in body
    for item in STRUCTURE:
        assert str(item) in body
    definitions = body_text(open_docx(client.get("/formadores/material_definiciones.docx").data))
    assert "Gestión de casos de protección de la niñez" in definitions


@needs_pdf
def test_blank_and_filled_documents_convert_to_pdf_with_page_numbers(client):
    blank = client.get("/formularios/registro_reunion/en-blanco.pdf")
    assert blank.status_code == 200 and blank.mimetype == "application/pdf"
    text = pdf_text(blank.data)
    assert "F1.G34.P" in text and "Página 1 de" in text
    filled = issue_through_page(client, REGISTRO_URL, data=valid_registro(format="pdf"))
    assert filled.status_code == 200 and filled.mimetype == "application/pdf"
    assert filled.headers["Content-Disposition"].split("filename=")[1].startswith('"F1.G34.P')
    text = pdf_text(filled.data)
    assert "Página 1 de" in text and "Marta Gómez" in text and "Documento N.º F1.G34.P-" in text


@needs_pdf
@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts is not installed")
def test_pdfs_use_a_font_metric_compatible_with_the_templates(client):
    """Arial in the templates (Calibri in Word's defaults): the PDF uses Liberation Sans and
    Carlito (same metrics, so the same line breaks as in Word). DejaVu only supplies symbols
    those fonts lack (☒)."""
    pdf = issue_through_page(client, REGISTRO_URL, data=valid_registro(format="pdf")).data
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if not fonts.strip():  # an older pdffonts reads only files
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            fonts = subprocess.run(["pdffonts", handle.name], capture_output=True,
                                   check=True).stdout.decode()
    assert "LiberationSans" in fonts and "Carlito" in fonts, fonts
    assert not re.search(r"\+DejaVuSans\s", fonts), fonts  # no text set in the substitute


@needs_libreoffice  # the cold path: LibreOffice started for each conversion, not the warm one
def test_two_conversions_at_once_do_not_collide(client):
    docx = client.get("/formularios/mesa_interna/en-blanco.docx").data
    results, errors = [], []

    def convert():
        try:
            results.append(pdf.to_pdf(docx, timeout=120))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 2
    assert all(data.startswith(b"%PDF") for data in results)


def test_conversion_has_a_time_limit(tmp_path, monkeypatch):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice_path", lambda: str(slow))
    with pytest.raises(pdf.PdfUnavailable, match="more than 1 s"):
        pdf.to_pdf(b"docx", timeout=1)


def test_without_libreoffice_the_app_offers_word_and_says_why(client, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    response = client.get("/formularios/registro_reunion/en-blanco.pdf")
    assert response.status_code == 503
    assert "Descargue el documento en Word" in response.get_data(as_text=True)
    word = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert word.status_code == 200 and word.mimetype.endswith("wordprocessingml.document")
    number = open_docx(word.data).core_properties.identifier
    listed = client.get("/registros/").get_data(as_text=True)
    record_id = re.search(r'href="/registros/(\d+)"', listed).group(1)
    page = client.get(f"/registros/{record_id}").get_data(as_text=True)
    assert number in page and "documento.docx" in page
    assert "documento.pdf" not in page  # the record's page offers Word only


@pytest.mark.pdf
def test_blanks_and_pack_in_english(client):
    blank = open_docx(client.get("/formularios/registro_reunion/en-blanco.docx?idioma=en").data)
    assert header_rows(blank)[1][1] == "CASE MANAGEMENT MEETING RECORD"
    assert "Welcome, opening and check-in" in body_text(blank)
    response = client.get("/formadores/paquete.zip?idioma=en")
    assert "Trainers' pack (en).zip" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "Blank templates/F1.G34.P Case Management Meeting Record blank.docx" in names
    assert "Training material/M3.G34.P Competencies of the case manager.docx" in names
    page = client.get("/formadores/?idioma=en").get_data(as_text=True)
    assert 'href="/formadores/material_competencias.docx?idioma=en"' in page


def test_blank_tor_prints_the_model_responsibilities_and_requirements(client):
    from webforms.content.tdr import REQUIREMENTS, RESPONSIBILITIES

    text = body_text(open_docx(client.get(
        "/formularios/tdr_gestor_casos/en-blanco.docx").data))
    for sentence in (*RESPONSIBILITIES, *REQUIREMENTS):
        assert str(sentence) in text, sentence


def test_table_1_has_every_item_of_the_guide_in_tor_and_handout(client):
    snbf = "Conocimiento de las competencias sectoriales y de las entidades que conforman el SNBF."
    sim = "Conocimiento del manejo de la herramienta SIM (una vez inicie el desarrollo de su rol)."
    handout = body_text(open_docx(client.get("/formadores/material_competencias.docx").data))
    blank_tor = body_text(open_docx(client.get(
        "/formularios/tdr_gestor_casos/en-blanco.docx").data))
    page = client.get("/formularios/tdr_gestor_casos").get_data(as_text=True)
    for text in (handout, blank_tor, page):
        assert snbf in text and sim in text
