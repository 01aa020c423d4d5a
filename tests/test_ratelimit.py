"""Rate limits: the counter in the cache, the API (per token's user and per address) and
the login form (per address and per user name). Each limit is cut with 429 and a
Retry-After, leaves other callers alone, and opens again when its window ends."""

import json

import pytest
from django.test import Client

from uppsikt.api.tokens import create_token
from uppsikt.lib import ratelimit
from uppsikt.lib.ratelimit import Limit, first_refusal, hit

from .builders import user_with_role
from .world import build_world

pytestmark = pytest.mark.django_db
API = "/api/v1"
LOGIN = "/konto/logga-in/"


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, at the start of a minute; ``clock.move(seconds)`` moves it."""

    class Clock:
        time = 6_000_000.0

        def move(self, seconds: float) -> None:
            self.time += seconds

    instance = Clock()
    monkeypatch.setattr(ratelimit, "now", lambda: instance.time)
    return instance


# -- the counter ---------------------------------------------------------------------------------


def test_a_key_gets_its_count_per_window_and_no_more(clock):
    limit = Limit(3, 60)
    verdicts = [hit("test", "a", limit) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert [v.remaining for v in verdicts] == [2, 1, 0, 0]
    assert verdicts[-1].retry_after == 60
    assert hit("test", "b", limit).allowed  # another key counts on its own
    assert hit("other", "a", limit).allowed  # and so does another scope
    clock.move(45)
    refused = hit("test", "a", limit)
    assert not refused.allowed and refused.retry_after == 15
    clock.move(15)  # the next window
    assert hit("test", "a", limit).allowed


def test_a_count_of_zero_is_no_limit(clock):
    assert all(hit("test", "a", Limit(0, 60)).allowed for _ in range(100))


def test_the_first_refusal_is_reported_and_every_check_counts(clock):
    assert first_refusal(("x", "a", Limit(1)), ("y", "b", Limit(2))) is None
    refused = first_refusal(("x", "a", Limit(1)), ("y", "b", Limit(2)))
    assert refused is not None and not refused.allowed
    assert not hit("y", "b", Limit(2)).allowed  # "y" was counted although "x" refused
    assert first_refusal(("x", None, Limit(1)), ("z", "", Limit(1))) is None  # no key: no check


# -- the API ------------------------------------------------------------------------------------


def api_get(client, key=None, path="/plans"):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(API + path, headers=headers)


def assert_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "too_many_requests" and body["errors"] == []
    assert "Vänta" in body["message"] and "sekunder" in body["message"]


def test_the_api_limits_each_tokens_user(client, settings, clock):
    settings.API_RATE_PER_USER, settings.API_RATE_PER_ADDRESS = 3, 0
    world = build_world()
    planner, reader = world.user("planerare_inne"), world.user("lasare_inne")
    first_key = create_token(planner, actor=planner, name="a")[1]
    second_key = create_token(planner, actor=planner, name="b")[1]
    other_key = create_token(reader, actor=reader, name="c")[1]
    assert [api_get(client, first_key).status_code for _ in range(3)] == [200, 200, 200]
    assert_limited(api_get(client, first_key))
    # Counted per user: a second token of the same person shares the count.
    assert_limited(api_get(client, second_key))
    assert api_get(client, other_key).status_code == 200  # another user is not affected
    assert api_get(client).status_code == 200  # nor the public
    # Before the body, as before the rights: a malformed write is 429 too.
    write = client.post(
        f"{API}/risks",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {first_key}"},
    )
    assert_limited(write)
    clock.move(60)
    assert api_get(client, first_key).status_code == 200


def test_the_api_limits_each_address_tokens_or_not(settings, clock):
    settings.API_RATE_PER_USER, settings.API_RATE_PER_ADDRESS = 0, 2
    world = build_world()
    planner = world.user("planerare_inne")
    key = create_token(planner, actor=planner, name="a")[1]
    crowd, neighbour = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.7")
    assert api_get(crowd).status_code == 200
    assert api_get(crowd, key).status_code == 200
    assert_limited(api_get(crowd, key))
    # A bad token is counted against the address before it is looked at.
    assert_limited(api_get(crowd, "upp_bad_key"))
    assert api_get(neighbour).status_code == 200
    clock.move(60)
    assert api_get(crowd).status_code == 200


def test_the_schema_documents_429_on_every_operation():
    from uppsikt.api.main import openapi_schema

    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            assert "429" in {str(status) for status in operation["responses"]}, f"{method} {path}"


# -- the login form ------------------------------------------------------------------------------


def login(client, username, password="fel-lösenord"):
    return client.post(LOGIN, {"username": username, "password": password})


def assert_login_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    page = response.content.decode()
    assert "För många inloggningsförsök" in page and 'name="password"' in page


def test_login_posts_are_limited_per_address(settings, clock):
    settings.LOGIN_RATE_PER_ADDRESS, settings.LOGIN_RATE_PER_USER = 3, 0
    settings.LOGIN_LOCKOUT_ATTEMPTS = settings.LOGIN_LOCKOUT_IP_ATTEMPTS = 100
    user_with_role("anna", None)
    flood, colleague = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.7")
    for number in range(3):
        assert login(flood, f"gissning{number}").status_code == 200
    limited = login(flood, "anna", "x-test-pass-1")
    assert_login_limited(limited)
    assert "_auth_user_id" not in flood.session  # the password was never checked
    assert login(colleague, "anna", "x-test-pass-1").status_code == 302
    clock.move(60)
    assert login(flood, "anna", "x-test-pass-1").status_code == 302


def test_login_posts_are_limited_per_user_name_from_any_address(settings, clock):
    settings.LOGIN_RATE_PER_ADDRESS, settings.LOGIN_RATE_PER_USER = 0, 2
    settings.LOGIN_LOCKOUT_ATTEMPTS = settings.LOGIN_LOCKOUT_IP_ATTEMPTS = 100
    user_with_role("anna", None)
    user_with_role("bertil", None)
    spread = [Client(REMOTE_ADDR=f"10.0.1.{n}") for n in range(3)]
    assert login(spread[0], "anna").status_code == 200
    assert login(spread[1], "ANNA ").status_code == 200  # one name, however it is typed
    assert_login_limited(login(spread[2], "anna", "x-test-pass-1"))
    assert login(spread[2], "bertil", "x-test-pass-1").status_code == 302
    clock.move(60)
    assert login(Client(), "anna", "x-test-pass-1").status_code == 302


def test_the_lockout_still_counts_failures_under_the_limit(settings, clock):
    settings.LOGIN_RATE_PER_ADDRESS, settings.LOGIN_RATE_PER_USER = 30, 10
    settings.LOGIN_LOCKOUT_ATTEMPTS, settings.LOGIN_LOCKOUT_IP_ATTEMPTS = 3, 100
    user_with_role("anna", None)
    client = Client()
    for _attempt in range(3):
        assert login(client, "anna").status_code == 200
    locked = login(client, "anna", "x-test-pass-1")
    assert locked.status_code == 200 and "tillfälligt spärrad" in locked.content.decode()


def test_the_limited_login_answer_is_a_page(settings, clock):
    settings.LOGIN_RATE_PER_ADDRESS = 1
    client = Client()
    login(client, "anna")
    response = login(client, "anna")
    assert_login_limited(response)
    assert response["Content-Type"].startswith("text/html")
    assert not response.content.lstrip().startswith(b"{")
    json.dumps(response["Retry-After"])  # a plain number of seconds
