"""schemathesis against /api/v1/: every operation, every check, the real app (WSGI).

It checks that no request makes a server error and that every answer (status, headers,
body) is what the OpenAPI document promises, for data the schema accepts and for data it
does not. The caller is a planner inside the region that owns the small world's objects, so
writes can succeed as well as be refused.

Every check runs, ``positive_data_acceptance`` too: a request that fits the schema is never
refused with 422. What a schema cannot say is answered otherwise: 404 when an object the
request names does not exist (or is not visible), 409 when the data as it stands refuses it
(a decided plan, a workflow step, a duplicate, a decision date before the previous one),
403 without the right. So the schema is exactly as strict as the server (docs/api.md).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from uppsikt.api.tokens import create_token

from .world import add_internal_control, build_world

load_all_checks()
ALL_CHECKS = CHECKS.get_all()  # `--checks all`
EXAMPLES = 12  # per operation and phase: every operation, bounded for a 2-core machine

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    schemathesis calls the WSGI app directly, so Django's request signals would close the
    connection (it is inside the test's transaction) after the first request.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def planner_key(db, same_connection, settings, media_in_tmp_path):  # pytest-django's settings
    # (not hypothesis'); uploaded attachments go to the test's own folder.
    # Thousands of requests in a minute from one token: the rate limits have their own tests.
    settings.API_RATE_PER_USER = settings.API_RATE_PER_ADDRESS = 0
    world = build_world()
    add_internal_control(world)
    user = world.user("planerare_inne")
    return create_token(user, actor=user, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, planner_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {planner_key}"}, checks=ALL_CHECKS)
