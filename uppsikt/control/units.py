"""Which units take part in internal control, and where region-wide risks come from.

- **Nämnder** are the units of kind ``styrelse`` and ``namnd``. Regionstyrelsen counts as a
  nämnd too: it is the nämnd for regionkansliet (plan section 1.2).
- **Region-wide risks** are defined in the internkontrollplan of the organisation's
  styrelse (the first unit of kind ``styrelse``), marked ``is_region_wide``. Every nämnd's
  plan for a year is its own risks plus the region-wide risks of the same year, resolved
  here when asked, so a nämnd created later has them without any copying.
- **ISK-bedömningar** are made by nämnder and förvaltningar (kinds ``styrelse``, ``namnd``,
  ``forvaltning`` and ``kansli`` — regionkansliet is regionstyrelsens förvaltning); the
  samlad bedömning is regionstyrelsens.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from uppsikt.organisations.models import Organisation, Unit

NAMND_KINDS = (Unit.Kind.STYRELSE, Unit.Kind.NAMND)
ASSESSING_KINDS = (Unit.Kind.STYRELSE, Unit.Kind.NAMND, Unit.Kind.FORVALTNING, Unit.Kind.KANSLI)


def is_namnd(unit: Unit) -> bool:
    return unit.kind in NAMND_KINDS


def namnder(organisation: Organisation | int) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation, kind__in=NAMND_KINDS).order_by(
        "position", "name"
    )


def assessing_units(organisation: Organisation | int) -> QuerySet[Unit]:
    """The units expected to make an ISK-bedömning at year end."""
    return Unit.objects.filter(organisation=organisation, kind__in=ASSESSING_KINDS).order_by(
        "position", "name"
    )


def region_owner(organisation: Organisation | int) -> Unit | None:
    """The unit whose plan holds the region-wide risks and makes the samlad bedömning."""
    return (
        Unit.objects.filter(organisation=organisation, kind=Unit.Kind.STYRELSE)
        .order_by("position", "pk")
        .first()
    )


def plan_risk_filter(unit: Unit, year: int | None) -> Q:
    """The risks of ``unit``'s plan for ``year`` (None: every year's): its own, and
    region-wide ones if a nämnd."""
    same_year = Q() if year is None else Q(control_plan__year=year)
    condition = Q(control_plan__unit=unit) & same_year
    if is_namnd(unit):
        condition |= same_year & Q(
            is_region_wide=True,
            control_plan__unit__organisation_id=unit.organisation_id,
            control_plan__unit__kind=Unit.Kind.STYRELSE,
        )
    return condition


def reporting_units(risk) -> list[Unit]:
    """Who follows up the åtgärder of ``risk``: every nämnd for a region-wide risk, else
    the unit owning it."""
    owner = risk.control_plan.unit
    if risk.is_region_wide:
        return list(namnder(owner.organisation_id))
    return [owner]
