"""PDF copies through LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs with a time limit and its own throw-away LibreOffice profile, so two
conversions at once (two requests, two workers) never share or lock a profile. When LibreOffice is
not installed the application still runs and offers Word only.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed or took too long."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def to_pdf(docx: bytes, timeout: int = DEFAULT_TIMEOUT) -> bytes:
    """One .docx to PDF."""
    return to_pdfs({"document.docx": docx}, timeout)["document.pdf"]


def to_pdfs(documents: dict[str, bytes], timeout: int = DEFAULT_TIMEOUT) -> dict[str, bytes]:
    """Several .docx files to PDF in one LibreOffice start (much faster than one each).

    ``documents`` maps file names (ending in .docx) to their bytes; the result maps the same
    names ending in .pdf to the PDF bytes.
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="webforms-pdf-") as work:
        work = Path(work)
        sources, target = work / "in", work / "out"
        sources.mkdir()
        target.mkdir()
        for name, data in documents.items():
            (sources / Path(name).name).write_bytes(data)
        command = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(target),
                   *sorted(str(path) for path in sources.iterdir())]
        _run(command, timeout, env={**os.environ, "HOME": str(work)})
        results = {}
        for name in documents:
            pdf = target / (Path(name).stem + ".pdf")
            if not pdf.is_file():
                raise PdfUnavailable(f"LibreOffice did not convert {name}")
            results[str(Path(name).with_suffix(".pdf"))] = pdf.read_bytes()
        return results


def _run(command: list[str], timeout: int, env: dict) -> None:
    """Run LibreOffice in its own process group, so a time-out kills it and its children."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfUnavailable(f"LibreOffice took more than {timeout} s") from None
    if process.returncode != 0:
        raise PdfUnavailable(f"LibreOffice failed: {stderr.decode(errors='replace')[-500:]}")
