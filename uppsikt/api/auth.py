"""Who is calling: a personal token (``Authorization: Bearer upp_…``), or the public.

Without a token the caller is the public and reads published content only, as on the web;
writing needs a token. A token that is given but unknown, revoked, expired or belongs to a
deactivated user is refused with 401 rather than treated as the public, so a client with a
broken key finds out at once. Session cookies are not accepted here, so the API needs no
CSRF token and a browser's login cannot be used against it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from .tokens import authenticate


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            # The public. ninja accepts any truthy result as "authenticated"; an
            # AnonymousUser is truthy and holds no permissions, so the scoping does the rest.
            return AnonymousUser()
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError()
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate(token)
        if user is None:
            raise AuthenticationError()
        return user


def caller(request: HttpRequest):
    """The user the request acts as (the public when no token was sent)."""
    return request.auth


def writer(request: HttpRequest):
    """The user the request acts as; writing without a token is refused with 401."""
    user = request.auth
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    return user
