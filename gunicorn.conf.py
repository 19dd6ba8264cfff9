"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# Threads per worker: a page waiting a few seconds for its PDF (jobs.pdf) holds a thread, not
# the whole worker, so the other pages keep answering meanwhile. Two, not more: the work of a page
# holds Python's interpreter lock, and four requests sharing one worker's turn by turn made a
# burst of eight people issuing records slower for all (tools/benchmark_render.py: p95 about 270
# ms with four threads, 210 with two, 180 with one, which would leave a waiting PDF the worker).
worker_class = "gthread"
threads = int(os.environ.get("WEBFORMS_THREADS", "2"))
# Long work runs in the job consumer; a request ends within seconds. The worker is killed only if
# all else failed.
timeout = 60
accesslog = "-"
