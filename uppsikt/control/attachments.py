"""The internkontrollplan inside its verksamhetsplan: the table in the plan's section.

``attach_control_plan(document, user)`` hangs the unit's plan table (Verksamhet | Risk |
Åtgärd, as printed in the verksamhetsplan) on the section whose number the control plan names
(``ControlPlan.section_number``, e.g. "6.1"), the way budget tables hang in theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import ControlPlan, unit_plan_url
from .queries import PlanTable, plan_table

TEMPLATE = "control/_plan_attachment.html"


@dataclass
class ControlAttachment:
    table: PlanTable
    url: str
    template: str = TEMPLATE


def attach_control_plan(document, user) -> None:
    plan = document.plan
    control = ControlPlan.objects.filter(unit_id=plan.unit_id, year=plan.year).first()
    if control is None or not control.section_number:
        return
    for node in document.walk():
        if node.kind == "section" and node.obj.number == control.section_number:
            table = plan_table(plan.unit, plan.year, user=user)
            if table.risks:
                node.attachments.append(
                    ControlAttachment(table, unit_plan_url(plan.unit, plan.year))
                )
            return


def unit_plan_links(unit, user) -> list[tuple[int, str]]:
    """(year, url) of the internkontrollplaner the unit page links to, newest first.

    A nämnd links to every year the region has region-wide risks, even without risks of
    its own.
    """
    from . import visibility
    from .units import is_namnd, region_owner

    plans = visibility.control_plans(user)
    owners = [unit.pk]
    owner = region_owner(unit.organisation_id) if is_namnd(unit) else None
    if owner is not None:
        owners.append(owner.pk)
    found = set(plans.filter(unit_id__in=owners).values_list("year", flat=True))
    return [(year, unit_plan_url(unit, year)) for year in sorted(found, reverse=True)]
