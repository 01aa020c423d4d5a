"""Opening and closing reporting periods; every write tied to a period checks it is open."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.organisations.models import Unit

from .models import ReportingPeriod


def ensure_open(period: ReportingPeriod) -> None:
    """Refuse a change to something that belongs to a closed period."""
    if not period.is_open:
        raise ValidationError(
            _("Uppföljningstillfället %(name)s är stängt och kan inte ändras.")
            % {"name": period.name}
        )


def top_units(period: ReportingPeriod):
    """The organisation's root units: rights over a whole period are held there."""
    return Unit.objects.filter(organisation_id=period.organisation_id, parent__isnull=True)


def _require_on_organisation(actor, perm: Perm, period: ReportingPeriod) -> None:
    roots = list(top_units(period))
    if not roots:
        require(actor, perm, None)
    for root in roots:
        require(actor, perm, root)


@transaction.atomic
def close_period(period: ReportingPeriod, *, actor) -> ReportingPeriod:
    """Close the period: from now on everything reported in it is read-only."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    return _set_status(period, ReportingPeriod.Status.CLOSED, actor=actor, reason="")


@transaction.atomic
def reopen_period(period: ReportingPeriod, *, actor, reason: str) -> ReportingPeriod:
    """Reopen a closed period: an administrator's action, with a reason, in the audit trail."""
    _require_on_organisation(actor, Perm.ADMIN, period)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför uppföljningstillfället öppnas igen.")})
    return _set_status(period, ReportingPeriod.Status.OPEN, actor=actor, reason=reason.strip())


def _set_status(period, status, *, actor, reason: str) -> ReportingPeriod:
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
