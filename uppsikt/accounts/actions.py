"""Giving and taking back roles; each change is checked and written to the audit trail."""

from django.db import transaction

from uppsikt.audit.trail import record
from uppsikt.lib.typing import Account, Actor
from uppsikt.organisations.models import Unit

from .access import Perm, forget, require
from .models import Role, RoleAssignment


@transaction.atomic
def grant_role(user: Account, unit: Unit, role: str, *, actor: Actor) -> RoleAssignment:
    """Give ``user`` the ``role`` on ``unit`` (and so on every unit beneath it).

    >>> grant_role(anna, regionstyrelsen, Role.PLANERARE, actor=admin)
    """
    require(actor, Perm.ADMIN, unit)
    role = Role(role)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": _real(actor)}
    )
    if created:
        record(
            actor=actor,
            action="role.grant",
            obj=assignment,
            after={"user": user.username, "unit": unit.name, "role": role.value},
        )
    forget(user)
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor: Actor) -> None:
    require(actor, Perm.ADMIN, assignment.unit)
    record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        before={
            "user": assignment.user.username,
            "unit": assignment.unit.name,
            "role": assignment.role,
        },
    )
    assignment.delete()
    forget(assignment.user)


def _real(actor: Actor) -> Actor | None:
    return actor if getattr(actor, "pk", None) else None
