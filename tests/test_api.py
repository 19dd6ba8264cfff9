"""The API (webforms.api): tokens and scopes, the pages' need to know, problems for every error,
issuing from JSON with the form's validation and warnings, and every use in the audit trail."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER
from tests.factories import as_xlsx, issue, new_account, person
from tests.helpers import (
    api_token,
    audit_entries,
    bearer,
    body_text,
    form_values,
    issued_numbers,
    open_docx,
    valid_registro,
)
from tests.routes import API_ROUTES
from webforms.accounts import service as accounts
from webforms.api import tokens
from webforms.storage.database import db
from webforms.storage.models import ApiToken

PROBLEM = "application/problem+json"
REGISTRO = "registro_reunion"


def registro_request(app, **overrides) -> dict:
    return {"form": REGISTRO, "values": form_values(app, REGISTRO, valid_registro(**overrides))}


def test_a_token_without_records_read_gets_metadata_but_no_content(app, client):
    record_id, number = issue(app, client)
    meta_only = bearer(api_token(app, TEAM_MEMBER, ["records:read-meta"]))
    listed = app.test_client().get("/api/v1/records/", headers=meta_only)
    assert listed.status_code == 200 and "Set-Cookie" not in listed.headers
    assert [(item["id"], item["number"]) for item in listed.json["items"]] == [(record_id, number)]
    read = app.test_client().get(f"/api/v1/records/{record_id}", headers=meta_only)
    assert read.status_code == 200 and read.json["number"] == number
    assert read.json["content"] is None and read.json["content_included"] is False
    copy = app.test_client().get(f"/api/v1/records/{record_id}/document.docx", headers=meta_only)
    assert copy.status_code == 403 and copy.mimetype == PROBLEM

    full = bearer(api_token(app, TEAM_MEMBER, ["records:read"]))
    content = app.test_client().get(f"/api/v1/records/{record_id}", headers=full).json
    assert content["content_included"] is True
    assert content["content"]["supervisor_name"] == "Marta Gómez"


def test_a_token_of_team_a_gets_404_on_team_b_records(app, client):
    record_id, _number = issue(app, client)
    new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    other = bearer(api_token(app, "sur@example.org"))
    for url in (f"/api/v1/records/{record_id}", f"/api/v1/records/{record_id}/document.docx"):
        response = app.test_client().get(url, headers=other)
        assert response.status_code == 404 and response.mimetype == PROBLEM, url
        assert response.json["status"] == 404 and response.json["title"] == "Not Found"
    assert app.test_client().get("/api/v1/records/", headers=other).json["items"] == []


@pytest.mark.parametrize("spoil", ["expired", "revoked", "deactivated", "unknown", "cookie"])
def test_a_token_that_is_not_usable_is_refused_with_a_problem(app, client, spoil):
    secret = api_token(app, TEAM_MEMBER)
    with app.test_request_context():
        token = db.session.scalar(db.select(ApiToken))
        if spoil == "expired":
            token.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
        elif spoil == "revoked":
            tokens.revoke(token)
        elif spoil == "deactivated":
            accounts.set_active(token.user, False)
        db.session.commit()
    caller = client if spoil == "cookie" else app.test_client()  # signed in: no cookie counts
    headers = {} if spoil == "cookie" else bearer("wfk_not-a-token" if spoil == "unknown"
                                                 else secret)
    response = caller.get("/api/v1/records/", headers=headers)
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.json["status"] == 401 and response.json["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_every_use_of_a_token_is_audited_without_content(app, client):
    record_id, _number = issue(app, client)
    secret = api_token(app, TEAM_MEMBER)
    caller = app.test_client()
    caller.get("/api/v1/records/", headers=bearer(secret))
    caller.get(f"/api/v1/records/{record_id}", headers=bearer(secret))
    caller.get("/api/v1/records/999999", headers=bearer(secret))
    uses = audit_entries(app, "api_request")
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    assert [(entry.target, entry.details["method"], entry.details["route"],
             entry.details["status"]) for entry in uses] == [
        (str(token_id), "GET", "/api/v1/records/", 200),
        (str(token_id), "GET", "/api/v1/records/<int:record_id>", 200),
        (str(token_id), "GET", "/api/v1/records/<int:record_id>", 404)]
    viewed = audit_entries(app, "record_viewed")[-1]
    assert viewed.details["api_token"] == token_id
    assert "Marta" not in repr([entry.details for entry in uses])


def test_a_document_issued_from_json_downloads_with_what_was_sent(app):
    secret = api_token(app, TEAM_MEMBER)
    sent = registro_request(app, closing_notes="Acuerdo enviado por la API 4711.")
    issued = app.test_client().post("/api/v1/documents/", json=sent, headers=bearer(secret))
    assert issued.status_code == 201, issued.json
    assert issued.json["number"] and issued.json["check_code"]
    copy = app.test_client().get(issued.json["docx"], headers=bearer(secret))
    assert copy.status_code == 200
    text = body_text(open_docx(copy.data))
    assert "Acuerdo enviado por la API 4711." in text and "Luis Ortega" in text
    assert open_docx(copy.data).core_properties.identifier == issued.json["number"]
    verified = app.test_client().get("/api/v1/verification/", headers=bearer(secret), query_string={
        "number": issued.json["number"], "code": issued.json["check_code"]})
    assert verified.status_code == 200 and verified.json["revision"] == 1


def test_warnings_must_be_acknowledged_and_a_refusal_takes_no_number(app):
    secret = api_token(app, TEAM_MEMBER)
    sent = registro_request(app, meeting_type="regular",
                            extended_topic="Texto que el documento no mostrará.")
    before = issued_numbers(app)
    refused = app.test_client().post("/api/v1/documents/", json=sent, headers=bearer(secret))
    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    assert list(refused.json["warnings"]) == ["extended_topic"]
    assert refused.json["type"].endswith("#unacknowledged-warnings")
    assert issued_numbers(app) == before
    accepted = app.test_client().post("/api/v1/documents/", headers=bearer(secret), json=sent | {
        "acknowledge_warnings": ["extended_topic"]})
    assert accepted.status_code == 201 and issued_numbers(app) == before + 1


def test_invalid_values_are_refused_field_by_field_and_take_no_number(app):
    secret = api_token(app, TEAM_MEMBER)
    before = issued_numbers(app)
    sent = registro_request(app, meeting_date=None)
    refused = app.test_client().post("/api/v1/documents/", json=sent, headers=bearer(secret))
    assert refused.status_code == 422 and "meeting_date" in refused.json["errors"]
    unknown = app.test_client().post("/api/v1/documents/", headers=bearer(secret), json={
        "form": REGISTRO, "values": {"no_such_field": "x"}})
    assert unknown.status_code == 422 and "no_such_field" in unknown.json["errors"]
    assert issued_numbers(app) == before


def test_a_role_that_does_not_fill_the_form_is_refused(app):
    secret = api_token(app, ROLE_ACCOUNTS["formador"])
    response = app.test_client().post("/api/v1/documents/", json=registro_request(app),
                                      headers=bearer(secret))
    assert response.status_code == 403 and response.mimetype == PROBLEM


def test_every_error_under_the_api_is_a_problem(app):
    secret = bearer(api_token(app, TEAM_MEMBER))
    caller = app.test_client()
    assert caller.get("/api/v1/no-such-route", headers=secret).mimetype == PROBLEM
    wrong_method = caller.delete("/api/v1/records/", headers=secret)
    assert wrong_method.status_code == 405 and wrong_method.mimetype == PROBLEM
    bad_query = caller.get("/api/v1/records/?status=nonsense", headers=secret)
    assert bad_query.status_code == 422 and "status" in bad_query.json["errors"]
    assert caller.get("/registros/no-such-page").mimetype != PROBLEM  # pages keep their pages


def test_the_rate_limit_is_per_token(make_app):
    app = make_app(API_RATE_LIMIT="2 per minute")
    first, second = bearer(api_token(app, TEAM_MEMBER)), bearer(api_token(app, TEAM_MEMBER))
    caller = app.test_client()
    statuses = [caller.get("/api/v1/records/", headers=first).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = caller.get("/api/v1/records/", headers=first)
    assert limited.mimetype == PROBLEM and limited.json["status"] == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert caller.get("/api/v1/records/", headers=second).status_code == 200


def test_a_personal_token_is_shown_once_stored_hashed_and_revoked_by_its_user(app, client):
    page = client.post("/cuenta/tokens/", data={
        "name": "DHIS2", "scopes": ["records:read-meta"],
        "expires_on": (dt.date.today() + dt.timedelta(days=10)).isoformat()})
    assert page.status_code == 200
    secret = page.get_data(as_text=True).split('<code id="new-token">')[1].split("<")[0]
    with app.app_context():
        token = db.session.scalar(db.select(ApiToken))
        assert token.token_hash == tokens.hash_of(secret) and secret not in repr(vars(token))
    assert secret not in client.get("/cuenta/tokens/").get_data(as_text=True)
    assert app.test_client().get("/api/v1/records/", headers=bearer(secret)).status_code == 200
    client.post(f"/cuenta/tokens/{token.id}/revocar")
    assert app.test_client().get("/api/v1/records/", headers=bearer(secret)).status_code == 401


def test_an_expiry_beyond_the_maximum_is_refused(app, client):
    page = client.post("/cuenta/tokens/", data={
        "name": "x", "scopes": ["verify"],
        "expires_on": (dt.date.today() + dt.timedelta(days=400)).isoformat()})
    assert page.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken)) is None


def test_an_administrator_makes_a_service_token_that_acts_as_its_account(app):
    admin = new_account(app, "otro-admin@example.org", ("admin",), "Equipo Norte")
    service = new_account(app, "dhis2@example.org", ("supervisor",), "Equipo Norte")
    with app.app_context():
        account_id = accounts.security.datastore.find_user(email="dhis2@example.org").id
    page = admin.post("/administracion/tokens/", data={
        "account": account_id, "name": "DHIS2", "scopes": ["dashboard:read"],
        "expires_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()})
    assert page.status_code == 200, page.get_data(as_text=True)[-1500:]
    secret = page.get_data(as_text=True).split('<code id="new-token">')[1].split("<")[0]
    with app.app_context():
        team_id = accounts.security.datastore.find_user(email="dhis2@example.org").teams[0].id
    figures = app.test_client().get(f"/api/v1/dashboard/{team_id}", headers=bearer(secret))
    assert figures.status_code == 200 and figures.json["team"]["id"] == team_id
    assert service.get("/cuenta/tokens/").status_code == 200  # the service token is not theirs


@pytest.mark.parametrize("endpoint, method, url, scope", API_ROUTES)
def test_every_operation_needs_a_token_with_its_scope(app, client, endpoint, method, url, scope):
    others = [name for name in tokens.SCOPES
              if name != scope and name not in tokens.INCLUDED_IN.get(scope, ())]
    without_scope = bearer(api_token(app, TEAM_MEMBER, others))
    for caller, headers, status in ((app.test_client(), {}, 401), (client, {}, 401),
                                    (app.test_client(), without_scope, 403)):
        response = caller.open(url, method=method, headers=headers, json={})
        assert (response.status_code, response.mimetype) == (status, PROBLEM), endpoint
    with app.app_context():
        assert app.view_functions[endpoint].allowed_roles == "by token"


def test_the_description_and_its_page_are_served_without_any_script(app):
    described = app.test_client().get("/api/v1/openapi.json")
    assert described.status_code == 200 and described.json["openapi"] == "3.1.0"
    operations = [operation for item in described.json["paths"].values()
                  for operation in item.values() if isinstance(operation, dict)
                  and "responses" in operation]
    assert len(operations) == len(API_ROUTES)
    assert all(operation["x-scopes"] and "401" in operation["responses"]
               for operation in operations)
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert "<script" not in page and page.count('<section class="operation"') == len(API_ROUTES)
    assert "records:issue" in page and "/api/v1/documents/" in page


def test_a_batch_started_from_json_rows_is_followed_to_its_documents(app):
    secret = bearer(api_token(app, TEAM_MEMBER, ["batch:write", "records:read-meta"]))
    caller = app.test_client()
    refused = caller.post("/api/v1/batches/tdr_gestor_casos", headers=secret, json={
        "rows": [person(1), person(2, **{"Fecha de inicio": "no es una fecha"})]})
    assert refused.status_code == 422 and [problem["row"] for problem in
                                           refused.json["problems"]] == [3]
    started = caller.post("/api/v1/batches/tdr_gestor_casos", headers=secret, json={
        "rows": [person(1), person(2)]})
    assert started.status_code == 202, started.json
    followed = caller.get(started.headers["Location"], headers=secret).json
    assert followed["state"] == "done" and [row["outcome"] for row in followed["rows"]] == [
        "issued", "issued"]
    archive = caller.get(followed["result"], headers=secret)
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    numbers = {item["number"] for item in caller.get(
        "/api/v1/records/?form=tdr_gestor_casos", headers=secret).json["items"]}
    assert numbers == {row["number"] for row in followed["rows"]}


def test_a_batch_from_an_uploaded_spreadsheet(app):
    secret = bearer(api_token(app, TEAM_MEMBER, ["batch:write"]))
    started = app.test_client().post(
        "/api/v1/batches/tdr_gestor_casos/spreadsheet", headers=secret,
        data={"spreadsheet": (io.BytesIO(as_xlsx([person(7)])), "cohorte.xlsx")})
    assert started.status_code == 202 and started.json["total"] == 1
