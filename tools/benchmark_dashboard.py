"""Benchmark: what the team's dashboard costs once a team has five years of records, side by side
with a baseline (another commit's dashboard, by default ``main``) in the same run.

Run: ``.venv/bin/python tools/benchmark_dashboard.py [--years 5] [--rounds 30]
[--baseline-ref main | --no-baseline] [--profile]``.

Why: the dashboard opens every issued record of the period to read its dates, durations, case
counts and actions (the content is sealed, so no SQL can count it), and the target is a median
under 150 ms on SQLite for a team with five years of weekly records. A figure alone says little
on a shared machine, so each page is measured against the baseline in the same run, rounds
interleaved (this tree, then the baseline, then the other way round), so that a busy moment
weighs on both.

How: the baseline's files are taken with ``git archive <ref>`` into a temporary folder (no
worktree is registered, nothing of this checkout changes). Two worker processes, one importing
this tree's ``webforms`` and one the baseline's, each seed the same calendar in a temporary
SQLite database: one team with a weekly Registro de la Reunión (with actions and their
follow-up), a fortnightly individual supervision of each of five workers, a monthly mesa interna
and a quarterly Conferencia ampliada for ``--years`` years, each with its latest revision sealed
as the pages seal it (saved_records.seal_pairs of the demo's filled forms, demo.service),
inserted in bulk. Each worker signs a supervisor in and requests the pages of :data:`PAGES`
through the application (Flask's test client, in process: sign-in check, query, unsealing,
rhythms, chart, template, audit entry) when the driver asks, and answers the time taken. A page
the baseline does not have (404) is shown as "n/a" for it. ``--profile`` prints where the five
years' dashboard of this tree spends its time (cProfile) instead.

Numbers are printed, never asserted: performance is tracked here, not in the test suite.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A worker imports the ``webforms`` of the tree it is given (this one, or the baseline's).
TREE = Path(os.environ.get("BENCHMARK_TREE") or ROOT)
sys.path.insert(0, str(TREE))

import importlib  # noqa: E402

import flask_migrate  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from webforms import create_app  # noqa: E402
from webforms.accounts import teams as team_store  # noqa: E402
from webforms.accounts.service import create_user  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.demo import service as demo  # noqa: E402
from webforms.forms.conferencia import add_months  # noqa: E402
from webforms.records import saved as saved_records  # noqa: E402
from webforms.storage.database import db, migrations  # noqa: E402
from webforms.storage.models import Record, RecordRevision, Team  # noqa: E402

# The action tracker (webforms.actions), in the trees that have it: the records inserted in bulk
# feed it as issuing would (``flask actions rebuild``). A baseline without it answers its
# Acciones page with 404, reported "n/a".
# (Looked for in the tree's files: the virtualenv's editable install would find this one's.)
tracker = (importlib.import_module("webforms.actions.tracker")
           if (TREE / "webforms" / "actions" / "tracker.py").is_file() else None)

BENCH_USER, BENCH_PASSWORD = "supervision@example.org", "a long benchmark passphrase 2026"
TEAM = "Equipo Cinco Años"
WORKERS = 5
TARGET_MS = 150
# The pages measured: a label and the address (``{team}``: the team's id).
PAGES = (
    ("dashboard, 12 months", "/panel/{team}"),
    ("dashboard, 60 months", "/panel/{team}?meses=60"),
    ("XLSX, 60 months", "/panel/{team}.xlsx?meses=60"),
    ("Acciones, open", "/acciones/{team}"),
    ("Acciones, meetings", "/acciones/{team}?origen=meetings"),
)
PROFILED = "/panel/{team}?meses=60"


# --- a worker: one tree's application, its seeded database, requests on demand -----------------
def bench_app(folder: Path):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "TWO_FACTOR_FOR_ADMINS": False,
                      "INSTANCE_DIR": str(folder), "OUTPUT_DIR": str(folder / "output"),
                      "DATABASE": str(folder / "records.sqlite3"), "DATABASE_URL": None})
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade()
    return app


def calendar(years: int, today: dt.date) -> list[tuple[str, dt.date, str | None, list]]:
    """(form, date, worker digest, pairs) of every record of ``years`` years up to ``today``."""
    start = add_months(today, -12 * years)
    randomness, items = random.Random(5), []
    pending: list[tuple[str, dt.date]] = []
    for week, day in enumerate(every(start, today, 7)):
        actions = [("supervisor_actions", f"Acción del supervisor {week}"),
                   ("worker_actions", f"Acción de los trabajadores {week}")]
        followed = [(text, deadline, "done" if (week + n) % 4 else "in_progress")
                    for n, (text, deadline) in enumerate(pending)]
        counts = (20 + randomness.randint(0, 15), randomness.randint(1, 5),
                  randomness.randint(2, 8))
        items.append(("registro_reunion", day, None, demo.registro_pairs(
            1, day, 60 + 30 * (week % 2), day.day <= 7, counts, actions, followed)))
        pending = [(text, deadline) for text, deadline, status in followed
                   if status != "done"] + [(text, day + dt.timedelta(days=7))
                                           for _group, text in actions]
    for worker in range(1, WORKERS + 1):
        items += [("supervision_individual", day, f"worker-{worker}",
                   demo.supervision_pairs(1, worker, day, None))
                  for day in every(start + dt.timedelta(days=worker), today, 14)]
    items += [("mesa_interna", day, None, demo.mesa_pairs(day))
              for day in every(start, today, 30)]
    items += [("conferencia_ampliada", day, None, demo.conferencia_pairs(day, [
        ("Plan de acción", day + dt.timedelta(days=30))], []))
        for day in every(start, today, 91)]
    return items


def every(start: dt.date, today: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=days * n) for n in range((today - start).days // days + 1)]


def seed(app, years: int, today: dt.date) -> dict[str, int]:
    """The team, its supervisor, and the records with their latest revision, in bulk."""
    with app.test_request_context():
        team_store.create(TEAM)
        create_user(BENCH_USER, BENCH_PASSWORD, roles=("supervisor",), teams=[TEAM])
        team_id = db.session.scalar(select(Team.id).where(Team.name == TEAM))
        codes = {document.key: document.code for document in catalogue()}
        records, counts = [], {}
        for index, (key, day, digest, pairs) in enumerate(calendar(years, today), start=1):
            counts[key] = counts.get(key, 0) + 1
            moment = dt.datetime.combine(day, dt.time(12), dt.timezone.utc)
            records.append({"id": index, "team_id": team_id, "document_key": key,
                            "status": saved_records.ISSUED, "revision": 1,
                            "number": f"{codes[key]}-{day.year}-{index:06d}",
                            "changed_since_issue": False, "record_date": day,
                            "subject_digest": digest, "sealed": saved_records.seal_pairs(pairs),
                            "created_at": moment, "updated_at": moment, "issued_at": moment})
        db.session.execute(insert(Record), records)
        db.session.execute(insert(RecordRevision), [
            {"record_id": row["id"], "revision": 1, "number": row["number"],
             "issued_at": row["issued_at"].isoformat(), "template_version": 1,
             "template_sha256": "0" * 64, "file_sha256": "0" * 64, "language": "es",
             "sealed": row["sealed"]} for row in records])
        if tracker is not None:
            tracker.rebuild(team_id)
        db.session.commit()
        return {**counts, "team_id": team_id}


def signed_in(app):
    client = app.test_client()
    response = client.post("/cuenta/ingresar", data={"email": BENCH_USER,
                                                     "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"the benchmark's user could not sign in: HTTP {response.status_code}")
    return client


def serve(years: int, today: dt.date) -> None:
    """A worker: seed, say READY with the counts, then answer each ``GET url`` line with the
    status and the seconds it took, until the input ends."""
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(Path(folder))
        counts = seed(app, years, today)
        client = signed_in(app)
        print("READY " + json.dumps(counts), flush=True)
        for line in sys.stdin:
            url = line.split(" ", 1)[1].strip()
            started = time.perf_counter()
            status = client.get(url).status_code
            print(f"{status} {time.perf_counter() - started:.6f}", flush=True)


def profile(years: int, today: dt.date) -> None:
    """Where this tree's five-year dashboard spends its time (after one warm-up request)."""
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(Path(folder))
        url = PROFILED.format(team=seed(app, years, today)["team_id"])
        client = signed_in(app)
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _request in range(10):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


