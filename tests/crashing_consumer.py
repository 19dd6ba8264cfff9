"""The job consumer with one fault, for the test of a consumer killed mid-batch: the product's own
consumer (``webforms.jobs.consumer.huey``, real Huey worker processes), except that a worker which
has just committed a batch's first group of parts and reported it kills the whole consumer at once
(kill -9 of its process group, workers included).

Why a fault at a known point instead of a test that kills the consumer "soon": a batch of a few
hundred documents can end between two looks at it, and on a busy machine a look can come late. Here
the kill falls, every time, after some parts are committed and before the last: the state the test
is about, reached without racing the consumer.

Started as ``huey_consumer tests.crashing_consumer.huey`` (tests.processes.consumer).
"""
from __future__ import annotations

import os
import signal

from webforms.jobs import service as jobs
from webforms.jobs.consumer import huey  # noqa: F401  (what huey_consumer loads)

_report_progress = jobs.progress


def _report_progress_then_die(job) -> None:
    _report_progress(job)
    if job.kind == "batch":
        os.killpg(os.getpgid(0), signal.SIGKILL)


jobs.progress = _report_progress_then_die
