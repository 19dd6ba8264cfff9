"""Document control: checking templates, adding versions, the master list.

The quality office revises a template in Word and adds it as a new version with a change
description; the previous .docx is kept so documents issued under it can be reproduced, and a
template that fails the checks is refused.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import tomlkit
from docx import Document
from flask import current_app
from flask_babel import gettext as _

from webforms.audit import trail as audit
from webforms.catalogue import CATALOGUE_FILE, CatalogueError, ControlledDocument, load_catalogue
from webforms.common.catalogue import catalogue
from webforms.common.rendering import DOCUMENT_LANGUAGE, branding, frame_texts, render_filled
from webforms.documents import render_document
from webforms.documents.checks import Problem, check_template, content_problems, frame_problems
from webforms.documents.contexts import CONTEXTS, empty_form
from webforms.documents.controlled import FRAME_REVISION
from webforms.documents.embedded_data import EmbeddedDataError, read_embedded_data
from webforms.documents.engine import RenderedDocument, template_sha256
from webforms.forms import FORMS
from webforms.forms.base import formdata_from_values
from webforms.forms.sample import sample_form
from webforms.records.numbering import new_issue
from webforms.storage import write_atomically

VERSIONS_DIR = "versions"


def check_document(document: ControlledDocument, template: Path | None = None) -> list[Problem]:
    """Check the current template of ``document`` (or ``template``, a candidate revision): as a
    file, against its form (every field shown, every placeholder known), and rendered with a
    sample that fills every field and every row group."""
    template = Path(template or document.template)
    problems = check_template(template)
    if not template_is_declared(document, template):
        problems.append(Problem(template.name, _("archivo"), "", _(
            "El archivo cambió después de registrarse su versión %(version)d. Registre los "
            "cambios como una nueva versión.", version=document.version)))
    if problems:
        return problems
    context, shown = sample_context(document)
    problems = content_problems(template, context, shown)
    return problems or rendering_problems(document, context, template)


def sample_context(document: ControlledDocument) -> tuple[dict, dict | None]:
    """The context of a fully filled sample (a handout's printed texts), and where the template
    must show each of the form's fields (None for a handout)."""
    view = CONTEXTS[document.key]
    if not view.has_form:
        return view.printed_context(DOCUMENT_LANGUAGE), None
    form = sample_form(FORMS[document.key])
    return view.context(form, DOCUMENT_LANGUAGE), view.fields_shown(form)


def rendering_problems(document, context: dict, template: Path) -> list[Problem]:
    """The sample rendered as the engine frames it: it must render and carry the frame."""
    candidate = replace(document, template=Path(template))
    try:
        rendered = render_document(candidate, context, branding(), frame_texts())
    except Exception as error:  # any template error, reported in the quality office's words
        return [Problem(template.name, _("cuerpo"), "", _(
            "No se puede generar con datos de ejemplo: %(error)s", error=error))]
    return frame_problems(template.name, Document(io.BytesIO(rendered.data)), document.code)


def template_is_declared(document: ControlledDocument, template: Path) -> bool:
    """Whether the current template is the file its version was registered with."""
    if template != document.template:
        return True
    declared = next((change.sha256 for change in document.changes
                     if change.version == document.version), "")
    return not declared or declared == template_sha256(template)


def check_all() -> dict[str, list[Problem]]:
    return {document.key: check_document(document) for document in catalogue()}


def add_version(code: str, new_template: Path, change: str, date: dt.date | None = None
                ) -> tuple[ControlledDocument | None, list[Problem]]:
    """Register ``new_template`` as the next version of the document ``code``.

    Refused (nothing is changed) when the template fails the checks. Otherwise it is copied
    under its own name (``versions/<key>/v<N>.docx``) and only then does the catalogue switch to
    it, in one atomic replacement of ``catalogue.toml``: a request sees the old version with its
    template or the new one with its template, never a mix. No earlier file is overwritten.
    """
    document = next((d for d in catalogue() if d.code == code), None)
    problems = _refusal(document, Path(new_template), code, change)
    if problems:
        return None, problems
    templates_dir = Path(current_app.config["DOC_TEMPLATES_DIR"])
    version = document.version + 1
    stored = Path(VERSIONS_DIR) / document.key / f"v{version}.docx"
    (templates_dir / stored).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(templates_dir / stored, Path(new_template).read_bytes())
    _switch_catalogue(templates_dir, document, stored, change, date or dt.date.today())
    audit.append("template_version_added", target=document.code, code=document.code,
                 document=document.key, version=version)
    return load_catalogue(templates_dir).get(document.key), []


def _refusal(document, new_template: Path, code: str, change: str) -> list[Problem]:
    if document is None:
        return [Problem(new_template.name, _("archivo"), code, _(
            "No hay ningún documento con el código %(code)s.", code=code))]
    if not change.strip():
        return [Problem(new_template.name, _("archivo"), "", _(
            "Describa el cambio de la nueva versión."))]
    return check_document(document, new_template)


def _switch_catalogue(templates_dir: Path, document: ControlledDocument, stored: Path,
                      change: str, date: dt.date) -> None:
    """Point the catalogue entry at the new version's file; the old file stays as it is, named
    in the change history so documents issued under it can be reproduced."""
    catalogue_path = templates_dir / CATALOGUE_FILE
    text = tomlkit.parse(catalogue_path.read_text(encoding="utf-8"))
    entry = text["documents"][document.key]
    for previous in entry["changes"]:
        if previous["version"] == document.version:
            previous["template"] = entry["template"]
            previous["sha256"] = template_sha256(document.template)
    entry.update({"version": document.version + 1, "issued": date,
                  "template": stored.as_posix()})
    new_change = tomlkit.table()
    new_change.update({"date": date, "version": document.version + 1, "description": change,
                       "sha256": template_sha256(templates_dir / stored),
                       "frame": FRAME_REVISION})
    entry["changes"].append(new_change)
    write_atomically(catalogue_path, tomlkit.dumps(text).encode("utf-8"))


class ReproductionError(ValueError):
    """The document cannot be reproduced exactly (no record, or its template is not kept)."""


def reproduce(data: bytes) -> RenderedDocument:
    """Render an issued document again, from its embedded record, with the template version and
    the number, date and language it was issued with (no new number is allocated)."""
    try:
        record = read_embedded_data(data)
    except EmbeddedDataError as exc:
        raise ReproductionError(_("El archivo no contiene los datos de un documento emitido por "
                                  "esta aplicación.")) from exc
    key = record.get("document")
    document = catalogue().get(key) if isinstance(key, str) else None
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
    issue = new_issue(record["number"], dt.datetime.fromisoformat(record["issued_at"]), version,
                      record["template_sha256"])
    data = record.get("data")
    data = CONTEXTS[document.key].restore(data) if isinstance(data, dict) else None
    if data is None or empty_form(document.key).record_problems(data):
        raise ReproductionError(_("Los datos del documento están dañados."))
    form = FORMS[document.key](formdata=formdata_from_values(data), meta={"csrf": False})
    language = record.get("language", DOCUMENT_LANGUAGE)
    rendered = render_filled(document, form, issue, language)
    audit.append("document_reproduced", target=issue.number, number=issue.number,
                 document=document.key, version=version, language=language)
    return rendered
