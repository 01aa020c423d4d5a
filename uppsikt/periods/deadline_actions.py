"""Writing deadlines (sista dag): the period's own and a unit's earlier ones.

Every deadline keeps one order, checked before anything is saved: no deadline before the
period's end (``ends_on``), review never before reporting, and a unit's own deadline never
later than what holds above it (the organisation's, or an earlier one of a unit higher up),
so a stab reports before its styrelse and never after. Only an administrator of the whole
organisation sets them, only while the period is open; each change is audited.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.audit.trail import record
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from .deadlines import Deadlines, deadlines_for
from .models import ReportingPeriod, UnitDeadline
from .rules import require_organisation_admin

FIELDS = ("report_by", "review_by")
LABELS = {
    "report_by": gettext_lazy("Sista dag för rapportering"),
    "review_by": gettext_lazy("Sista dag för granskning"),
}


def _label(field: str) -> str:
    return str(LABELS[field])


def _day(date: datetime.date) -> str:
    return date_format(date, "j F Y")


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


class _Problems:
    """Refusals collected by field, each with its machine-readable code."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(coded(message, code))

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_open(period: ReportingPeriod) -> None:
    if not period.is_open:
        raise ValidationError(
            {
                "period": [
                    coded(
                        _(
                            "Uppföljningstillfället %(name)s är stängt: dess sista dagar "
                            "kan inte ändras."
                        )
                        % {"name": period.name},
                        "period_closed",
                    )
                ]
            }
        )


def _check_order(
    problems: _Problems,
    period: ReportingPeriod,
    report_by: datetime.date | None,
    review_by: datetime.date | None,
    reporting_ends: datetime.date | None = None,
) -> None:
    """No deadline before the period's end; review not before reporting (``reporting_ends``:
    the last day for reporting that holds, when it is not ``report_by``)."""
    reporting_ends = report_by or reporting_ends
    for field, date in (("report_by", report_by), ("review_by", review_by)):
        if date is not None and date < period.ends_on:
            problems.add(
                field,
                _("%(field)s kan inte vara före periodens slut (%(end)s).")
                % {"field": _label(field), "end": _day(period.ends_on)},
                "before_period_end",
            )
    if reporting_ends is not None and review_by is not None and review_by < reporting_ends:
        problems.add(
            "review_by",
            _("%(field)s kan inte vara före sista dag för rapportering (%(date)s).")
            % {"field": _label("review_by"), "date": _day(reporting_ends)},
            "review_before_report",
        )


def _check_not_later(
    problems: _Problems, mine: dict[str, datetime.date | None], above: Deadlines, whose: str
) -> None:
    """``mine`` may not be later than what holds above (``whose``: who set it, in words)."""
    for field in FIELDS:
        date, limit = mine[field], getattr(above, field)
        if date is not None and limit is not None and date > limit:
            problems.add(
                field,
                _("%(field)s kan inte vara senare än %(whose)s (%(date)s).")
                % {"field": _label(field), "whose": whose, "date": _day(limit)},
                "after_period_deadline",
            )


def _whose(deadlines: Deadlines) -> str:
    if deadlines.set_on is None:
        return _("organisationens sista dag")
    return _("sista dagen för %(unit)s") % {"unit": deadlines.set_on.name}


def _check_units_below(
    problems: _Problems,
    mine: dict[str, datetime.date | None],
    below: list[UnitDeadline],
) -> None:
    """Units with their own deadline below the one being changed may not end up later."""
    for field in FIELDS:
        limit = mine[field]
        if limit is None:
            continue
        late = [d for d in below if getattr(d, field) is not None and getattr(d, field) > limit]
        if late:
            problems.add(
                field,
                _("%(field)s kan inte vara före det som redan gäller för %(units)s.")
                % {"field": _label(field), "units": ", ".join(d.unit.name for d in late)},
                "unit_deadline_later",
            )


def _descendants(unit: Unit) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(organisation_id=unit.organisation_id).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    todo = list(children.get(unit.pk, []))
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


