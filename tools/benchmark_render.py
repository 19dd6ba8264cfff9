"""Benchmark: what a signed-in issued record costs, the candidate beside a baseline, in one run.

Run from a checkout: ``.venv/bin/python tools/benchmark_render.py`` (``--help``; docs/performance.md).
The candidate is this checkout; the baseline is ``--baseline`` (a git ref, by default ``d1a6f46``,
main before issue #38), checked out with ``git worktree add`` into a temporary folder. Each side
runs in processes of its own, importing its own ``webforms``; the two are measured turn by turn
(interleaved rounds, the first side alternating), so a busy moment of the machine falls on both.
It prints:

1. in-process, per round: the engine alone (``render_document`` of a filled Registro) and the full
   signed-in «Emitir con número» POST through the test client (numbered, sealed, audited): the
   processor time of each, median and p95, and the SQL statements one POST runs;
2. over HTTP, against real servers (gunicorn with each side's ``gunicorn.conf.py``, 2 workers, with
   the job consumer), at 1 and at 8 clients: the issuing POST's throughput, p50 and p95, and the
   workers' processor time per request, read from ``/proc/<pid>/stat`` (utime + stime) of the
   gunicorn workers before and after each burst;
3. the ratios: candidate / baseline, and the worker's time per request / the engine alone;
4. (``--load``) the home page's p50 / p95 while 4 PDFs and 2 batches of 300 run (the converter
   kept warm: LibreOffice must be installed), and whether every PDF page delivered its file.

Sign-ins (argon2, about 240 ms each) and the review step before each issue are made before the
measured window opens: only the issuing POSTs are timed and counted. ``--database-url`` names a
PostgreSQL server as an administrator (a throw-away cluster, docs/performance.md): each side then
gets databases of its own there instead of SQLite files (SQLite runs with ``synchronous=FULL``).
``--templates`` adds the per-template comparison (engine, plain docxtpl, re-zip) and
``--batches`` five batches of 1,000 ToR against the candidate.

Numbers are printed, never asserted: performance is tracked here, not in the test suite.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import datetime as dt
import http.client
import io
import json
import os
import pstats
import re
import secrets
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

THIS = Path(__file__).resolve()
# A side's processes run this file with BENCHMARK_ROOT naming the checkout they import.
ROOT = Path(os.environ.get("BENCHMARK_ROOT") or THIS.parent.parent)
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from flask_babel import gettext as _  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests.helpers import REGISTRO_URL, review_form, valid_registro  # noqa: E402
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
LOAD_BATCH_ROWS, LOAD_PDFS, LOAD_BATCHES = 300, 4, 2
BASELINE = "d1a6f46"  # main before issue #38
BATCH_RUNS = 5
BIN = Path(sys.executable).parent
# The job consumer as the Procfile starts it.
CONSUMER = [str(BIN / "huey_consumer"), "webforms.jobs.consumer.huey", "--workers", "2",
            "--worker-type", "process", "--max-delay", "0.2", "--quiet"]
# The PDF converter kept warm (Procfile), started for the home page's measure under load.
CONVERTER = [str(BIN / "python"), "-m", "webforms.jobs.converter"]
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


# --- the two sides ------------------------------------------------------------------------------
@dataclasses.dataclass
class Side:
    """A checkout measured: its name, its folder and its commit."""

    name: str
    root: Path
    commit: str


def git(*arguments: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@contextlib.contextmanager
def sides(baseline: str, folder: Path):
    """The candidate (this checkout) and the baseline ``git worktree add``-ed into ``folder``,
    its translations compiled as an installation's are; the worktree removed afterwards."""
    dirty = " + changes not committed" if git("status", "--porcelain", "--untracked-files=no") else ""
    candidate = Side("candidate", ROOT, git("rev-parse", "--short", "HEAD") + dirty)
    checkout = folder / "baseline"
    git("worktree", "add", "--detach", str(checkout), baseline)
    try:
        subprocess.run([str(BIN / "pybabel"), "-q", "compile", "-d", "translations"],
                       cwd=checkout, check=True, capture_output=True)
        yield candidate, Side("baseline", checkout, git("rev-parse", "--short", "HEAD",
                                                        cwd=checkout))
    finally:
        git("worktree", "remove", "--force", str(checkout))


