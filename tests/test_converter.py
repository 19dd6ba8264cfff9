"""The converter's trust boundary (issue 30): the warm converter, started as the Procfile starts
it, converts only for its own installation. A client without the installation's secret, or
another OS user, is refused; no call takes a path, so neither /etc/passwd nor instance/data_key
comes back; LibreOffice's UNO connection is a private pipe, never a TCP port; two installations
on one machine with default settings each use their own; kill -9 of a converter leaves no
LibreOffice behind. Its conversions and replacements are in tests/test_jobs.py."""
from __future__ import annotations

import http.client
import os
import pwd
import shutil
import stat
import subprocess
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

from tests.accounts import TEST_KEYS
from tests.database import database_config
from tests.processes import (
    command_line,
    converter,
    descendants,
    environment,
    free_port,
    is_warm,
    kill_all,
    libreoffice_profiles,
    running,
    wait_until,
)
from webforms import create_app
from webforms.config import converter_secret, default_converter_socket
from webforms.documents.pdf import Converter, PdfUnavailable, converter_status, warm_pdf
from webforms.jobs.converter import small_docx, uno_python, worker_user

needs_uno = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and uno_python()),
    reason="LibreOffice's uno or pdftotext is not installed")
# Connects to a Unix socket as the user the test switches to; prints what happened.
PROBE = ("import socket, sys\n"
         "try:\n"
         "    socket.socket(socket.AF_UNIX).connect(sys.argv[1]); print('connected')\n"
         "except OSError as error:\n"
         "    print(type(error).__name__)\n")


@pytest.fixture
def started():
    """The converters a test starts, killed -9 after it (their leftover folders removed)."""
    before, processes = libreoffice_profiles(), []
    yield processes
    kill_all(processes, before)


def settings(folder: Path, **extra: str) -> dict:
    """A server's variables for the installation in ``folder``: default converter settings."""
    folder.mkdir(parents=True, exist_ok=True)  # on PostgreSQL no database file makes it
    return environment(folder, database_config(folder)) | extra


def local_converter(folder: Path) -> Converter:
    instance = folder / "instance"
    return Converter(str(default_converter_socket(instance)), converter_secret(instance))


def offices(process) -> list[int]:
    """The LibreOffice processes (soffice.bin) under a converter."""
    return [pid for pid in descendants(process.popen.pid)
            if command_line(pid)[0].endswith("soffice.bin")]


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode(errors="replace")


def test_a_converter_on_a_network_interface_refuses_to_start_without_a_secret(tmp_path,
                                                                            started):
    process = converter(tmp_path, settings(tmp_path, WEBFORMS_CONVERTER_INTERFACE="0.0.0.0",
                                           WEBFORMS_CONVERTER_PORT=str(free_port())))
    started.append(process)
    assert process.popen.wait(60) != 0
    assert "set WEBFORMS_CONVERTER_SECRET" in process.output()


@needs_uno
def test_a_client_without_the_secret_is_refused_and_no_call_reads_a_path(tmp_path, started):
    """Converter-host mode (TCP): only a client with the shared secret converts, and even it
    gets documents converted from the bytes it sends, never from a path it names."""
    port, secret = free_port(), uuid.uuid4().hex.encode()
    data_key = tmp_path / "instance" / "data_key"
    data_key.parent.mkdir()
    data_key.write_text(marker := f"KEY{uuid.uuid4().hex}")
    process = converter(tmp_path, settings(
        tmp_path, WEBFORMS_CONVERTER_INTERFACE="127.0.0.1", WEBFORMS_CONVERTER_PORT=str(port),
        WEBFORMS_CONVERTER_SECRET=secret.decode(), WEBFORMS_CONVERTER_USER="nobody"))
    started.append(process)
    wait_until(lambda: is_warm(process), 120, process.output)
    address = f"127.0.0.1:{port}"
    sandbox = converter_status((Converter(address, secret),))["sandbox"]
    if os.geteuid() == 0:  # started as root: LibreOffice runs as the dedicated user
        assert sandbox == "dedicated OS user nobody"
        assert {os.stat(f"/proc/{pid}").st_uid for pid in offices(process)} == {
            pwd.getpwnam("nobody").pw_uid}
    else:
        assert sandbox.startswith("none: ")

    for wrong in (b"", b"guess", secret[:-1]):
        with pytest.raises(ConnectionError, match="not this installation's"):
            warm_pdf(Converter(address, wrong), small_docx(), 60)
    assert "a client without the converter's secret was refused" in process.output()
    # unoserver's own call, as the attacker made it: not even understood.
    with pytest.raises((OSError, xmlrpc.client.Error, http.client.HTTPException)):
        xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True).convert(
            "/etc/passwd", None, None, "txt")

    holder = Converter(address, secret)
    for path in ("/etc/passwd", str(data_key), str(data_key.resolve())):
        for kind in (b"P", b"S", b"C", b"I"):  # the conversion, the status, and no others
            try:
                reply = holder.call(kind + path.encode(), 60)
            except (ConnectionError, PdfUnavailable) as refused:
                reply = str(refused).encode()
            text = pdf_text(reply) if reply.startswith(b"%PDF") else reply.decode(errors="replace")
            assert "root:x:0:0" not in text and marker not in text
    assert pdf_text(warm_pdf(holder, small_docx(), 60)).strip() == "formularios-gc"


