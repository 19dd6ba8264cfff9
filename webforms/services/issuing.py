"""The folder that holds printed materials' files, which the health check probes. Every numbered
copy is a team's saved record now (services.saved_records), a batch's ToR included
(services.batch)."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..storage import OutputStore


def output_store() -> OutputStore:
    return OutputStore(Path(current_app.config["OUTPUT_DIR"]))