def new_database(admin_url: str | None, name: str) -> str | None:
    """A new, empty PostgreSQL database ``name`` on ``admin_url``'s server and its URL (None: the
    side keeps its SQLite file)."""
    if not admin_url:
        return None
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def installation(side: Side, folder: Path, admin_url: str | None, extra=None) -> dict:
    """The environment of a new installation of ``side`` in ``folder`` (its database migrated,
    the benchmark's account created): what its processes run with."""
    folder.mkdir(parents=True)
    environment = {**os.environ, "PYTHONPATH": str(side.root), "BENCHMARK_ROOT": str(side.root),
                   "WEBFORMS_OUTPUT_DIR": str(folder / "output"),
                   "WEBFORMS_INSTANCE_DIR": str(folder / "instance"),
                   "WEBFORMS_DATABASE": str(folder / "register.sqlite3"),
                   "WEBFORMS_JOBS_DATABASE": str(folder / "jobs.sqlite3"),
                   "WEBFORMS_BATCH_MAX_ROWS": str(BATCH_ROWS),
                   # the browsers sign in once; one side's sit idle while the other is measured
                   # (a --load run lasts more than the default 20 minutes of idleness)
                   "WEBFORMS_IDLE_MINUTES": "600", **(extra or {})}
    environment.pop("WEBFORMS_DATABASE_URL", None)
    url = new_database(admin_url, f"benchmark_{folder.parent.name[-8:]}_{folder.name}")
    if url:
        environment["WEBFORMS_DATABASE_URL"] = url
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=side.root, env=environment, check=True,
                   capture_output=True)
    subprocess.run([*flask, "users", "team", "Benchmark"], cwd=side.root, env=environment,
                   check=True, capture_output=True)
    subprocess.run([*flask, "users", "create", BENCH_USER, "--role", "supervisor", "--role",
                    "coordinador", "--role", "talento_humano", "--team", "Benchmark",
                    "--password-stdin"], input=BENCH_PASSWORD + "\n", text=True,
                   cwd=side.root, env=environment, check=True, capture_output=True)
    return environment


# --- 1. in-process: the engine alone and the full POST -------------------------------------------
def in_process_side(profiled: int = 0) -> None:
    """A side's in-process measurer (``--child``): signs in, then for every line read on stdin
    reviews a new Registro (not measured) and measures the engine alone and the issuing POST,
    answering one JSON line. With ``profiled``, it profiles that many issuing POSTs instead
    (cProfile, reviews outside the profile) and prints the top entries by cumulative time."""
    from sqlalchemy import event

    from tests.helpers import sign_in
    from webforms.storage.database import db

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = sign_in(app.test_client(), BENCH_USER, BENCH_PASSWORD)
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cursor, statement, *_a: statements.append(statement))
    with app.test_request_context(), force_locale("es"):
        case = (catalogue().get("registro_reunion"), *sample("registro_reunion"))

    def review():
        page = client.post(REGISTRO_URL, data={**valid_registro(),
                                               "issue_token": secrets.token_hex(16)})
        return review_form(page.get_data(as_text=True))

    def one_round(profile: cProfile.Profile | None = None) -> dict:
        action, fields = review()
        with app.test_request_context(), force_locale("es"):
            cpu, wall = time.process_time(), time.perf_counter()
            engine_render(*case)
            engine = time.process_time() - cpu, time.perf_counter() - wall
        statements.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        with profile or contextlib.nullcontext():
            response = client.post(action, data=fields)
        post = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != 303 or "/registros/" not in response.headers["Location"]:
            raise SystemExit(f"the issuing POST answered {response.status_code}")
        return {"engine": engine, "post": post, "statements": len(statements)}

    for _warm in range(3):
        one_round()
    if profiled:
        print_profile(one_round, profiled)
        print("\nThe SQL statements of the last POST:", *statements, sep="\n")
        return None
    print("ready", flush=True)
    for _line in sys.stdin:
        print(json.dumps(one_round()), flush=True)


