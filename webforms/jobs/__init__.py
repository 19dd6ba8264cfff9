"""The job queue: long work runs in the job consumer, a process of its own, never in a web worker.

Huey keeps the queue: on one machine in a SQLite file of ``instance/`` (no service to run); when
several servers share the work, in Redis (``WEBFORMS_REDIS_URL``). The consumer is started with the
web server by ``scripts/serve`` (see Procfile)::

    huey_consumer webforms.jobs.consumer.huey

A message carries only a job's id: the job itself (state, input, result) is a row of the database
(jobs.service), so any web server shows its progress and serves its result. With
``JOBS_IMMEDIATE`` (the tests) a job runs at once, in the process that submits it.

The queue knows no feature: each feature declares its tasks in its own ``tasks`` module with
webforms.common.tasks (batch.tasks, trainers.tasks, jobs.tasks, records.tasks, audit.tasks), and
work is submitted by the task's name. The application imports every ``tasks`` module before
:func:`init_app` (webforms.app), so the web and the consumer see them all.
"""
from __future__ import annotations

import functools

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey

from webforms.common.tasks import PERIODIC, TASKS
from webforms.storage import file_in_place

EXTENSION = "webforms.jobs"

class JobQueue:
    """The application's queue and its tasks, each run inside the application's context."""

    def __init__(self, app: Flask):
        self.huey = make_huey(app.config)
        self.tasks = {name: self.huey.task(name=name)(in_app_context(app, function))
                      for name, function in TASKS.items()}
        for name, (function, schedule) in PERIODIC.items():
            self.huey.periodic_task(schedule(app.config), name=name)(in_app_context(app, function))

    def submit(self, name: str, *args) -> None:
        self.tasks[name](*args)

    def submit_after(self, name: str, seconds: float, *args) -> None:
        if seconds <= 0:
            self.submit(name, *args)
        else:
            self.tasks[name].schedule(args=args, delay=seconds)


def make_huey(config) -> SqliteHuey | RedisHuey:
    name, immediate = config["JOBS_QUEUE_NAME"], config["JOBS_IMMEDIATE"]
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], immediate=immediate)
    return SqliteHuey(name, filename=file_in_place(config["JOBS_DATABASE"]), immediate=immediate)


MESSAGE_MODULE = "webforms.jobs.tasks"
"""Huey names a task's messages ``<module>.<name>``. Every task was declared in jobs.tasks before
the features declared their own, and messages queued then (and the consumers of an older
release) name them so: every task keeps that module in its messages' name, wherever it lives."""


def in_app_context(app: Flask, function):
    @functools.wraps(function)
    def run(*args):
        with app.app_context():
            return function(*args)
    run.__module__ = MESSAGE_MODULE
    return run


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = JobQueue(app)


def submit(name: str, *args) -> None:
    """Put the task ``name`` with ``args`` (a job's id first) on the queue."""
    current_app.extensions[EXTENSION].submit(name, *args)


def submit_after(name: str, seconds: float, *args) -> None:
    """Put the task ``name`` with ``args`` on the queue, to run in ``seconds`` (a retry)."""
    current_app.extensions[EXTENSION].submit_after(name, seconds, *args)


def pending_count() -> int:
    """Messages waiting on the queue (it raises when the queue cannot be reached)."""
    return current_app.extensions[EXTENSION].huey.pending_count()
