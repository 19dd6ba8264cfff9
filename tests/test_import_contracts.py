"""The import contracts of pyproject.toml ([tool.importlinter], docs/import-contracts.md): the
core imports no feature, views do not query the database, the features stand in layers, and no
package holds an import cycle. Checked by import-linter's own command, as a developer runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*arguments: str) -> subprocess.CompletedProcess:
    """``lint-imports`` of this interpreter's environment, on this checkout's ``webforms``."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *arguments], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails_the_check(tmp_path):
    """The check can fail: a contract the code does not keep (the records audit what they do)
    is reported broken, with the import that breaks it."""
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "webforms"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "Records never audit"\n'
                      'type = "forbidden"\nsource_modules = ["webforms.records"]\n'
                      'forbidden_modules = ["webforms.audit"]\n', encoding="utf-8")
    result = lint_imports("--config", str(config))
    assert result.returncode != 0
    assert "Records never audit BROKEN" in result.stdout
    assert "-> webforms.audit.trail" in result.stdout


def test_each_feature_registers_its_tasks_under_the_names_queued_messages_carry(app):
    """Each feature declares its tasks (batch.tasks, trainers.tasks, records.tasks…), and the
    queue still knows each of them by the name that queued messages and job rows carry."""
    queue = app.extensions["webforms.jobs"]
    assert sorted(queue.tasks) == ["batch", "batch_slice", "pack", "pdf", "webhook_delivery"]
    # Huey's own names for the messages it reads back from the queue.
    assert sorted(queue.huey._registry._registry) == [
        f"webforms.jobs.tasks.{name}"
        for name in ("audit_checkpoint", "backup", "batch", "batch_slice", "pack", "pdf", "purge",
                     "reminders", "webhook_delivery", "webhooks")]
