"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# One setting bounds a request: WEBFORMS_PDF_TIMEOUT, the longest a PDF conversion may take (the
# application stops LibreOffice then). The worker is killed a little later, only if all else failed.
timeout = int(os.environ.get("WEBFORMS_PDF_TIMEOUT", "120")) + 30
accesslog = "-"
