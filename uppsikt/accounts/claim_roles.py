"""Roles from the identity provider's claims (OpenID Connect), mapped per unit.

An organisation's administrator says, per unit, which claim value gives which role
(``ClaimRoleMapping``): ``groups`` containing ``ekonomi-controllers`` makes a planerare on
ekonomiavdelningen. At each login through the provider (``oidc.py``) the mappings are
applied: a matching mapping gives its role (marked ``source=claim``); a role given from a
claim that no longer matches is taken back. Roles given by hand or by an invitation are never
touched by a login. Every role given or taken back is in the audit trail, acted by the
person signing in, with the mapping as the reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.audit.trail import record
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Account, Actor
from uppsikt.organisations.models import Unit

from .access import Perm, forget, require
from .actions import other_organisation
from .models import ClaimRoleMapping, Role, RoleAssignment

CLAIM_MAX = 100
VALUE_MAX = 300


def _summary(mapping: ClaimRoleMapping) -> dict[str, str]:
    return {
        "claim": mapping.claim,
        "value": mapping.value,
        "unit": mapping.unit.name,
        "role": mapping.role,
    }


@transaction.atomic
def create_mapping(
    *, actor: Actor, claim: str, value: str, unit: Unit, role: str
) -> ClaimRoleMapping:
    require(actor, Perm.ADMIN, unit)
    claim, value = (claim or "").strip(), (value or "").strip()
    if not claim or len(claim) > CLAIM_MAX or any(ch.isspace() for ch in claim):
        raise refusal(
            "claim",
            _("Skriv claimens namn utan mellanslag, till exempel groups (högst 100 tecken)."),
            "invalid_claim",
        )
    if not value or len(value) > VALUE_MAX:
        raise refusal("value", _("Skriv värdet claimen ska ha (högst 300 tecken)."), "invalid")
    try:
        chosen = Role(role)
    except ValueError:
        raise refusal("role", _("Välj en av rollerna i listan."), "invalid_role") from None
    if ClaimRoleMapping.objects.filter(claim=claim, value=value, unit=unit, role=chosen).exists():
        raise refusal("value", _("Den kopplingen finns redan."), "duplicate")
    mapping = ClaimRoleMapping.objects.create(
        claim=claim,
        value=value,
        unit=unit,
        role=chosen,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record(actor=actor, action="claim_role.create", obj=mapping, after=_summary(mapping), unit=unit)
    return mapping


@transaction.atomic
def delete_mapping(mapping: ClaimRoleMapping, *, actor: Actor) -> None:
    """Take the mapping away; the roles it gave go at each person's next login."""
    require(actor, Perm.ADMIN, mapping.unit)
    record(
        actor=actor,
        action="claim_role.delete",
        obj=mapping,
        before=_summary(mapping),
        unit=mapping.unit,
    )
    mapping.delete()


def matches(mapping: ClaimRoleMapping, claims: dict[str, Any]) -> bool:
    """The claim equals the value, or, as a list (``groups``), contains it."""
    found = claims.get(mapping.claim)
    if isinstance(found, (list, tuple)):
        return any(str(each) == mapping.value for each in found)
    if found is None or isinstance(found, dict):
        return False
    if isinstance(found, bool):
        return str(found).lower() == mapping.value.lower()
    return str(found) == mapping.value


@transaction.atomic
def apply_claims(user: Account, claims: dict[str, Any]) -> None:
    """Give the roles the claims map to and take back claim roles that no longer match.

    A mapped role in another organisation than the one the person already belongs to is
    not given (one person, one organisation)."""
    mappings = list(ClaimRoleMapping.objects.select_related("unit__organisation"))
    wanted = {(m.unit_id, m.role): m for m in mappings if matches(m, claims)}
    held = {
        (a.unit_id, a.role): a
        for a in RoleAssignment.objects.filter(user=user).select_related("unit")
    }
    for key, assignment in held.items():
        if assignment.source == RoleAssignment.Source.CLAIM and key not in wanted:
            record(
                actor=user,
                action="role.claim_revoke",
                obj=assignment,
                before={
                    "user": user.get_username(),
                    "unit": assignment.unit.name,
                    "role": assignment.role,
                },
                reason=_("Claimen som gav rollen gäller inte längre"),
            )
            assignment.delete()
    for key, mapping in wanted.items():
        if key in held or other_organisation(user, mapping.unit) is not None:
            continue
        assignment = RoleAssignment.objects.create(
            user=user, unit=mapping.unit, role=mapping.role, source=RoleAssignment.Source.CLAIM
        )
        record(
            actor=user,
            action="role.claim_grant",
            obj=assignment,
            after={"user": user.get_username(), "unit": mapping.unit.name, "role": mapping.role},
            reason=_("Claimen %(claim)s = %(value)s")
            % {"claim": mapping.claim, "value": mapping.value},
        )
    forget(user)
