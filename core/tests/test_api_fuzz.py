"""Generated input never breaks the API (DESIGN.md): schemathesis sends requests made from the
OpenAPI schema to every operation, with a key that holds every scope, and checks that no answer is
a server error and that every documented answer matches its schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.scopes import SCOPES
from accounts.tests.factories import ApiKeyFactory
from config.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_connection_per_test():
    """Requests go through the WSGI app, not Django's test client: like that client, keep the
    request signals from closing the database connection that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Registering a feed fetches its URL: generated addresses would wait on the network.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(
    path_regex="^/api/v1/feeds", method=["POST", "PATCH"]
)


@pytest.mark.postgres  # where the server errors it found showed (datetime ranges, overflows)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_get_no_server_error_and_answers_that_match_the_schema(case, channels):
    _, key = ApiKeyFactory(scopes=list(SCOPES))
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {key}"}, checks=[not_a_server_error, response_schema_conformance]
    )