def print_profile(one_round, posts: int) -> None:
    profile = cProfile.Profile()
    for _post in range(posts):
        one_round(profile)
    print(f"\nProfile of {posts} issuing POSTs (candidate, in-process; ms are totals)")
    if os.environ.get("BENCHMARK_PROFILE_FILE"):
        profile.dump_stats(os.environ["BENCHMARK_PROFILE_FILE"])
    pstats.Stats(profile, stream=sys.stdout).strip_dirs().sort_stats("cumulative").print_stats(90)


def profile_candidate(candidate: Side, folder: Path, options) -> None:
    environment = installation(candidate, folder / "candidate-profile", options.database_url)
    subprocess.run([sys.executable, str(THIS), "--child", "--profile", str(options.profile)],
                   cwd=candidate.root, env=environment, check=True)


def in_process(pair, environments: dict, rounds: int) -> dict:
    """Interleaved rounds of both sides' measurers: per side, lists of (cpu, wall) per way and
    the statements per POST."""
    measurers = {side.name: subprocess.Popen(
        [sys.executable, str(THIS), "--child"], cwd=side.root, env=environments[side.name],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for side in pair}
    results = {side.name: {"engine": [], "post": [], "statements": []} for side in pair}
    try:
        for measurer in measurers.values():
            if measurer.stdout.readline().strip() != "ready":
                raise SystemExit("an in-process measurer did not start")
        for number in range(rounds):
            for side in pair if number % 2 == 0 else pair[::-1]:
                measurer = measurers[side.name]
                measurer.stdin.write("round\n")
                measurer.stdin.flush()
                answer = json.loads(measurer.stdout.readline())
                for key, value in answer.items():
                    results[side.name][key].append(value)
    finally:
        for measurer in measurers.values():
            measurer.stdin.close()
            measurer.wait(timeout=60)
    return results


def ms(values) -> tuple[float, float]:
    """Median and p95 of seconds, in ms."""
    return statistics.median(values) * 1000, p95(sorted(values)) * 1000


def print_in_process(results: dict, rounds: int) -> None:
    print(f"\n1. In-process, {rounds} interleaved rounds (ms of processor time, median / p95; "
          "wall median)")
    for name, result in results.items():
        cells = []
        for way in ("engine", "post"):
            cpu = ms([value[0] for value in result[way]])
            wall = ms([value[1] for value in result[way]])[0]
            cells.append(f"{way} {cpu[0]:6.2f} / {cpu[1]:6.2f} (wall {wall:6.2f})")
        print(f"{name:<10} {'   '.join(cells)}   SQL statements per POST: "
              f"{statistics.median(result['statements']):.0f}")


# --- 2. over HTTP -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(side: Side, environment: dict, gunicorn_args: str = ""):
    """The README's server of ``side``: gunicorn with its gunicorn.conf.py (2 workers) on a free
    local port and the job consumer (Procfile). Yields the port and the gunicorn master's pid."""
    port = free_port()
    environment = {**environment, "WEBFORMS_BIND": f"127.0.0.1:{port}"}
    if gunicorn_args:
        environment["GUNICORN_CMD_ARGS"] = gunicorn_args
    with processes_of(side, environment, [[str(BIN / "gunicorn"), "wsgi:app"],
                                          [*niced(side), *CONSUMER]]) as started:
        wait_until_serving(port)
        yield port, started[0].pid


def niced(side: Side) -> list[str]:
    """The prefix the side's Procfile gives its background processes (``nice``: the web workers
    come first for the processor), so each side runs them as its README's server does."""
    found = re.search(r"^jobs: (nice -n \d+) ", (side.root / "Procfile").read_text(),
                      re.MULTILINE)
    return found.group(1).split() if found else []


@contextlib.contextmanager
def processes_of(side: Side, environment: dict, commands):
    """``commands`` running in ``side``'s checkout, ended (SIGTERM) when the block ends."""
    processes = [subprocess.Popen(command, cwd=side.root, env=environment,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for command in commands]
    try:
        yield processes
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


class Browser:
    """A browser signed in as the benchmark's user (signed in once, before anything is
    measured): its session cookie and CSRF token."""

    def __init__(self, port: int):
        self.port = port
        _status, headers, page = request(port, "GET", "/cuenta/ingresar")
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        body = urlencode({"email": BENCH_USER, "password": BENCH_PASSWORD,
                          "csrf_token": _token(page)}).encode()
        status, headers, _page = request(port, "POST", "/cuenta/ingresar", body, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise SystemExit(f"the benchmark's user could not sign in: HTTP {status}")
        self.cookie = headers.get("Set-Cookie", cookie).split(";")[0]
        _status, headers, page = self.get(REGISTRO_URL)  # its CSRF token goes in the session
        self.cookie = headers.get("Set-Cookie", self.cookie).split(";")[0]
        self.token = _token(page)

    def get(self, path: str):
        return request(self.port, "GET", path, headers={"Cookie": self.cookie})

    def post(self, path: str, fields: dict):
        return request(self.port, "POST", path, urlencode(fields).encode(), {
            "Cookie": self.cookie, "X-CSRFToken": self.token,
            "Content-Type": "application/x-www-form-urlencoded"})

    def reviewed(self) -> tuple[str, dict]:
        """A new Registro through its review step: the «Emitir con número» form to post."""
        status, _headers, page = self.post(REGISTRO_URL, {
            **valid_registro(), "csrf_token": self.token, "issue_token": secrets.token_hex(16)})
        found = review_form(page.decode()) if status == 200 else None
        if found is None:
            raise SystemExit(f"the review step answered HTTP {status}")
        return found[0], {"csrf_token": self.token, **found[1]}

    def issue(self) -> int:
        """A new Registro reviewed and issued (not measured): its record's id."""
        status, headers, _page = self.post(*self.reviewed())
        if status != 303:
            raise SystemExit(f"the issuing POST answered HTTP {status}")
        return int(re.search(r"/registros/(\d+)$", headers["Location"]).group(1))


def _token(page: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def burst(port: int, master: int, browsers: list[Browser], per_client: int) -> dict:
    """Each browser issues ``per_client`` reviewed Registros one after the other, all browsers
    at once; the reviews are made first, outside the measured window. The seconds, every
    issuing POST's latency and the workers' processor seconds meanwhile."""
    prepared = [[browser.reviewed() for _ in range(per_client)] for browser in browsers]
    latencies, failures = [], []

    def client(browser, forms):
        for action, fields in forms:
            start = time.perf_counter()
            status, _headers, _data = browser.post(action, fields)
            latencies.append(time.perf_counter() - start)
            if status != 303:
                failures.append(status)

    threads = [threading.Thread(target=client, args=pair) for pair in zip(browsers, prepared)]
    processor, start = workers_cpu(master), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds, processor = time.perf_counter() - start, workers_cpu(master) - processor
    if failures:
        raise SystemExit(f"{len(failures)} issuing POSTs failed: {failures[:5]}")
    return {"seconds": seconds, "latencies": latencies, "cpu": processor}


def over_http(pair, servers: dict, rounds: int, loads) -> dict:
    """Interleaved bursts of both servers at each number of clients: per side and clients, the
    bursts."""
    browsers = {name: [Browser(port) for _ in range(max(c for c, _ in loads))]
                for name, (port, _master) in servers.items()}
    for name, (port, master) in servers.items():  # every worker compiles its templates
        burst(port, master, browsers[name][:4], 3)
    results = {side.name: {clients: [] for clients, _ in loads} for side in pair}
    for clients, per_client in loads:
        for number in range(rounds):
            for side in pair if number % 2 == 0 else pair[::-1]:
                port, master = servers[side.name]
                results[side.name][clients].append(
                    burst(port, master, browsers[side.name][:clients], per_client))
    return results


def http_figures(bursts: list[dict]) -> dict:
    latencies = sorted(value for one in bursts for value in one["latencies"])
    return {"docs/s": statistics.median(len(one["latencies"]) / one["seconds"] for one in bursts),
            "p50": statistics.median(latencies) * 1000, "p95": p95(latencies) * 1000,
            "cpu": sum(one["cpu"] for one in bursts) / len(latencies) * 1000,
            "requests": len(latencies)}


def print_over_http(results: dict, rounds: int) -> dict:
    print(f"\n2. Over HTTP, the issuing POST, {rounds} interleaved bursts per side and load "
          "(docs/s: median of the bursts; workers' processor time per request from /proc)")
    figures = {}
    for name, by_clients in results.items():
        for clients, bursts in by_clients.items():
            found = figures.setdefault(name, {})[clients] = http_figures(bursts)
            print(f"{name:<10} {clients} client(s): {found['docs/s']:6.1f} docs/s, "
                  f"p50 {found['p50']:6.1f} ms, p95 {found['p95']:6.1f} ms, worker CPU "
                  f"{found['cpu']:5.2f} ms/request ({found['requests']} requests)")
    return figures


def print_ratios(process: dict, figures: dict) -> None:
    print("\n3. Ratios")
    engine = {name: statistics.median(value[0] for value in result["engine"]) * 1000
              for name, result in process.items()}
    post = {name: statistics.median(value[0] for value in result["post"]) * 1000
            for name, result in process.items()}
    for name in figures:
        cells = ", ".join(f"{clients} client(s) {found['cpu'] / engine[name]:.2f}x"
                          for clients, found in figures[name].items())
        print(f"{name:<10} worker CPU per request / engine alone: {cells}; in-process POST / "
              f"engine alone: {post[name] / engine[name]:.2f}x")
    if {"candidate", "baseline"} <= figures.keys():
        candidate, baseline = figures["candidate"], figures["baseline"]
        print(f"candidate / baseline: in-process POST CPU "
              f"{post['candidate'] / post['baseline']:.2f}x")
        for clients in candidate:
            ours, theirs = candidate[clients], baseline[clients]
            print(f"  {clients} client(s): worker CPU {ours['cpu'] / theirs['cpu']:.2f}x, "
                  f"p95 {ours['p95'] / theirs['p95']:.2f}x, p50 {ours['p50'] / theirs['p50']:.2f}x, "
                  f"throughput {ours['docs/s'] / theirs['docs/s']:.2f}x")


# --- 4. the home page while PDFs and batches run --------------------------------------------------
def pdf_over_http(browser: Browser, record_id: int) -> tuple[float, bool]:
    """A record's PDF as a browser gets it: the file at once, or the progress page polled (as
    its refresh does, a little faster) until its download link, then the file. Seconds, and
    whether a PDF came."""
    start = time.perf_counter()
    status, headers, data = browser.get(f"/registros/{record_id}/documento.pdf")
    if status == 303:
        page_url = re.sub(r"^https?://[^/]+", "", headers["Location"])
        while True:
            status, headers, page = browser.get(page_url)
            link = re.search(rb'href="(/trabajos/[^"]+/archivo)"', page)
            if link is not None or status != 200 or b'http-equiv="refresh"' not in page:
                break
            time.sleep(0.5)
        if link is None:
            return time.perf_counter() - start, False
        status, headers, data = browser.get(link.group(1).decode())
    delivered = status == 200 and data.startswith(b"%PDF")
    return time.perf_counter() - start, delivered


def home_under_load(app, port: int, label: str) -> dict:
    """The home page's latencies while :data:`LOAD_PDFS` PDFs and :data:`LOAD_BATCHES` batches
    of :data:`LOAD_BATCH_ROWS` ToR run; the PDFs' seconds and whether each came."""
    home, pdfs, batches_done = Browser(port), [], []
    records = [home.issue() for _ in range(LOAD_PDFS)]
    sheets = [tor_spreadsheet(app, LOAD_BATCH_ROWS, names=f"{label} {n}")
              for n in range(LOAD_BATCHES)]
    uploaders = [Browser(port) for _ in sheets]
    work = [threading.Thread(target=lambda r=r: pdfs.append(pdf_over_http(home, r)))
            for r in records]
    work += [threading.Thread(target=lambda b=b, s=s: batches_done.append(
        batch_over_http(b, s))) for b, s in zip(uploaders, sheets)]
    latencies = []
    for thread in work:
        thread.start()
    while any(thread.is_alive() for thread in work):
        start = time.perf_counter()
        status, _headers, _page = home.get("/")
        latencies.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"the home page answered HTTP {status} under load")
        time.sleep(0.05)
    latencies.sort()
    return {"p50": statistics.median(latencies) * 1000, "p95": p95(latencies) * 1000,
            "count": len(latencies), "pdfs": pdfs, "batches": batches_done}


def print_home(name: str, found: dict) -> None:
    pdfs = ", ".join(f"{seconds:.1f} s{'' if ok else ' (no file)'}"
                     for seconds, ok in found["pdfs"])
    print(f"{name:<10} home page p50 {found['p50']:6.1f} ms, p95 {found['p95']:6.1f} ms "
          f"({found['count']} requests); PDFs: {pdfs}; batches of {LOAD_BATCH_ROWS}: "
          f"{', '.join(f'{run[0]:.1f} s' for run in found['batches'])}")


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


def batch_over_http(browser: Browser, spreadsheet: bytes) -> tuple[float, float, int, int]:
    """Seconds from upload to finished ZIP and to the ZIP downloaded, the ZIP's size and its
    number of documents."""
    url = "/formularios/tdr_gestor_casos/lote/"
    boundary = "benchmark-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{browser.token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"spreadsheet\"; filename=\"intake.xlsx\"\r\nContent-Type: "
            f"application/octet-stream\r\n\r\n").encode() + spreadsheet + \
        f"\r\n--{boundary}--\r\n".encode()
    headers = {"Cookie": browser.cookie, "X-CSRFToken": browser.token,
               "Content-Type": f"multipart/form-data; boundary={boundary}"}
    start = time.perf_counter()
    status, response_headers, _page = request(browser.port, "POST", url, body, headers)
    if status != 303:
        raise SystemExit(f"batch upload refused: HTTP {status}")
    status_url = re.sub(r"^https?://[^/]+", "", response_headers["Location"])
    while b"/zip" not in browser.get(status_url)[2]:
        # The page refreshes itself every 2 s; polling ten times as often keeps the figure
        # within 0.2 s without taking much processor time from the consumer it measures.
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    archive = browser.get(status_url + "/zip")[2]
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


def batches(app, browser: Browser) -> None:
    """:data:`BATCH_RUNS` batches of 1,000 ToR one after the other (each from its own file: the
    same file again would be the same job), their seconds and the median. One batch is not a
    figure: on this shared machine the same batch takes from 8 to 10 s."""
    runs = []
    for run in range(BATCH_RUNS):
        spreadsheet = tor_spreadsheet(app, BATCH_ROWS, names=f"Persona L{run}")
        runs.append(batch_over_http(browser, spreadsheet))
    ready, downloaded = sorted(run[0] for run in runs), sorted(run[1] for run in runs)
    print(f"Batch of {BATCH_ROWS:,} ToR ({runs[0][3]} documents, "
          f"{runs[0][2] / 1024 / 1024:.1f} MiB), {BATCH_RUNS} runs: upload to finished ZIP, "
          f"median {statistics.median(ready):.1f} s ({', '.join(f'{s:.1f}' for s in ready)}); "
          f"to ZIP downloaded, median {statistics.median(downloaded):.1f} s")


# --- the run ------------------------------------------------------------------------------------
def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="git ref compared (default: "
                        "%(default)s); 'none' measures the candidate alone")
    parser.add_argument("--rounds", type=int, default=200,
                        help="in-process rounds per side (0: none)")
    parser.add_argument("--bursts", type=int, default=6,
                        help="HTTP bursts per side and load (0: none; with --load, the load "
                        "section alone)")
    parser.add_argument("--per-client", type=int, default=25,
                        help="issuing POSTs per client in a burst (at 1 client: 4 times more)")
    parser.add_argument("--database-url", help="PostgreSQL server, as an administrator "
                        "(postgresql+psycopg://postgres@127.0.0.1:PORT/postgres)")
    parser.add_argument("--candidate-gunicorn", default="", metavar="ARGS",
                        help="GUNICORN_CMD_ARGS of the candidate's server only (e.g. "
                        "'--worker-class gthread --threads 1')")
    parser.add_argument("--load", action="store_true",
                        help="the home page while 4 PDFs and 2 batches of 300 run")
    parser.add_argument("--templates", type=int, default=0, metavar="REPETITIONS",
                        help="also the per-template comparison (candidate only)")
    parser.add_argument("--batches", action="store_true",
                        help="also five batches of 1,000 ToR (candidate only)")
    parser.add_argument("--profile", type=int, default=0, metavar="POSTS",
                        help="only profile that many in-process issuing POSTs of the candidate "
                        "(cProfile, top entries by cumulative time)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    options = arguments()
    if options.child:
        return in_process_side(options.profile)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "OUTPUT_DIR": str(folder / "app"), "INSTANCE_DIR": str(folder / "app"),
                          "DATABASE": str(folder / "app.sqlite3"), "DATABASE_URL": None})
        if options.templates:
            timings, sizes = per_template(app, options.templates)
            print_per_template(timings, sizes, options.templates)
        with sides(options.baseline if options.baseline != "none" else "HEAD", folder) as pair:
            pair = pair if options.baseline != "none" else pair[:1]
            if options.profile:
                return profile_candidate(pair[0], folder, options)
            print(f"\nCandidate {pair[0].commit}" + (
                f", baseline {pair[1].commit} ({options.baseline})" if len(pair) > 1 else "") +
                  f"; database: {'PostgreSQL' if options.database_url else 'SQLite'}; "
                  f"{os.cpu_count()} processors, load average {os.getloadavg()[0]:.1f}")
            measure(app, pair, folder, options)


