"""Which plans the public site's number pages read: an organisation's decided plans in force.

A plan is in force when it is decided (beslutad or reviderad) and no newer decision for the
same unit and year replaced it (``plans.given.in_force``); a draft, or a revision still being
written, is never read here. The pages show one year: the one asked for (``?ar=``) or else
the newest year with a decided plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from uppsikt.organisations.models import Organisation
from uppsikt.plans.given import in_force
from uppsikt.plans.models import Plan
from uppsikt.plans.queries import current_versions

YEAR_PARAM = "ar"


def decided_current(organisation: Organisation) -> QuerySet[Plan]:
    """Every decided plan in force of the organisation, every year."""
    return Plan.objects.published().filter(
        pk__in=current_versions(), unit__organisation_id=organisation.pk
    )


@dataclass(frozen=True)
class YearChoice:
    year: int | None  # None: the organisation has no decided plan
    years: list[int]  # every year with a decided plan, newest first
    plans: list[Plan]


def chosen_year(organisation: Organisation, asked: str | None) -> YearChoice:
    """The year shown and its plans in force; an unknown or malformed ``?ar=`` is a 404 (a
    year without decided plans has no page)."""
    years = sorted(set(decided_current(organisation).values_list("year", flat=True)), reverse=True)
    if asked is None:
        year = years[0] if years else None
    elif asked.isascii() and asked.isdigit() and len(asked) == 4 and int(asked) in years:
        year = int(asked)
    else:
        raise Http404
    plans: list[Plan] = []
    if year is not None:
        plans = list(
            in_force(organisation.pk, year)
            .select_related("unit__organisation")
            .order_by("unit__position", "unit__pk")
        )
    return YearChoice(year, years, plans)
