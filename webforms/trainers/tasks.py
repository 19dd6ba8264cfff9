"""The trainers' task: the pack of sample documents (``pack``, trainers.materials)."""
from __future__ import annotations

from webforms.common.tasks import task
from webforms.jobs.tasks import run
from webforms.trainers.materials import make_pack


@task("pack")
def pack(job_id: str) -> None:
    run(job_id, make_pack)
