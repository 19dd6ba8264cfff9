"""Real processes for the job queue's tests: web servers (gunicorn), job consumers (Huey) and the
converter, started from this checkout on free local ports, sharing one database and one queue as
the servers of an installation do, and stopped (or killed) by the test."""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import requests

from tests.accounts import PASSWORD, TEST_KEYS
from webforms.config import default_converter_socket
from webforms.documents.pdf import Converter
from webforms.jobs.converter import uno_python

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KEY_VARIABLES = {"SECRET_KEY": "WEBFORMS_SECRET_KEY", "VERIFICATION_KEY": "WEBFORMS_VERIFICATION_KEY",
                 "SECURITY_PASSWORD_SALT": "WEBFORMS_PASSWORD_SALT", "TOTP_KEY": "WEBFORMS_TOTP_KEY",
                 "DATA_KEY": "WEBFORMS_DATA_KEY", "AUDIT_KEY": "WEBFORMS_AUDIT_KEY"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(folder: Path, config: dict, **settings: str) -> dict:
    """The variables of a server of the installation whose app ``config`` a test made."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEBFORMS_")}
    env |= {variable: TEST_KEYS[key] for key, variable in KEY_VARIABLES.items()}
    env |= {"WEBFORMS_INSTANCE_DIR": str(folder / "instance"),
            "WEBFORMS_OUTPUT_DIR": str(folder / "output"),
            "WEBFORMS_DATABASE": config["DATABASE"],
            "WEBFORMS_JOBS_DATABASE": config["JOBS_DATABASE"],
            "WEBFORMS_TWO_FACTOR_FOR_ADMINS": "0",
            # Nothing listens there: PDFs start LibreOffice (the converter has its own test).
            "WEBFORMS_CONVERTER": "127.0.0.1:9"}
    if config.get("DATABASE_URL"):
        env["WEBFORMS_DATABASE_URL"] = config["DATABASE_URL"]
    return env | settings


class Process:
    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        with open(log, "ab") as output:
            self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                          stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        """kill -9, the whole process group."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def children(self) -> list[int]:
        listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.popen.pid)],
                                capture_output=True, text=True).stdout
        return [int(pid) for pid in listed.split()]

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def web_server(folder: Path, env: dict) -> tuple[Process, str]:
    """gunicorn with one worker, as scripts/serve starts it; returns it and its base URL."""
    port = free_port()
    process = Process([str(BIN / "gunicorn"), "wsgi:app"],
                      env | {"WEBFORMS_BIND": f"127.0.0.1:{port}", "WEBFORMS_WORKERS": "1"},
                      folder / f"web-{port}.log")
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(url), 60, lambda: process.output())
    return process, url


def consumer(folder: Path, env: dict, name: str = "consumer", workers: int = 1,
             huey: str = "webforms.jobs.consumer.huey") -> Process:
    """A job consumer as the Procfile starts it (worker processes), with ``workers`` of them;
    ``huey`` names the consumer to load (tests.crashing_consumer.huey: one that dies mid-batch)."""
    return Process([str(BIN / "huey_consumer"), huey, "--workers",
                    str(workers), "--worker-type", "process", "--max-delay", "0.2"],
                   env | {"WEBFORMS_JOBS_WORKERS": str(workers)}, folder / f"{name}.log")


def converter(folder: Path, env: dict, name: str = "converter") -> Process:
    """The warm converter as the Procfile starts it (webforms.jobs.converter); wait for
    :func:`is_warm` before converting."""
    return Process([str(BIN / "python"), "-m", "webforms.jobs.converter"], env,
                   folder / f"{name}.log")


@contextmanager
def warm_converter_process(folder: Path):
    """A warm converter for the tests marked ``pdf`` (tests/conftest.py), started as the Procfile
    starts it and made warm before use: its :class:`Converter`, or None without LibreOffice's
    uno. Killed, with its LibreOffice, at the end."""
    if not (shutil.which("soffice") and uno_python()):
        yield None
        return
    secret = secrets.token_hex(32)
    unused = {"DATABASE": str(folder / "unused.sqlite3"), "JOBS_DATABASE": str(folder / "jobs")}
    profiles = libreoffice_profiles()
    process = converter(folder, environment(folder, unused, WEBFORMS_CONVERTER_SECRET=secret))
    try:
        wait_until(lambda: is_warm(process), 180, process.output)
        yield Converter(str(default_converter_socket(folder / "instance")), secret.encode())
    finally:
        kill_all([process], profiles)


