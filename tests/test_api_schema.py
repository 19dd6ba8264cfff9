"""The API against its own OpenAPI document, by schemathesis (property-based tests generated from
the document), on a real server (gunicorn, as tests/processes.py starts it) with a token holding
every scope: for every operation, no answer is a server error, and every answer's status,
content type and body are the ones the document describes."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.factories import issue
from tests.helpers import api_token, bearer, sign_in
from tests.processes import environment, web_server
from tests.routes import API_ROUTES
from webforms import create_app

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server of an installation with one issued record, and a token with every scope."""
    folder = tmp_path_factory.mktemp("api-schema")
    config = database_config(folder)
    app = create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                      "TWO_FACTOR_FOR_ADMINS": False, "OUTPUT_DIR": folder / "output", **config})
    issue(app, sign_in(app.test_client(), TEAM_MEMBER))
    secret = api_token(app, TEAM_MEMBER)
    process, url = web_server(folder, environment(
        folder, config, WEBFORMS_API_RATE_LIMIT="100000 per minute"))
    yield url, secret
    process.kill()




@pytest.mark.slow
def test_every_operation_answers_as_documented(served):
    """Each operation of the document in turn, with a dozen generated requests."""
    url, secret = served
    schema = schemathesis.openapi.from_url(url + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(API_ROUTES)
    for operation in operations:
        answers_as_documented(operation, secret)


def answers_as_documented(operation, secret: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=bearer(secret), checks=CHECKS)

    check()
