"""One LibreOffice kept warm, driven over UNO by this worker, which the converter feeds documents.

Run by webforms.jobs.converter under a Python that has LibreOffice's ``uno`` module (the system's:
Debian's ``python3-uno``; a virtualenv does not see it), so this file imports nothing of the
application: only the standard library, ``uno`` and unoserver's converter (its conversion logic;
not its XML-RPC server, whose ``convert`` takes paths).

Why it is safe to keep running:
- It has no network surface: documents come in on its standard input and PDFs go out on its
  standard output (length-prefixed messages), bytes only, never a path.
- LibreOffice accepts UNO on a named pipe of a random name per start
  (``/tmp/OSL_PIPE_<uid>_<name>``, a Unix socket only its own OS user may connect to), never on
  a TCP port; its profile is a folder of its own (0700).
- LibreOffice ends when this worker ends, however it ends (kill -9 included): the kernel sends it
  SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), and this worker gets the same from the
  converter. The converter also kills the worker's process group, LibreOffice included.

What it makes: every PDF with the export options it was started with (the converter gives it
webforms.documents.pdf.EXPORT_OPTIONS: PDF/A, tagged, PDF/UA), the same for every document. A
request is a document and nothing else: no option ever comes with one.

Usage: ``python uno_worker.py SOFFICE_BIN WORKDIR PARENT_PID OPTIONS_JSON``.
"""
import ctypes
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import uno
from com.sun.star.connection import NoConnectException
from unoserver.converter import UnoConverter

PR_SET_PDEATHSIG = 1
# LibreOffice's first start in a new profile ends with this code, asking to be started again.
RESTART_CODE = 81
START_SECONDS = 90
EXPORT_FILTER = "writer_pdf_Export"


def die_with_parent() -> None:
    """SIGKILL when the parent process dies (inherited through exec, not through fork)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class PipeConverter(UnoConverter):
    """unoserver's conversion, connected over a UNO pipe instead of a TCP socket."""

    def __init__(self, context, temp_dir: str):  # not super()'s: it opens a TCP socket
        self.context = context
        self.service = context.ServiceManager
        self.desktop = self.service.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                              context)
        self.filter_service = self.service.createInstanceWithContext(
            "com.sun.star.document.FilterFactory", context)
        self.type_service = self.service.createInstanceWithContext(
            "com.sun.star.document.TypeDetection", context)
        self.temp_dir = temp_dir
        self._export_filters = None
        self._import_filters = None


def start_office(soffice: str, workdir: Path, pipe: str) -> subprocess.Popen:
    command = [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
               "--nolockcheck", "--nofirststartwizard",
               f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
               f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sys.stderr,
                            env={**os.environ, "HOME": str(workdir), "TMPDIR": str(workdir)},
                            preexec_fn=die_with_parent)


def connect(soffice: str, workdir: Path) -> PipeConverter:
    """LibreOffice started on a private pipe, and a converter connected to it."""
    pipe = f"webforms-{secrets.token_hex(16)}"
    office = start_office(soffice, workdir, pipe)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return PipeConverter(context, str(workdir))
        except NoConnectException:
            code = office.poll()
            if code == RESTART_CODE:  # the profile is made: the real start
                office = start_office(soffice, workdir, pipe)
            elif code is not None:
                raise RuntimeError(f"LibreOffice exited ({code})") from None
            time.sleep(0.25)
    raise RuntimeError("LibreOffice did not accept its pipe in time")


def export_options(text: str) -> list[str]:
    """The export options given at start (a JSON object of booleans and integers), in
    unoserver's ``Name=value`` form; anything else stops the worker."""
    options = json.loads(text)
    if not isinstance(options, dict) or not all(
            isinstance(name, str) and name.isalnum() and isinstance(value, (bool, int))
            for name, value in options.items()):
        raise SystemExit("the export options are a JSON object of booleans and integers")
    return [f"{name}={str(value).lower() if isinstance(value, bool) else value}"
            for name, value in options.items()]


def serve(converter: PipeConverter, options: list[str], requests: Connection,
          replies: Connection) -> None:
    """Each document in, its PDF (b"\\0" + bytes) or an error (b"E" + text) out, until EOF."""
    while True:
        try:
            document = requests.recv_bytes()
        except EOFError:
            return
        try:
            pdf = converter.convert(indata=document, convert_to="pdf",
                                    filtername=EXPORT_FILTER, filter_options=options)
            replies.send_bytes(b"\0" + pdf)
        except Exception as error:  # LibreOffice's own errors: the converter decides
            replies.send_bytes(b"E" + f"{type(error).__name__}: {error}".encode()[:500])


def main() -> int:
    soffice, workdir, parent = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    options = export_options(sys.argv[4])
    die_with_parent()
    if os.getppid() != parent:  # the converter died before the line above
        return 1
    requests, replies = Connection(os.dup(0), writable=False), Connection(os.dup(1),
                                                                          readable=False)
    os.dup2(2, 1)  # anything printed goes to the log, never into a reply
    converter = connect(soffice, workdir)
    replies.send_bytes(b"ready")
    serve(converter, options, requests, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
