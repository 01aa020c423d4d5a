"""Reading the follow-up: a unit's report and entries for a period, each item's status and
what its status source shows beside it, and how far a unit has come."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .models import FollowUp, UnitReport
from .scope import Item
from .statuses import source_for

DONE_STATES = (FollowUp.State.KLAR, FollowUp.State.GRANSKAD)


def report_for(unit: Unit, period: ReportingPeriod) -> UnitReport:
    """The unit's report for the period; an unsaved one ("under arbete") if none exists."""
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    return report or UnitReport(unit=unit, period=period)


def entries_for(period: ReportingPeriod, units: Iterable[Unit]) -> dict[tuple, FollowUp]:
    """The period's entries of ``units`` keyed like ``Item.key``, in one query."""
    rows = FollowUp.objects.filter(period=period, unit__in=list(units)).select_related(
        "responsible", "written_by"
    )
    return {(row.content_type_id, row.object_id, row.unit_id): row for row in rows}


def statuses_for(
    items: list[Item], entries: dict[tuple, FollowUp], period: ReportingPeriod
) -> dict[tuple, str | None]:
    """Each item's status (``Item.key`` → status): the entry's own, or its kind's source's
    (a goal's assessment), read once per kind."""
    result: dict[tuple, str | None] = {}
    by_label: dict[str, list[Item]] = {}
    for item in items:
        by_label.setdefault(item.label, []).append(item)
    for label, group in by_label.items():
        source = source_for(label)
        if source is not None:
            found = source.read([item.target for item in group], period)
            result.update({item.key: found.get(item.target.pk) for item in group})
            continue
        for item in group:
            entry = entries.get(item.key)
            result[item.key] = (entry.status or None) if entry else None
    return result


def details_for(items: list[Item], period: ReportingPeriod) -> dict[tuple, Any]:
    """What each item's status source shows beside its entry (``Item.key`` → object), read
    once per kind; items whose kind has no such details are left out."""
    result: dict[tuple, Any] = {}
    by_label: dict[str, list[Item]] = {}
    for item in items:
        by_label.setdefault(item.label, []).append(item)
    for label, group in by_label.items():
        source = source_for(label)
        if source is None or source.details is None:
            continue
        found = source.details([item.target for item in group], period)
        result.update(
            {item.key: found[item.target.pk] for item in group if item.target.pk in found}
        )
    return result


@dataclass
class Progress:
    """How far a unit has come with its entries in a period."""

    total: int
    started: int
    done: int  # klar or granskad
    reviewed: int
    not_done: list[Item]

    @property
    def percent_done(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def progress_of(items: list[Item], entries: dict[tuple, FollowUp]) -> Progress:
    started = done = reviewed = 0
    not_done = []
    for item in items:
        entry = entries.get(item.key)
        if entry is not None:
            started += 1
        if entry is not None and entry.state in DONE_STATES:
            done += 1
            reviewed += entry.state == FollowUp.State.GRANSKAD
        else:
            not_done.append(item)
    return Progress(len(items), started, done, reviewed, not_done)
