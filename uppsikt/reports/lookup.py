"""Finding a unit and a period from how people write them: ``0018/regionstyrelsen``,
``2023-delarsrapport``. Errors are Swedish and say what exists instead."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import period_order


def find_unit(text: str) -> Unit:
    """``"0018/regionstyrelsen"`` → the unit (organisation code / unit slug)."""
    code, slash, slug = (text or "").strip().partition("/")
    if not slash or not code or not slug:
        raise ValidationError(
            _(
                "Ange enheten som organisationskod/kortnamn, t.ex. 0018/regionstyrelsen (fick ”%(text)s”)."
            )
            % {"text": text}
        )
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise ValidationError(
            _("Det finns ingen organisation med koden %(code)s.") % {"code": code}
        )
    unit = (
        Unit.objects.filter(organisation=organisation, slug=slug)
        .select_related("organisation")
        .first()
    )
    if unit is None:
        known = ", ".join(
            organisation.units.order_by("position", "name").values_list("slug", flat=True)
        )
        raise ValidationError(
            _("Enheten ”%(slug)s” finns inte i %(org)s. Enheterna är: %(known)s.")
            % {"slug": slug, "org": organisation.name, "known": known or _("inga")}
        )
    return unit


def find_period(organisation: Organisation, slug: str) -> ReportingPeriod:
    """The organisation's period with this slug, e.g. ``2023-delarsrapport``."""
    period = ReportingPeriod.objects.filter(
        organisation=organisation, slug=(slug or "").strip()
    ).first()
    if period is None:
        periods = sorted(
            ReportingPeriod.objects.filter(organisation=organisation), key=period_order
        )
        known = ", ".join(period.slug for period in periods)
        raise ValidationError(
            _("Uppföljningstillfället ”%(slug)s” finns inte för %(org)s. Det finns: %(known)s.")
            % {"slug": slug, "org": organisation.name, "known": known or _("inga")}
        )
    return period
