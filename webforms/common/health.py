"""The state of each dependency, for a load balancer, a process supervisor or an operator."""
from __future__ import annotations

import zipfile
from collections.abc import Callable

from flask import current_app

from webforms.common.catalogue import catalogue
from webforms.common.faults import DEPENDENCY_FAULTS
from webforms.common.issuing import output_store
from webforms.documents.pdf import converter_status, pdf_available
from webforms.storage.register import DocumentRegister

FEATURE_CHECKS: dict[str, Callable] = {}
"""The dependencies of the features, by name: each check raises one of the dependency faults
when its dependency is down (jobs.tasks registers the queue's)."""


FEATURE_FACTS: dict[str, Callable] = {}
"""Facts the features add to the health payload, by name (backup.service: the age of the last
good backup): information for an operator, never a reason to take the instance out of
rotation."""


def fact(name: str) -> Callable:
    """Register the decorated function (no arguments → a JSON-able value) as the fact ``name``."""
    def register(function: Callable) -> Callable:
        FEATURE_FACTS[name] = function
        return function
    return register


def facts() -> dict:
    """Each fact, or None when its dependency is down (the dependencies say which)."""
    values = {}
    for name, function in FEATURE_FACTS.items():
        try:
            values[name] = function()
        except DEPENDENCY_FAULTS:
            values[name] = None
    return values


def dependency(name: str) -> Callable:
    """Register the decorated function as the check of the dependency ``name``."""
    def register(check: Callable) -> Callable:
        FEATURE_CHECKS[name] = check
        return check
    return register


def dependency_states() -> dict[str, str]:
    """``"ok"`` or what is wrong (no details of files or content), by dependency."""
    checks = {"database": lambda: DocumentRegister().ping(),
              "storage": lambda: output_store().check_writable(),
              "templates": _check_templates,
              "pdf": _check_pdf,
              **FEATURE_CHECKS}
    states = {}
    for name, check in checks.items():
        try:
            check()
            states[name] = "ok"
        except DEPENDENCY_FAULTS as error:
            states[name] = f"down: {type(error).__name__}"
    return states


def _check_templates() -> None:
    """The catalogue reads, and every current template is a readable .docx."""
    for document in catalogue():
        with zipfile.ZipFile(document.template) as package:
            if "word/document.xml" not in package.namelist():
                raise zipfile.BadZipFile(f"{document.template.name} is not a .docx")


def _check_pdf() -> None:
    if not pdf_available():
        raise OSError("LibreOffice is not installed")


def converter_state() -> dict | str:
    """How the warm converter is isolated (its transport, LibreOffice's UNO connection, its
    sandbox or the lack of one), as it says itself; or that none runs. Not a dependency: without
    it PDFs start LibreOffice each time."""
    return converter_status(current_app.config["CONVERTERS"])
