"""What the API reads and answers (marshmallow), as its OpenAPI document describes it."""
from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import validate

from webforms.batch import rows as batch_rows
from webforms.records.queries import EARLIEST_YEAR, LATEST_YEAR, STATUS_LABELS

MAX_ROWS_SENT = 5_000
# The dates a record may carry (records.queries): beyond them a filter would overflow.
DATES = validate.Range(min=dt.date(EARLIEST_YEAR, 1, 1), max=dt.date(LATEST_YEAR, 12, 31))
ID = validate.Range(min=1, max=2**31 - 1)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class RecordsQuery(Strict):
    form = ma.fields.String(validate=validate.Length(max=80))
    status = ma.fields.String(validate=validate.OneOf(list(STATUS_LABELS)))
    start = ma.fields.Date(validate=DATES, metadata={
        "description": "The record's date from (YYYY-MM-DD)."})
    end = ma.fields.Date(validate=DATES)
    number = ma.fields.String(validate=validate.Length(max=60))
    page = ma.fields.Integer(validate=validate.Range(min=1, max=1_000_000))


class TeamRef(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class RecordMeta(ma.Schema):
    id = ma.fields.Integer(required=True)
    form = ma.fields.String(required=True, attribute="document_key")
    number = ma.fields.String(allow_none=True, required=True)
    revision = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    team = ma.fields.Nested(TeamRef, required=True)
    record_date = ma.fields.Date(allow_none=True, required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    issued_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class RecordPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RecordMeta), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)


class RevisionMeta(ma.Schema):
    revision = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True)
    issued_at = ma.fields.String(required=True)
    template_version = ma.fields.Integer(required=True)
    file_sha256 = ma.fields.String(required=True)


class RecordDetail(RecordMeta):
    revisions = ma.fields.List(ma.fields.Nested(RevisionMeta), required=True)
    content_included = ma.fields.Boolean(required=True, metadata={
        "description": "Whether ``content`` is given: the token holds records:read and the "
                       "content was not purged."})
    content = ma.fields.Dict(allow_none=True, required=True)


class CopyQuery(Strict):
    revision = ma.fields.Integer(validate=ID)


class IssueRequest(Strict):
    form = ma.fields.String(required=True, validate=validate.Length(min=1, max=80))
    values = ma.fields.Dict(keys=ma.fields.String(), required=True)
    team = ma.fields.Integer(validate=ID, allow_none=True)
    document_language = ma.fields.String(validate=validate.Length(max=8), allow_none=True)
    acknowledge_warnings = ma.fields.List(ma.fields.String(validate=validate.Length(max=200)),
                                          validate=validate.Length(max=200))


class Issued(RecordMeta):
    check_code = ma.fields.String(required=True)
    docx = ma.fields.String(required=True, metadata={"description": "The Word copy's URL."})


class VerifyQuery(Strict):
    number = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=20))


class VerifiedRevision(ma.Schema):
    revision = ma.fields.Integer(required=True)
    issued_at = ma.fields.AwareDateTime(required=True)
    template_version = ma.fields.Integer(required=True)


class Verified(ma.Schema):
    number = ma.fields.String(required=True)
    form = ma.fields.String(required=True, attribute="document_key")
    revision = ma.fields.Integer(required=True, attribute="typed")
    latest_revision = ma.fields.Integer(required=True)
    annulled = ma.fields.Boolean(required=True)
    revisions = ma.fields.List(ma.fields.Nested(VerifiedRevision), required=True)


class DashboardQuery(Strict):
    months = ma.fields.Integer(validate=validate.OneOf([3, 6, 12, 24, 60]))


class RhythmFigures(ma.Schema):
    rhythm = ma.fields.String(required=True)
    worker = ma.fields.Integer(allow_none=True, required=True)
    times = ma.fields.Integer(required=True)
    last = ma.fields.Date(allow_none=True, required=True)
    broken = ma.fields.Integer(required=True)
    due = ma.fields.Date(allow_none=True, required=True)
    overdue_days = ma.fields.Integer(required=True)


class CaseloadPoint(ma.Schema):
    day = ma.fields.Date(required=True)
    open_cases = ma.fields.Integer(allow_none=True, required=True)
    high_risk = ma.fields.Integer(allow_none=True, required=True)
    medium_risk = ma.fields.Integer(allow_none=True, required=True)


class Figures(ma.Schema):
    team = ma.fields.Nested(TeamRef, required=True)
    months = ma.fields.Integer(required=True)
    start = ma.fields.Date(required=True)
    today = ma.fields.Date(required=True)
    records_read = ma.fields.Integer(required=True)
    rhythms = ma.fields.List(ma.fields.Nested(RhythmFigures), required=True)
    actions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer()), required=True)
    caseload = ma.fields.List(ma.fields.Nested(CaseloadPoint), required=True)


class BatchOptions(Strict):
    team = ma.fields.Integer(validate=ID, allow_none=True)
    output = ma.fields.String(validate=validate.OneOf(batch_rows.OUTPUTS), load_default="docx")
    duplicates = ma.fields.String(validate=validate.OneOf((batch_rows.SKIP, batch_rows.REVISE)),
                                  load_default=batch_rows.SKIP)
    valid_rows_only = ma.fields.Boolean(load_default=False)


class BatchRowsRequest(BatchOptions):
    rows = ma.fields.List(ma.fields.Dict(keys=ma.fields.String()), required=True,
                          validate=validate.Length(min=1, max=MAX_ROWS_SENT), metadata={
                              "description": "One object per row: {column header: value}, the "
                                             "headers of the form's spreadsheet."})


class BatchUpload(ma.Schema):
    spreadsheet = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class BatchRowOutcome(ma.Schema):
    row = ma.fields.Integer(required=True)
    outcome = ma.fields.String(required=True)
    record_id = ma.fields.Integer(allow_none=True, required=True)
    number = ma.fields.String(allow_none=True, required=True)
    revision = ma.fields.Integer(allow_none=True, required=True)


class BatchStatus(ma.Schema):
    id = ma.fields.String(required=True)
    form = ma.fields.String(required=True, attribute="document_key")
    state = ma.fields.String(required=True)
    done = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    error = ma.fields.String(allow_none=True, required=True)
    rows = ma.fields.List(ma.fields.Nested(BatchRowOutcome), required=True)
    result = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "The ZIP's URL once the batch is done."})


class PdfPending(ma.Schema):
    state = ma.fields.String(required=True)
    detail = ma.fields.String(required=True)
