"""The compiled engine writes the same documents as plain docxtpl with the same steps.

The reference below is what the engine did before it compiled anything: ``DocxTemplate`` rendered
with the project's environment, then the controlled frame, the change history, the core
properties and the record, with python-docx. Every template of the catalogue is rendered both ways
with filled samples of its form (typical, at the input limits, in Spanish and English), its blank
context and, for handouts, their texts; the documents must read the same (see
``test_engine_compare``) and, member by member, hold the same XML.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import zipfile

import pytest
from docxtpl import DocxTemplate
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2.exceptions import UndefinedError

from tests.factories import filled_formdata, tiny_png
from tests.readings import differences, reading_of
from webforms.catalogue import load_catalogue
from webforms.common.catalogue import catalogue
from webforms.common.rendering import branding, frame_texts
from webforms.config import Config
from webforms.documents import engine
from webforms.documents.contexts import CONTEXTS
from webforms.documents.controlled import append_change_history, apply_controlled_frame, fill_core_properties
from webforms.documents.embedded_data import embed_data
from webforms.documents.engine import Branding, Issue, render_document
from webforms.documents.environment import document_environment
from webforms.extensions import FORMAT_VARIANTS
from webforms.forms import FORMS

ISSUE = Issue(number="F1.G34.P-2026-000042", issued_at=dt.datetime(2026, 11, 20, 9, 30,
                                                                       tzinfo=dt.timezone.utc),
              version=1, template_sha256="0123456789abcdef" * 4)
SAMPLES = ("typical", "at-limits", "blank")


def reference_render(document, context, branding, texts, *, language, issue, embedded,
                     gettext) -> bytes:
    """Plain docxtpl and the frame, embedded data and property steps, one after the other."""
    version = issue.version if issue else document.version
    generated_at = issue.issued_at if issue else ISSUE.issued_at
    template = DocxTemplate(document.template_for(version))
    template.render({**context, "_": gettext}, jinja_env=document_environment())
    apply_controlled_frame(template.docx, document, branding.organization, branding.logo, texts,
                           version=version, issue_line=texts.issue_line(issue) if issue else None)
    if any(texts.change_history):
        append_change_history(template.docx, document, texts, version)
    fill_core_properties(template.docx.core_properties, document, branding.organization,
                         generated_at, language, version=version, issue=issue)
    if embedded is not None:
        embed_data(template.docx, {"document": document.key, "code": document.code,
                                   "version": version, "language": language, "data": embedded,
                                   **({"number": issue.number, "revision": issue.revision,
                                       "issued_at": issue.issued_at.isoformat(),
                                       "template_sha256": issue.template_sha256}
                                      if issue else {})})
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def sample(key: str, kind: str, language: str) -> tuple[dict, dict | None]:
    """(context, record) of a form sample, or a handout's texts (no record)."""
    document_context = CONTEXTS[key]
    if not document_context.has_form or kind == "blank":
        return document_context.printed_context(language), None
    form_class = FORMS[key]
    form = form_class(formdata=filled_formdata(form_class, kind == "at-limits"),
                      meta={"csrf": False})
    assert form.validate(), form.errors
    return (document_context.context(form, FORMAT_VARIANTS.get(language, language)),
            document_context.embedded_data(form))


def both(document, context, record, branding, language, issue=ISSUE, texts=None):
    """The document rendered by the engine and by the reference, with the same inputs."""
    texts = texts or frame_texts()
    options = {"language": language, "issue": issue, "embedded": record, "gettext": _}
    rendered = render_document(document, context, branding, texts,
                               generated_at=ISSUE.issued_at, **options)
    return rendered.data, reference_render(document, context, branding, texts, **options)


def assert_same(data: bytes, reference: bytes) -> None:
    reading, reference_reading = reading_of(data), reading_of(reference)
    assert reading == reference_reading, differences(reading, reference_reading)
    with zipfile.ZipFile(io.BytesIO(data)) as ours, zipfile.ZipFile(io.BytesIO(reference)) as theirs:
        for name in theirs.namelist():
            assert ours.read(name) == theirs.read(name), name


