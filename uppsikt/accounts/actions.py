"""Giving and taking back roles; each change is checked and written to the audit trail.

One person belongs to one organisation: in an installation serving several organisations
(a shared service), an account holding a role in one organisation is given none in another
(``other_organisation``); the person gets a separate account there.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.lib.problems import refusal
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
    refuse_other_organisation(user, unit, field="user")
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


def other_organisation(user: Account, unit: Unit) -> str | None:
    """The name of another organisation than ``unit``'s where ``user`` holds a role."""
    held = (
        RoleAssignment.objects.filter(user=user)
        .exclude(unit__organisation_id=unit.organisation_id)
        .values_list("unit__organisation__name", flat=True)
        .first()
    )
    return held


def refuse_other_organisation(user: Account, unit: Unit, *, field: str) -> None:
    """Refuse (``ValidationError`` on ``field``) a role for someone of another organisation."""
    elsewhere = other_organisation(user, unit)
    if elsewhere is not None:
        raise refusal(
            field,
            _(
                "%(person)s har redan en roll i %(organisation)s. En person hör till en "
                "organisation; be om ett eget konto för den här organisationen."
            )
            % {"person": user.email or user.get_username(), "organisation": elsewhere},
            "other_organisation",
        )
