"""Benchmark: what a document costs, from the engine alone to a server under load.

Run: ``.venv/bin/python tools/benchmark_render.py [repetitions]`` (default 30). In one run it prints:

1. per template, interleaved: the engine (``render_document``: compiled template, frame, numbered
   footer, properties, record), plain docxtpl (load, render with the project's environment, save)
   and the re-zip floor (the template's members written again with deflate's default level):
   median and p95 in ms per document, and the ratios;
2. the output size at deflate's default level (the engine's) against level 1, and the time each
   takes to deflate the members;
3. over HTTP, against the README's server (gunicorn with ``gunicorn.conf.py``, 2 workers, on a free
   port of 127.0.0.1, with the job consumer): POST of a filled Registro at 1 and 8 clients
   (throughput, p50, p95, and the web workers' processor time per request, sign-ins included:
   with every client always waiting, the mean latency is clients / throughput, so this time is
   what bounds the latency on a machine's cores), five batches of 1,000 ToR from upload to finished
   ZIP (and to the ZIP downloaded), and the workers' memory after those documents.

Numbers are printed, never asserted: performance is tracked here, not in the test suite.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import io
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from flask_babel import gettext as _  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests.helpers import REGISTRO_URL, valid_registro  # noqa: E402
from tests.test_engine_samples import filled_formdata  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.batch.spreadsheet import columns  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.common.rendering import branding, frame_texts  # noqa: E402
from webforms.documents.contexts import CONTEXTS  # noqa: E402
from webforms.documents.engine import Issue, render_document  # noqa: E402
from webforms.documents.environment import document_environment  # noqa: E402
from webforms.forms import FORMS  # noqa: E402

ISSUE = Issue("F0.G34.P-2026-000001", dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), 1,
              "0" * 64)
BATCH_ROWS = 1000
BATCH_RUNS = 5
BIN = Path(sys.executable).parent
# The job consumer as the Procfile starts it.
CONSUMER = [str(BIN / "huey_consumer"), "webforms.jobs.consumer.huey", "--workers", "2",
            "--worker-type", "process", "--max-delay", "0.2", "--quiet"]
BENCH_USER, BENCH_PASSWORD = "benchmark@example.org", "a long benchmark passphrase 2026"


# --- 1. per template ----------------------------------------------------------------------------
def sample(key: str, language: str = "es") -> tuple[dict, dict | None]:
    """A typical filled form's context and record (a handout: its texts)."""
    document_context = CONTEXTS[key]
    if not document_context.has_form:
        return document_context.printed_context(language), None
    form = FORMS[key](formdata=filled_formdata(FORMS[key]), meta={"csrf": False})
    return document_context.context(form, language), document_context.embedded_data(form)


def engine_render(document, context, record) -> bytes:
    return render_document(document, context, branding(), frame_texts(),
                           language="es", embedded=record, issue=ISSUE, gettext=_).data


def docxtpl_render(document, context, record) -> bytes:
    template = DocxTemplate(document.template)
    template.render({**context, "_": _}, jinja_env=document_environment())
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def rezip_floor(document, context, record) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(document.template) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    return buffer.getvalue()


WAYS = {"engine": engine_render, "docxtpl": docxtpl_render, "re-zip": rezip_floor}


def per_template(app, repetitions: int) -> dict:
    """Timings (seconds) per template and way, the ways interleaved on every repetition."""
    with app.test_request_context(), force_locale("es"):
        cases = {document.key: (document, *sample(document.key))
                 for document in catalogue()}
        timings = {key: {way: [] for way in WAYS} for key in cases}
        for case in cases.values():
            engine_render(*case)  # compile and prepare, once per process
        for _repetition in range(repetitions):
            for key, case in cases.items():
                for way, render in WAYS.items():
                    start = time.perf_counter()
                    render(*case)
                    timings[key][way].append(time.perf_counter() - start)
        sizes = {key: output_sizes(engine_render(*case)) for key, case in cases.items()}
    return timings, sizes