# --- the driver: two workers, rounds interleaved -------------------------------------------------
class Worker:
    """A worker process importing the ``webforms`` of ``tree``."""

    def __init__(self, name: str, tree: Path, years: int, today: dt.date):
        self.name = name
        environment = {**os.environ, "BENCHMARK_TREE": str(tree)}
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", "--years", str(years),
             "--today", today.isoformat()], env=environment, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tree)
        ready = self.process.stdout.readline()
        if not ready.startswith("READY "):
            raise SystemExit(f"the {name} worker did not start (see it run with --serve)")
        self.counts = json.loads(ready.split(" ", 1)[1])

    def get(self, url: str) -> float | None:
        """Seconds for one request, or None when the page is not there (404)."""
        self.process.stdin.write(f"GET {url}\n")
        self.process.stdin.flush()
        status, seconds = self.process.stdout.readline().split()
        if status == "404":
            return None
        if status != "200":
            raise SystemExit(f"{self.name}: GET {url} answered HTTP {status}")
        return float(seconds)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def baseline_tree(ref: str, folder: Path) -> Path:
    """The files of ``ref`` (git archive), extracted under ``folder``."""
    archive = folder / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), ref],
                   check=True)
    with tarfile.open(archive) as files:
        files.extractall(folder / "baseline", filter="data")
    return folder / "baseline"


