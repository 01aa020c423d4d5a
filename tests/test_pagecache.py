"""The cache of public pages (uppsikt/lib/pagecache.py): who is served a kept page, what is
never kept, and that every change to the content makes the kept pages old."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from uppsikt.audit.trail import record
from uppsikt.indicators.importers import import_file, import_measurements
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.lib import pagecache
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Goal, Plan

from . import pagecache_urls
from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
TEST_URLS = pytest.mark.urls("tests.pagecache_urls")
REPO = Path(__file__).resolve().parent.parent


def state(response) -> str:
    return response[pagecache.HEADER]


def kept_files() -> int:
    """Entries in the file cache of this run (tests/conftest.py gives it its own folder)."""
    return len(list(Path(settings.CACHES["pages"]["LOCATION"]).glob("*.djcache")))


@pytest.fixture
def pagecache_minimal():
    """Region Test with its decided plan (tests/builders.py)."""
    load_minimal(2)
    return Plan.objects.get(title="Testplan 2023")


# -- who is served a kept page ---------------------------------------------------------------


@TEST_URLS
def test_a_page_is_kept_then_served_from_the_cache(client):
    first = client.get("/sida/")
    second = client.get("/sida/")
    assert (state(first), state(second)) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert state(client.head("/sida/")) == "hit"


@TEST_URLS
def test_post_and_other_methods_bypass(client):
    assert state(client.post("/sida/")) == "bypass"
    assert state(client.get("/sida/")) == "miss"  # the POST kept nothing


@TEST_URLS
def test_a_signed_in_person_is_never_served_a_kept_page_nor_stores_one(client, db):
    person = user_with_role("pagecache-anna", role=None)
    client.force_login(person)
    assert state(client.get("/sida/")) == "bypass"
    client.logout()
    assert state(client.get("/sida/")) == "miss"  # nothing was kept for the signed-in
    client.force_login(person)
    assert state(client.get("/sida/")) == "bypass"  # and the kept page is not served


@TEST_URLS
@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, "messages"])
def test_a_session_or_messages_cookie_bypasses(client, cookie):
    client.get("/sida/")
    client.cookies[cookie] = "x"
    assert state(client.get("/sida/")) == "bypass"


@TEST_URLS
@pytest.mark.parametrize(
    "url",
    [
        "/kaka/",  # sets a cookie itself
        "/formular/",  # carries a CSRF token
        "/kopierad/",  # carries one it did not ask for
        "/token/",  # asked for a token: the middleware would set the cookie
        "/session/",  # wrote the session: the middleware would set the cookie
        "/meddelande/",  # queued a message
        "/privat/",
        "/accept/",  # varies on a header the key does not hold
        "/saknas/",  # 404
    ],
)
def test_what_is_never_kept(client, url):
    before = pagecache_urls.RENDERS["count"]
    for _ in range(2):
        assert state(client.get(url)) == "bypass"
    assert kept_files() <= 1  # the generation only
    if url not in ("/formular/",):
        assert pagecache_urls.RENDERS["count"] == before + 2  # rendered afresh each time


@TEST_URLS
def test_a_kept_page_never_hands_out_a_token(client):
    """The form view is rendered for every visitor: each gets a token of their own."""
    first = client.get("/formular/")
    second = client.get("/formular/")
    assert b"csrfmiddlewaretoken" in first.content
    assert first.content != second.content


# -- crafted query strings -------------------------------------------------------------------


@TEST_URLS
@pytest.mark.parametrize(
    "query",
    [
        "?okand=1",
        "?ar=2023&ar=2024",
        "?ar=" + "9" * (pagecache.MAX_PARAM_LENGTH + 1),
        "?" + "&".join(f"p{i}=1" for i in range(pagecache.MAX_PARAMS + 1)),
        "?ar=2023&utm_source=x",
    ],
)
def test_crafted_query_strings_bypass_and_keep_nothing(client, query):
    client.get("/sida/")
    kept = kept_files()
    for _ in range(3):
        assert state(client.get("/sida/" + query)) == "bypass"
    assert kept_files() == kept


@TEST_URLS
def test_named_parameters_are_kept_apart(client):
    assert state(client.get("/sida/?ar=2023")) == "miss"
    assert state(client.get("/sida/?ar=2024")) == "miss"
    hit = client.get("/sida/?ar=2023")
    assert state(hit) == "hit" and b"ar=2023" in hit.content
    assert state(client.get("/sida/?sida=2&ar=2023")) == "miss"
    assert state(client.get("/sida/?ar=2023&sida=2")) == "hit"  # the order does not matter


@TEST_URLS
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=60))
def test_no_query_string_grows_the_cache_past_its_bound(client, values):
    caches["pages"].clear()
    for value in values:
        response = client.get("/sida/", {"ar": value})
        assert response.status_code == 200
    # one page per variant up to the bound, the generation and the variant counter
    assert kept_files() <= pagecache.MAX_VARIANTS + 2


@TEST_URLS
def test_only_the_path_reverse_gives_is_kept(client):
    assert state(client.get("/sak/7/")) == "miss"
    assert state(client.get("/sak/007/")) == "bypass"
    assert state(client.get("/sak/0007/")) == "bypass"
    assert state(client.get("/sak/7/")) == "hit"


@TEST_URLS
def test_the_language_is_part_of_the_key(client):
    swedish = client.get("/sida/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/sida/")
    assert state(english) == "miss"
    assert english.content.startswith(b"<p>en") and swedish.content.startswith(b"<p>sv")
    assert state(client.get("/sida/")) == "hit"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert client.get("/sida/").content == swedish.content


@TEST_URLS
def test_the_host_is_part_of_the_key(client):
    client.get("/sida/", HTTP_HOST="127.0.0.1")
    assert state(client.get("/sida/", HTTP_HOST="localhost")) == "miss"


@TEST_URLS
def test_an_unreachable_cache_serves_pages_uncached(client):
    broken = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={**settings.CACHES, "pages": broken}):
        response = client.get("/sida/")
        assert response.status_code == 200 and state(response) == "bypass"
        pagecache.renew()  # logged, not raised: the change it follows has committed


def test_the_decorator_keeps_the_view_signature():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    assert pagecache_urls.plain.__name__ == "plain"
    assert state(pagecache_urls.plain(request)) == "bypass"


# -- the public pages themselves -------------------------------------------------------------


def public_urls(plan: Plan) -> list[str]:
    unit = plan.unit
    return [
        reverse("portal:home"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("organisations:detail", args=[unit.organisation.code]),
        reverse("organisations:unit", args=[unit.organisation.code, unit.slug]),
        reverse("reports:published"),
    ]


def test_public_pages_are_kept_for_anonymous_visitors_and_hold_no_token(client, pagecache_minimal):
    for url in public_urls(pagecache_minimal):
        first = client.get(url)
        assert first.status_code == 200, url
        assert b"csrfmiddlewaretoken" not in first.content, url
        assert "csrftoken" not in first.cookies, url
        assert state(first) == "miss", url
        assert state(client.get(url)) == "hit", url


def test_signed_in_people_see_their_own_pages(client, pagecache_minimal):
    url = reverse("plans:detail", args=[pagecache_minimal.pk])
    client.get(url)
    planner = user_with_role("pagecache-planerare")
    client.force_login(planner)
    mine = client.get(url)
    assert state(mine) == "bypass"
    assert b"pagecache-planerare" in mine.content  # "Logga ut …" with the name
    client.logout()
    theirs = client.get(url)
    assert state(theirs) == "hit" and b"pagecache-planerare" not in theirs.content
    assert state(client.get(reverse("portal:home"))) == "miss"


def test_a_draft_is_not_shown_nor_kept(client):
    load_minimal(status="utkast")
    plan = Plan.objects.get(title="Testplan 2023")
    url = reverse("plans:detail", args=[plan.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get(pagecache.HEADER) != "hit"
    assert kept_files() <= 1  # the generation only


# -- invalidation through the real actions ---------------------------------------------------


def test_deciding_a_plan_shows_it_at_once(client, django_capture_on_commit_callbacks):
    load_minimal(status="utkast")
    plan = Plan.objects.get(title="Testplan 2023")
    home = reverse("portal:home")
    unit_url = reverse("organisations:unit", args=["0099", "styrelsen"])
    assert b"Testplan 2023" not in client.get(unit_url).content
    client.get(home)
    planner = user_with_role("pagecache-beslut")
    with django_capture_on_commit_callbacks(execute=True):
        decide_plan(
            plan,
            actor=planner,
            decided_by=plan.unit,
            decided_on=datetime.date(2023, 1, 10),
        )
    for url in (home, unit_url):
        response = client.get(url)
        assert state(response) == "miss" and b"Testplan 2023" in response.content
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


def test_a_changed_goal_text_reaches_every_page_once_decided(
    client, pagecache_minimal, django_capture_on_commit_callbacks
):
    old = pagecache_minimal
    old_url = reverse("plans:detail", args=[old.pk])
    assert state(client.get(old_url)) == "miss"
    planner = user_with_role("pagecache-mal")
    with django_capture_on_commit_callbacks(execute=True):
        draft = revise_plan(old, actor=planner, reason="Ny lydelse").plan
    goal = Goal.objects.get(plan=draft, number="1")
    with django_capture_on_commit_callbacks(execute=True):
        update_goal(goal, actor=planner, text="Länets invånare mår bra i hela länet.")
    new_url = reverse("plans:detail", args=[draft.pk])
    assert client.get(new_url).status_code == 404  # still a draft
    with django_capture_on_commit_callbacks(execute=True):
        decide_plan(
            draft, actor=planner, decided_by=draft.unit, decided_on=datetime.date(2023, 3, 1)
        )
    shown = client.get(new_url)
    assert "Länets invånare mår bra i hela länet." in shown.content.decode()
    superseded = client.get(old_url)
    assert state(superseded) == "miss"
    assert new_url.encode() in superseded.content  # "ersatt av" links the new version


def test_an_indicator_import_through_the_bulk_path_renews(django_capture_on_commit_callbacks):
    load_minimal()
    IndicatorDefinition.objects.create(key="pagecache-hme", name="HME", unit="index")
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        report = import_measurements(
            [
                {
                    "indicator": "pagecache-hme",
                    "organisation": "0099",
                    "period": "2023",
                    "value": "7",
                }
            ],
            actor=user_with_role("pagecache-import"),
            filename="f.csv",
            format="csv",
        )
    assert report.imported and report.created == 1
    assert pagecache.generation() != before


def test_a_csv_file_import_renews_on_either_path(django_capture_on_commit_callbacks):
    """On PostgreSQL a CSV file goes by COPY (``importers.pgcsv``), elsewhere row by row."""
    load_minimal()
    IndicatorDefinition.objects.create(key="pagecache-csv", name="CSV", unit="index")
    before = pagecache.generation()
    data = "indikator;organisation;period;värde\npagecache-csv;0099;2023;12,5\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(data=data, filename="f.csv", actor=user_with_role("pagecache-csv"))
    assert report.imported and report.created == 1, report.errors
    assert pagecache.generation() != before


def test_a_bulk_update_renews_when_its_owner_says_so(django_capture_on_commit_callbacks):
    """``QuerySet.update()`` sends no signal: the audited action it belongs to does."""
    load_minimal()
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        Unit.objects.filter(slug="styrelsen").update(name="Styrelsen")
    assert pagecache.generation() == before
    unit = Unit.objects.get(slug="styrelsen")
    with django_capture_on_commit_callbacks(execute=True):
        record(actor=user_with_role("pagecache-rec"), action="unit.update", obj=unit, after={})
    assert pagecache.generation() != before


def test_bookkeeping_rows_do_not_renew(client, django_capture_on_commit_callbacks):
    person = user_with_role("pagecache-bok", role=None)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(person)  # a session row and the last_login field only
        client.logout()
    assert pagecache.generation() == before


def test_an_app_adds_its_own_ignored_models(django_capture_on_commit_callbacks):
    before = pagecache.generation()
    pagecache.ignore_models("organisations.Organisation")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            Organisation.objects.create(code="0098", name="Region Annan", kind="region")
        assert pagecache.generation() == before
    finally:
        pagecache._ignored.discard("organisations.organisation")


def test_a_kept_page_is_served_before_the_view_with_the_same_headers(
    client, pagecache_minimal, monkeypatch
):
    url = reverse("plans:detail", args=[pagecache_minimal.pk])
    miss = client.get(url)

    def not_reached(*args, **kwargs):
        raise AssertionError("the view's decorator was reached")

    monkeypatch.setattr(pagecache, "_query_parts", not_reached)
    hit = client.get(url)
    assert state(hit) == "hit" and hit.content == miss.content
    for name in ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options"):
        assert hit.get(name) == miss.get(name), name
    assert set(miss.headers) - {pagecache.HEADER} == set(hit.headers) - {pagecache.HEADER}
    assert "Cookie" in hit["Vary"]


@TEST_URLS
def test_credentials_of_any_kind_bypass(client):
    client.get("/sida/")
    assert state(client.get("/sida/", HTTP_AUTHORIZATION="Token abc")) == "bypass"
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    assert state(client.get("/sida/")) == "bypass"


@TEST_URLS
def test_pages_of_another_release_are_not_served(client, monkeypatch):
    assert len(pagecache.code_version()) == 16
    assert state(client.get("/sida/")) == "miss"
    monkeypatch.setattr(pagecache, "code_version", lambda: "nasta-version")
    assert state(client.get("/sida/")) == "miss"
    assert state(client.get("/sida/")) == "hit"