def output_sizes(data: bytes) -> tuple[int, int, float, float]:
    """The engine's output (deflate's default level) against the same members at level 1: the
    two sizes, and the milliseconds to write the members at each level."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {member.filename: source.read(member) for member in source.infolist()}
    sizes, times = {}, {}
    for level in (6, 1):
        start = time.perf_counter()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
            for name, blob in members.items():
                target.writestr(name, blob)
        times[level] = (time.perf_counter() - start) * 1000
        sizes[level] = len(buffer.getvalue())
    return len(data), sizes[1], times[6], times[1]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def print_per_template(timings: dict, sizes: dict, repetitions: int) -> None:
    print(f"\n1. Per template, {repetitions} interleaved repetitions (ms/doc, median / p95)")
    print(f"{'template':<26}{'engine':>15}{'docxtpl':>15}{'re-zip':>15}"
          f"{'docxtpl/engine':>16}{'engine/re-zip':>15}")
    for key, ways in timings.items():
        medians = {way: statistics.median(values) * 1000 for way, values in ways.items()}
        cells = "".join(f"{medians[way]:8.2f}/{p95(ways[way]) * 1000:6.2f}" for way in WAYS)
        print(f"{key:<26}{cells}{medians['docxtpl'] / medians['engine']:15.1f}x"
              f"{medians['engine'] / medians['re-zip']:14.2f}x")
    print("\n2. Compression: the engine's output (deflate's default level, kept so issued copies "
          "re-render byte for byte) vs level 1; size, and ms to deflate every member")
    for key, (ours, fast, ours_ms, fast_ms) in sizes.items():
        print(f"{key:<26}{ours / 1024:8.1f} KiB vs {fast / 1024:6.1f} KiB "
              f"({(fast - ours) / ours:+.1%}); {ours_ms:5.2f} ms vs {fast_ms:5.2f} ms")


# --- 3. over HTTP -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(directory: Path, converter: bool = False):
    """The README's server: gunicorn with gunicorn.conf.py (2 workers) on a free local port, the
    job consumer (Procfile) and, with ``converter``, the PDF converter kept warm."""
    port = free_port()
    environment = {**os.environ, "WEBFORMS_BIND": f"127.0.0.1:{port}",
                   "WEBFORMS_OUTPUT_DIR": str(directory / "output"),
                   "WEBFORMS_INSTANCE_DIR": str(directory / "instance"),
                   "WEBFORMS_DATABASE": str(directory / "register.sqlite3"),
                   "WEBFORMS_JOBS_DATABASE": str(directory / "jobs.sqlite3"),
                   "WEBFORMS_BATCH_MAX_ROWS": str(BATCH_ROWS)}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True,
                   capture_output=True)
    subprocess.run([*flask, "users", "create", BENCH_USER, "--role", "supervisor", "--role",
                    "coordinador", "--role", "talento_humano", "--team", "Benchmark",
                    "--password-stdin"], input=BENCH_PASSWORD + "\n", text=True, cwd=ROOT,
                   env=environment, check=True, capture_output=True)
    commands = [[str(BIN / "gunicorn"), "wsgi:app"], CONSUMER]
    commands += [[str(BIN / "python"), "-m", "webforms.jobs.converter"]] if converter else []
    processes = [subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for command in commands]
    try:
        wait_until_serving(port)
        yield port, processes[0].pid
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def wait_until_serving(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if request(port, "GET", "/")[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def session(port: int, path: str) -> dict:
    """Headers of a browser signed in as the benchmark's user that opened ``path``: its session
    cookie and CSRF token."""
    _status, headers, page = request(port, "GET", "/cuenta/ingresar")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    body = urlencode({"email": BENCH_USER, "password": BENCH_PASSWORD,
                      "csrf_token": _token(page)}).encode()
    status, headers, _page = request(port, "POST", "/cuenta/ingresar", body, {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"the benchmark's user could not sign in: HTTP {status}")
    cookie = headers.get("Set-Cookie", cookie).split(";")[0]
    _status, _headers, page = request(port, "GET", path, headers={"Cookie": cookie})
    token = _token(page)
    return {"Cookie": cookie, "X-CSRFToken": token, "token": token}


def _token(page: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def registro_body(token: str) -> tuple[bytes, dict]:
    body = urlencode({**valid_registro(), "csrf_token": token}).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded"}


def load(port: int, clients: int, per_client: int) -> tuple[float, list[float]]:
    """``clients`` threads posting a filled Registro ``per_client`` times each."""
    latencies, failures = [], []
    prepared = []
    for _client in range(clients):
        headers = session(port, REGISTRO_URL)
        body, extra = registro_body(headers.pop("token"))
        prepared.append((body, {**headers, **extra}))

    def client(body, headers):
        for _request in range(per_client):
            start = time.perf_counter()
            status, response_headers, _data = request(port, "POST", REGISTRO_URL, body, headers)
            latencies.append(time.perf_counter() - start)
            if status != 200 or "wordprocessingml" not in response_headers.get("Content-Type", ""):
                failures.append(status)

    threads = [threading.Thread(target=client, args=args) for args in prepared]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {failures[:5]}")
    return time.perf_counter() - start, latencies


def tor_spreadsheet(app, rows: int, names: str = "Persona") -> bytes:
    with app.test_request_context(), force_locale("es"):
        form_class = FORMS["tdr_gestor_casos"]
        cols = columns(form_class)
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([label for _, label in cols])
        example = dict(form_class.batch_example[0])
        for number in range(rows):
            example["case_manager_name"] = f"{names} {number}"
            sheet.append([example.get(name, "") for name, _ in cols])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def batch_over_http(port: int, spreadsheet: bytes) -> tuple[float, float, int, int]:
    """Seconds from upload to finished ZIP and to the ZIP downloaded, the ZIP's size and its
    number of documents."""
    url = "/formularios/tdr_gestor_casos/lote/"
    headers = session(port, url)
    token = headers.pop("token")
    boundary = "benchmark-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}"
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"spreadsheet\"; "
            f"filename=\"intake.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + spreadsheet + f"\r\n--{boundary}--\r\n".encode()
    headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    start = time.perf_counter()
    status, response_headers, _page = request(port, "POST", url, body, headers)
    if status != 303:
        raise SystemExit(f"batch upload refused: HTTP {status}")
    status_url = response_headers["Location"].replace("http://127.0.0.1", "")
    status_url = re.sub(r"^:\d+", "", status_url)
    while b"/zip" not in request(port, "GET", status_url, headers=headers)[2]:
        # The page refreshes itself every 2 s; polling ten times as often keeps the figure
        # within 0.2 s without taking much processor time from the consumer it measures.
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    archive = request(port, "GET", status_url + "/zip", headers=headers)[2]
    downloaded = time.perf_counter() - start
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        return elapsed, downloaded, len(archive), len(package.namelist())


def workers(master_pid: int) -> dict[Path, str]:
    """/proc folder -> status text of each worker of the gunicorn master."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                status = (entry / "status").read_text()
                if re.search(rf"^PPid:\s+{master_pid}$", status, re.MULTILINE):
                    found[entry] = status
    return found


