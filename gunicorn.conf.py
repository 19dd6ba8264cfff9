"""Embedded default gunicorn configuration, loaded automatically from the working directory.

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""
import os

bind = os.environ.get("WEBFORMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEBFORMS_WORKERS", "2"))
# Rendering is short, but a first PDF conversion starts LibreOffice; a stuck request still ends.
timeout = 180  # a PDF conversion may take up to WEBFORMS_PDF_TIMEOUT (120 s)
accesslog = "-"
