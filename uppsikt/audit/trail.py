"""Writing to and checking the audit trail.

``record`` is called inside the same transaction as the change it describes, so a change
and its record are saved together or not at all. Each row's hash covers its content and the
previous row's hash; ``verify`` recomputes the chain and names the first row that no longer
matches, which is how a row altered directly in the database is found.
"""

import datetime
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from uppsikt.lib.typing import Actor
from uppsikt.organisations.ownership import unit_id_of

from .models import AuditEvent, ChainHead
from .vocabulary import require_declared

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
    if event.unit_id is not None:  # rows written before events knew their unit keep their hash
        payload["unit_id"] = event.unit_id
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


# Never copied into the trail: a password hash or a token's hash is a secret even hashed.
SECRET_FIELDS = frozenset({"password", "key_hash"})


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return str(value)


def model_snapshot(obj: Model) -> dict[str, Any]:
    """Every stored field of ``obj`` (foreign keys as ids, many-to-many as sorted ids).

    For changes made where no action describes them in words (the Django admin)::

        >>> model_snapshot(goal)["text"]
        'Länets invånare har en god hälsa.'
    """
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name not in SECRET_FIELDS:
            data[field.name] = _json_safe(getattr(obj, field.attname))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def _unit_of(obj: Any) -> int | None:
    try:
        return unit_id_of(obj)
    except (TypeError, AttributeError, ObjectDoesNotExist):
        return None  # not governed by a unit: organisation-wide or about a person


def record(
    *,
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    unit: Any = None,
) -> AuditEvent:
    """Append one event; call inside the transaction that makes the change.

    ``unit`` (a Unit or id) says whose event it is when ``obj`` does not know its unit
    itself (an import into an organisation); by default it is ``obj``'s unit. ``action`` must
    be declared in the vocabulary (``vocabulary.declare``), else ``UndeclaredAction``.
    """
    require_declared(action)
    unit_id = unit_id_of(unit) if unit is not None else _unit_of(obj)
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
            unit_id=unit_id,
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


def verify(progress: Callable[[int, int, str], None] | None = None) -> tuple[int, Broken | None]:
    """Check the whole chain; returns (rows checked, first broken link or None).

    A row changed in the database no longer matches its hash; a row deleted leaves a gap in
    the sequence; rows cut off at the end disagree with the chain head. A trail rewritten
    whole, hashes and head included, is only caught by comparing the head hash
    (``head_hash()``) with a copy kept outside the database.
    """
    previous = GENESIS
    expected_sequence = 1
    count = 0
    total = AuditEvent.objects.count() if progress else 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        count += 1
        if progress and count % 5000 == 0:
            progress(count, total, "")
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
    if head is not None and count and head.last_hash != previous:
        return count, Broken(count, "kedjans huvud stämmer inte med sista raden")
    if progress:
        progress(count, total or count, "")
    return count, None


def head_hash() -> str:
    """The newest row's hash: keep a copy elsewhere to detect a trail rewritten whole."""
    head = ChainHead.objects.filter(pk=1).first()
    return head.last_hash if head is not None and head.last_hash else GENESIS


# A model that moved to another app keeps its earlier events under the label it had then
# (a row's hash covers its object type): current label → former labels. The app the model
# moved to registers it in its ``ready`` (``register_former_label``).
FORMER_LABELS: dict[str, tuple[str, ...]] = {}


def register_former_label(label: str, former: str) -> None:
    """Events recorded as ``former`` ("followup.reportingperiod") are about ``label``."""
    FORMER_LABELS[label] = (*FORMER_LABELS.get(label, ()), former)


def current_label(object_type: str) -> str:
    """The model label an event's ``object_type`` names today."""
    for label, formers in FORMER_LABELS.items():
        if object_type in formers:
            return label
    return object_type


def history(obj: Any) -> QuerySet[AuditEvent]:
    return events_for(obj._meta.label_lower, obj.pk)


def events_for(object_type: str, object_id: Any) -> QuerySet[AuditEvent]:
    types = [object_type, *FORMER_LABELS.get(object_type, ())]
    return AuditEvent.objects.filter(
        object_type__in=types, object_id=str(object_id)
    ).select_related("actor")


def last_saved(obj: Any) -> tuple[str, datetime.datetime] | None:
    """Who last changed ``obj`` and when, by its latest event (a person's full name where
    there is one): what a page shows when someone else saved first."""
    event = history(obj).order_by("-sequence").first()
    if event is None:
        return None
    actor = event.actor
    name = (actor.get_full_name() or actor.get_username()) if actor is not None else ""
    return (name or event.actor_name, event.occurred_at)
