"""Reading the audit trail as a person may see it."""

from django.db.models import QuerySet

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
from uppsikt.accounts.models import RoleAssignment
from uppsikt.audit.models import AuditEvent
from uppsikt.lib.typing import Visitor


def visible_events(
    queryset: QuerySet[AuditEvent], user: Visitor | None, perm: Perm = Perm.VIEW
) -> QuerySet[AuditEvent]:
    """The events of ``queryset`` that ``user`` may read: those of units where they hold
    ``perm`` (read rights by default). Events without a unit only superusers read."""
    allowed = units_with(user, perm)
    if allowed is EVERYWHERE:
        return queryset
    return queryset.filter(unit_id__in=sorted(allowed))


def administers_person(user: Visitor | None, person_id: int, events: QuerySet[AuditEvent]) -> bool:
    """Whether ``user`` may see another person's change log: as administrator of a unit
    where the person holds a role, or of one their visible ``events`` are about. An
    administrator of one organisation learns nothing of another's people (not their names)."""
    allowed = units_with(user, Perm.ADMIN)
    if allowed is EVERYWHERE:
        return True
    if not allowed:
        return False
    roles = RoleAssignment.objects.filter(user_id=person_id, unit_id__in=sorted(allowed))
    return roles.exists() or events.exists()
