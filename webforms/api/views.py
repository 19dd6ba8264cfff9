"""The API's operations under /api/v1 (flask-smorest blueprints): records, documents,
verification, a team's figures, batches. Each declares its scope (api.auth.scoped), is described
in the OpenAPI document with every answer it may give (api.spec.documented), and answers its
errors as problems (api.problems). Who may reach what is the pages' rule, for the token's
account: a record the account may not read answers 404, like one that does not exist."""
from __future__ import annotations

from http import HTTPStatus

from flask import current_app, g, url_for
from flask_babel import gettext as _
from flask_security import current_user
from flask_smorest import Blueprint

from webforms.api import schemas, service
from webforms.api.auth import rate_key, rate_limit, scoped
from webforms.api.problems import API_PREFIX, problem
from webforms.api.spec import documented
from webforms.api.tokens import as_utc, grants
from webforms.audit import trail as audit
from webforms.common.codes import check_code
from webforms.common.faults import ServiceUnavailable
from webforms.extensions import limiter
from webforms.jobs import service as jobs
from webforms.jobs.pdf import PDF_MIMETYPE, pdf_job
from webforms.records import issued_copies
from webforms.records import saved as saved_records
from webforms.web.helpers import attachment

records = Blueprint("records_api", __name__, url_prefix=f"{API_PREFIX}/records",
                    description="Registros: datos generales, contenido y copias emitidas.")
documents = Blueprint("documents_api", __name__, url_prefix=f"{API_PREFIX}/documents",
                      description="Emitir un documento desde JSON.")
BLUEPRINTS = [records, documents]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def refused(error: service.Refused):
    return problem(error.status, error.detail, kind=error.kind, **error.extra)


def meta_of(record) -> dict:
    """A record's metadata: what its list shows, never its content."""
    return {"id": record.id, "document_key": record.document_key, "number": record.number,
            "revision": record.revision, "status": record.status,
            "team": {"id": record.team.id, "name": record.team.name},
            "record_date": record.record_date, "created_at": as_utc(record.created_at),
            "updated_at": as_utc(record.updated_at),
            "issued_at": as_utc(record.issued_at) if record.issued_at else None}


def readable(record_id: int):
    """The record if the token's account may read it; else None (audited, as on the pages)."""
    return saved_records.find_record(record_id, current_user)


def NOT_FOUND() -> str:  # noqa: N802  (a message, translated when sent)
    return _("No existe, o su token no da acceso a ello.")


@records.route("/")
@scoped("records:read-meta")
@records.arguments(schemas.RecordsQuery, location="query")
@records.response(200, schemas.RecordPage)
@documented(records, "records:read-meta", 422)
def list_records(args):
    """The records the token's account may read (metadata), last changed first, 25 a page."""
    page = service.listing(current_user, args)
    return {"items": [meta_of(record) for record in page.items], "total": page.total,
            "page": page.page, "pages": page.pages, "per_page": page.per_page}


@records.route("/<int:record_id>")
@scoped("records:read-meta")
@records.response(200, schemas.RecordDetail)
@documented(records, "records:read-meta", 404)
def read_record(record_id: int):
    """One record: its metadata and revisions; its content only for a token holding
    records:read."""
    record = readable(record_id)
    if record is None:
        return problem(HTTPStatus.NOT_FOUND, NOT_FOUND())
    content = service.content_of(record) if grants_content() else None
    if content is not None:
        audit.append("record_viewed", target=record.id, document=record.document_key,
                     number=record.number)
    return meta_of(record) | {
        "revisions": [revision_of(kept) for kept in service.revisions(record)],
        "content_included": content is not None, "content": content}


def grants_content() -> bool:
    return grants(g.api_token, "records:read")


def revision_of(kept) -> dict:
    return {"revision": kept.revision, "number": kept.number, "issued_at": kept.issued_at,
            "template_version": kept.template_version, "file_sha256": kept.file_sha256}


