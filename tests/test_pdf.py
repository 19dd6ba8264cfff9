"""The generated Word file opens in LibreOffice and its page fields are computed."""
import shutil
import subprocess

import pytest

from tests.helpers import REGISTRO_URL, valid_registro

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(not (SOFFICE and PDFTOTEXT),
                                reason="LibreOffice and pdftotext are not installed")


def test_generated_registro_converts_and_numbers_its_pages(client, tmp_path):
    response = client.post(REGISTRO_URL, data=valid_registro())
    source = tmp_path / "registro.docx"
    source.write_bytes(response.data)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True)
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "registro.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "Página 1 de" in pages[0]
    assert "F1.G34.P" in pages[0]
    assert "Marta Gómez" in text
    assert "COPIA NO CONTROLADA" in text
