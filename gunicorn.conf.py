"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# Sync workers, chosen by measurement (tools/benchmark_render.py, docs/performance.md; issue #38):
# a request's work holds Python's interpreter lock, so threads only add their cost (gthread with
# 2 threads: about 2-3 ms of processor time per request more, twice the system calls). No page
# waits in a worker: a PDF page answers its job's progress page at once (PDF_WAIT_SECONDS is 0),
# long work runs in the job consumer. FIGURES: see the closing note of issue #38 (one run, this
# machine): sync vs gthread with 1 thread, worker CPU per issuing POST and p95 at 8 clients.
worker_class = os.environ.get("WEBFORMS_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEBFORMS_THREADS", "1"))
# Long work runs in the job consumer; a request ends within seconds. The worker is killed only if
# all else failed.
timeout = 60
accesslog = "-"
