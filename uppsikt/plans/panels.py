"""The plans the organisation and unit pages list (registered in ``PlansConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from uppsikt.accounts.access import Perm, can

from .models import Plan


def organisation_plans(organisation: Any, user: Any) -> dict[str, Any]:
    plans = (
        Plan.objects.visible_to(user)
        .filter(unit__organisation=organisation)
        .select_related("unit")
        .with_superseded()
        .order_by("-year", "unit__position", "-version")
    )
    # The cascade of each year that has a plan (``plans:cascade``).
    years = sorted({plan.year for plan in plans}, reverse=True)
    cascades = [(year, reverse("plans:cascade", args=[organisation.code, year])) for year in years]
    return {"plans": plans, "cascades": cascades}


def unit_plans(unit: Any, user: Any) -> dict[str, Any]:
    plans = (
        Plan.objects.visible_to(user)
        .filter(unit=unit)
        .with_superseded()
        .order_by("-year", "-version")
    )
    create_url = None
    if can(user, Perm.PLAN, unit):
        create_url = f"{reverse('plans:create')}?enhet={unit.pk}"
    return {"plans": plans, "create_url": create_url}
