"""The job queue: long work runs in the job consumer, a process of its own, never in a web worker.

Huey keeps the queue: on one machine in a SQLite file of ``instance/`` (no service to run); when
several servers share the work, in Redis (``WEBFORMS_REDIS_URL``). The consumer is started with the
web server by ``scripts/serve`` (see Procfile)::

    huey_consumer webforms.jobs.consumer.huey

A message carries only a job's id: the job itself (state, input, result) is a row of the database
(jobs.service), so any web server shows its progress and serves its result. With
``JOBS_IMMEDIATE`` (the tests) a job runs at once, in the process that submits it.
"""
from __future__ import annotations

import functools

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab

from webforms.jobs import tasks
from webforms.storage import file_in_place

EXTENSION = "webforms.jobs"


class JobQueue:
    """The application's queue and its tasks, each run inside the application's context."""

    def __init__(self, app: Flask):
        self.huey = make_huey(app.config)
        self.tasks = {name: self.huey.task(name=name)(in_app_context(app, function))
                      for name, function in tasks.BY_KIND.items()}
        self.batch_slice = self.huey.task(name="batch_slice")(
            in_app_context(app, tasks.batch_slice))
        self.huey.periodic_task(crontab(minute=str(app.config["PURGE_AT_MINUTE"]),
                                        hour=str(app.config["PURGE_AT_HOUR"])),
                                name="purge")(in_app_context(app, tasks.purge))
        self.huey.periodic_task(crontab(minute="0", hour=str(app.config[
            "AUDIT_CHECKPOINT_AT_HOUR"])), name="audit_checkpoint")(
            in_app_context(app, tasks.audit_checkpoint))

    def submit(self, kind: str, job_id: str) -> None:
        self.tasks[kind](job_id)

    def submit_slice(self, job_id: str, index: int, slices: int) -> None:
        self.batch_slice(job_id, index, slices)


def make_huey(config) -> SqliteHuey | RedisHuey:
    name, immediate = config["JOBS_QUEUE_NAME"], config["JOBS_IMMEDIATE"]
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], immediate=immediate)
    return SqliteHuey(name, filename=file_in_place(config["JOBS_DATABASE"]), immediate=immediate)


def in_app_context(app: Flask, function):
    @functools.wraps(function)
    def run(*args):
        with app.app_context():
            return function(*args)
    return run


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = JobQueue(app)


def submit(kind: str, job_id: str) -> None:
    current_app.extensions[EXTENSION].submit(kind, job_id)


def submit_slice(job_id: str, index: int, slices: int) -> None:
    current_app.extensions[EXTENSION].submit_slice(job_id, index, slices)


def pending_count() -> int:
    """Messages waiting on the queue (it raises when the queue cannot be reached)."""
    return current_app.extensions[EXTENSION].huey.pending_count()
