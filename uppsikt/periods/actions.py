"""Writing periods: creating an organisation's periods, closing, reopening, removing them.

Each is an administrator's action over the whole organisation and is audited.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm
from uppsikt.audit.trail import record
from uppsikt.governance.models import Calendar
from uppsikt.governance.words import styrmodell_for
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation

from .defaults import default_deadlines, default_name, default_periods
from .models import ReportingPeriod, UnitDeadline
from .rules import require_on_organisation, require_organisation_admin


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


def _set_status(
    period: ReportingPeriod, status: str, *, actor: Actor, reason: str
) -> ReportingPeriod:
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


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2100.")})


@transaction.atomic
def create_default_periods(
    organisation: Organisation,
    year: int,
    *,
    actor: Actor,
    months: tuple[int, ...] | None = None,
) -> list[ReportingPeriod]:
    """Create the year's default periods that do not exist yet; returns those created.

    Without ``months`` the periods are the organisation's follow-up calendar (its
    styrmodell's ``calendar`` and ``period_months``); with them, a periodrapport after each
    of those months, the delårsrapport and the year end.

    Each gets the default deadlines (``defaults.default_deadlines``): reporting by the tenth
    working day after the period's end, review a week after that.
    """
    require_organisation_admin(actor, organisation)
    _check_year(year)
    if months is None:
        styrmodell = styrmodell_for(organisation.pk)
        calendar, months = styrmodell.calendar, styrmodell.period_months
    else:
        calendar = Calendar.MANAD
    if any(not 1 <= month <= 12 for month in months):
        raise ValidationError({"months": _("Månaderna ska vara mellan 1 och 12.")})
    existing = set(
        ReportingPeriod.objects.filter(organisation=organisation, year=year).values_list(
            "kind", "ends_on"
        )
    )
    created = []
    for spec in default_periods(year, months, calendar=calendar):
        if (spec.kind, spec.ends_on) in existing:
            continue
        report_by, review_by = default_deadlines(spec.ends_on)
        created.append(
            ReportingPeriod.objects.create(
                organisation=organisation,
                year=year,
                kind=spec.kind,
                ends_on=spec.ends_on,
                name=spec.name,
                report_by=report_by,
                review_by=review_by,
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


def _in_use(period: ReportingPeriod) -> bool:
    """Whether anything hangs on the period: a row of another app (a follow-up entry, a
    unit's report, an assessment) refers to it."""
    for relation in ReportingPeriod._meta.related_objects:
        model = relation.related_model
        assert not isinstance(model, str)  # resolved once the apps are loaded
        if model is UnitDeadline:  # its own settings, removed with it
            continue
        if model._base_manager.filter(**{relation.field.name: period}).exists():
            return True
    return False


@transaction.atomic
def delete_period(period: ReportingPeriod, *, actor: Actor) -> None:
    """Remove a period nobody has reported in yet."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    if _in_use(period):
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
