"""Public pages as residents see them, kept in the ``pages`` cache (settings ``CACHES``).

A page is looked up and kept only for a visitor who is not signed in and sends neither a
session nor a messages cookie, for GET and HEAD, when the query string is empty or holds
only parameters the view names (each once, each value short). A response is kept only when
it is a 200 that sets no cookie (nor makes the middleware set one: no CSRF token asked for,
no session written, no message queued), is not marked private or no-store, varies on
nothing but the language and cookies, carries no CSRF token, and was asked for at the
path ``reverse()`` gives (``/planer/007/`` is not kept beside ``/planer/7/``). One
person's page is never served to another.

The key is the host, the path, the named parameters, the language, the release (a digest
of the code and templates, so an upgrade never serves the previous release's pages) and the
current *generation*, a token that every change to stored content replaces once its transaction
has committed (``content_changed``, connected to every model's saves and deletes from
``portal.apps``; bulk writes call it themselves). The generation is read before the page
is rendered, so a page rendered while an edit commits is kept under the old token and never
found again: no stale page is served after an edit, in any process sharing the cache.

A crafted query string cannot grow the cache: unknown, repeated, long or too many
parameters bypass it, and one path keeps at most ``MAX_VARIANTS`` parameter variants per
generation. When the cache itself fails (Redis unreachable) pages are served uncached.

    @cache_public(params=("ar",))
    def public_goals(request, code): ...

Responses say ``X-Uppsikt-Cache: hit``, ``miss`` (rendered and kept) or ``bypass``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

ALIAS = "pages"
GENERATION_KEY = "generation"
PAGE_PREFIX = "page:"
VARIANTS_PREFIX = "variants:"
MAX_PARAM_LENGTH = 64  # longer values are not cached (a crafted query string)
MAX_PARAMS = 8
MAX_VARIANTS = 32  # parameter variants of one path kept per generation
HEADER = "X-Uppsikt-Cache"
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Link",
    "Access-Control-Allow-Origin",
)
CSRF_MARK = b"csrfmiddlewaretoken"
# What a kept page may vary on: the language is in the key, and a visitor with a session or
# messages cookie is never served from the cache.
ALLOWED_VARY = frozenset({"accept-language", "cookie"})
# What a release changes in a page: code, templates, translations.
CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".json", ".yaml", ".css", ".js", ".svg"})


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
    """Make every kept page old. A failing cache is logged, never raised: the change it
    follows has committed (pages already kept age out after ``PAGE_CACHE_SECONDS``)."""
    try:
        caches[ALIAS].set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # any backend's error; the edit itself has committed
        logger.exception("The page cache could not be renewed after a change")


def content_changed(**_signal: Any) -> None:
    """Make the kept pages old when the current transaction commits (at once outside one).

    Registered once per savepoint level however many rows it changes, and run once per
    commit; a rollback drops it (a rolled-back savepoint only what was registered inside
    it, and a later change registers it again)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew()
        return
    state = getattr(connection, "_pagecache_pending", None)
    # Django replaces ``run_on_commit`` with a new list whenever a transaction ends or a
    # savepoint rolls back: what was registered for another list may be gone.
    if state is None or state.callbacks is not connection.run_on_commit:
        state = _Pending(connection.run_on_commit)
        connection._pagecache_pending = state
    level = frozenset(connection.savepoint_ids)
    if level not in state.levels:
        state.levels.add(level)
        transaction.on_commit(state.run, robust=True)


class _Pending:
    """The renewals registered on one list of commit callbacks: whichever runs first
    renews, the others of the same commit do nothing."""

    def __init__(self, callbacks: list[Any]) -> None:
        self.callbacks = callbacks
        self.levels: set[frozenset[str]] = set()
        self.done = False

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        connection = transaction.get_connection()
        if getattr(connection, "_pagecache_pending", None) is self:
            connection._pagecache_pending = None
        renew()


def _query_parts(request: HttpRequest, allowed: frozenset[str]) -> list[str] | None:
    """``name=value`` of each parameter in name order, or None when the query string may
    not be cached (an unknown, repeated, long or empty-named parameter, or too many)."""
    query = request.GET
    if len(query) > MAX_PARAMS:
        return None
    parts = []
    for name in sorted(query):
        values = query.getlist(name)
        if name not in allowed or len(values) != 1 or len(values[0]) > MAX_PARAM_LENGTH:
            return None
        parts.append(f"{name}={values[0]}")
    return parts


