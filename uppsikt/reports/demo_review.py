"""The demo's review dialogue under way: Regionkansliet's delårsrapport sent back.

``uppsikt demo_review`` (part of ``make demo``, after ``demo_followup``) has the demo
granskare return Regionkansliet's approved delårsrapport 2023 with a comment, and reopen the
goal whose indicator is reported by hand. So the demo shows the year's work in motion: the
rapportör has a returned report among their tasks and enters the indicator's value and a
full-year forecast; the granskare's comment stays in the report's thread; the public page
keeps showing the approved version with a note that a revision is under way.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from uppsikt.followup.actions.reports import return_report
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.scope import in_scope
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .demo import OFFICE, ORGANISATION, PREFIX, YEAR, _by_hand

COMMENT = (
    PREFIX + "Målet om digital kompetens saknar utfall. Fyll i andelen anställda med "
    "utbildning per juli och en helårsprognos, och skriv analysen utifrån dem."
)


@transaction.atomic
def load_demo_review(reviewer: str = "granskare") -> UnitReport | None:
    """Return Regionkansliet's delårsrapport (once; None when it is not approved)."""
    period = ReportingPeriod.objects.get(
        organisation__code=ORGANISATION, year=YEAR, kind=ReportingPeriod.Kind.DELARSRAPPORT
    )
    office = Unit.objects.get(organisation__code=ORGANISATION, slug=OFFICE)
    report = UnitReport.objects.filter(period=period, unit=office).first()
    if report is None or report.state != UnitReport.State.GODKAND:
        return None
    goal_type = ContentType.objects.get_by_natural_key("plans", "goal")
    goals = [item.target.pk for item in in_scope(office, period) if _by_hand(item)]
    reopen = FollowUp.objects.filter(
        period=period, unit=office, content_type=goal_type, object_id__in=goals
    ).values_list("pk", flat=True)
    actor = get_user_model().objects.get(username=reviewer)
    return return_report(office, period, actor=actor, comment=COMMENT, reopen=list(reopen))