def worker_memory(master_pid: int) -> list[float]:
    """Resident memory (MiB) of each worker of the gunicorn master."""
    return sorted(int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024
                  for status in workers(master_pid).values())


def workers_cpu(master_pid: int) -> float:
    """Processor seconds (user and system) the gunicorn master's workers have used so far."""
    ticks = 0
    for entry in workers(master_pid):
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def over_http(app) -> None:
    print("\n3. Over HTTP: gunicorn, gunicorn.conf.py, 2 workers")
    with tempfile.TemporaryDirectory() as directory, server(Path(directory)) as (port, master):
        load(port, 2, 10)  # every worker compiles and prepares its templates
        documents = 20
        for clients, per_client in ((1, 200), (8, 50)):
            processor = workers_cpu(master)
            seconds, latencies = load(port, clients, per_client)
            processor = workers_cpu(master) - processor
            documents += len(latencies)
            latencies.sort()
            print(f"POST Registro, {clients} client(s): {len(latencies) / seconds:6.1f} docs/s, "
                  f"p50 {statistics.median(latencies) * 1000:6.1f} ms, "
                  f"p95 {p95(latencies) * 1000:6.1f} ms ({len(latencies)} requests; the "
                  f"workers' processor time: {processor / len(latencies) * 1000:.1f} ms each)")
        documents += batches(app, port)
        memory = ", ".join(f"{mib:.0f}" for mib in worker_memory(master))
        print(f"Worker memory (RSS) after {documents:,} documents: {memory} MiB")


def batches(app, port: int) -> int:
    """:data:`BATCH_RUNS` batches of 1,000 ToR one after the other (each from its own file: the
    same file again would be the same job), their seconds and the median; the documents made.
    One batch is not a figure: on this shared machine the same batch takes from 8 to 10 s."""
    runs = []
    for run in range(BATCH_RUNS):
        spreadsheet = tor_spreadsheet(app, BATCH_ROWS, names=f"Persona L{run}")
        runs.append(batch_over_http(port, spreadsheet))
    ready, downloaded = sorted(run[0] for run in runs), sorted(run[1] for run in runs)
    print(f"Batch of {BATCH_ROWS:,} ToR ({runs[0][3]} documents, "
          f"{runs[0][2] / 1024 / 1024:.1f} MiB), {BATCH_RUNS} runs: upload to finished ZIP, "
          f"median {statistics.median(ready):.1f} s ({', '.join(f'{s:.1f}' for s in ready)}); "
          f"to ZIP downloaded, median {statistics.median(downloaded):.1f} s")
    return sum(run[3] for run in runs)


def main():
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory() as output:
        app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "OUTPUT_DIR": output, "DATABASE": f"{output}/register.sqlite3"})
        timings, sizes = per_template(app, repetitions)
        print_per_template(timings, sizes, repetitions)
        over_http(app)


if __name__ == "__main__":
    main()
