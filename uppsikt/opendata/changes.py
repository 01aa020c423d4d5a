"""When a dataset was first published and last changed, read from the audit trail.

Every accepted change is audited (``audit.trail.record``), so the first and the last event on
a dataset's models are its ``dcterms:issued`` and ``dcterms:modified``. Read through the
trail's index on the object type; an installation with no event yet has neither.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Min

from uppsikt.audit.models import AuditEvent

from .dataset import Dataset


@dataclass(frozen=True)
class Changes:
    first: datetime.datetime | None
    last: datetime.datetime | None


def changes(dataset: Dataset) -> Changes:
    found = AuditEvent.objects.filter(object_type__in=dataset.audited).aggregate(
        first=Min("occurred_at"), last=Max("occurred_at")
    )
    return Changes(found["first"], found["last"])
