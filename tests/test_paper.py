"""The blanks as a trainer prints them: every blank (es) converted by LibreOffice, each page
rendered to an image (pdftoppm) and read (pdftotext), the way a reviewer leafs through paper.

No page is empty; the change history never stands alone on a page; no page ends on a heading; the
blank Registro starts the record on a page of its own after the guidance; no word breaks in two
(a choice squeezed into a narrow column shows as "Cumplid/o").
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.factories import blank_documents
from tests.helpers import open_docx, paragraphs
from webforms.documents import pdf

pytestmark = pytest.mark.skipif(
    not (pdf.pdf_available() and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice or poppler-utils not installed")

PAGE_NUMBER = re.compile(r"Página \d+ de \d+")
DPI = 20
INK = 128  # a grey level darker than this is ink


@pytest.fixture(scope="module")
def blanks(tmp_path_factory):
    """code -> (the blank .docx, its PDF), all converted in one LibreOffice start."""
    documents = blank_documents(tmp_path_factory.mktemp("paper"))
    pdfs = pdf.to_pdfs(documents)
    return {name.removesuffix(".docx"): (data, pdfs[name.replace(".docx", ".pdf")])
            for name, data in documents.items()}


def page_texts(data: bytes) -> list[list[str]]:
    """Each page's body lines: the controlled header and the footer notices left out."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode()
    return [_body(page.splitlines()) for page in text.split("\f") if page.strip()]


def _body(lines: list[str]) -> list[str]:
    start = next((index + 1 for index, line in enumerate(lines) if PAGE_NUMBER.search(line)), 0)
    while start < len(lines) and not re.search(r"[a-zñáéíóú]", lines[start]):
        start += 1  # the rest of the header: the title in capitals
    end = next((index for index, line in enumerate(lines) if "Antes de imprimir" in line),
               len(lines))
    return [line.strip() for line in lines[start:end] if line.strip()]


def page_images(data: bytes, tmp_path) -> list[tuple[int, int, bytes]]:
    """Each page as a grey image: width, height and one byte a pixel."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(source), str(tmp_path / "page")],
                   check=True)
    images = []
    for image in sorted(tmp_path.glob("page*.pgm"), key=lambda path: int(path.stem.split("-")[-1])):
        raw = image.read_bytes()
        magic, width, height, _, pixels = raw.split(maxsplit=4)
        assert magic == b"P5"
        images.append((int(width), int(height), pixels))
    return images


def body_ink(width: int, height: int, pixels: bytes) -> float:
    """The share of dark pixels between the header (top 15 %) and the footer (bottom 10 %)."""
    body = pixels[int(height * 0.15) * width:int(height * 0.9) * width]
    return sum(1 for value in body if value < INK) / len(body)


def headings(docx_data: bytes) -> set[str]:
    return {paragraph.text.strip() for paragraph in open_docx(docx_data).paragraphs
            if paragraph.style.name.startswith(("Heading", "Title")) and paragraph.text.strip()}


def test_every_page_has_content_and_the_history_never_stands_alone(blanks, tmp_path):
    for code, (_, data) in blanks.items():
        texts = page_texts(data)
        images = page_images(data, tmp_path / code)
        assert len(texts) == len(images), code
        for number, (lines, image) in enumerate(zip(texts, images), start=1):
            assert lines and body_ink(*image) > 0.002, f"{code}: page {number} is empty"
            assert lines[0] != "Control de cambios", \
                f"{code}: page {number} holds only the change history"


def test_no_page_ends_on_a_heading(blanks):
    for code, (docx_data, data) in blanks.items():
        titles = headings(docx_data)
        for number, lines in enumerate(page_texts(data)[:-1], start=1):
            assert lines[-1] not in titles, f"{code}: page {number} ends on {lines[-1]!r}"


def test_the_blank_registro_starts_the_record_on_a_page_of_its_own(blanks):
    first, second = page_texts(blanks["F1.G34.P"][1])[:2]
    assert first[0] == "Registro de la Reunión de Gestión de Casos"
    assert not any("Datos de la reunión" in line for line in first)
    assert second[0] == "Datos de la reunión"


def test_no_word_breaks_in_two(blanks):
    """Every word printed is a word of the document: a word cut by a narrow column is not."""
    for code, (docx_data, data) in blanks.items():
        vocabulary = set(_words(" ".join(paragraphs(docx_data))))
        printed = _words(" ".join(line for page in page_texts(data) for line in page))
        broken = sorted(set(printed) - vocabulary)
        assert not broken, f"{code}: words cut in two on paper: {broken}"


def test_blanks_have_a_signature_block_with_room_to_sign(blanks):
    for code, (_, data) in blanks.items():
        if not code.startswith("F"):
            continue  # handouts are read, not signed
        text = "\n".join(line for page in page_texts(data) for line in page)
        assert re.search(r"Nombre\s+Rol\s+Firma\s+Fecha", text), code


def _words(text: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[^\W\d_¹²³⁴⁵⁶⁷⁸⁹⁰]+", text)]