def rounds(workers: list[Worker], count: int) -> dict[tuple[str, str], list[float | None]]:
    """Each page ``count`` times in each worker, the order of the workers turned each round
    (after one cold request each, reported apart)."""
    timings: dict[tuple[str, str], list[float | None]] = {}
    urls = {worker.name: {label: address.format(team=worker.counts["team_id"])
                          for label, address in PAGES} for worker in workers}
    for number in range(count + 1):
        ordered = workers if number % 2 else list(reversed(workers))
        for label, _address in PAGES:
            for worker in ordered:
                case = (label, worker.name) if number else (label, f"{worker.name}, first")
                timings.setdefault(case, []).append(worker.get(urls[worker.name][label]))
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(timings, workers: list[Worker], count: int) -> None:
    print(f"{count} interleaved rounds; ms; target: median < {TARGET_MS} ms (this tree)")
    print(f"{'page':<24}" + "".join(f"{worker.name + ' ' + column:>22}" for worker in workers
                                    for column in ("first", "median", "p95")))
    for label, _address in PAGES:
        cells = []
        for worker in workers:
            first, values = timings[(label, f"{worker.name}, first")][0], \
                timings[(label, worker.name)]
            if first is None:
                cells += ["n/a"] * 3
                continue
            measured = [value * 1000 for value in values]
            cells += [f"{first * 1000:.1f}", f"{statistics.median(measured):.1f}",
                      f"{p95(measured):.1f}"]
        print(f"{label:<24}" + "".join(f"{cell:>22}" for cell in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--baseline-ref", default="main",
                        help="the commit (branch, tag) whose dashboard is the baseline")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    options = parser.parse_args()
    if options.serve:
        return serve(options.years, options.today)
    if options.profile:
        return profile(options.years, options.today)
    with tempfile.TemporaryDirectory() as folder:
        trees = [("this tree", ROOT)]
        if not options.no_baseline:
            trees.append((f"baseline {options.baseline_ref}",
                          baseline_tree(options.baseline_ref, Path(folder))))
        workers = [Worker(name, tree, options.years, options.today) for name, tree in trees]
        counts = {key: count for key, count in workers[0].counts.items() if key != "team_id"}
        print(f"{sum(counts.values()):,} issued records seeded in each worker (SQLite): "
              + ", ".join(f"{key} {count}" for key, count in sorted(counts.items())))
        try:
            timings = rounds(workers, options.rounds)
        finally:
            for worker in workers:
                worker.close()
        report(timings, workers, options.rounds)


if __name__ == "__main__":
    main()
