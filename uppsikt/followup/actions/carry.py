"""Copy forward: a new period's follow-up starts from the previous period's text.

>>> result = copy_forward(unit, period, actor=rapportor)
>>> result.copied  # the entries filled, each marked with the period its text came from

Every item in the unit's scope whose entry has no text gets the text of the same object's
entry by the same unit in the latest earlier period of the organisation in which it had a
text (periods in ``periods.rules.period_order``: by date, and for the same date the kinds'
order, so an årsredovisning starts from the verksamhetsberättelse). The entry is marked
``copied_from`` that period until someone saves a changed text (``save_followup`` clears
the mark). Only the text is copied: statuses (a goal's assessment above all) are the new
period's own.

Refused, changing nothing: a closed period, a report that is inlämnad or godkänd, an actor
without REPORT on the unit. Entries the actor may not write (a rapportör's colleague's) and
reviewed ones are left as they are and counted. One audit event per entry filled
(``followup.copy``, with the text before and after), so the entry's earlier texts include it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.concurrency import bump
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import period_order

from ..models import FollowUp, UnitReport
from ..queries import entries_for
from ..scope import Item, in_scope
from .entries import (
    LOCKED_REPORT_STATES,
    _check_writable,
    _locked_entry,
    carried_responsibles,
    lock_entries,
    may_write,
)


@dataclass
class CarryResult:
    copied: list[FollowUp] = field(default_factory=list)
    not_yours: int = 0  # entries without text assigned to someone else
    without_earlier: int = 0  # entries without text and no earlier text to copy


def earlier_texts(
    period: ReportingPeriod, units: Iterable[Unit]
) -> dict[tuple[int, int, int], FollowUp]:
    """For each (content type, object, unit): its entry with a text in the latest period
    before ``period`` that has one."""
    here = period_order(period)
    best: dict[tuple[int, int, int], FollowUp] = {}
    rows = (
        FollowUp.objects.filter(
            period__organisation_id=period.organisation_id,
            period__ends_on__lte=period.ends_on,
            unit__in=list(units),
        )
        .exclude(comment="")
        .exclude(period=period)
        .select_related("period")
    )
    for row in rows:
        order = period_order(row.period)
        if order >= here:
            continue
        key = (row.content_type_id, row.object_id, row.unit_id)
        if key not in best or order > period_order(best[key].period):
            best[key] = row
    return best


def _ensure_may_copy(unit: Unit, period: ReportingPeriod, actor: Actor) -> None:
    require(actor, Perm.REPORT, unit)
    if not period.is_open:
        raise ValidationError(
            coded(
                _("%(name)s är stängt: inga texter kan hämtas dit.") % {"name": period.name},
                "period_closed",
            )
        )
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    if report is not None and report.state in LOCKED_REPORT_STATES:
        raise ValidationError(
            coded(
                _(
                    "Enhetens rapport är %(state)s: inga texter kan hämtas förrän den har "
                    "återtagits eller återförts."
                )
                % {"state": UnitReport.State(report.state).label.lower()},
                "report_locked",
            )
        )


def _plan(
    items: list[Item], unit: Unit, period: ReportingPeriod, actor: Actor, result: CarryResult
) -> list[tuple[Item, FollowUp | None, FollowUp]]:
    """What to copy: (item, its entry or None, the earlier entry with the text)."""
    entries = entries_for(period, [unit])
    sources = earlier_texts(period, [unit])
    carried = carried_responsibles(period, [unit.pk])
    todo = []
    for item in items:
        entry = entries.get(item.key)
        if entry is not None and (entry.comment or entry.state == FollowUp.State.GRANSKAD):
            continue
        source = sources.get(item.key)
        if source is None:
            result.without_earlier += 1
            continue
        responsible = entry.responsible_id if entry is not None else carried.get(item.key)
        if not may_write(actor, unit.pk, responsible):
            result.not_yours += 1
            continue
        todo.append((item, entry, source))
    return todo


@transaction.atomic
def copy_forward(unit: Unit, period: ReportingPeriod, *, actor: Actor) -> CarryResult:
    """Fill the unit's entries without text from the latest earlier period's (above)."""
    _ensure_may_copy(unit, period, actor)
    result = CarryResult()
    todo = _plan(in_scope(unit, period), unit, period, actor, result)
    lock_entries(entry for _item, entry, _source in todo)
    for item, _seen, source in todo:
        entry, created = _locked_entry(item.target, period, unit)
        if entry.comment or entry.state == FollowUp.State.GRANSKAD:
            continue  # written meanwhile
        _check_writable(entry, item.target, period, unit, None)
        before = None if created else {"comment": entry.comment}
        entry.comment = source.comment
        entry.copied_from = source.period
        entry.written_by = actor if getattr(actor, "pk", None) else None
        entry.written_at = timezone.now()
        bump(entry)
        entry.save()
        record(
            actor=actor,
            action="followup.copy",
            obj=entry,
            before=before,
            after={"comment": entry.comment, "copied_from_id": source.period_id},
            reason=_("Texten hämtades från %(name)s.") % {"name": source.period.name},
        )
        result.copied.append(entry)
    return result
