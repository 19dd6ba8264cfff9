"""The trainers' pack: every blank template and every handout, in Word and PDF.

Files are produced from the current templates and cached on disk under a key made of everything
that shapes them (template bytes, catalogue entry, organization), so a new version or a new logo
produces new files and unchanged ones are not converted again. PDFs are converted by the job
consumer (the pack is a job), by the warm converter or in one LibreOffice run for the whole pack.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from webforms.catalogue import ControlledDocument
from webforms.common.catalogue import catalogue_for_pages
from webforms.common.rendering import branding, render_blank
from webforms.documents.contexts import CONTEXTS
from webforms.documents.engine import download_name, template_sha256
from webforms.documents.pdf import PdfUnavailable, pdf_available, to_pdfs
from webforms.jobs import service as jobs
from webforms.storage import MaterialCache
from webforms.storage.models import Job


@dataclass(frozen=True)
class Material:
    document: ControlledDocument
    docx: Path
    pdf: Path | None
    language: str = "es"

    @property
    def is_blank_form(self) -> bool:
        return CONTEXTS[self.document.key].has_form

    @property
    def filename(self) -> str:
        return _download_stem(self.document, self.language) + ".docx"


def printable_documents() -> list[ControlledDocument]:
    return [d for d in catalogue_for_pages() if d.is_current and d.key in CONTEXTS]


def materials(with_pdf: bool = True, language: str = "es") -> list[Material]:
    """Every printable document in ``language``, rendered (and converted) once per content."""
    cache = material_cache()
    items = []
    brand = branding()
    for document in printable_documents():
        stem = f"{document.key}-{language}-v{document.version}-{_content_key(document, brand)}"
        docx = cache.path(stem, "docx")
        if not docx.exists():
            cache.keep(docx, render_blank(document, language).data)
        items.append((document, docx, cache.path(stem, "pdf")))
    if with_pdf and pdf_available():
        _convert_missing(cache, [(docx, pdf) for _, docx, pdf in items])
    return [Material(document, docx, pdf if pdf.exists() else None, language)
            for document, docx, pdf in items]


def material(key: str, with_pdf: bool, language: str = "es") -> Material | None:
    return next((item for item in materials(with_pdf, language) if item.document.key == key),
                None)


def pack(language: str = "es") -> bytes:
    """One ZIP with every blank template and every handout, in Word and (when possible) PDF."""
    buffer = io.BytesIO()
    with force_locale(language):
        folders = {True: _("Plantillas en blanco"), False: _("Material de formación")}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in materials(language=language):
            folder = folders[item.is_blank_form]
            stem = _download_stem(item.document, language)
            archive.write(item.docx, f"{folder}/{stem}.docx")
            if item.pdf:
                archive.write(item.pdf, f"{folder}/{stem}.pdf")
    return buffer.getvalue()


def pack_job(language: str, name: str, owner) -> Job:
    """The job making the pack (its PDFs may need converting), waited for briefly; the same pack
    of the same templates is made once."""
    stems = [item.docx.name for item in materials(with_pdf=False, language=language)]
    return jobs.requested("pack", language.encode(), owner=owner, label=name,
                          dedupe=jobs.dedupe_key("pack", owner, *stems))


def make_pack(job: Job) -> None:
    """The consumer's side: the pack in the job's language."""
    jobs.finish(job, pack(jobs.payload(job).decode()), job.label, "application/zip")


def material_cache() -> MaterialCache:
    return MaterialCache(Path(current_app.config["OUTPUT_DIR"]))


def _convert_missing(cache: MaterialCache, pairs) -> None:
    missing = {docx.name: (docx, pdf) for docx, pdf in pairs if not pdf.exists()}
    if not missing:
        return
    try:
        converted = to_pdfs({name: docx.read_bytes() for name, (docx, _pdf) in missing.items()},
                            current_app.config["PDF_TIMEOUT"], current_app.config["CONVERTERS"])
    except PdfUnavailable:
        current_app.logger.exception("PDF conversion of the trainers' pack failed")
        return
    for name, (_docx, pdf) in missing.items():
        cache.keep(pdf, converted[str(Path(name).with_suffix(".pdf"))])


def _content_key(document: ControlledDocument, brand) -> str:
    """Everything that shapes the printed file: template, catalogue entry, organization, logo."""
    digest = hashlib.sha256(template_sha256(document.template).encode())
    digest.update(repr(document).encode())
    digest.update(brand.organization.encode())
    if brand.logo and Path(brand.logo).is_file():
        digest.update(Path(brand.logo).read_bytes())
    return digest.hexdigest()[:16]


def _download_stem(document: ControlledDocument, language: str) -> str:
    with force_locale(language):
        label = _("en blanco") if CONTEXTS[document.key].has_form else ""
        return download_name(document.localized(language), None, label).removesuffix(".docx")
