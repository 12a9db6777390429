"""Schemathesis, a tool we did not write, runs against the OpenAPI schema the application serves
(/api/schema/), with a token for each role, a visitor and an account without a role: every
operation of the schema gets generated requests; no answer is a server error, every answer
conforms to the schema (status code, content type, body), and nothing a role may not do
succeeds. The requests go to the Django application in this process (WSGI), inside the test's
transaction, so whatever they write is rolled back."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from . import test_api

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

world, token_for, fresh_throttles = test_api.world, test_api.token_for, test_api.fresh_throttles

# Examples per operation and role: enough to reach every operation's refusals and successes;
# the whole test stays near a minute on a busy two-core machine.
EXAMPLES = 6
ROLES = ["anonymous", "member", "member2", "secretariat", "framework", "staff", "no_role"]
WRITES = {
    ("POST", "/api/plans/{plan_slug}/values/"),
    ("PATCH", "/api/plans/{plan_slug}/values/{id}/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/submit/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/validate/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/return/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/comments/"),
}
REVIEW = {
    ("POST", "/api/plans/{plan_slug}/values/{id}/validate/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/return/"),
}
COMPLETENESS = {("GET", "/api/plans/{plan_slug}/completeness/")}
# The draft is MPFEF's: member2 (another institution) may not change or submit it.
MPFEF_DRAFT = {
    ("PATCH", "/api/plans/{plan_slug}/values/{id}/"),
    ("POST", "/api/plans/{plan_slug}/values/{id}/submit/"),
}


def forbidden(role, method, path):
    """Whether `role` may not succeed at `method path` on the private plan "nap"."""
    operation = (method, path)
    of_the_plan = path.startswith("/api/plans/{plan_slug}/") or path == "/api/plans/{slug}/"
    if of_the_plan and role in ("anonymous", "no_role"):
        return True
    if role in ("framework", "staff", "no_role", "anonymous") and operation in WRITES:
        return True
    if role in ("member", "member2") and operation in REVIEW | COMPLETENESS:
        return True
    return role == "member2" and operation in MPFEF_DRAFT


def nothing_forbidden_succeeds(role):
    def check(ctx, response, case):
        operation = case.operation
        if forbidden(role, operation.method.upper(), operation.path):
            assert response.status_code >= 400, (
                f"{role} succeeded at {operation.method.upper()} {operation.path}: "
                f"{response.status_code}"
            )
        return True

    return check


@pytest.fixture
def wsgi_app():
    """The application as a server runs it, without closing the test's database connection
    after each request (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def path_parameters(world, path):
    values = {
        "plan_slug": "nap",
        "slug": "nap",
        "number": 1,
        "code": "1.1-a" if "/indicators/" in path else "1.1",
        "key": "2021-Q2",
        "id": world["draft"].pk,
    }
    if path.endswith(("/validate/", "/return/")):
        values["id"] = world["submitted"].pk
    elif path.endswith("/comments/"):
        values["id"] = world["validated"].pk
    return values


@pytest.mark.parametrize("role", ROLES)
def test_the_served_schema_holds_for_every_role(
    request, role, world, token_for, wsgi_app, settings
):
    settings.API_THROTTLE_RATES = {"token": None, "anonymous": None}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    # The WSGI client asks for gzip and does not decode it; the schema is about the JSON.
    headers = {"Accept-Language": "en", "Accept-Encoding": "identity"}
    if role != "anonymous":
        user = request.getfixturevalue(test_api.ROLE_USERS[role])
        headers["Authorization"] = f"Bearer {token_for(user)}"
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        nothing_forbidden_succeeds(role),
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        strategy = operation.as_strategy(
            path_parameters={
                name: value
                for name, value in path_parameters(world, operation.path).items()
                if "{" + name + "}" in operation.path
            },
            headers=headers,
        )

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            case.call_and_validate(checks=checks)

        run()
