"""Shared fixtures: a real Chromium (Debian's, never a downloaded one) through Playwright.

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
def _nothing_counted():
    """The rate limits count in the cache (uppsikt/lib/ratelimit.py): every test starts with
    nothing counted, whatever the tests before it sent."""
    from django.core.cache import cache

    cache.clear()
    yield