@needs_uno
def test_neither_another_os_user_nor_a_tcp_client_reaches_the_converter_or_its_libreoffice(
        tmp_path, started):
    process = converter(tmp_path, settings(tmp_path))
    started.append(process)
    wait_until(lambda: is_warm(process), 120, process.output)
    socket_path = default_converter_socket(tmp_path / "instance")
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert warm_pdf(local_converter(tmp_path), small_docx(), 60).startswith(b"%PDF")
    config = database_config(tmp_path)
    del config["CONVERTERS"]  # the installation's default: its socket, its secret
    app = create_app({"TESTING": True, **TEST_KEYS, **config, "OUTPUT_DIR": tmp_path / "output",
                      "INSTANCE_DIR": str(tmp_path / "instance")})
    health = app.test_client().get("/healthz").get_json()["converter"]
    assert health["transport"] == "unix-socket+secret" and health["uno"] == "private pipe"
    if worker_user():  # root, and scripts/system-packages made the dedicated user
        assert health["sandbox"] == f"dedicated OS user {worker_user()}"
    else:  # said, not silent
        assert health["sandbox"].startswith("none: LibreOffice runs as the product's own OS user")

    listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
    pipes = []
    for pid in offices(process) or pytest.fail(process.output()):
        accepts = [arg for arg in command_line(pid) if arg.startswith("--accept=")]
        assert len(accepts) == 1 and accepts[0].startswith("--accept=pipe,name=webforms-")
        assert "socket" not in accepts[0] and f"pid={pid}," not in listening
        name = accepts[0].removeprefix("--accept=pipe,name=").split(";")[0]
        pipes.append(f"/tmp/OSL_PIPE_{os.stat(f'/proc/{pid}').st_uid}_{name}")
        assert Path(pipes[-1]).exists()

    if os.geteuid() == 0:  # root can be another OS user: nobody reaches either socket
        for path in (str(socket_path), *pipes):
            probe = subprocess.run(["/usr/bin/python3", "-c", PROBE, path], user="nobody",
                                   group="nogroup", extra_groups=[], capture_output=True,
                                   text=True, check=True)
            assert probe.stdout.strip() == "PermissionError", (path, probe.stdout)


@needs_uno
def test_two_installations_convert_through_their_own_converter_and_kill_9_leaves_no_office(
        tmp_path, started):
    folders = [tmp_path / "first", tmp_path / "second"]
    processes = [converter(folder, settings(folder)) for folder in folders]
    started.extend(processes)
    wait_until(lambda: all(is_warm(process) for process in processes), 120,
               lambda: "\n".join(process.output() for process in processes))
    first, second = (local_converter(folder) for folder in folders)
    assert first.address != second.address and first.secret != second.secret
    for endpoint in (first, second):
        assert pdf_text(warm_pdf(endpoint, small_docx(), 60)).strip() == "formularios-gc"
    with pytest.raises(ConnectionError, match="not this installation's"):
        warm_pdf(Converter(second.address, first.secret), small_docx(), 60)

    below = descendants(processes[0].popen.pid)
    assert offices(processes[0])
    processes[0].kill()  # kill -9 of the converter alone: its workers are in their own groups
    wait_until(lambda: not any(running(pid) for pid in below), 60,
               lambda: f"still running: {[pid for pid in below if running(pid)]}")
    assert pdf_text(warm_pdf(second, small_docx(), 60)).strip() == "formularios-gc"
    with pytest.raises(ConnectionError):
        warm_pdf(first, small_docx(), 60)
