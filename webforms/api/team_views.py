"""The API's operations beyond one record: verifying a number with its check code, a team's
dashboard figures, and batches (started from JSON rows or a spreadsheet, then followed). Same
rules as their pages: the dashboard for supervisors and coordinators of teams they read, a batch
for the roles that fill its form and the members of its team."""
from __future__ import annotations

from http import HTTPStatus

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_security import current_user
from flask_smorest import Blueprint

from webforms.api import schemas, service
from webforms.api.auth import rate_key, rate_limit, scoped
from webforms.api.problems import API_PREFIX, problem
from webforms.api.spec import documented
from webforms.api.tokens import as_utc
from webforms.audit import trail as audit
from webforms.batch import rows as batch_rows
from webforms.batch.service import result_zip
from webforms.control import verification
from webforms.dashboard import service as dashboard
from webforms.dashboard import wording
from webforms.dashboard.views import ROLES as DASHBOARD_ROLES
from webforms.extensions import limiter
from webforms.forms import FORMS
from webforms.jobs import service as jobs
from webforms.records.need_to_know import readable_team_ids
from webforms.web.access import holds_one
from webforms.web.helpers import streamed_attachment

verify = Blueprint("verification_api", __name__, url_prefix=f"{API_PREFIX}/verification",
                   description="Verificar un número con su código de verificación.")
figures = Blueprint("dashboard_api", __name__, url_prefix=f"{API_PREFIX}/dashboard",
                    description="Las cifras del panel de un equipo.")
batches = Blueprint("batches_api", __name__, url_prefix=f"{API_PREFIX}/batches",
                    description="Lotes: iniciarlos desde filas JSON o una hoja, y seguirlos.")
BLUEPRINTS = [verify, figures, batches]


@verify.route("/")
@scoped("verify")
@verify.arguments(schemas.VerifyQuery, location="query")
@verify.response(200, schemas.Verified)
@documented(verify, "verify", 404, 422)
def verify_number(args):
    """Which template version produced a number's copies and when, and whether it is annulled;
    nothing of its content. 404 unless the number and its check code match."""
    found = verification.verify(" ".join(args["number"].split()).upper(), args["code"])
    if found is None:
        return problem(HTTPStatus.NOT_FOUND, _("El número y el código no corresponden a ningún "
                                               "documento emitido."))
    return {"number": found.number, "document_key": found.document_key, "typed": found.typed,
            "latest_revision": found.latest.revision, "annulled": found.annulled,
            "revisions": [{"revision": item.revision, "issued_at": as_utc(item.issued_at),
                           "template_version": item.template_version}
                          for item in found.revisions]}


@figures.route("/<int:team_id>")
@scoped("dashboard:read")
@figures.arguments(schemas.DashboardQuery, location="query")
@figures.response(200, schemas.Figures)
@documented(figures, "dashboard:read", 404, 422)
def team_figures(args, team_id: int):
    """A team's dashboard figures over ``months`` (12 by default): rhythms, actions by role and
    state, caseload. For supervisors and coordinators of the teams they read."""
    if not holds_one(current_user, DASHBOARD_ROLES):
        return problem(HTTPStatus.FORBIDDEN, _("El panel es de supervisores y coordinadores."))
    team = dashboard.team(team_id) if team_id in readable_team_ids(current_user) else None
    if team is None:
        return problem(HTTPStatus.NOT_FOUND, _("No existe, o su token no da acceso a ello."))
    board = dashboard.build(team, current_user, args.get("months") or dashboard.DEFAULT_MONTHS)
    audit.append("dashboard_viewed", target=team.id, months=board.months,
                 records=board.records_read)
    return {"team": {"id": team.id, "name": team.name}, "months": board.months,
            "start": board.start, "today": board.today, "records_read": board.records_read,
            "rhythms": [rhythm_of(rhythm) for rhythm in [*board.rhythms, *board.workers]],
            "actions": board.actions_summary(),
            "caseload": [caseload_of(point) for point in board.caseload]}


