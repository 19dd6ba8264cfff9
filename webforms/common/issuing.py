"""The folder that holds printed materials' files, which the health check probes. Every numbered
copy is a team's saved record now (records.saved), a batch's ToR included
(batch.service)."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from webforms.storage import OutputStore


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))
