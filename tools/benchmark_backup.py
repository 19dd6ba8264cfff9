"""Benchmark: what a backup and a restore of an installation with 10,000 records cost on SQLite.

Run: ``.venv/bin/python tools/benchmark_backup.py [--records 10000] [--rounds 3]``.

Why: docs/backups.md states the recovery time to expect on one machine; this measures it. The
backup runs while the product runs, so its time is also how long the daily job keeps one core
busy.

How: a temporary SQLite installation is seeded as tools/benchmark_records.py seeds it
(``--records`` records over ten teams and five years, in one bulk insert), and every issued
record gets the kept bytes of its Word copy (a ~38 KB .docx, sealed as records.issued_copies
seals it: sealed bytes do not compress, as in production). Then ``--rounds`` times: a backup
with a passphrase (backup.create.write_backup, the work of ``flask backup create`` without its
target), and its restore into a new, empty installation (backup.restore.restore: decrypt, check
every part and the audit chain, put the database and the keys back). It prints the medians and
the backup's size.

Numbers are printed, never asserted: performance is tracked here, not in the test suite.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from tools.benchmark_records import TEAMS, bench_app, record_rows, seed_accounts  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.accounts import teams  # noqa: E402
from webforms.backup.create import write_backup  # noqa: E402
from webforms.backup.format import Keys  # noqa: E402
from webforms.backup.restore import restore  # noqa: E402
from webforms.records.issued_copies import SEALED_AS, sha256  # noqa: E402
from webforms.storage.database import db  # noqa: E402
from webforms.storage.models import IssuedCopy, Record  # noqa: E402
from webforms.storage.sealing import sealer  # noqa: E402

KEYS = Keys(passphrase="a benchmark passphrase for backups")
WORD_COPY = ROOT / "doc_templates" / "registro_reunion.docx"


def seed(app, count: int) -> dict:
    """``count`` records, the issued ones with their Word copy kept: the counts seeded."""
    with app.app_context():
        for name in TEAMS:  # accounts join teams that exist
            teams.create(name)
        team_ids, authors = seed_accounts()
        db.session.execute(insert(Record), record_rows(count, list(team_ids.values()), authors))
        data = WORD_COPY.read_bytes()
        issued = db.session.execute(select(Record.id, Record.number, Record.revision).where(
            Record.number.is_not(None))).all()
        seal = sealer(SEALED_AS)
        db.session.execute(insert(IssuedCopy), [
            {"record_id": row.id, "revision": max(row.revision, 1), "format": "docx",
             "number": row.number, "sha256": sha256(data), "size": len(data),
             "sealed": seal.seal_bytes(data)} for row in issued])
        db.session.commit()
        return {"records": db.session.scalar(select(func.count()).select_from(Record)),
                "issued copies": len(issued)}


def timed(function, *arguments) -> float:
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


def fresh_installation(folder: Path):
    return create_app({"TESTING": True, "INSTANCE_DIR": str(folder / "instance"),
                       "OUTPUT_DIR": str(folder / "output"), "DATABASE_URL": None,
                       "DATABASE": str(folder / "webforms.sqlite3")})


def measure(app, folder: Path, rounds: int) -> tuple[list[float], list[float], int, int]:
    backups, restores, size = [], [], 0
    database = Path(app.config["DATABASE"]).stat().st_size
    for number in range(rounds):
        backup = folder / f"round-{number}.wfbackup"
        with app.app_context():
            backups.append(timed(write_backup, backup, KEYS))
        size = backup.stat().st_size
        target = fresh_installation(folder / f"restored-{number}")
        with target.app_context():
            restores.append(timed(restore, backup, KEYS))
        backup.unlink()
    return backups, restores, size, database


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="webforms-bench-backup-") as scratch:
        folder = Path(scratch)
        app = bench_app(folder / "source", None)
        seeded = seed(app, options.records)
        backups, restores, size, database = measure(app, folder, options.rounds)
    print(f"SQLite, {seeded['records']} records ({seeded['issued copies']} issued copies kept), "
          f"{options.rounds} rounds")
    print(f"database file:  {database / 2**20:8.1f} MiB")
    print(f"backup size:    {size / 2**20:8.1f} MiB")
    print(f"backup median:  {statistics.median(backups):8.2f} s")
    print(f"restore median: {statistics.median(restores):8.2f} s  (verification included)")


if __name__ == "__main__":
    main()
