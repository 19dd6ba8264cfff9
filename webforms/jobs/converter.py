"""The PDF converter kept warm, reachable only by this installation.

``python -m webforms.jobs.converter`` (a Procfile process) keeps ``CONVERTER_INSTANCES``
LibreOffices warm, each driven by a worker (webforms/jobs/uno_worker.py) that takes documents as
bytes and gives PDFs back as bytes: no call takes a path, so no caller can have a file of the
installation read or written. Each worker is replaced after ``CONVERTER_RESTART_AFTER``
conversions (LibreOffice grows with use) and when a conversion passes ``PDF_TIMEOUT`` (a hung
document), its LibreOffice with it.

Who may call it:
- By default it listens on a Unix socket in the installation's instance folder
  (``instance/converter/socket``: folder 0700, socket 0600), so no other OS user can connect and
  two installations on one machine each have their own.
- With ``WEBFORMS_CONVERTER_INTERFACE`` it listens on that TCP interface and
  ``WEBFORMS_CONVERTER_PORT`` instead (a converter host serving several web hosts; see
  docs/converter.md), and refuses to start on a non-loopback interface without
  ``WEBFORMS_CONVERTER_SECRET``.
- Either way every connection proves it knows the installation's converter secret (HMAC
  challenge and response, both ways: multiprocessing.connection's) before a document is read.
LibreOffice's own UNO connection is a private pipe of a random name (see uno_worker), never a TCP
port. What isolation is missing is said at start and in ``/healthz`` (:func:`isolation`).
"""
from __future__ import annotations

import io
import json
import logging
import os
import pwd
import queue
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from multiprocessing import AuthenticationError
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from pathlib import Path

import docx
import unoserver

from webforms.config import Config, converter_secret, default_converter_socket, instance_dir
from webforms.documents.pdf import EXPORT_OPTIONS, MAX_DOCUMENT, soffice_path

log = logging.getLogger("webforms.converter")
WORKER = Path(__file__).with_name("uno_worker.py")
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "python3")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
UNIX_PATH_MAX = 107  # sun_path's 108 bytes, the last a NUL
START_SECONDS = 120
# A client has this long to authenticate and send its document (SO_RCVTIMEO on each read).
CLIENT_SECONDS = 30


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


def worker_command(python: str, workdir: Path) -> list[str]:
    """The worker under ``python``, this environment's unoserver appended to its path (appended:
    the system's modules come first), and the PDF export options it applies to every document."""
    packages = str(Path(unoserver.__file__).resolve().parent.parent)
    bootstrap = (f"import runpy, sys; sys.path.append({packages!r}); "
                 f"runpy.run_path({str(WORKER)!r}, run_name='__main__')")
    office = str(Path(soffice_path()).resolve().with_name("soffice.bin"))
    return [python, "-c", bootstrap, office, str(workdir), str(os.getpid()),
            json.dumps(EXPORT_OPTIONS)]


class ConversionTimeout(RuntimeError):
    """The document took longer than the time limit: its LibreOffice was stopped."""


class Instance(threading.Thread):
    """One worker and its LibreOffice, started again whenever it is retired, until :meth:`stop`.

    The worker is started by this thread, which lives as long as it: the kernel's parent-death
    signal follows the thread that started a process."""

    def __init__(self, number: int, python: str, user: str | None, pool: queue.Queue):
        super().__init__(name=f"converter-{number}", daemon=True)
        self.number, self.python, self.user, self.pool = number, python, user, pool
        self.process: subprocess.Popen | None = None
        self.profile: Path | None = None
        self.requests = self.replies = None
        self.conversions = 0
        self.retire, self.stopping = threading.Event(), threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.start_worker()
            except (OSError, EOFError, RuntimeError) as error:
                log.warning("LibreOffice %s did not start (%s); starting it again", self.number,
                            error)
                self.kill()
                self.stopping.wait(1)
                continue
            self.pool.put(self)
            self.retire.wait()
            self.retire.clear()
            self.kill()

    def start_worker(self) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix=f"webforms-libreoffice-{self.number}-"))
        switch = {}
        if self.user:  # root: the worker and LibreOffice run as the dedicated user
            account = pwd.getpwnam(self.user)
            os.chown(self.profile, account.pw_uid, account.pw_gid)
            switch = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        self.process = subprocess.Popen(worker_command(self.python, self.profile),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        start_new_session=True, **switch)
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.conversions = 0
        log.info("LibreOffice %s started (pid %s)", self.number, self.process.pid)
        if not self.replies.poll(START_SECONDS) or self.replies.recv_bytes() != b"ready":
            raise RuntimeError("no answer")
        self.convert(small_docx(), START_SECONDS)  # Writer and the fonts load now
        log.info("LibreOffice %s is warm", self.number)

    def convert(self, document: bytes, timeout: float) -> bytes:
        """The PDF of ``document``; ConversionTimeout past ``timeout``, RuntimeError when
        LibreOffice fails (the instance is then retired)."""
        self.conversions += 1
        try:
            self.requests.send_bytes(document)
            if not self.replies.poll(timeout):
                raise ConversionTimeout(f"the conversion took more than {timeout} s")
            reply = self.replies.recv_bytes()
        except (OSError, EOFError) as error:
            raise RuntimeError(f"LibreOffice {self.number} stopped") from error
        if reply[:1] != b"\0":
            raise RuntimeError(reply[1:].decode(errors="replace"))
        return reply[1:]

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # LibreOffice with it
            self.process.wait()
        if self.process:
            self.process.stdin.close()
            self.process.stdout.close()
        for connection in (self.requests, self.replies):
            if connection is not None:
                connection.close()
        self.requests = self.replies = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    def stop(self) -> None:
        self.stopping.set()
        self.retire.set()
        self.kill()


