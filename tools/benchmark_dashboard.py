"""Benchmark: what the team's dashboard costs once a team has five years of records.

Run: ``.venv/bin/python tools/benchmark_dashboard.py [--years 5] [--repetitions 30]``.

Why: the dashboard opens every issued record of the period to read its dates, durations, case
counts and actions (the content is sealed, so no SQL can count it), and the target is an answer
under 300 ms for a team with five years of weekly records. This seeds, in a temporary SQLite
database, one team with a weekly Registro de la Reunión (with actions and their follow-up), a
fortnightly individual supervision of each of five workers, a monthly mesa interna and a
quarterly Conferencia ampliada for ``--years`` years, each with its latest revision sealed as the
pages seal it (saved_records.seal_pairs of the demo's filled forms, demo.service), inserted in
bulk. A supervisor then requests the dashboard through the application (Flask's test client, in
process: sign-in check, query, unsealing, rhythms, chart, template, audit entry) for the default
period (12 months) and for the whole five years, ``--repetitions`` times each, and the XLSX export
of the five years. It prints median and p95 in ms.

Numbers are printed, never asserted: performance is tracked here, not in the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from tools.benchmark_records import bench_app  # noqa: E402  (the same temporary app)
from webforms.accounts.service import create_user  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.demo import service as demo  # noqa: E402
from webforms.forms.conferencia import add_months  # noqa: E402
from webforms.records import saved as saved_records  # noqa: E402
from webforms.storage.database import db  # noqa: E402
from webforms.storage.models import Record, RecordRevision, Team  # noqa: E402

BENCH_USER, BENCH_PASSWORD = "supervision@example.org", "a long benchmark passphrase 2026"
TEAM = "Equipo Cinco Años"
WORKERS = 5
TARGET_MS = 300
TODAY = dt.date.today()


def calendar(years: int) -> list[tuple[str, dt.date, str | None, list]]:
    """(form, date, worker digest, pairs) of every record of ``years`` years up to today."""
    start = add_months(TODAY, -12 * years)
    randomness, items = random.Random(5), []
    pending: list[tuple[str, dt.date]] = []
    for week, day in enumerate(_every(start, 7)):
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
                  for day in _every(start + dt.timedelta(days=worker), 14)]
    items += [("mesa_interna", day, None, demo.mesa_pairs(day)) for day in _every(start, 30)]
    items += [("conferencia_ampliada", day, None, demo.conferencia_pairs(day, [
        ("Plan de acción", day + dt.timedelta(days=30))], [])) for day in _every(start, 91)]
    return items


def _every(start: dt.date, days: int) -> list[dt.date]:
    count = (TODAY - start).days // days + 1
    return [start + dt.timedelta(days=days * n) for n in range(count)]


def seed(app, years: int) -> dict[str, int]:
    """The team, its supervisor, and the records with their latest revision, in bulk."""
    with app.test_request_context():
        create_user(BENCH_USER, BENCH_PASSWORD, roles=("supervisor",), teams=[TEAM])
        team_id = db.session.scalar(select(Team.id).where(Team.name == TEAM))
        codes = {document.key: document.code for document in catalogue()}
        items = calendar(years)
        records, counts = [], {}
        for index, (key, day, digest, pairs) in enumerate(items, start=1):
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
        db.session.commit()
        counts["team_id"] = team_id
        return counts


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered HTTP {response.status_code}")
    return elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def measure(app, team_id: int, repetitions: int) -> dict[str, list[float]]:
    client = app.test_client()
    response = client.post("/cuenta/ingresar", data={"email": BENCH_USER,
                                                     "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"the benchmark's user could not sign in: HTTP {response.status_code}")
    cases = {"dashboard, 12 months": f"/panel/{team_id}",
             "dashboard, 60 months": f"/panel/{team_id}?meses=60",
             "XLSX, 60 months": f"/panel/{team_id}.xlsx?meses=60"}
    first = {case: timed(client, url) for case, url in cases.items()}  # cold: templates, caches
    timings = {case: [] for case in cases}
    for _repetition in range(repetitions):
        for case, url in cases.items():
            timings[case].append(timed(client, url))
    return {"first request": first, **timings}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repetitions", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(Path(folder), None)
        started = time.perf_counter()
        counts = seed(app, options.years)
        team_id = counts.pop("team_id")
        print(f"{sum(counts.values()):,} issued records seeded in "
              f"{time.perf_counter() - started:.1f} s (SQLite): "
              + ", ".join(f"{key} {count}" for key, count in sorted(counts.items())))
        timings = measure(app, team_id, options.repetitions)
    first = timings.pop("first request")
    print(f"{options.repetitions} repetitions per case; ms; target < {TARGET_MS} ms")
    print(f"{'case':<24}{'first':>8}{'median':>9}{'p95':>8}")
    for case, values in timings.items():
        values_ms = [value * 1000 for value in values]
        verdict = "ok" if p95(values_ms) < TARGET_MS else "OVER"
        print(f"{case:<24}{first[case] * 1000:8.1f}{statistics.median(values_ms):9.1f}"
              f"{p95(values_ms):8.1f}  {verdict}")


if __name__ == "__main__":
    main()
