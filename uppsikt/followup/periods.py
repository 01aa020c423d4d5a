"""Reporting periods: an organisation's periods for a year, opening and closing them.

Every write tied to a period checks that it is open (``ensure_open``).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from .models import ReportingPeriod


def ensure_open(period: ReportingPeriod) -> None:
    """Refuse a change to something that belongs to a closed period."""
    if not period.is_open:
        raise ValidationError(
            _("Uppföljningstillfället %(name)s är stängt och kan inte ändras.")
            % {"name": period.name}
        )


def _roots(organisation_id: int) -> list[Unit]:
    return list(Unit.objects.filter(organisation_id=organisation_id, parent__isnull=True))


def can_on_organisation(actor: Actor, perm: Perm, organisation_id: int) -> bool:
    """Rights over a whole organisation (its periods) are held on every one of its root units."""
    roots = _roots(organisation_id)
    if not roots:
        return can(actor, perm, None)
    return all(can(actor, perm, root) for root in roots)


def require_on_organisation(actor: Actor, perm: Perm, organisation_id: int) -> None:
    targets: list[Unit | None] = [*_roots(organisation_id)] or [None]
    for target in targets:
        require(actor, perm, target)


def _require_on_organisation(actor: Actor, perm: Perm, period: ReportingPeriod) -> None:
    require_on_organisation(actor, perm, period.organisation_id)


@transaction.atomic
def close_period(period: ReportingPeriod, *, actor: Actor) -> ReportingPeriod:
    """Close the period: from now on everything reported in it is read-only."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    return _set_status(period, ReportingPeriod.Status.CLOSED, actor=actor, reason="")


@transaction.atomic
def reopen_period(period: ReportingPeriod, *, actor: Actor, reason: str) -> ReportingPeriod:
    """Reopen a closed period: an administrator's action, with a reason, in the audit trail."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför uppföljningstillfället öppnas igen.")})
    return _set_status(period, ReportingPeriod.Status.OPEN, actor=actor, reason=reason.strip())


def _set_status(period, status, *, actor: Actor, reason: str) -> ReportingPeriod:
    current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if current.status == status:
        raise ValidationError(
            {
                "status": _("Uppföljningstillfället är redan %(status)s.")
                % {"status": current.get_status_display().lower()}
            }
        )
    before = {"status": current.status}
    current.status = status
    current.status_changed_at = timezone.now()
    current.status_changed_by = actor if getattr(actor, "pk", None) else None
    current.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    action = "period.close" if status == ReportingPeriod.Status.CLOSED else "period.reopen"
    record(
        actor=actor,
        action=action,
        obj=current,
        before=before,
        after={"status": status},
        reason=reason,
    )
    period.status = current.status
    period.status_changed_at = current.status_changed_at
    period.status_changed_by = current.status_changed_by
    return period


# --- An organisation's periods for a year ---------------------------------------------------

# Periodrapporter after February–May and September–November. January is too early for a
# forecast of the year; June–August are the summer and the delårsrapport per 31 juli;
# December is covered by the verksamhetsberättelse and the årsredovisning.
DEFAULT_PERIODRAPPORT_MONTHS = (2, 3, 4, 5, 9, 10, 11)
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    ends_on: datetime.date
    name: str


def period_order(period: ReportingPeriod) -> tuple:
    """Date order, and for the same date the kinds' own order (verksamhetsberättelse first)."""
    return (period.year, period.ends_on, list(ReportingPeriod.Kind.values).index(period.kind))


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def default_name(kind: str, ends_on: datetime.date) -> str:
    """The period's name, e.g. "Periodrapport mars 2023" or "Delårsrapport 2023"."""
    label = ReportingPeriod.Kind(kind).label
    if kind == ReportingPeriod.Kind.PERIODRAPPORT:
        return f"{label} {MONTH_NAMES[ends_on.month - 1]} {ends_on.year}"
    return f"{label} {ends_on.year}"


