"""PDF copies through LibreOffice: warm, or started for the occasion.

Warm: a LibreOffice kept running by unoserver (webforms.jobs.converter), reached over its XML-RPC
API at the configured addresses; a conversion then costs a fraction of a second. Cold, when no
converter answers: ``soffice --headless --convert-to pdf`` started for the documents at hand
(about 1.3 s more), with its own throw-away profile so two conversions at once never share or lock
one. Both have a time limit. When LibreOffice is not installed the application offers Word only.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import xmlrpc.client
from pathlib import Path

DEFAULT_TIMEOUT = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed or took too long."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def to_pdf(docx: bytes, timeout: int = DEFAULT_TIMEOUT,
           converters: tuple[str, ...] = ()) -> bytes:
    """One .docx to PDF: by the first warm converter that answers, else by a cold start."""
    return to_pdfs({"document.docx": docx}, timeout, converters)["document.pdf"]


class _TimedTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def warm_pdf(address: str, docx: bytes, timeout: int) -> bytes:
    """The PDF of ``docx`` from the unoserver at ``host:port`` (its ``convert`` call, with the
    document sent as data, as to a remote host). Raises ConnectionError when nothing answers
    there or LibreOffice behind it fails, PdfUnavailable when the conversion takes longer than
    ``timeout`` or the answer is not one."""
    proxy = xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True,
                                      transport=_TimedTransport(timeout))
    try:
        # convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index)
        result = proxy.convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], True)
    except (ConnectionRefusedError, ConnectionResetError) as exc:
        raise ConnectionError(f"no converter at {address}") from exc
    except xmlrpc.client.Fault as exc:
        if "TimeoutError" in exc.faultString:  # the converter's own limit: the document hangs
            raise PdfUnavailable(f"the converter at {address} stopped the conversion at its "
                                 "time limit") from exc
        # LibreOffice behind it failed, or is being replaced (after N conversions): like no
        # converter at all, so the next one, or a cold start, makes the PDF.
        raise ConnectionError(f"the converter at {address} failed: {exc.faultString}") from exc
    except TimeoutError:
        raise PdfUnavailable(f"the converter at {address} took more than {timeout} s") from None
    except (xmlrpc.client.Error, OSError) as exc:
        raise PdfUnavailable(f"the converter at {address} failed: {exc}") from exc
    return result.data


def to_pdfs(documents: dict[str, bytes], timeout: int = DEFAULT_TIMEOUT,
            converters: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Several .docx files to PDF: one by one by a warm converter, or else all in one cold
    LibreOffice start (much faster than one start each).

    ``documents`` maps file names (ending in .docx) to their bytes; the result maps the same
    names ending in .pdf to the PDF bytes.
    """
    if converters:
        try:
            return {str(Path(name).with_suffix(".pdf")): _warm_only(data, timeout, converters)
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


def _warm_only(docx: bytes, timeout: int, converters: tuple[str, ...]) -> bytes:
    for address in converters:
        try:
            return warm_pdf(address, docx, timeout)
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