def measure(app, pair, folder: Path, options) -> None:
    environments = {side.name: installation(side, folder / f"{side.name}-process",
                                            options.database_url)
                    for side in pair if options.rounds}
    process = in_process(pair, environments, options.rounds) if options.rounds else None
    if process:
        print_in_process(process, options.rounds)
    if not options.bursts and not options.load:
        return
    loads = ((1, options.per_client * 4), (8, options.per_client))
    with contextlib.ExitStack() as stack:
        environments = {side.name: installation(side, folder / f"{side.name}-http",
                                                options.database_url) for side in pair}
        servers = {side.name: stack.enter_context(server(
            side, environments[side.name],
            gunicorn_args=options.candidate_gunicorn if side.name == "candidate" else ""))
            for side in pair}
        if options.bursts:
            figures = print_over_http(over_http(pair, servers, options.bursts, loads),
                                      options.bursts)
            if process:
                print_ratios(process, figures)
        if options.load:
            print(f"\n4. The home page (signed in) while {LOAD_PDFS} PDFs and {LOAD_BATCHES} "
                  f"batches of {LOAD_BATCH_ROWS} ToR run")
            for side in pair:  # one converter (LibreOffice) at a time: the side's under load
                with processes_of(side, environments[side.name], [[*niced(side), *CONVERTER]]):
                    print_home(side.name, home_under_load(app, servers[side.name][0],
                                                          side.name))
        if options.batches:
            batches(app, Browser(servers["candidate"][0]))
        for side in pair:
            memory = ", ".join(f"{mib:.0f}" for mib in worker_memory(servers[side.name][1]))
            print(f"{side.name} workers' memory (RSS) at the end: {memory} MiB")


if __name__ == "__main__":
    main()