def smtp_server(folder: Path) -> tuple[Process, int, Path]:
    """A real SMTP server (aiosmtpd) on a free local port, keeping each message it takes as a
    file of the maildir it returns (complete messages appear in ``new/``)."""
    port, maildir = free_port(), folder / "maildir"
    process = Process([str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                       "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
                      dict(os.environ), folder / f"smtp-{port}.log")
    wait_until(lambda: _listens(port), 60, process.output)
    return process, port, maildir


NODE = shutil.which("node")
OIDC_PROVIDER = ROOT / "node_modules" / "oidc-provider" / "package.json"


def oidc_provider(folder: Path, redirect_uris: list[str],
                  post_logout_uris: list[str]) -> tuple[Process, str]:
    """A real OpenID provider (tests/oidc/provider.mjs: node's oidc-provider) on a free local
    port, its one client ("webforms") sending people back to ``redirect_uris``; returns it and
    its issuer URL once it says it is ready."""
    port = free_port()
    process = Process([NODE, str(ROOT / "tests" / "oidc" / "provider.mjs"), str(port),
                       ",".join(redirect_uris), ",".join(post_logout_uris)],
                      dict(os.environ), folder / f"oidc-{port}.log")
    wait_until(lambda: "ready http://" in process.output(), 60, process.output)
    return process, f"http://127.0.0.1:{port}"


def provider_sign_in(authorize_url: str, login: str, session: requests.Session | None = None
                     ) -> str:
    """Sign ``login`` in at the test provider from the authorization URL the app sent the
    browser to, as a person would on its page; returns the URL the provider sends the browser
    back to (the app's callback with ``code`` and ``state``)."""
    session = session or requests.Session()
    response = session.get(authorize_url, allow_redirects=False, timeout=30)
    while response.is_redirect:
        location = requests.compat.urljoin(response.url, response.headers["Location"])
        if not location.startswith(authorize_url.split("/auth")[0]):
            return location  # back to the app
        response = session.get(location, allow_redirects=False, timeout=30)
        if 'name="login"' in response.text:  # the provider's login page
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            response = session.post(requests.compat.urljoin(location, action), data={
                "prompt": "login", "login": login, "password": "any"},
                allow_redirects=False, timeout=30)
    raise AssertionError(f"the provider did not send the browser back: {response.text[:2000]}")
def webhook_receiver(folder: Path, fail_first: int = 0) -> tuple[Process, str, Path, Path]:
    """A webhook receiver (tests/webhook_receiver.py) on a free local port, ready: it, its base
    URL, the file it reads the endpoint's secret from, and the file of what it received (JSON
    lines: :func:`webhook_messages`). It answers 500 to the first ``fail_first`` messages."""
    secret_file, results = folder / "receiver-secret", folder / "receiver-results.jsonl"
    process = Process([str(BIN / "python"), str(ROOT / "tests" / "webhook_receiver.py"),
                       "--secret-file", str(secret_file), "--results", str(results),
                       "--fail-first", str(fail_first)], dict(os.environ), folder / "receiver.log")
    port = wait_until(lambda: re.search(r"listening on (\d+)", process.output()), 30,
                      process.output).group(1)
    return process, f"http://127.0.0.1:{port}", secret_file, results


def webhook_messages(results: Path, count: int, timeout: float = 30) -> list[dict]:
    """The first ``count`` messages the receiver took, once it has written them."""
    def taken():
        lines = results.read_text().splitlines() if results.exists() else []
        return lines if len(lines) >= count else None

    return [json.loads(line) for line in wait_until(taken, timeout, lambda: str(results))]


def received(maildir: Path, count: int, timeout: float = 60) -> list[EmailMessage]:
    """The first ``count`` messages the SMTP server kept, oldest first, once they are there."""
    def kept():
        files = sorted((maildir / "new").glob("*"), key=lambda path: path.stat().st_mtime_ns)
        return files if len(files) >= count else None

    files = wait_until(kept, timeout, lambda: f"messages: {list(maildir.rglob('*'))}")
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def _listens(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def is_warm(process: Process, times: int = 1) -> bool:
    """Whether the converter's LibreOffice has been made warm ``times`` times (a new one after
    each replacement)."""
    return process.output().count("is warm") >= times


def libreoffice_profiles() -> set[Path]:
    """The warm converter's LibreOffice profile folders now in the temporary folder."""
    return set(Path(tempfile.gettempdir()).glob("webforms-libreoffice-*"))


def kill_all(processes: list[Process], profiles_before: set[Path]) -> None:
    """kill -9 each process, wait until nothing they started runs, and remove the LibreOffice
    profile folders that appeared since ``profiles_before`` (kill -9 leaves them)."""
    for process in processes:
        below = descendants(process.popen.pid)
        process.kill()
        wait_until(lambda: not any(running(pid) for pid in below), 60)  # noqa: B023
    for folder in libreoffice_profiles() - profiles_before:
        shutil.rmtree(folder, ignore_errors=True)


def descendants(pid: int) -> list[int]:
    """Every live process started under ``pid``, however deep."""
    table = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,stat="], capture_output=True,
                           text=True).stdout.split("\n")
    rows = [line.split() for line in table if line.strip()]
    found, frontier = [], {pid}
    while frontier:
        frontier = {int(child) for child, parent, state in rows
                    if int(parent) in frontier and not state.startswith("Z")}
        found.extend(frontier)
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except FileNotFoundError:
        return []


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=2).status_code < 500
    except (requests.ConnectionError, requests.Timeout):  # still starting, or busy starting
        return False


def wait_until(condition, timeout: float, explain=lambda: "", every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still waiting after {timeout} s\n{explain()}")


def signed_in(url: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(url + "/cuenta/ingresar").text
    response = session.post(url + "/cuenta/ingresar", data={
        "email": email, "password": PASSWORD, "csrf_token": csrf_token(page)},
        allow_redirects=False)
    assert response.status_code == 302, response.text[-2000:]
    return session


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def timestamp_authority(folder: Path) -> tuple[Process, str, Path]:
    """A real RFC 3161 timestamp authority (tests/timestamp_authority.py) on a free local port:
    the process, its URL and the file holding its root certificate (PEM)."""
    port, root = free_port(), folder / "tsa-root.pem"
    process = Process([str(BIN / "python"), "-m", "tests.timestamp_authority", str(port), str(root)],
                      {**os.environ, "PYTHONPATH": str(ROOT)}, folder / f"tsa-{port}.log")
    wait_until(lambda: _listens(port) and root.exists(), 60, process.output)
    return process, f"http://127.0.0.1:{port}/", root
