"""The åtgärder a unit follows up in a period, for the shared follow-up (``followup.scope``).

A unit follows up the åtgärder of its internkontrollplan for the period's year that are
reported in that kind of period (``queries.reported_in_period``): its own risks' åtgärder
and, when it is a nämnd, the region-wide ones — each nämnd on its own entry, since a
``FollowUp`` is unique per period, object and unit. This is the same set the control app's
own follow-up page shows (``queries.unit_followup``), read from the same plan table, so the
follow-up form, the dashboard, the submission rule and the report agree with it.

Whether the unit's verksamhetsplan is decided does not matter here: the internkontrollplan
is followed up as soon as it has åtgärder.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.followup.scope import Item
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .models import Measure, Risk
from .queries import plan_table, reported_in_period
from .units import plan_risk_filter

ORDER = 50  # after the plan (10) and the budget (40), as in the verksamhetsplan


def control_items(unit: Unit, period: ReportingPeriod) -> list[Item]:
    """Every åtgärd ``unit`` follows up in ``period``, in the plan table's order."""
    if period.organisation_id != unit.organisation_id:
        return []
    if not Risk.objects.filter(plan_risk_filter(unit, period.year)).exists():
        return []
    table = plan_table(unit, period.year)
    rows = [
        (area, risk, measure)
        for area in table.areas
        for risk in area.risks
        for measure in risk.measures
        if reported_in_period(measure, period)
    ]
    measures = Measure.objects.select_related("risk__control_plan__unit").in_bulk(
        [measure.pk for _area, _risk, measure in rows]
    )
    group = _("Intern kontroll: internkontrollplan %(year)s") % {"year": period.year}
    items = []
    for index, (area, risk, row) in enumerate(rows):
        measure = measures[row.pk]
        subgroup = f"{area.name}: {risk.text}"
        if risk.is_region_wide:
            subgroup += " " + _("(regionövergripande)")
        items.append(
            Item(
                target=measure,
                unit=unit,
                kind_label=_("Åtgärd"),
                title=measure.text,
                group=group,
                subgroup=subgroup,
                order=(ORDER, index),
                extra={
                    "risk": risk,
                    "area": area.name,
                    "link": (
                        reverse(
                            "control:measure_followup", args=[measure.pk, period.pk, unit.slug]
                        ),
                        _("Avvikelser och åtgärdens uppföljning"),
                    ),
                },
            )
        )
    return items
