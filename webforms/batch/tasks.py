"""The batch's tasks: a whole batch (``batch``) and a slice of one that another worker started
(``batch_slice``, batch.service). Their names are kept in queued messages and job rows."""
from __future__ import annotations

from webforms.batch.service import generate_batch, issue_slice
from webforms.common.tasks import task
from webforms.jobs import service as jobs
from webforms.jobs.tasks import run, work_on


@task("batch")
def batch(job_id: str) -> None:
    run(job_id, generate_batch)


@task("batch_slice")
def batch_slice(job_id: str, index: int, slices: int) -> None:
    """A slice of a running batch; nothing once the batch has ended."""
    job = jobs.find(job_id)
    if job is not None and job.state == jobs.RUNNING:
        work_on(job, lambda running: issue_slice(running, index, slices))
