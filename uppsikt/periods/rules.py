"""The rules other apps ask of a period: is it open, in which order, who administers it.

Every write tied to a period checks that it is open (``ensure_open``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.organisations.models import Organisation, Unit

from .models import ReportingPeriod


def ensure_open(period: ReportingPeriod) -> None:
    """Refuse a change to something that belongs to a closed period."""
    if not period.is_open:
        raise ValidationError(
            _("Uppföljningstillfället %(name)s är stängt och kan inte ändras.")
            % {"name": period.name}
        )


def period_order(period: ReportingPeriod) -> tuple:
    """Date order, and for the same date the kinds' own order (verksamhetsberättelse first)."""
    return (period.year, period.ends_on, list(ReportingPeriod.Kind.values).index(period.kind))


def _roots(organisation_id: int) -> list[Unit]:
    return list(Unit.objects.filter(organisation_id=organisation_id, parent__isnull=True))


def can_on_organisation(actor, perm: Perm, organisation_id: int) -> bool:
    """Rights over a whole organisation (its periods) are held on every one of its root units."""
    roots = _roots(organisation_id)
    if not roots:
        return can(actor, perm, None)
    return all(can(actor, perm, root) for root in roots)


def require_on_organisation(actor, perm: Perm, organisation_id: int) -> None:
    targets: list[Unit | None] = [*_roots(organisation_id)] or [None]
    for target in targets:
        require(actor, perm, target)


def require_organisation_admin(actor, organisation: Organisation) -> None:
    """Periods belong to the whole organisation: administer them from its root units."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
