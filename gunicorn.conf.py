"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import gc
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# Sync workers, chosen by measurement (tools/benchmark_render.py, issue #38): a request's work holds
# Python's interpreter lock, so a thread pool only adds its own cost (selectors, futexes, queue
# hand-offs: 2-3 ms of processor time per request with two threads). Quiet machine, SQLite, same
# code, interleaved bursts of 8 clients: sync 15.9 ms worker CPU per issuing POST, p95 107 ms,
# 108.9 docs/s; gthread with one thread 16.7 ms, p95 139 ms, 99.2 docs/s (1 client: sync 15.6 ms,
# p95 22 ms). No page waits in a worker: a PDF page answers its job's progress page at once
# (PDF_WAIT_SECONDS 0), batches and PDFs run in the job consumer. A sync worker serves one
# connection at a time: in production it sits behind a buffering proxy (docs/operations.md), as
# gunicorn advises. WEBFORMS_WORKER_CLASS=gthread (and WEBFORMS_THREADS) switches back.
worker_class = os.environ.get("WEBFORMS_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEBFORMS_THREADS", "1"))
# Long work runs in the job consumer; a request ends within seconds. The worker is killed only if
# all else failed.
timeout = 60
accesslog = "-"


def post_worker_init(worker):
    """Once a worker has loaded the application, the objects of its start (modules, the compiled
    templates, the catalogue: about 250,000) are set aside from the garbage collector: they live
    as long as the worker, and every full collection would otherwise walk them again."""
    gc.collect()
    gc.freeze()
