"""Lockout after repeated failed logins, per user name and per client address.

After ``LOGIN_LOCKOUT_ATTEMPTS`` failures for one user name (or ``LOGIN_LOCKOUT_IP_ATTEMPTS``
from one address) within ``LOGIN_LOCKOUT_MINUTES``, every login for that name (or from that
address) is refused until the window has passed, the right password too. The message does
not say whether the account exists: an unknown name is counted and locked just the same.

Enforced in the authentication backend, so the admin's login is covered as well as ours;
the login form asks first, to show the lockout message instead of "wrong password".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Actor

from .models import LoginFailure

# Set on the user the password backend authenticates: ``signin.on_logged_in`` then holds the
# login to the second-factor rules (a login by the identity provider carries no mark).
LOCAL_LOGIN_MARK = "_uppsikt_local_login"


def normalise(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or the first address of the configured header."""
    if request is None:
        return None
    header: str = getattr(settings, "LOGIN_CLIENT_IP_HEADER", "")
    if header:
        value = request.headers.get(header, "")
        if value:
            return value.split(",")[0].strip()[:45] or None
    address: str | None = request.META.get("REMOTE_ADDR")
    return address or None


def _since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str | None, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_since())
    name = normalise(username)
    if name and recent.filter(username=name).count() >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= settings.LOGIN_LOCKOUT_IP_ATTEMPTS


def register_failure(username: str | None, ip: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_since()).delete()  # keep the table small
    LoginFailure.objects.create(username=normalise(username), ip=ip)


def clear(username: str | None, ip: str | None = None) -> None:
    """A successful login forgets the name's failures (and the address's, if given)."""
    condition = Q(username=normalise(username))
    if ip:
        condition |= Q(ip=ip)
    LoginFailure.objects.filter(condition).delete()


def lockout_message() -> str:
    return _(
        "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. "
        "Vänta %(minutes)s minuter och försök igen."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


class LockoutModelBackend(ModelBackend):
    """Django's user name and password check, refused while the name or address is locked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Actor | None:
        if username is not None and is_locked(username, client_ip(request)):
            raise PermissionDenied(lockout_message())  # stops every backend; counts as failed
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            setattr(user, LOCAL_LOGIN_MARK, True)
        return user


def on_login_failed(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if "username" in credentials:
        register_failure(credentials.get("username"), client_ip(request))


def on_logged_in(sender: object, request: HttpRequest, user: Actor, **kwargs: Any) -> None:
    clear(user.get_username())
