"""The plans the organisation and unit pages list (registered in ``PlansConfig.ready``)."""

from __future__ import annotations

from typing import Any

from .models import Plan


def organisation_plans(organisation: Any, user: Any) -> dict[str, Any]:
    plans = (
        Plan.objects.visible_to(user)
        .filter(unit__organisation=organisation)
        .select_related("unit")
        .with_superseded()
        .order_by("-year", "unit__position", "-version")
    )
    return {"plans": plans}


def unit_plans(unit: Any, user: Any) -> dict[str, Any]:
    plans = (
        Plan.objects.visible_to(user)
        .filter(unit=unit)
        .with_superseded()
        .order_by("-year", "-version")
    )
    return {"plans": plans}