def default_periods(
    year: int, months: tuple[int, ...] = DEFAULT_PERIODRAPPORT_MONTHS
) -> list[PeriodSpec]:
    """The year's periods as a region usually has them, in date order.

    >>> [p.name for p in default_periods(2023, months=(3,))]
    ['Periodrapport mars 2023', 'Delårsrapport 2023', 'Verksamhetsberättelse 2023', 'Årsredovisning 2023']
    """
    Kind = ReportingPeriod.Kind
    specs = [PeriodSpec(Kind.PERIODRAPPORT, _month_end(year, m), "") for m in sorted(set(months))]
    specs.append(PeriodSpec(Kind.DELARSRAPPORT, datetime.date(year, 7, 31), ""))
    specs.append(PeriodSpec(Kind.VERKSAMHETSBERATTELSE, datetime.date(year, 12, 31), ""))
    specs.append(PeriodSpec(Kind.ARSREDOVISNING, datetime.date(year, 12, 31), ""))
    specs = [PeriodSpec(s.kind, s.ends_on, default_name(s.kind, s.ends_on)) for s in specs]
    return sorted(specs, key=lambda s: (s.ends_on, list(Kind.values).index(s.kind)))


def require_organisation_admin(actor: Actor, organisation: Organisation) -> None:
    """Periods belong to the whole organisation: administer them from its root units."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2100.")})


@transaction.atomic
def create_default_periods(
    organisation: Organisation,
    year: int,
    *,
    actor: Actor,
    months: tuple[int, ...] = DEFAULT_PERIODRAPPORT_MONTHS,
) -> list[ReportingPeriod]:
    """Create the year's default periods that do not exist yet; returns those created."""
    require_organisation_admin(actor, organisation)
    _check_year(year)
    if any(not 1 <= month <= 12 for month in months):
        raise ValidationError({"months": _("Månaderna ska vara mellan 1 och 12.")})
    existing = set(
        ReportingPeriod.objects.filter(organisation=organisation, year=year).values_list(
            "kind", "ends_on"
        )
    )
    created = []
    for spec in default_periods(year, months):
        if (spec.kind, spec.ends_on) in existing:
            continue
        created.append(
            ReportingPeriod.objects.create(
                organisation=organisation,
                year=year,
                kind=spec.kind,
                ends_on=spec.ends_on,
                name=spec.name,
            )
        )
    if created:
        record(
            actor=actor,
            action="period.create_defaults",
            obj=organisation,
            after={"year": year, "created": [period.slug for period in created]},
        )
    return created


@transaction.atomic
def create_period(
    organisation: Organisation, *, actor: Actor, kind: str, ends_on: datetime.date, name: str = ""
) -> ReportingPeriod:
    """Add one period; its year is the year it ends in. Validated before anything is saved."""
    require_organisation_admin(actor, organisation)
    if kind not in ReportingPeriod.Kind.values:
        raise ValidationError({"kind": _("Okänd typ av uppföljningstillfälle.")})
    _check_year(ends_on.year)
    if ReportingPeriod.objects.filter(
        organisation=organisation, kind=kind, ends_on=ends_on
    ).exists():
        raise ValidationError(
            {
                "ends_on": _("Det finns redan en %(kind)s som avser tiden till och med %(date)s.")
                % {
                    "kind": ReportingPeriod.Kind(kind).label.lower(),
                    "date": date_format(ends_on, "j F Y"),
                }
            }
        )
    period = ReportingPeriod.objects.create(
        organisation=organisation,
        year=ends_on.year,
        kind=kind,
        ends_on=ends_on,
        name=name.strip() or default_name(kind, ends_on),
    )
    record(
        actor=actor,
        action="period.create",
        obj=period,
        after={"kind": kind, "ends_on": ends_on.isoformat(), "name": period.name},
    )
    return period


@transaction.atomic
def delete_period(period: ReportingPeriod, *, actor: Actor) -> None:
    """Remove a period nobody has reported in yet."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    if period.followups.exists() or period.unit_reports.exists():
        raise ValidationError(
            _("%(name)s har redan uppföljningar och kan inte tas bort. Stäng det i stället.")
            % {"name": period.name}
        )
    record(
        actor=actor,
        action="period.delete",
        obj=period,
        before={"kind": period.kind, "ends_on": period.ends_on.isoformat(), "name": period.name},
    )
    period.delete()
