"""Signing in with a password and a second factor: the state between the two steps, and the
guard that holds every password login to the rules of ``second_factor.py``.

1. The password step (``views.LoginView``): for an enrolled person the password alone does
   not sign in. The session holds a short-lived marker (``begin``): who, which backend, the
   account's session hash (a password changed meanwhile voids it) and where to go next;
   ``request.user`` stays anonymous.
2. The code step (``second_factor_views.login_code``): a code from the app or a recovery
   code completes the login (``complete``). Wrong codes count towards their own lockout
   (``lockout.py``, under the name ``2fa:<user name>``), as does the client's address.

Every password login, Django admin's included, is checked when it happens
(``on_logged_in``): the password backend marks the user it authenticates, and a marked
login that did not pass the code step leaves the session flagged. The middleware then
ends a session that skipped the code (``UNVERIFIED``) and keeps a person who must have a
second factor but has none (``ENROL``) on the enrolment page until enrolled: only that
page, signing out and the language switch answer. Logins through the OpenID Connect
provider are not marked: the provider handles multi-factor authentication.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Account

from . import second_factor
from .lockout import LOCAL_LOGIN_MARK, clear, client_ip, is_locked, register_failure

PENDING = "uppsikt_2fa_pending"
ENROL = "uppsikt_2fa_enrol"
UNVERIFIED = "uppsikt_2fa_unverified"
PENDING_SECONDS = 300  # the code step must follow the password within five minutes
CODE_LOCK_PREFIX = "2fa:"  # user names cannot contain ":", so this never meets a real name
# Set by ``complete`` on the request (the password backend marks the user: LOCAL_LOGIN_MARK).
DONE_MARK = "_uppsikt_second_factor_done"
# What a person who must enrol may still reach (URL names).
ENROL_ALLOWED = ("accounts:second_factor_enrol", "accounts:logout", "set_language")


# -- between the two steps ------------------------------------------------------------------


def begin(request: HttpRequest, user: Account, next_url: str) -> None:
    """Half signed in: the password was right, the code is still to come."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "next": next_url,
    }


def pending(request: HttpRequest) -> tuple[Account, str] | None:
    """The half-signed-in user and where they were going, while the marker holds."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), data["hash"]):
        request.session.pop(PENDING, None)
        return None
    setattr(user, "backend", data["backend"])  # noqa: B010 - what login() reads
    return user, data["next"]


def complete(request: HttpRequest, user: Account) -> None:
    """The code was right: sign in for real."""
    setattr(request, DONE_MARK, True)
    login(request, user, backend=getattr(user, "backend", None))
    request.session.pop(PENDING, None)
    clear(CODE_LOCK_PREFIX + user.get_username())


def code_step_locked(request: HttpRequest, user: Account) -> bool:
    return is_locked(CODE_LOCK_PREFIX + user.get_username(), client_ip(request))


def code_failed(request: HttpRequest, user: Account) -> None:
    register_failure(CODE_LOCK_PREFIX + user.get_username(), client_ip(request))


# -- after any login ------------------------------------------------------------------------


def on_logged_in(sender: object, request: HttpRequest, user: Account, **kwargs: Any) -> None:
    """Flag a password login that has not met the second-factor rules (see the module)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(PENDING, None)  # someone else's half-finished sign-in ends with this one
    if not getattr(user, LOCAL_LOGIN_MARK, False) or getattr(request, DONE_MARK, False):
        return
    if second_factor.is_enrolled(user):
        session[UNVERIFIED] = True
    elif second_factor.is_required(user):
        session[ENROL] = True


def must_enrol(request: HttpRequest) -> bool:
    return bool(request.session.get(ENROL))


def enrolled(request: HttpRequest) -> None:
    request.session.pop(ENROL, None)


def require_enrolment(request: HttpRequest) -> None:
    """Keep a signed-in person on the enrolment page (after removing a required factor)."""
    request.session[ENROL] = True


class SecondFactorMiddleware:
    """Ends sessions that skipped the code step; keeps those who must enrol at enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(UNVERIFIED):
            logout(request)
            messages.info(request, _("Logga in här, med lösenordet och koden från appen."))
            login_url = reverse("accounts:login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if (
            session is not None
            and session.get(ENROL)
            and request.user.is_authenticated
            and _view_name(request.path_info) not in ENROL_ALLOWED
        ):
            return redirect("accounts:second_factor_enrol")
        return self.get_response(request)


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""
