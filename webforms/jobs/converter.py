"""The PDF converter kept warm: unoserver instances, each restarted whenever it stops.

``python -m webforms.jobs.converter`` (a Procfile process) starts ``CONVERTER_INSTANCES``
unoservers on ``127.0.0.1`` from ``CONVERTER_PORT`` (XML-RPC on the even ports, LibreOffice's own
UNO socket on the next odd one). Each runs with ``--stop-after CONVERTER_RESTART_AFTER`` (LibreOffice
grows with use, so it is replaced after that many conversions) and ``--conversion-timeout
PDF_TIMEOUT`` (a hung conversion kills LibreOffice); either way it exits and is started again here.
For a converter host serving several web hosts, start it with ``WEBFORMS_CONVERTER_INTERFACE`` and
point the others' ``WEBFORMS_CONVERTER`` at it.

unoserver needs LibreOffice's Python bridge (``import uno``: Debian's ``python3-uno``), which a
virtualenv does not see: the server runs under the system Python that has it, with this
virtualenv's unoserver package appended to its path (see :func:`server_command`).
"""
from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import docx
import unoserver

from ..config import Config
from ..documents.pdf import PdfUnavailable, warm_pdf

log = logging.getLogger("webforms.converter")
# unoserver ends when the converter process ends, however it ends (even kill -9): Linux sends it
# SIGTERM (prctl PR_SET_PDEATHSIG), and it stops its LibreOffice. No orphan keeps the port.
DIE_WITH_PARENT = ("import ctypes, os, signal; ctypes.CDLL(None).prctl(1, signal.SIGTERM); "
                   "os.getppid() == 1 and sys.exit(0); ")
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "python3")


def uno_python() -> str | None:
    """A Python that can ``import uno``: WEBFORMS_UNO_PYTHON, or the system's."""
    for candidate in filter(None, (os.environ.get("WEBFORMS_UNO_PYTHON"), *UNO_PYTHONS)):
        try:
            subprocess.run([candidate, "-c", "import uno"], check=True, timeout=30,
                           capture_output=True)
        except (OSError, subprocess.SubprocessError):
            continue
        return candidate
    return None


def server_command(python: str, port: int, profile: Path, config=Config) -> list[str]:
    """unoserver's own command line, under ``python``, this environment's unoserver appended to
    its path (appended: the system's modules come first)."""
    packages = str(Path(unoserver.__file__).resolve().parent.parent)
    bootstrap = (f"import sys; sys.path.append({packages!r}); {DIE_WITH_PARENT}"
                 "from unoserver.server import main; sys.exit(main())")
    return [python, "-c", bootstrap, "--interface", config.CONVERTER_INTERFACE,
            "--port", str(port), "--uno-port", str(port + 1),
            "--conversion-timeout", str(config.PDF_TIMEOUT),
            "--stop-after", str(config.CONVERTER_RESTART_AFTER),
            "--user-installation", str(profile), "--quiet"]


class Instance(threading.Thread):
    """One unoserver, started again each time it exits, until :meth:`stop`."""

    def __init__(self, python: str, port: int, workdir: Path):
        super().__init__(name=f"unoserver-{port}", daemon=True)
        self.python, self.port, self.workdir = python, port, workdir
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            profile = self.workdir / f"profile-{self.port}"
            self.process = subprocess.Popen(server_command(self.python, self.port, profile),
                                            start_new_session=True)
            log.info("unoserver on port %s started (pid %s)", self.port, self.process.pid)
            warm_up(f"127.0.0.1:{self.port}", self.process)
            code = self.process.wait()
            if not self.stopping.is_set():
                log.warning("unoserver on port %s exited (%s); starting it again", self.port,
                            code)
                self.stopping.wait(1)

    def stop(self) -> None:
        self.stopping.set()
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # LibreOffice with it


def warm_up(address: str, process: subprocess.Popen, seconds: float = 90) -> None:
    """Convert a small document as soon as the server answers: LibreOffice loads Writer and the
    fonts for its first document, which would otherwise be a user's, seconds slower."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            warm_pdf(address, _small_docx(), Config.PDF_TIMEOUT)
            log.info("unoserver at %s is warm", address)
            return
        except ConnectionError:  # not listening yet
            time.sleep(0.5)
        except PdfUnavailable:
            log.warning("unoserver at %s did not convert its first document", address)
            return


def _small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("formularios-gc")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ports(config=Config) -> list[int]:
    return [config.CONVERTER_PORT + 2 * number for number in range(config.CONVERTER_INSTANCES)]


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s converter: %(message)s")
    python = uno_python()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    if python is None:
        # Stay up (a process manager stops everything when one process ends): PDFs are then
        # made by starting LibreOffice for each conversion.
        log.warning("no Python with LibreOffice's uno module (install python3-uno): "
                    "PDFs start LibreOffice each time")
        stopped.wait()
        return 0
    with tempfile.TemporaryDirectory(prefix="webforms-converter-") as workdir:
        instances = [Instance(python, port, Path(workdir)) for port in ports()]
        for instance in instances:
            instance.start()
        stopped.wait()
        for instance in instances:
            instance.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
