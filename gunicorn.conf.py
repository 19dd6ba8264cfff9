"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# Rendering a document is CPU-bound and short; a stuck request should not hold a worker forever.
timeout = 60
accesslog = "-"
