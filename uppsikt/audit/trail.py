"""Writing to and checking the audit trail.

``record`` is called inside the same transaction as the change it describes, so a change
and its record are saved together or not at all. Each row's hash covers its content and the
previous row's hash; ``verify`` recomputes the chain and names the first row that no longer
matches, which is how a row altered directly in the database is found.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-safe values, for before/after."""
    result = {}
    for name in fields:
        value = getattr(obj, name)
        result[name] = (
            value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        )
    return result


def record(
    *,
    actor,
    action: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event; call inside the transaction that makes the change."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "",
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            before=before,
            after=after,
            reason=reason,
            previous_hash=head.last_hash or GENESIS,
        )
        event.hash = compute_hash(event)
        event.save()
        head.last_hash = event.hash
        head.last_sequence = event.sequence
        head.save()
    return event


@dataclass
class Broken:
    sequence: int
    reason: str


def verify() -> tuple[int, Broken | None]:
    """Check the whole chain; returns (rows checked, first broken link or None)."""
    previous = GENESIS
    expected_sequence = 1
    count = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        count += 1
        if event.sequence != expected_sequence:
            return count, Broken(expected_sequence, "rad saknas i kedjan")
        if event.previous_hash != previous:
            return count, Broken(event.sequence, "länken till föregående rad stämmer inte")
        if compute_hash(event) != event.hash:
            return count, Broken(event.sequence, "radens innehåll har ändrats efter att den skrevs")
        previous = event.hash
        expected_sequence += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != count:
        return count, Broken(count + 1, "rader i slutet av kedjan saknas")
    return count, None


def history(obj: Any):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