@records.route("/<int:record_id>/document.docx")
@scoped("records:read")
@records.arguments(schemas.CopyQuery, location="query")
@records.response(200, content_type=DOCX_TYPE, description="The Word copy as issued.")
@documented(records, "records:read", 404, 409, 410, 422)
def download_docx(args, record_id: int):
    """The issued Word copy (the latest revision, or ``revision``): the very bytes issued."""
    found = copy_of(record_id, args.get("revision"), "docx")
    if not isinstance(found, tuple):
        return found
    _record, rendered = found
    return attachment(rendered.data, rendered.mimetype, rendered.filename)


@records.route("/<int:record_id>/document.pdf")
@scoped("records:read")
@records.arguments(schemas.CopyQuery, location="query")
@records.response(200, content_type="application/pdf", description="The PDF copy.")
@records.alt_response(202, schema=schemas.PdfPending, description="The PDF is being made.",
                      success=True)
@documented(records, "records:read", 404, 409, 410, 422, 503)
def download_pdf(args, record_id: int):
    """The PDF of the issued copy: as first made, or made now by the job queue (202 until it
    is ready: ask again)."""
    found = copy_of(record_id, args.get("revision"), "pdf")
    if not isinstance(found, tuple):
        return found
    record, rendered = found
    kept = issued_copies.find(record.id, rendered.issue.revision, issued_copies.PDF)
    if kept is not None:
        try:
            return attachment(issued_copies.opened(kept), PDF_MIMETYPE, kept.name)
        except issued_copies.CopyGone:
            return problem(HTTPStatus.GONE, _("El contenido de este registro se depuró."))
    return pdf_answer(pdf_job(rendered, current_user, record))


def pdf_answer(job):
    """The job's PDF when made; 202 while it is being made; 503 when it could not be."""
    if job.state == jobs.DONE:
        return attachment(jobs.result(job), job.result_mimetype, job.result_name)
    if job.state == jobs.FAILED:
        return problem(HTTPStatus.SERVICE_UNAVAILABLE, _(
            "No se pudo generar el PDF en este momento. Descargue el documento en Word."))
    return {"state": job.state, "detail": _("El PDF se está generando: vuelva a pedirlo en "
                                            "unos segundos.")}, HTTPStatus.ACCEPTED, \
        {"Retry-After": "5"}


def copy_of(record_id: int, revision: int | None, extension: str):
    """(record, the issued copy) or the problem that answers instead; audited as on the pages."""
    record = readable(record_id)
    if record is None:
        return problem(HTTPStatus.NOT_FOUND, NOT_FOUND())
    try:
        rendered = saved_records.issued_copy(record, revision)
    except LookupError:
        return problem(HTTPStatus.NOT_FOUND, _("Este registro no tiene esa revisión emitida."))
    except saved_records.RecordUnavailable:
        return problem(HTTPStatus.GONE, _("El contenido de este registro se depuró."))
    except saved_records.CopyMismatch:
        current_app.logger.exception("record %s: the copy differs from the one issued", record.id)
        return problem(HTTPStatus.CONFLICT, _("La copia no coincide con la emitida."))
    audit.append("record_downloaded", target=record.id, document=record.document_key,
                 number=record.number, revision=rendered.issue.revision, format=extension)
    return record, rendered


@documents.route("/", methods=["POST"])
@scoped("records:issue")
@documents.arguments(schemas.IssueRequest)
@documents.response(201, schemas.Issued)
@documented(documents, "records:issue", 404, 422, 503)
def issue_document(sent):
    """Issue a document from JSON, checked as its page checks it. Warnings must be named in
    ``acknowledge_warnings``; a refused request takes no number."""
    try:
        record, rendered = service.issue(service.Issuing(**sent), current_user)
    except service.Refused as error:
        return refused(error)
    except ServiceUnavailable:
        current_app.logger.exception("issuing %s through the API failed", sent.get("form"))
        return problem(HTTPStatus.SERVICE_UNAVAILABLE, _(
            "El documento no se pudo generar en este momento; no se usó ningún número. "
            "Inténtelo de nuevo en unos minutos."))
    link = url_for("records_api.download_docx", record_id=record.id)
    return meta_of(record) | {"check_code": check_code(rendered.issue.number), "docx": link}, \
        HTTPStatus.CREATED, {"Location": url_for("records_api.read_record", record_id=record.id)}


for blueprint in BLUEPRINTS:
    limiter.limit(rate_limit, key_func=rate_key)(blueprint)

