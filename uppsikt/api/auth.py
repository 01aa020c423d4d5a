"""Who is calling: a personal token (``Authorization: Bearer upp_…``), or the public.

Without a token the caller is the public and reads published content only, as on the web;
writing needs a token. A token that is given but unknown, revoked, expired or belongs to a
deactivated user is refused with 401 rather than treated as the public, so a client with a
broken key finds out at once. Session cookies are not accepted here, so the API needs no
CSRF token and a browser's login cannot be used against it.

A write is authenticated and authorised before its body is read: without a token it is 401,
and an endpoint that names its check (``auth=allowed(check)``) answers 404/403/409 before
any 422, so a caller without rights learns nothing about the body's schema.

Before all that, the rate limits (``API_RATE_PER_ADDRESS`` per client address, then
``API_RATE_PER_USER`` per token's user) answer 429 with Retry-After once used up.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from uppsikt.accounts.lockout import client_ip
from uppsikt.lib.ratelimit import Limit, hit
from uppsikt.lib.typing import Actor, Visitor

from .errors import too_many
from .schemas import MAX_ID
from .tokens import authenticate

READING = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def __init__(self, check: Callable | None = None):
        super().__init__()
        self.check = check

    def __call__(self, request: HttpRequest):
        _count("api-address", client_ip(request), settings.API_RATE_PER_ADDRESS)
        header = request.headers.get(self.header)
        if not header:
            if request.method not in READING:
                raise AuthenticationError()  # writing needs a token: 401 before the body
            # The public. ninja accepts any truthy result as "authenticated"; an
            # AnonymousUser is truthy and holds no permissions, so the scoping does the rest.
            return AnonymousUser()
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError()
        user = self.authenticate(request, key.strip())
        _count("api-user", str(user.pk), settings.API_RATE_PER_USER)
        if self.check is not None and request.method not in READING:
            ids = _path_ids(request)
            if ids is not None:
                self.check(user, **ids)
        return user

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate(token)
        if user is None:
            raise AuthenticationError()
        return user


def _count(scope: str, key: str | None, per_minute: int) -> None:
    if key:
        verdict = hit(scope, key, Limit(per_minute, 60))
        if not verdict.allowed:
            raise too_many(verdict.retry_after)


def caller(request: HttpRequest) -> Visitor:
    """The user the request acts as (the public when no token was sent)."""
    user: Visitor = request.auth  # type: ignore[attr-defined]  # set by django-ninja
    return user


def writer(request: HttpRequest) -> Actor:
    """The user the request acts as; writing without a token is refused with 401."""
    user = caller(request)
    if not user.is_authenticated:
        raise AuthenticationError()
    return user


def allowed(check: Callable) -> list[TokenAuth]:
    """``auth=`` for a write whose rights are checked before the body is read:
    ``check(user, **path_ids)`` raises (Http404, PermissionDenied, PlanIsDecided, …) when
    the caller may not. The endpoint checks again; this only settles the order."""
    return [TokenAuth(check)]


def _path_ids(request: HttpRequest) -> dict[str, int | str] | None:
    """The path's ids, or None when one is out of range (the validation answers that)."""
    kwargs = getattr(request.resolver_match, "kwargs", {}) or {}
    ids = {}
    for name, value in kwargs.items():
        if not name.endswith("_id"):
            ids[name] = value  # e.g. an organisation's code
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None
        if not 1 <= number <= MAX_ID:
            return None
        ids[name] = number
    return ids
