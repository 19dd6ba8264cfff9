"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import gc
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# gthread with ONE thread per worker, chosen by measurement (tools/benchmark_render.py, issue #38):
# a request's work holds Python's interpreter lock, so a second thread only adds its cost (the
# issue measured 2-3 ms of processor time per request more with two threads). One run on this
# shared 2-core machine (other test suites running; SQLite; same code, interleaved bursts, 8
# clients): gthread/1 thread 20.1 ms worker CPU per issuing POST, p95 341 ms, 45.5 docs/s; sync
# 20.9 ms, p95 414 ms, 28.3 docs/s (1 client: 17.2 vs 18.7 ms, p95 26 vs 26 ms). The processor
# time is within the noise; the p95 and throughput at 8 clients decided. With one thread no page
# may wait in a worker: a PDF page answers its job's progress page at once (PDF_WAIT_SECONDS 0).
# WEBFORMS_WORKER_CLASS=sync switches to sync workers, to measure again on a quiet machine.
worker_class = os.environ.get("WEBFORMS_WORKER_CLASS", "gthread")
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
