"""Shared fixtures: a real Chromium (Debian's, never a downloaded one) through Playwright,
and the test data more than one module uses, each named for what it holds.

Browser tests are marked ``@pytest.mark.browser`` and take the ``page`` fixture; with
pytest-django's ``live_server`` they drive the running app::

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_home(live_server, page):
        page.goto(live_server.url + "/")
        assert_accessible(page)
"""

import os
from pathlib import Path

import pytest

from .api_client import Caller, key_for
from .budget_helpers import demo_tables, small_table
from .builders import RS_TITLE, load_demo, load_minimal, user_with_role
from .control_setup import region, region_with_risks
from .editor_helpers import signed_in_planner
from .followup_setup import complete, small_setting
from .kolada_server import KoladaServer
from .kolada_setup import build as build_kolada_world
from .mailserver import MailServer
from .world import add_internal_control, build_world
from .year_partitions import drop_year_partitions

# Playwright's sync API runs an asyncio event loop in this thread; without this Django
# refuses ORM calls ("You cannot call this from an async context") in live_server tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Never let Playwright fetch a browser build: we only use the system Chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Each schemathesis test's own id: "…::test_api_conforms_to_its_schema[GET /api/v1/]".

    schemathesis names each operation's test so, but pytest 9.2 builds a test's id from its
    function name and its parametrize ids alone, so all of them shared one id, and a
    failure in pytest's summary did not name its operation.
    """
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.originalname).with_params(label)


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Tests run without collectstatic: serve static files unhashed, from the finders.

    The manifest storage used in production would fail on ``{% static %}`` with
    "Missing staticfiles manifest entry" until collectstatic has run.
    """
    from django.conf import settings
    from django.test import override_settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets WhiteNoise
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_heartbeat_thread_in_process():
    """Jobs run in this process (``run_queued_jobs``) beat no heartbeat from a second thread:
    on the in-memory SQLite test database, whose connections share one cache, a second
    thread's write can make the main thread's fail at once ("database table is locked").
    Real worker processes beat theirs (tests/test_jobs_workers.py)."""
    from django.test import override_settings

    with override_settings(JOBS_HEARTBEAT_SECONDS=0):
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_audit_anchors(tmp_path_factory):
    """The audit anchors of var/ belong to the local database, not to the test database."""
    from django.test import override_settings

    with override_settings(AUDIT_ANCHORS_FILE=tmp_path_factory.mktemp("audit") / "anchors.log"):
        yield


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with: apt-get install chromium",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Real Argon2, at the lowest cost (tests/hashers.py), so user-heavy tests stay fast."""
    from django.conf import settings
    from django.test import override_settings

    hashers = ["tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(autouse=True)
def _second_factor_not_required_in_browser_tests(request):
    """Browser tests sign in administrators with the password form; the second factor they
    would then have to enrol is tested on its own (tests/test_second_factor_browser.py,
    which sets ``TOTP_REQUIRED_FOR`` back). Other tests keep the production default."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    from django.test import override_settings

    with override_settings(TOTP_REQUIRED_FOR="none"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _page_cache_of_this_run(tmp_path_factory):
    """The kept public pages (uppsikt/lib/pagecache.py) go to this run's own folder, so
    parallel workers and the developer's var/ never share them."""
    from django.conf import settings
    from django.test import override_settings

    pages = dict(settings.CACHES["pages"])
    if pages["BACKEND"].endswith("FileBasedCache"):
        pages["LOCATION"] = str(tmp_path_factory.mktemp("page-cache"))
    with override_settings(CACHES={**settings.CACHES, "pages": pages}):
        yield


@pytest.fixture(autouse=True)
def _kept_pages_follow_the_test_transaction(request, monkeypatch):
    """A test (``django_db`` without ``transaction=True``) runs in a transaction that never
    commits, so the page cache's renewal on commit (lib/pagecache.py) would never run and
    a test reading a page again after a change would be served the kept one. Here a change
    marks the kept pages old at once, as the test's own reads see the change at once: the
    next lookup renews the generation. tests/test_pagecache*.py test the real commit rules
    and keep them."""
    if request.node.path.name.startswith("test_pagecache"):
        yield
        return
    from uppsikt.lib import pagecache

    changed = {"since_lookup": False}
    real_generation = pagecache.generation

    def content_changed(**_signal):
        changed["since_lookup"] = True

    def generation():
        if changed["since_lookup"]:
            changed["since_lookup"] = False
            pagecache.renew()
        return real_generation()

    monkeypatch.setattr(pagecache, "content_changed", content_changed)
    monkeypatch.setattr(pagecache, "generation", generation)
    yield


@pytest.fixture(autouse=True)
def _nothing_counted():
    """The rate limits count in the cache (uppsikt/lib/ratelimit.py) and public pages are
    kept in another (lib/pagecache.py): every test starts with both empty, whatever the
    tests before it did."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["pages"].clear()
    yield


# -- test data ------------------------------------------------------------------------------


@pytest.fixture
def media_in_tmp_path(tmp_path, settings):
    """Uploaded and generated files go to the test's own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job_owner():
    """A small region and a rapportör on its styrelse, who starts background jobs."""
    load_minimal()
    return user_with_role("agare", "rapportor", "styrelsen")


@pytest.fixture
def two_regions_with_roles():
    """tests/world.py: two regions, every kind of object, one user per role in and outside."""
    return build_world()


@pytest.fixture
def editor_world(two_regions_with_roles):
    """``two_regions_with_roles`` as the draft editor's tests use it (its draft plan)."""
    return two_regions_with_roles


@pytest.fixture
def editor_planner(client, editor_world):
    """The planerare of ``editor_world``'s draft, signed in on ``client``."""
    return signed_in_planner(client, editor_world)


@pytest.fixture
def two_regions_with_control(two_regions_with_roles):
    """``two_regions_with_roles`` with internal control in styrelsen's plans added."""
    add_internal_control(two_regions_with_roles)
    return two_regions_with_roles


@pytest.fixture
def as_role(client, two_regions_with_roles):
    """``as_role("planerare_inne")``: an API caller with a token of that user (None: none)."""

    def make(name: str | None) -> Caller:
        return Caller(client, key_for(two_regions_with_roles, name) if name else None)

    return make


@pytest.fixture
def demo_region():
    """The demo file: Region Örebro län, its units and plans."""
    load_demo()


@pytest.fixture
def demo_board_plan(demo_region):
    """Regionstyrelsen's decided 2023 plan in the demo."""
    from uppsikt.plans.models import Plan

    return Plan.objects.get(title=RS_TITLE)


@pytest.fixture
def demo_with_indicators(db, demo_region):
    """The demo with its indicator definitions, measurements and assessments."""
    from uppsikt.indicators.demo import load_demo_indicators

    load_demo_indicators()


@pytest.fixture
def demo_budget_tables():
    """The demo with its 2023 budget: the tables by number."""
    return demo_tables()


@pytest.fixture
def small_budget_table():
    """Region Test's table "T" (tests/budget_helpers.py)."""
    return small_table()


@pytest.fixture
def small_table_planner(small_budget_table):
    """A planner on styrelsen, which owns ``small_budget_table``."""
    return user_with_role("planerare-test", "planerare", "styrelsen")


@pytest.fixture
def control_region():
    """Region Test with two nämnder and 2023's periods (tests/control_setup.py)."""
    return region()


@pytest.fixture
def control_region_with_risks():
    """``control_region`` with a region-wide risk and Nämnd A's own risk."""
    return region_with_risks()


@pytest.fixture
def small_followup_setting():
    """Styrelsen's decided plan, a budget table and the open delårsrapport 2023."""
    return small_setting()


@pytest.fixture
def completed_followup_setting(small_followup_setting):
    """``small_followup_setting`` with every item in scope written and marked klar."""
    complete(small_followup_setting)
    return small_followup_setting


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/mailserver.py) that Django's e-mail sends to."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kolada_server():
    """A stand-in for Kolada's API on 127.0.0.1 (tests/kolada_server.py), filled by the test."""
    server = KoladaServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kolada_world(db, kolada_server, settings):
    """Region Test with a planner, comparison regions and two Kolada-linked definitions,
    the stand-in filled and Django pointed at it (tests/kolada_setup.py)."""
    settings.KOLADA_URL = kolada_server.url
    settings.KOLADA_RETRIES, settings.KOLADA_TIMEOUT = 1, 5.0
    return build_kolada_world(kolada_server)


@pytest.fixture
def attachment_entry(small_followup_setting, media_in_tmp_path):
    """Styrelsen's aktivitet followed up by a planner, files stored in the test's folder."""
    from uppsikt.followup.actions.entries import save_followup

    planner = user_with_role("planerare", "planerare")
    return save_followup(
        small_followup_setting.activity,
        small_followup_setting.period,
        actor=planner,
        status="pagar",
        comment="Startad.",
    )


@pytest.fixture(autouse=True)
def _fresh_styrmodell_snapshots():
    """Each test reads the styrmodeller of its own database, not a rolled-back one's."""
    from uppsikt.governance.words import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture
def provider():
    """An OpenID Connect provider in this process, and the settings that use it."""
    from .oidc_provider import Provider

    running = Provider()
    try:
        with running.settings():
            yield running
    finally:
        running.close()


@pytest.fixture
def no_year_partitions():
    """No year partition when the test starts, nor after it (``tests/year_partitions.py``
    says why); after a test in a transaction the drop is rolled back with it."""
    drop_year_partitions()
    yield
    drop_year_partitions()
