"""The tasks of the job queue, declared by the features that own them (batch.tasks,
trainers.tasks, jobs.tasks, records.tasks, audit.tasks) and run by the queue (webforms.jobs).

The registry sits in the shared layer, below every feature, so that a feature declares its tasks
without depending on the queue's package (the queue shows jobs of records, and audits them). A task
is submitted by its name, and the names are kept in queued messages and in job rows
(``Job.kind``): a task keeps its name for good.
"""
from __future__ import annotations

from collections.abc import Callable

from huey import crontab

TASKS: dict[str, Callable] = {}
"""Task name → the function the consumer runs (it takes the submitted arguments)."""
PERIODIC: dict[str, tuple[Callable, Callable]] = {}
"""Periodic task name → (the function, the configuration → its :func:`huey.crontab`)."""


def task(name: str) -> Callable:
    """Register the decorated function as the task ``name``."""
    def register(function: Callable) -> Callable:
        if TASKS.setdefault(name, function) is not function:
            raise ValueError(f"two tasks are named {name!r}")
        return function
    return register


def periodic_task(name: str, schedule: Callable) -> Callable:
    """Register the decorated function as the periodic task ``name``, run when ``schedule``
    (the application's configuration → a :func:`huey.crontab`) says."""
    def register(function: Callable) -> Callable:
        if PERIODIC.setdefault(name, (function, schedule))[0] is not function:
            raise ValueError(f"two periodic tasks are named {name!r}")
        return function
    return register


def daily(minute: str, hour: str) -> Callable:
    """A schedule for :func:`periodic_task`: every day at the configured ``hour``:``minute``
    (configuration keys, or fixed values when not a key)."""
    return lambda config: crontab(minute=str(config.get(minute, minute)),
                                  hour=str(config.get(hour, hour)))


def hourly(minute: str) -> Callable:
    """A schedule for :func:`periodic_task`: every hour at the configured ``minute`` (a
    configuration key, or a fixed value when not a key)."""
    return lambda config: crontab(minute=str(config.get(minute, minute)))
