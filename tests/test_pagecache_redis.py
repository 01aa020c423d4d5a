"""The cache of public pages on Redis, for real (production's shared cache).

Uses the Redis at ``UPPSIKT_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``) under a
key prefix of this run's own, which it removes afterwards. When that Redis cannot be
reached the test starts a throwaway ``redis-server`` (scripts/system-packages.sh installs
it) on a free port; with ``UPPSIKT_REQUIRE_REDIS=1`` (CI, ``.ci/run``) an unreachable Redis
fails the run instead.
"""

import os
import secrets
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from uppsikt.lib import pagecache

from .test_pagecache import TEST_URLS, state
from .test_pagecache_commits import CHILD, _child

pytestmark = pytest.mark.django_db
DEFAULT_URL = "redis://127.0.0.1:6379/0"


def _reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pagecache_redis_url(tmp_path_factory):
    url = os.environ.get("UPPSIKT_TEST_REDIS_URL", DEFAULT_URL)
    if _reachable(url):
        yield url
        return
    if os.environ.get("UPPSIKT_REQUIRE_REDIS") == "1":
        pytest.fail(f"Redis at {url} is not reachable, and UPPSIKT_REQUIRE_REDIS=1")
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            f"Redis at {url} is not reachable and redis-server is not installed "
            "(scripts/system-packages.sh test installs it)"
        )
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(  # noqa: S603 - the installed redis-server
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    own = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            if _reachable(own):
                break
            time.sleep(0.05)
        yield own
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def pagecache_on_redis(pagecache_redis_url):
    prefix = f"uppsikt-test-pages-{secrets.token_hex(4)}"
    pages = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": pagecache_redis_url,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={**settings.CACHES, "pages": pages}):
        yield prefix
    client = redis.Redis.from_url(pagecache_redis_url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@TEST_URLS
def test_pages_are_kept_and_renewed_in_redis(client, pagecache_on_redis, pagecache_redis_url):
    assert caches["pages"].__class__.__name__ == "RedisCache"
    assert state(client.get("/sida/")) == "miss"
    assert state(client.get("/sida/")) == "hit"
    stored = redis.Redis.from_url(pagecache_redis_url).keys(f"{pagecache_on_redis}:*")
    assert len(stored) == 2  # the generation and the page, under this run's prefix
    pagecache.renew()
    assert state(client.get("/sida/")) == "miss"


@TEST_URLS
def test_signed_in_and_crafted_requests_keep_nothing_in_redis(
    client, pagecache_on_redis, pagecache_redis_url
):
    from .builders import user_with_role

    client.get("/sida/?okand=1")
    client.get("/sida/?ar=1&ar=2")
    client.force_login(user_with_role("pagecache-redis", role=None))
    assert state(client.get("/sida/")) == "bypass"
    stored = redis.Redis.from_url(pagecache_redis_url).keys(f"{pagecache_on_redis}:*")
    assert len(stored) <= 1  # the generation only


def test_another_process_sees_the_same_generation(pagecache_on_redis, pagecache_redis_url):
    assert "pagecache.renew()" in CHILD
    mine = pagecache.generation()
    env = {"UPPSIKT_CACHE_URL": pagecache_redis_url}
    # The child's settings give the "pages" cache this run's key prefix (CHILD).
    seen, renewed = _child({**env, "UPPSIKT_TEST_PAGES_PREFIX": pagecache_on_redis})
    assert seen == mine
    assert pagecache.generation() == renewed != mine
