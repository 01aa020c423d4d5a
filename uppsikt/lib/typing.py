"""Who acts and who asks, as types.

``Actor`` is the person (or the command line, a saved system account) whose change is made
and recorded in the audit trail: every function that takes ``actor`` takes one. ``Account``
is the same type where the user is acted on, not acting (given a role, named). ``Visitor``
is whoever a request comes from, signed in or not, as the access checks see them.
``AuthenticatedRequest`` is the request of a view behind ``login_required``; ``acting_user``
is the signed-in user of a request typed plainly (the admin's hooks)::

    def close_period(period: ReportingPeriod, *, actor: Actor) -> ReportingPeriod: ...
    def can(user: Visitor | None, perm: Perm, target: Any) -> bool: ...
    def roles(request: AuthenticatedRequest) -> HttpResponse: ...
    revoke_role(assignment, actor=acting_user(request))

Importing the user model needs Django's app registry, and this module (the lowest layer)
must stay importable without it, so the real types exist for the type checker only. At run
time ``Actor``, ``Account`` and ``Visitor`` stand for ``object`` and
``AuthenticatedRequest`` for ``HttpRequest``: annotations naming them are for mypy, not for
libraries that read annotations at run time (django-ninja's operations take the request).
"""

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Actor: TypeAlias = User
    Account: TypeAlias = User
    Visitor: TypeAlias = User | AnonymousUser

    class AuthenticatedRequest(HttpRequest):
        user: User

else:
    Actor = Account = Visitor = object
    AuthenticatedRequest = HttpRequest


def acting_user(request: HttpRequest) -> "Actor":
    """The signed-in user of a request that only signed-in users reach."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


__all__ = ["Account", "Actor", "AuthenticatedRequest", "Visitor", "acting_user"]
