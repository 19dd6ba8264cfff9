"""PDF copies through LibreOffice: warm, or started for the occasion.

Warm: a LibreOffice kept running by the converter (webforms.jobs.converter), reached over its
authenticated socket (the installation's own, see :class:`Converter`), documents and PDFs sent
as bytes; a conversion then costs a fraction of a second. Cold, when no
converter answers: ``soffice --headless --convert-to pdf`` started for the documents at hand
(about 1.3 s more), with its own throw-away profile so two conversions at once never share or lock
one. Both have a time limit. When LibreOffice is not installed the application offers Word only.

Both export with the same fixed options (:data:`EXPORT_OPTIONS`: PDF/A-2b, tagged, PDF/UA), and
every PDF is then finished by webforms.documents.archival (language, title, the record's data):
the bytes returned are the final unsigned copy. The options never travel with a request: the warm
converter's workers are given them when they start (see docs/archival-pdf.md).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from pathlib import Path

from webforms.documents import archival

DEFAULT_TIMEOUT = 120
# The largest document a warm converter reads (a rendered record is far smaller).
MAX_DOCUMENT = 64 * 1024 * 1024
EXPORT_FILTER = "writer_pdf_Export"
# LibreOffice's PDF export options (its FilterData), the same for every PDF: PDF/A-2b (2; the
# archival step turns it into PDF/A-3b when it embeds the record), tagged, and PDF/UA (which
# LibreOffice 7.2 and later accept alongside PDF/A).
EXPORT_OPTIONS: dict[str, bool | int] = {"SelectPdfVersion": 2, "UseTaggedPDF": True,
                                         "PDFUACompliance": True}


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed or took too long."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def cold_target() -> str:
    """``soffice --convert-to``'s target with :data:`EXPORT_OPTIONS` (JSON filter options,
    LibreOffice 7.4 and later)."""
    typed = {name: {"type": "boolean", "value": str(value).lower()} if isinstance(value, bool)
             else {"type": "long", "value": str(value)} for name, value in EXPORT_OPTIONS.items()}
    return f"pdf:{EXPORT_FILTER}:{json.dumps(typed, separators=(',', ':'))}"


def to_pdf(docx: bytes, timeout: int = DEFAULT_TIMEOUT,
           converters: tuple[Converter, ...] = ()) -> bytes:
    """One .docx to PDF: by the first warm converter that answers, else by a cold start."""
    return to_pdfs({"document.docx": docx}, timeout, converters)["document.pdf"]


@dataclass(frozen=True)
class Converter:
    """A warm converter (webforms.jobs.converter): a Unix socket's path, or ``host:port``; and
    the installation's converter secret, which every call proves it knows."""

    address: str
    secret: bytes = field(repr=False)

    def connect(self, timeout: float) -> Connection:
        """An authenticated connection; ConnectionError when nothing answers there, or when it
        does not know the secret (not this installation's converter)."""
        unix = self.address.startswith("/")
        family = socket.AF_UNIX if unix else socket.AF_INET
        host, _, port = self.address.rpartition(":")
        try:
            with socket.socket(family) as client:
                client.settimeout(timeout)
                client.connect(self.address if unix else (host, int(port)))
                client.settimeout(None)
                connection = Connection(client.detach())
        except (OSError, ValueError) as exc:
            raise ConnectionError(f"no converter at {self.address}") from exc
        try:
            answer_challenge(connection, self.secret)
            deliver_challenge(connection, self.secret)
        except (AuthenticationError, OSError, EOFError, AssertionError) as exc:
            connection.close()
            raise ConnectionError(f"the converter at {self.address} is not this "
                                  "installation's") from exc
        return connection

    def call(self, request: bytes, timeout: float) -> bytes:
        """The converter's answer to ``request``, or PdfUnavailable / ConnectionError."""
        with self.connect(timeout) as connection:
            try:
                connection.send_bytes(request)
                if not connection.poll(timeout):
                    raise PdfUnavailable(f"the converter at {self.address} took more than "
                                         f"{timeout} s")
                reply = connection.recv_bytes()
            except (OSError, EOFError) as exc:  # it stopped: like no converter at all
                raise ConnectionError(f"the converter at {self.address} stopped") from exc
        if reply[:1] == b"T":  # the converter's own limit: the document hangs
            raise PdfUnavailable(f"the converter at {self.address} stopped the conversion at "
                                 "its time limit")
        if reply[:1] != b"\0":
            # LibreOffice behind it failed: like no converter at all, so the next one, or a
            # cold start, makes the PDF.
            raise ConnectionError(f"the converter at {self.address} failed: "
                                  f"{reply[1:].decode(errors='replace')}")
        return reply[1:]


def warm_pdf(converter: Converter, docx: bytes, timeout: int) -> bytes:
    """The PDF of ``docx`` from a warm converter: the document goes as bytes, the PDF comes back
    as bytes (no call takes a path). Raises ConnectionError when nothing answers there or
    LibreOffice behind it fails, PdfUnavailable when the conversion takes longer than
    ``timeout``."""
    return converter.call(b"P" + docx, timeout)


def converter_status(converters: tuple[Converter, ...], timeout: float = 2) -> dict | str:
    """What the first warm converter says of its isolation (for /healthz), or why none does."""
    for converter in converters:
        try:
            return json.loads(converter.call(b"S", timeout))
        except (ConnectionError, PdfUnavailable, ValueError):
            continue
    return "not running: PDFs start LibreOffice for each conversion"


def to_pdfs(documents: dict[str, bytes], timeout: int = DEFAULT_TIMEOUT,
            converters: tuple[Converter, ...] = ()) -> dict[str, bytes]:
    """Several .docx files to PDF: one by one by a warm converter, or else all in one cold
    LibreOffice start (much faster than one start each).

    ``documents`` maps file names (ending in .docx) to their bytes; the result maps the same
    names ending in .pdf to the PDF bytes.
    """
    return {str(Path(name).with_suffix(".pdf")): archival.finish(pdf, documents[name])
            for name, pdf in _converted(documents, timeout, converters).items()}


def _converted(documents: dict[str, bytes], timeout: int,
               converters: tuple[Converter, ...]) -> dict[str, bytes]:
    """LibreOffice's PDF of each document, under the document's own name."""
    if converters:
        try:
            return {name: _warm_only(data, timeout, converters)
                    for name, data in documents.items()}
        except ConnectionError:
            pass
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
                   "--convert-to", cold_target(), "--outdir", str(target),
                   *sorted(str(path) for path in sources.iterdir())]
        _run(command, timeout, env={**os.environ, "HOME": str(work)})
        results = {}
        for name in documents:
            pdf = target / (Path(name).stem + ".pdf")
            if not pdf.is_file():
                raise PdfUnavailable(f"LibreOffice did not convert {name}")
            results[name] = pdf.read_bytes()
        return results


def _warm_only(docx: bytes, timeout: int, converters: tuple[Converter, ...]) -> bytes:
    for converter in converters:
        try:
            return warm_pdf(converter, docx, timeout)
        except ConnectionError:  # not running, or restarting: the next one, or a cold start
            continue
    raise ConnectionError("no converter answers")


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
