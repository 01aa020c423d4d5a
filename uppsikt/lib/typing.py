"""Who acts and who asks, as types.

``Actor`` is the person (or the command line, a saved system account) whose change is made
and recorded in the audit trail: every function that takes ``actor`` takes one of these.
``Visitor`` is whoever a request comes from, signed in or not, as access checks see them::

    def close_period(period: Period, *, actor: Actor) -> Period: ...
    def may_write(actor: Visitor, entry: Entry) -> bool: ...

The user model can only be imported once Django's app registry is ready, and modules that
name these types are imported before that, so the real types exist for the type checker
only; at run time the names stand for ``object`` (annotations are not evaluated anywhere).
"""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Actor: TypeAlias = User
    Visitor: TypeAlias = User | AnonymousUser
else:
    Actor = Visitor = object

__all__ = ["Actor", "Visitor"]
