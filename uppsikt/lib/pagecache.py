"""Public pages as residents see them, kept in the ``pages`` cache (settings ``CACHES``).

A page is looked up and kept only for a visitor who is not signed in and sends neither a
session nor a messages cookie, for GET and HEAD, when the query string is empty or holds
only parameters the view names (each value short). A response is kept only when it is a
200 that sets no cookie, is not marked private or no-store, and carries no CSRF token, so
one person's page is never served to another.

The key is the path, the named parameters, the language and the current *generation*, a
token that every change to stored content replaces once its transaction has committed
(``content_changed``, connected to every model's saves and deletes from
``portal.apps``). The generation is read before the page is rendered, so a page rendered
while an edit commits is kept under the old token and never found again: no stale page is
served after an edit, in any process sharing the cache.

    @cache_public(params=("ar",))
    def public_goals(request, code): ...

Responses say ``X-Uppsikt-Cache: hit``, ``miss`` (rendered and kept) or ``bypass``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

ALIAS = "pages"
GENERATION_KEY = "generation"
MAX_PARAM_LENGTH = 64  # longer values are not cached (a crafted query string)
MAX_PARAMS = 8
HEADER = "X-Uppsikt-Cache"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link")
CSRF_MARK = b"csrfmiddlewaretoken"


def generation() -> str:
    """The current token; made on first use."""
    cache = caches[ALIAS]
    token = cache.get(GENERATION_KEY)
    if token is None:
        fresh = secrets.token_hex(8)
        if cache.add(GENERATION_KEY, fresh, timeout=None):
            return fresh
        token = cache.get(GENERATION_KEY) or fresh
    return str(token)


def renew() -> None:
    """Make every kept page old."""
    caches[ALIAS].set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def content_changed(**_signal: Any) -> None:
    """Make the kept pages old when the current transaction commits (at once outside one).

    Registered once per transaction however many rows it changes; a rollback drops it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew()
        return
    if not any(entry[1] is renew for entry in connection.run_on_commit):
        transaction.on_commit(renew)


def _key(request: HttpRequest, params: Iterable[str]) -> str | None:
    """The cache key for this request, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD"):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    allowed = set(params)
    query = request.GET
    if len(query) > MAX_PARAMS:
        return None
    parts = []
    for name in sorted(query):
        values = query.getlist(name)
        if name not in allowed or len(values) != 1 or len(values[0]) > MAX_PARAM_LENGTH:
            return None
        parts.append(f"{name}={values[0]}")
    raw = "\n".join([generation(), get_language() or "", request.get_host(), request.path, *parts])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    return CSRF_MARK not in response.content


def _from_cache(kept: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(kept["content"])
    for name, value in kept["headers"]:
        response[name] = value
    response[HEADER] = "hit"
    return response


def cache_public(
    view: Callable[..., HttpResponse] | None = None, *, params: Iterable[str] = ()
) -> Any:
    """Serve a public page from the ``pages`` cache when it is safe (module docstring)."""
    allowed = tuple(params)

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = _key(request, allowed)
            if key is None:
                response = func(request, *args, **kwargs)
                response[HEADER] = "bypass"
                return response
            cache = caches[ALIAS]
            kept = cache.get(key)
            if kept is not None:
                return _from_cache(kept)
            response = func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if _storable(response):
                headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
                cache.set(
                    key,
                    {"content": response.content, "headers": headers},
                    timeout=settings.PAGE_CACHE_SECONDS,
                )
                response[HEADER] = "miss"
            else:
                response[HEADER] = "bypass"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


# Rows that change without changing anything a public page shows: sessions, sign-in
# bookkeeping, job progress, sent reminders, residents' feedback. Every other model's save or delete counts.
IGNORED_MODELS = frozenset(
    {
        "sessions.session",
        "admin.logentry",
        "accounts.loginfailure",
        "accounts.recoverycode",
        "accounts.authenticator",
        "jobs.job",
        "django_tasks_db.dbtaskresult",
        "tasks.sentreminder",
        # Residents' answers and reports: shown on no public page, and a flood of them must
        # not empty the cache (uppsikt/feedback/).
        "feedback.pageanswer",
        "feedback.accessibilityreport",
    }
)


def _model_changed(sender: Any, **_signal: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.label_lower in IGNORED_MODELS:
        return
    content_changed()


def connect() -> None:
    """Count every model's saves and deletes as a change (called from ``portal.apps``).

    Bulk writes that send no signal (``update()``, ``bulk_create``, raw SQL) call
    ``content_changed()`` themselves, or save a row that does (an import's batch)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid=f"uppsikt-pagecache-{id(signal)}")
