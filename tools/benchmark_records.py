"""Benchmark: what the team's list of records costs once a team has years of them.

Run: ``.venv/bin/python tools/benchmark_records.py [--records 10000] [--repetitions 50]
[--database-url postgresql+psycopg://user@host/empty_database]``. By default a temporary SQLite
database; ``--database-url`` names an *empty* PostgreSQL database instead (it is migrated and
filled, and left as it is afterwards).

Why: the list is the page a team opens every day, and it must stay quick when the records pile up
(target: under 200 ms a page). It reads only the columns the database shows in clear (never a
record's sealed content), so its cost is that of one indexed query a page plus one count. To tell
the query's cost from the page's (sign-in check, filter options, template), each case is measured
side by side with a baseline in the same run: the bare SQL of the same page (its count and its
SELECT) through SQLAlchemy, no template.

It seeds ``--records`` records in one bulk insert (sealed content from
``saved_records.seal_pairs`` of a small payload, spread over ten teams, five years, every form
and the three listed statuses), signs in a regional coordinator who reads six of the teams, then
requests, through the application (Flask's test client, in process), page 1, a filtered page, a
number search and a deep page, ``--repetitions`` times each, interleaved with the baseline. It
prints median and p95 in ms and the ratio.

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

import flask_migrate  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from webforms import create_app  # noqa: E402
from webforms.accounts.service import create_user, team_named  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.forms import FORMS  # noqa: E402
from webforms.records import queries as record_queries  # noqa: E402
from webforms.records import saved as saved_records  # noqa: E402
from webforms.storage.database import db, migrations  # noqa: E402
from webforms.storage.models import Record, User  # noqa: E402

BENCH_USER, BENCH_PASSWORD = "coordinacion@example.org", "a long benchmark passphrase 2026"
AUTHORS = [f"persona{number}@example.org" for number in range(1, 6)]
TEAMS = [f"Equipo {number}" for number in range(1, 11)]
REGION = TEAMS[0]  # the coordinator's team; teams 2 to 6 are in its region
YEARS = range(2022, 2027)
STATUS_SHARES = ((saved_records.DRAFT, 0.35), (saved_records.ISSUED, 0.55),
                 (saved_records.TRASH, 0.10))
TARGET_MS = 200
# The cases: a label and the list's query string.
CASES = {
    "page 1": {},
    "filtered page": {"formulario": "registro_reunion", "estado": "issued",
                      "desde": "2024-01-01", "hasta": "2025-12-31"},
    "number search": {"numero": "2025-0001"},
    "deep page (200)": {"pagina": "200"},
}


# --- the database -------------------------------------------------------------------------------
def bench_app(folder: Path, database_url: str | None):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "TWO_FACTOR_FOR_ADMINS": False,
                      "INSTANCE_DIR": str(folder), "OUTPUT_DIR": str(folder / "output"),
                      "DATABASE": str(folder / "records.sqlite3"), "DATABASE_URL": database_url})
    with app.app_context():
        migrations(app)
        flask_migrate.upgrade()
    return app


def seed_accounts() -> tuple[dict[str, int], list[int]]:
    """The teams (six of them read by the coordinator), the coordinator and five authors."""
    create_user(BENCH_USER, BENCH_PASSWORD, roles=("coordinador", "supervisor"), teams=[REGION])
    authors = [create_user(email, BENCH_PASSWORD, roles=("supervisor",), teams=[team]).user.id
               for email, team in zip(AUTHORS, TEAMS)]
    teams = {name: team_named(name) for name in TEAMS}
    db.session.flush()
    for name in TEAMS[1:6]:
        teams[name].region_id = teams[REGION].id
    db.session.commit()
    return {name: team.id for name, team in teams.items()}, authors


def record_rows(count: int, team_ids: list[int], authors: list[int]) -> list[dict]:
    """``count`` records spread over teams, years, forms and statuses; issued ones numbered
    per code and year, as the register numbers them."""
    randomness = random.Random(2026)
    codes = {document.key: document.code for document in catalogue() if document.key in FORMS}
    sealed = saved_records.seal_pairs([["supervisor_name", "Marta Gómez"],
                                       ["meeting_date", "2026-11-20"], ["open_cases", "24"]])
    sequences: dict[tuple[str, int], int] = {}
    statuses, weights = zip(*STATUS_SHARES)
    rows = []
    for _number in range(count):
        key, year = randomness.choice(sorted(codes)), randomness.choice(YEARS)
        changed = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
            seconds=randomness.randrange(365 * 24 * 3600))
        status = randomness.choices(statuses, weights)[0]
        issued = status != saved_records.DRAFT and randomness.random() < 0.9
        sequences[codes[key], year] = sequences.get((codes[key], year), 0) + issued
        rows.append({"team_id": randomness.choice(team_ids), "document_key": key,
                     "status": status, "revision": randomness.choice((1, 1, 1, 2)) if issued else 0,
                     "number": f"{codes[key]}-{year}-{sequences[codes[key], year]:06d}"
                     if issued else None, "changed_since_issue": False,
                     "record_date": changed.date(), "sealed": sealed,
                     "created_by": randomness.choice(authors), "created_at": changed,
                     "updated_by": randomness.choice(authors), "updated_at": changed,
                     "issued_at": changed if issued else None,
                     "trashed_at": changed if status == saved_records.TRASH else None})
    return rows


def seed(app, count: int) -> float:
    """Fill the database; the seconds the bulk insert took."""
    with app.app_context():
        team_ids, authors = seed_accounts()
        rows = record_rows(count, list(team_ids.values()), authors)
        start = time.perf_counter()
        db.session.execute(insert(Record), rows)
        db.session.commit()
        return time.perf_counter() - start


# --- the measures -------------------------------------------------------------------------------
def signed_in_client(app):
    client = app.test_client()
    response = client.post("/cuenta/ingresar", data={"email": BENCH_USER,
                                                     "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"the benchmark's user could not sign in: HTTP {response.status_code}")
    return client


def through_the_app(client, query: dict) -> float:
    start = time.perf_counter()
    response = client.get("/registros/", query_string=query)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET /registros/ {query} answered HTTP {response.status_code}")
    return elapsed


def bare_query(app, query: dict) -> float:
    """The page's SQL alone: the count and the page's SELECT, as record_queries builds them,
    executed through SQLAlchemy (records loaded, nothing rendered)."""
    with app.test_request_context("/registros/", query_string=query):
        user = db.session.scalar(select(User).where(User.email == BENCH_USER))
        start = time.perf_counter()
        filters = record_queries.Filters.from_args(query)
        conditions = record_queries.conditions_for(user, filters)
        total = db.session.scalar(select(func.count(Record.id)).where(*conditions))
        page = min(filters.page, max(1, -(-total // record_queries.PER_PAGE)))
        db.session.scalars(record_queries.listed_records(conditions).offset(
            (page - 1) * record_queries.PER_PAGE).limit(record_queries.PER_PAGE)).all()
        elapsed = time.perf_counter() - start
        db.session.remove()
    return elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def measure(app, repetitions: int) -> dict[str, dict[str, list[float]]]:
    """Timings (seconds) per case, the page and its bare query interleaved on every repetition."""
    client = signed_in_client(app)
    timings = {case: {"page": [], "query": []} for case in CASES}
    for query in CASES.values():  # templates compiled, caches warm
        through_the_app(client, query)
        bare_query(app, query)
    for _repetition in range(repetitions):
        for case, query in CASES.items():
            timings[case]["page"].append(through_the_app(client, query))
            timings[case]["query"].append(bare_query(app, query))
    return timings


def listed_counts(app) -> dict[str, int]:
    """How many records each case matches (what the page reads through)."""
    counts = {}
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == BENCH_USER))
        for case, query in CASES.items():
            conditions = record_queries.conditions_for(user, record_queries.Filters.from_args(
                query))
            counts[case] = db.session.scalar(select(func.count(Record.id)).where(*conditions))
    return counts


def report(timings: dict, counts: dict, repetitions: int, seeding: float, records: int,
           backend: str) -> None:
    print(f"{records:,} records seeded in {seeding:.2f} s ({backend}); {repetitions} "
          "interleaved repetitions per case; ms, median / p95")
    print(f"{'case':<18}{'matching':>9}{'GET /registros/':>20}{'bare query':>18}"
          f"{'page/query':>12}  target < {TARGET_MS} ms")
    for case, ways in timings.items():
        page = [value * 1000 for value in ways["page"]]
        query = [value * 1000 for value in ways["query"]]
        verdict = "ok" if p95(page) < TARGET_MS else "OVER"
        print(f"{case:<18}{counts[case]:>9,}{statistics.median(page):12.1f} /{p95(page):6.1f}"
              f"{statistics.median(query):10.1f} /{p95(query):6.1f}"
              f"{statistics.median(page) / statistics.median(query):11.1f}x  {verdict}")


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=50)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a "
                        "temporary SQLite file)")
    return parser.parse_args()


def main():
    options = arguments()
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(Path(folder), options.database_url)
        seeding = seed(app, options.records)
        timings = measure(app, options.repetitions)
        backend = "PostgreSQL" if options.database_url else "SQLite"
        report(timings, listed_counts(app), options.repetitions, seeding, options.records,
               backend)


if __name__ == "__main__":
    main()
