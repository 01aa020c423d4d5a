"""Rate limits: at most ``count`` hits per key in each fixed window of ``seconds``.

Counted in Django's cache, so the limit holds across processes when the cache is shared
(Redis in production, ``UPPSIKT_CACHE_URL``); the default local-memory cache counts per
process. A fixed window is simple and cheap (one ``add`` or ``incr`` per hit); a client may
send up to twice the count across a window's edge, which is fine for cutting floods.

    >>> verdict = hit("api-user", str(user.pk), Limit(600, 60))
    >>> if not verdict.allowed:
    ...     answer 429 with Retry-After: verdict.retry_after

Keys are hashed, so an address or a user name never appears in the cache as such.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE_ALIAS = "default"


@dataclass(frozen=True)
class Limit:
    """``count`` hits per ``seconds``; a count of 0 (or less) means no limit."""

    count: int
    seconds: int = 60

    @property
    def active(self) -> bool:
        return self.count > 0 and self.seconds > 0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # whole seconds until the window ends (at least 1)
    remaining: int  # hits left in this window


def now() -> float:
    """The clock (tests replace it to move to the next window)."""
    return time.time()


def hit(scope: str, key: str, limit: Limit) -> Verdict:
    """Count one hit of ``key`` in ``scope`` (e.g. "api-address", "127.0.0.1") and say
    whether it is within ``limit``. A refused hit is counted too, so a client that keeps
    sending while refused does not get through at the window's start any sooner."""
    if not limit.active:
        return Verdict(True, 0, limit.count)
    moment = now()
    window = int(moment // limit.seconds)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    cache = caches[CACHE_ALIAS]
    timeout = limit.seconds + 1  # outlives its window, then goes by itself
    if cache.add(cache_key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    retry_after = max(1, math.ceil((window + 1) * limit.seconds - moment))
    return Verdict(count <= limit.count, retry_after, max(0, limit.count - count))


def first_refusal(*checks: tuple[str, str | None, Limit]) -> Verdict | None:
    """Count a hit in each ``(scope, key, limit)`` with a key and return the first refusal,
    if any (every check is counted, refused or not)."""
    refused = None
    for scope, key, limit in checks:
        if not key:
            continue
        verdict = hit(scope, key, limit)
        if not verdict.allowed and refused is None:
            refused = verdict
    return refused