@transaction.atomic
def set_period_deadlines(
    period: ReportingPeriod,
    *,
    actor: Actor,
    report_by: datetime.date | None,
    review_by: datetime.date | None,
) -> ReportingPeriod:
    """Set (or clear, with None) the organisation's last days for reporting and review."""
    require_organisation_admin(actor, period.organisation)
    current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _check_open(current)
    problems = _Problems()
    _check_order(problems, current, report_by, review_by)
    own = list(UnitDeadline.objects.filter(period=current).select_related("unit"))
    _check_units_below(problems, {"report_by": report_by, "review_by": review_by}, own)
    problems.raise_any()
    before = {field: _iso(getattr(current, field)) for field in FIELDS}
    current.report_by, current.review_by = report_by, review_by
    current.save(update_fields=list(FIELDS))
    after = {field: _iso(getattr(current, field)) for field in FIELDS}
    if before != after:
        record(actor=actor, action="period.set_deadlines", obj=current, before=before, after=after)
    period.report_by, period.review_by = report_by, review_by
    return period


def _check_unit(period: ReportingPeriod, unit: Unit) -> None:
    if unit.organisation_id != period.organisation_id:
        raise ValidationError(
            {
                "unit": [
                    coded(
                        _("Enheten %(unit)s hör inte till %(organisation)s.")
                        % {"unit": unit.name, "organisation": period.organisation.name},
                        "other_organisation",
                    )
                ]
            }
        )


@transaction.atomic
def set_unit_deadline(
    period: ReportingPeriod,
    unit: Unit,
    *,
    actor: Actor,
    report_by: datetime.date | None,
    review_by: datetime.date | None,
) -> UnitDeadline:
    """Give ``unit`` (and the units below it) earlier last days than hold above it."""
    require_organisation_admin(actor, period.organisation)
    current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _check_open(current)
    _check_unit(current, unit)
    problems = _Problems()
    if report_by is None and review_by is None:
        problems.add(
            "report_by",
            _("Ange sista dag för rapportering, för granskning eller båda."),
            "required",
        )
    above = deadlines_for(current, unit.parent) if unit.parent_id else deadlines_for(current, None)
    _check_order(problems, current, report_by, review_by, above.report_by)
    mine = {"report_by": report_by, "review_by": review_by}
    _check_not_later(problems, mine, above, _whose(above))
    below = list(
        UnitDeadline.objects.filter(period=current, unit_id__in=_descendants(unit)).select_related(
            "unit"
        )
    )
    _check_units_below(problems, mine, below)
    problems.raise_any()
    existing = UnitDeadline.objects.filter(period=current, unit=unit).first()
    before = {field: _iso(getattr(existing, field)) for field in FIELDS} if existing else None
    deadline, _created = UnitDeadline.objects.update_or_create(
        period=current, unit=unit, defaults=mine
    )
    after = {"unit": unit.slug, **{field: _iso(mine[field]) for field in FIELDS}}
    record(
        actor=actor,
        action="period.set_unit_deadline",
        obj=current,
        before={"unit": unit.slug, **before} if before else None,
        after=after,
        unit=unit,
    )
    return deadline


@transaction.atomic
def remove_unit_deadline(period: ReportingPeriod, unit: Unit, *, actor: Actor) -> None:
    """Remove the unit's own deadlines: what holds above it holds for it again."""
    require_organisation_admin(actor, period.organisation)
    current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _check_open(current)
    _check_unit(current, unit)
    existing = UnitDeadline.objects.filter(period=current, unit=unit).first()
    if existing is None:
        raise ValidationError(
            {
                "unit": [
                    coded(
                        _("%(unit)s har ingen egen sista dag i %(name)s.")
                        % {"unit": unit.name, "name": current.name},
                        "not_found",
                    )
                ]
            }
        )
    record(
        actor=actor,
        action="period.remove_unit_deadline",
        obj=current,
        before={"unit": unit.slug, **{field: _iso(getattr(existing, field)) for field in FIELDS}},
        unit=unit,
    )
    existing.delete()
