"""Who can be made responsible for a unit's follow-up entries."""

from django.contrib.auth import get_user_model

from uppsikt.accounts.access import ROLE_PERMISSIONS, Perm
from uppsikt.organisations.models import Unit


def reporters_for(unit: Unit):
    """Active users holding REPORT on ``unit`` (a role on it or on a unit above it)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.REPORT in perms]
    units = [unit.pk, *(above.pk for above in unit.ancestors())]
    return (
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__unit_id__in=units, role_assignments__role__in=roles
        )
        .distinct()
        .order_by("first_name", "username")
    )