def _anonymous_get(request: HttpRequest) -> bool:
    """A GET or HEAD from a visitor without a session (so not signed in: every sign-in is
    a session), a messages cookie or credentials of another kind."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


@functools.cache
def code_version() -> str:
    """A digest of the code and templates this process runs, so that pages kept by the
    previous release are never served after an upgrade (computed once per process, from
    the files' contents: every host of one release agrees)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _page_key(request: HttpRequest, parts: list[str]) -> str:
    language = get_language() or ""
    raw = "\n".join(
        [generation(), code_version(), language, request.get_host(), request.path, *parts]
    )
    return PAGE_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _key(request: HttpRequest, params: Iterable[str]) -> str | None:
    """The cache key for this request, or None when it must not be cached."""
    if not _anonymous_get(request):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    parts = _query_parts(request, frozenset(params))
    return None if parts is None else _page_key(request, parts)


def _left_a_mark(request: HttpRequest) -> bool:
    """Whether rendering made the middleware about to set a cookie for this visitor: a CSRF
    token asked for, the session written, or a message queued."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "modified", False):
        return True
    return bool(getattr(getattr(request, "_messages", None), "added_new", False))


def _storable(response: HttpResponse, request: HttpRequest | None = None) -> bool:
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if not vary <= ALLOWED_VARY:
        return False
    if request is not None and (_left_a_mark(request) or not _canonical_path(request)):
        return False
    return CSRF_MARK not in response.content


def _canonical_path(request: HttpRequest) -> bool:
    """Whether the path is the one ``reverse()`` gives for its view and arguments."""
    match = request.resolver_match
    if match is None or not match.view_name:
        return False
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs) == request.path
    except NoReverseMatch:
        return False


def _within_variants(cache: Any, request: HttpRequest) -> bool:
    """A path without parameters always fits; one path's parameter variants are counted
    per generation and stop being kept past ``MAX_VARIANTS``."""
    if not request.GET:
        return True
    raw = f"{generation()}\n{request.get_host()}\n{request.path}"
    key = VARIANTS_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()
    if cache.add(key, 1, timeout=settings.PAGE_CACHE_SECONDS):
        return True
    try:
        return int(cache.incr(key)) <= MAX_VARIANTS
    except ValueError:  # gone meanwhile: count afresh
        cache.add(key, 1, timeout=settings.PAGE_CACHE_SECONDS)
        return True


def _from_cache(kept: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(kept["content"])
    for name, value in kept["headers"]:
        response[name] = value
    response[HEADER] = "hit"
    patch_vary_headers(response, ("Cookie",))  # the language and signing in are cookies
    return response


class KeptPageMiddleware:
    """Serves a kept page before the rest of the stack, without resolving the URL: placed
    after ``CommonMiddleware`` (the host is checked, slashes redirected) and the language
    chosen, before CSRF, authentication, messages and the views. Only for an anonymous GET
    without a query string (``_anonymous_get``); what it finds was kept by ``cache_public``
    under the same key, by its rules. Everything else, misses included, goes on to the
    view. It sets ``X-Frame-Options`` as the clickjacking middleware it skips would."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _anonymous_get(request) and not request.META.get("QUERY_STRING"):
            try:
                kept = caches[ALIAS].get(_page_key(request, []))
            except SuspiciousOperation:
                raise
            except Exception:  # any backend's error: the view serves the page
                kept = None
            if kept is not None:
                response = _from_cache(kept)
                response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
                return response
        return self.get_response(request)


def _look_up(request: HttpRequest, allowed: tuple[str, ...]) -> tuple[str | None, Any]:
    """(key, kept page or None); no key when the request may not be cached or the cache
    cannot be reached."""
    try:
        key = _key(request, allowed)
        return key, (caches[ALIAS].get(key) if key is not None else None)
    except SuspiciousOperation:  # a host not allowed: Django's own answer
        raise
    except Exception:  # any backend's error: serve the page uncached
        logger.warning("The page cache could not be read", exc_info=True)
        return None, None


def _keep(request: HttpRequest, key: str, response: HttpResponse) -> bool:
    if not _storable(response, request):
        return False
    try:
        cache = caches[ALIAS]
        if not _within_variants(cache, request):
            return False
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        kept = {"content": response.content, "headers": headers}
        cache.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:  # any backend's error: the page was served anyway
        logger.warning("The page cache could not be written", exc_info=True)
        return False
    return True


def cache_public(
    view: Callable[..., HttpResponse] | None = None, *, params: Iterable[str] = ()
) -> Any:
    """Serve a public page from the ``pages`` cache when it is safe (module docstring)."""
    allowed = tuple(params)

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key, kept = _look_up(request, allowed)
            if kept is not None:
                return _from_cache(kept)
            response = func(request, *args, **kwargs)
            if key is None:
                response[HEADER] = "bypass"
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            kept = _keep(request, key, response)
            response[HEADER] = "miss" if kept else "bypass"
            if kept:
                patch_vary_headers(response, ("Cookie",))
            return response

        wrapper.public_page = True  # type: ignore[attr-defined]  # read by lib/findable.py
        return wrapper

    return decorate(view) if view is not None else decorate


# Rows that change without changing anything a public page shows: sessions, sign-in
# bookkeeping, job progress, sent reminders. Every other model's save or delete counts;
# an app adds its own such models with ``ignore_models`` (e.g. anonymous feedback).
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
    }
)
_ignored: set[str] = set(IGNORED_MODELS)
# A save that touches only these fields changes nothing shown (Django's sign-in bookkeeping).
IGNORED_FIELDS = frozenset({"last_login"})


def ignore_models(*labels: str) -> None:
    """Count saves and deletes of these models (``app_label.modelname``) as no change to
    public pages; call from the owning app's ``ready()``."""
    _ignored.update(label.lower() for label in labels)


def _model_changed(sender: Any, **signal: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.label_lower in _ignored:
        return
    fields = signal.get("update_fields")
    if fields and frozenset(fields) <= IGNORED_FIELDS:
        return
    content_changed()


def connect() -> None:
    """Count every model's saves and deletes as a change (called from ``portal.apps``).

    Bulk writes that send no signal (``update()``, ``bulk_create``, raw SQL, COPY) call
    ``content_changed()`` themselves, or save a row in the same transaction that does (an
    audited change saves its audit event)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid=f"uppsikt-pagecache-{id(signal)}")