def rhythm_of(rhythm) -> dict:
    return {"rhythm": wording.rhythm_name(rhythm), "worker": rhythm.subject,
            "times": len(rhythm.dates), "last": rhythm.last, "broken": rhythm.broken,
            "due": rhythm.due, "overdue_days": rhythm.overdue}


def caseload_of(point) -> dict:
    values = list(point.values) + [None] * 3
    return {"day": point.day, "open_cases": values[0], "high_risk": values[1],
            "medium_risk": values[2]}


@batches.route("/<form>", methods=["POST"])
@scoped("batch:write")
@batches.arguments(schemas.BatchRowsRequest)
@batches.response(202, schemas.BatchStatus)
@documented(batches, "batch:write", 404, 422)
def start_from_rows(sent, form: str):
    """Start a batch of ``form`` from JSON rows ({column header: value}, the headers of the
    form's spreadsheet), checked as an uploaded spreadsheet is."""
    rows = sent.pop("rows")
    return started(service.BatchRequest(form=form, filename="api.csv",
                                        data=service.rows_as_csv(rows), **sent))


@batches.route("/<form>/spreadsheet", methods=["POST"])
@scoped("batch:write")
@batches.arguments(schemas.BatchOptions, location="query")
@batches.arguments(schemas.BatchUpload, location="files")
@batches.response(202, schemas.BatchStatus)
@documented(batches, "batch:write", 404, 413, 422)
def start_from_spreadsheet(options, upload, form: str):
    """Start a batch of ``form`` from an uploaded .xlsx or .csv (``spreadsheet``)."""
    spreadsheet = upload["spreadsheet"]
    return started(service.BatchRequest(form=form, filename=spreadsheet.filename or "api.csv",
                                        data=spreadsheet.read(), **options))


def started(sent: service.BatchRequest):
    try:
        job = service.start(sent, current_user, locale(), current_app.config["BATCH_MAX_ROWS"])
    except service.Refused as error:
        return problem(error.status, error.detail, kind=error.kind, **error.extra)
    return status_of(job), HTTPStatus.ACCEPTED, {
        "Location": url_for("batches_api.follow", job_id=job.id)}


@batches.route("/jobs/<job_id>")
@scoped("batch:write")
@batches.response(200, schemas.BatchStatus)
@documented(batches, "batch:write", 404)
def follow(job_id: str):
    """A batch's state, progress, each row's outcome once done, and its ZIP's link."""
    job = own_batch(job_id)
    return problem(HTTPStatus.NOT_FOUND, _("No existe, o su token no da acceso a ello.")) \
        if job is None else status_of(job)


@batches.route("/jobs/<job_id>/result")
@scoped("batch:write")
@batches.response(200, content_type="application/zip", description="The batch's ZIP.")
@documented(batches, "batch:write", 404)
def result(job_id: str):
    """The ZIP of a finished batch: its documents and its report."""
    job = own_batch(job_id)
    if job is None or job.state != jobs.DONE:
        return problem(HTTPStatus.NOT_FOUND, _("No existe, aún no terminó, o su token no da "
                                               "acceso a ello."))
    audit.append("batch_downloaded", target=job.id, document=job.document_key)
    return streamed_attachment(result_zip(job), "application/zip", f"{job.id}.zip")


def own_batch(job_id: str):
    job = jobs.find(job_id) if len(job_id) <= 32 else None
    if job is None or job.kind != "batch" or not batch_rows.may_open(job, current_user) \
            or not holds_one(current_user, FORMS[job.document_key].roles):
        return None
    return job


def status_of(job) -> dict:
    rows = batch_rows.rows_of(job.id) if job.state == jobs.DONE else []
    return {"id": job.id, "document_key": job.document_key, "state": job.state,
            "done": job.done, "total": job.total, "error": job.error,
            "rows": [{"row": row.row, "outcome": row.outcome, "record_id": row.record_id,
                      "number": row.number, "revision": row.revision} for row in rows],
            "result": url_for("batches_api.result", job_id=job.id)
            if job.state == jobs.DONE else None}


def locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


for blueprint in BLUEPRINTS:
    limiter.limit(rate_limit, key_func=rate_key)(blueprint)
