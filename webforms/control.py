"""Document control: checking templates, adding versions, the master list.

The quality office revises a template in Word and adds it as a new version with a change
description; the previous .docx is kept so documents issued under it can be reproduced, and a
template that fails the checks is refused.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import replace
from pathlib import Path

import tomlkit
from docx import Document
from flask import current_app
from flask_babel import gettext as _

from .catalogue import CATALOGUE_FILE, CatalogueError, ControlledDocument, load_catalogue
from .documents import render_document
from .documents.checks import Problem, check_template, frame_problems
from .documents.engine import Issue, RenderedDocument, template_sha256
from .documents.record import RecordError, read_record
from .extensions import FORMAT_VARIANTS
from .forms import FORMS
from .forms.base import formdata_from_values
from .services import DOCUMENT_LANGUAGE, branding, catalogue, frame_texts, printable_context, render_in

VERSIONS_DIR = "versions"


def sample_form(document: ControlledDocument):
    return FORMS[document.key](formdata=None, meta={"csrf": False})


def check_document(document: ControlledDocument, template: Path | None = None) -> list[Problem]:
    """Check the current template of ``document`` (or ``template``, a candidate revision)."""
    template = Path(template or document.template)
    form = sample_form(document) if document.key in FORMS else None
    expected = form.template_variables() if form else None
    context = form.document_context("es") if form else printable_context(document)
    provided = set(context) | {"_"}  # "_": the translation function every render passes
    problems = check_template(template, expected, provided)
    if not template_is_declared(document, template):
        problems.append(Problem(template.name, _("archivo"), "", _(
            "El archivo cambió después de registrarse su versión %(version)d. Registre los "
            "cambios como una nueva versión.", version=document.version)))
    if not problems:
        problems += frame_problems(template.name, sample_docx(document, context, template),
                                   document.code)
    return problems


def template_is_declared(document: ControlledDocument, template: Path) -> bool:
    """Whether the current template is the file its version was registered with."""
    if template != document.template:
        return True
    declared = next((change.sha256 for change in document.changes
                     if change.version == document.version), "")
    return not declared or declared == template_sha256(template)


def sample_docx(document, context: dict, template: Path):
    """The template rendered with ``context`` (an empty form's), as the engine frames it."""
    candidate = replace(document, template=Path(template))
    rendered = render_document(candidate, context, branding(), frame_texts())
    return Document(io.BytesIO(rendered.data))


def check_all() -> dict[str, list[Problem]]:
    return {document.key: check_document(document) for document in catalogue()}


def add_version(code: str, new_template: Path, change: str, date: dt.date | None = None
                ) -> tuple[ControlledDocument | None, list[Problem]]:
    """Register ``new_template`` as the next version of the document ``code``.

    Refused (nothing is changed) when the template fails the checks. Otherwise the current
    .docx is kept under ``versions/`` with its hash, the new one takes its place, and the
    catalogue gets the new version, issue date and change description.
    """
    document = next((d for d in catalogue() if d.code == code), None)
    if document is None:
        return None, [Problem(Path(new_template).name, _("archivo"), code, _(
            "No hay ningún documento con el código %(code)s.", code=code))]
    if not change.strip():
        return None, [Problem(Path(new_template).name, _("archivo"), "", _(
            "Describa el cambio de la nueva versión."))]
    problems = check_document(document, new_template)
    if problems:
        return None, problems

    date = date or dt.date.today()
    templates_dir = Path(current_app.config["DOC_TEMPLATES_DIR"])
    kept = Path(VERSIONS_DIR) / document.key / f"v{document.version}.docx"
    (templates_dir / kept).parent.mkdir(parents=True, exist_ok=True)
    old_sha = template_sha256(document.template)
    shutil.copy2(document.template, templates_dir / kept)
    shutil.copyfile(new_template, document.template)
    new_sha = template_sha256(document.template)

    catalogue_path = templates_dir / CATALOGUE_FILE
    text = tomlkit.parse(catalogue_path.read_text(encoding="utf-8"))
    entry = text["documents"][document.key]
    for previous in entry["changes"]:
        if previous["version"] == document.version:
            previous["template"] = kept.as_posix()
            previous["sha256"] = old_sha
    entry["version"] = document.version + 1
    entry["issued"] = date
    new_change = tomlkit.table()
    new_change.update({"date": date, "version": document.version + 1, "description": change,
                       "sha256": new_sha})
    entry["changes"].append(new_change)
    catalogue_path.write_text(tomlkit.dumps(text), encoding="utf-8")

    return load_catalogue(templates_dir).get(document.key), []


class ReproductionError(ValueError):
    """The document cannot be reproduced exactly (no record, or its template is not kept)."""


def reproduce(data: bytes) -> RenderedDocument:
    """Render an issued document again, from its embedded record, with the template version and
    the number, date and language it was issued with (no new number is allocated)."""
    try:
        record = read_record(data)
    except RecordError as exc:
        raise ReproductionError(_("El archivo no contiene los datos de un documento emitido por "
                                  "esta aplicación.")) from exc
    document = catalogue().get(record.get("document", ""))
    if document is None or "number" not in record or document.key not in FORMS:
        raise ReproductionError(_("El archivo no corresponde a ningún formulario del catálogo."))
    version = int(record["version"])
    try:
        template = document.template_for(version)
    except CatalogueError as exc:
        raise ReproductionError(_("La versión %(version)d de la plantilla no se conservó.",
                                  version=version)) from exc
    if template_sha256(template) != record.get("template_sha256"):
        raise ReproductionError(_("La plantilla de la versión %(version)d no es la que produjo el "
                                  "documento (su huella SHA-256 es distinta).", version=version))
    language = record.get("language", DOCUMENT_LANGUAGE)
    form = FORMS[document.key](formdata=formdata_from_values(record["data"]),
                               meta={"csrf": False})
    issue = Issue(number=record["number"], version=version,
                  issued_at=dt.datetime.fromisoformat(record["issued_at"]),
                  template_sha256=record["template_sha256"])
    dates = FORMAT_VARIANTS.get(language, language)
    return render_in(document, language, lambda: form.document_context(dates),
                     record_date=form.record_date(), record=form.record_data(), issue=issue)