class Converter:
    """The instances behind one listening socket; a connection is served by a free instance."""

    def __init__(self, instances: list[Instance], pool: queue.Queue, secret: bytes,
                 status: dict):
        self.instances, self.pool, self.secret, self.status = instances, pool, secret, status

    def serve(self, listener: socket.socket) -> None:
        while True:
            client, _ = listener.accept()
            threading.Thread(target=self.answer, args=(client,), daemon=True).start()

    def answer(self, client: socket.socket) -> None:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll",
                                                                             CLIENT_SECONDS, 0))
        with Connection(client.detach()) as connection:
            try:
                deliver_challenge(connection, self.secret)
                answer_challenge(connection, self.secret)
                request = connection.recv_bytes(MAX_DOCUMENT + 1)
                connection.send_bytes(self.reply(request))
            except AuthenticationError:
                log.warning("a client without the converter's secret was refused")
            except (OSError, EOFError):  # gone, too slow, or the document too large
                pass

    def reply(self, request: bytes) -> bytes:
        kind, document = request[:1], request[1:]
        if kind == b"S":
            return b"\0" + json.dumps(self.status).encode()
        if kind != b"P":
            return b"Eunknown request"
        try:
            instance = self.pool.get(timeout=Config.PDF_TIMEOUT)
        except queue.Empty:  # none of its LibreOffices starts: the caller starts one itself
            return b"Eno LibreOffice is ready"
        try:
            pdf = instance.convert(document, Config.PDF_TIMEOUT)
        except ConversionTimeout as error:
            instance.retire.set()
            return b"T" + str(error).encode()
        except RuntimeError as error:
            instance.retire.set()
            return b"E" + str(error).encode()[:500]
        if instance.conversions > Config.CONVERTER_RESTART_AFTER:  # the warm-up counts too
            instance.retire.set()
        else:
            self.pool.put(instance)
        return b"\0" + pdf

    def stop(self) -> None:
        for instance in self.instances:
            instance.stop()


def small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("formularios-gc")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def worker_user(config=Config) -> str | None:
    """The dedicated OS user LibreOffice runs as, when this process may switch to it (root)."""
    if os.geteuid() != 0 or not config.CONVERTER_USER:
        return None
    try:
        pwd.getpwnam(config.CONVERTER_USER)
    except KeyError:
        return None
    return config.CONVERTER_USER


def isolation(interface: str | None, user: str | None) -> dict:
    """What protects the converter here, as said at start and in /healthz (public: no path)."""
    if user:
        sandbox = f"dedicated OS user {user}"
    else:
        sandbox = ("none: LibreOffice runs as the product's own OS user and can read what it "
                   "can (start the converter as root with the user WEBFORMS_CONVERTER_USER)")
    return {"transport": "tcp+secret" if interface else "unix-socket+secret",
            "uno": "private pipe", "sandbox": sandbox}


def listen(config=Config) -> tuple[socket.socket, str]:
    """The listening socket: TCP on WEBFORMS_CONVERTER_INTERFACE, else the Unix socket."""
    if config.CONVERTER_INTERFACE:
        if config.CONVERTER_INTERFACE not in LOOPBACK and not config.CONVERTER_SECRET:
            raise SystemExit("WEBFORMS_CONVERTER_INTERFACE is not a loopback address: set "
                             "WEBFORMS_CONVERTER_SECRET (the same on every web host)")
        listener = socket.create_server((config.CONVERTER_INTERFACE, config.CONVERTER_PORT))
        return listener, f"{config.CONVERTER_INTERFACE}:{config.CONVERTER_PORT}"
    path = Path(config.CONVERTER_SOCKET or default_converter_socket(instance_dir()))
    if len(os.fsencode(path)) > UNIX_PATH_MAX:
        raise SystemExit(f"{path} is too long for a Unix socket: set WEBFORMS_CONVERTER_SOCKET "
                         "(and WEBFORMS_CONVERTER) to a shorter path in a folder of this user's")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not config.CONVERTER_SOCKET:  # the instance's own folder; a configured one stays as is
        path.parent.chmod(0o700)
    if path.exists():
        with socket.socket(socket.AF_UNIX) as probe:
            if probe.connect_ex(str(path)) == 0:
                raise SystemExit(f"another converter already listens on {path}")
        path.unlink()
    listener = socket.socket(socket.AF_UNIX)
    previous = os.umask(0o177)  # the socket is made 0600: only this OS user may connect
    try:
        listener.bind(str(path))
    finally:
        os.umask(previous)
    listener.listen()
    return listener, str(path)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s converter: %(message)s")
    listener, address = listen()  # a setting that would expose it stops here, first
    python = uno_python() if soffice_path() else None
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    if python is None:
        # Stay up (a process manager stops everything when one process ends): PDFs are then
        # made by starting LibreOffice for each conversion.
        log.warning("no LibreOffice, or no Python with its uno module (install python3-uno): "
                    "PDFs start LibreOffice each time")
        listener.close()
        stopped.wait()
        return 0
    user = worker_user()
    status = isolation(Config.CONVERTER_INTERFACE, user)
    (log.info if user else log.warning)(
        "listening on %s (%s); LibreOffice over a %s; sandbox: %s", address,
        status["transport"], status["uno"], status["sandbox"])
    pool = queue.Queue()
    instances = [Instance(number, python, user, pool)
                 for number in range(Config.CONVERTER_INSTANCES)]
    converter = Converter(instances, pool, converter_secret(instance_dir()), status)
    for instance in instances:
        instance.start()
    threading.Thread(target=converter.serve, args=(listener,), daemon=True).start()
    stopped.wait()
    converter.stop()
    listener.close()
    if listener.family == socket.AF_UNIX:
        Path(address).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