@pytest.fixture
def compiled_only(monkeypatch):
    """Fail if the engine hands a render to docxtpl: these must take the compiled path."""
    def refuse(job):
        raise AssertionError("rendered by docxtpl, not compiled")
    monkeypatch.setattr(engine, "_render_with_docxtpl", refuse)


def catalogue_cases():
    keys = [document.key for document in load_catalogue(Config.DOC_TEMPLATES_DIR)]
    return [(key, kind, language) for key in keys for language in ("es", "en")
            for kind in (SAMPLES if key in FORMS else ("texts",))]


@pytest.mark.parametrize(("key", "kind", "language"), catalogue_cases())
def test_every_template_renders_the_same_as_plain_docxtpl(document_app, compiled_only, key, kind,
                                                          language):
    with document_app.test_request_context(), force_locale(language):
        document = catalogue().get(key).localized(language)
        context, record = sample(key, kind, language)
        issue = None if kind == "blank" else ISSUE
        data, reference = both(document, context, record, branding(), language, issue)
    assert_same(data, reference)


def test_logo_and_organisation_frame_the_same(document_app, compiled_only, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())
    with document_app.test_request_context(), force_locale("es"):
        document = catalogue().get("registro_reunion")
        context, record = sample("registro_reunion", "typical", "es")
        branding = Branding("Oficina Regional Norte", logo)
        data, reference = both(document, context, record, branding, "es")
    assert_same(data, reference)
    assert any(name.startswith("word/media/") for name in reading_of(data)["members"])


def test_each_copy_gets_its_own_number_date_and_record(document_app):
    with document_app.test_request_context(), force_locale("es"):
        document = catalogue().get("tdr_gestor_casos")
        context, record = sample("tdr_gestor_casos", "typical", "es")
        later = dataclasses.replace(ISSUE, number="F2.G34.P-2026-000043",
                                    issued_at=ISSUE.issued_at + dt.timedelta(days=1))
        first, _first_reference = both(document, context, record, branding(), "es",
                                       ISSUE)
        second, reference = both(document, context, record, branding(), "es", later)
    assert_same(second, reference)
    readings = reading_of(first), reading_of(second)
    assert readings[0]["properties"]["identifier"] == ISSUE.number
    assert readings[1]["properties"]["identifier"] == later.number
    assert readings[1]["record"]["number"] == later.number
    assert later.number in str(readings[1]["sections"]) and ISSUE.number not in str(readings[1])


def test_an_issue_line_with_a_line_break_is_framed_as_python_docx_frames_it(document_app):
    with document_app.test_request_context(), force_locale("es"):
        document = catalogue().get("mesa_interna")
        context, record = sample("mesa_interna", "typical", "es")
        texts = dataclasses.replace(frame_texts(),
                                    issue_line=lambda issue: f"N.º {issue.number}\nsegunda\tlínea")
        data, reference = both(document, context, record, branding(), "es", texts=texts)
    assert_same(data, reference)


def test_a_new_template_on_disk_is_compiled_again(document_app, compiled_only, tmp_path):
    template = tmp_path / "template.docx"
    with document_app.test_request_context(), force_locale("es"):
        entries = catalogue()
        registro, tdr = entries.get("registro_reunion"), entries.get("tdr_gestor_casos")
        context, record = sample("tdr_gestor_casos", "typical", "es")
        document = dataclasses.replace(tdr, template=template)
        shutil.copyfile(registro.template, template)
        with pytest.raises(UndefinedError):  # Registro's fields are not in a ToR's context
            render_document(document, context, branding(), frame_texts())
        shutil.copyfile(tdr.template, template)
        data, reference = both(document, context, record, branding(), "es")
    assert_same(data, reference)
