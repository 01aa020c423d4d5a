"""Reading the audit trail as a person may see it."""

from django.db.models import QuerySet

from uppsikt.accounts.access import EVERYWHERE, Perm, units_with
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
