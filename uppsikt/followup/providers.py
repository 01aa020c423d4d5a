"""The scope providers for the plan: goals, uppdrag, aktiviteter (budget tables: ``budget``),
and the uppdrag other units' plans give the unit.

Periodrapporter follow up the economy with its forecast (the 2023 plan, section 5:
"Uppföljning sker i periodrapporter av ekonomin med årsprognos"), so only budget tables
are in their scope; the delårsrapport, verksamhetsberättelse and årsredovisning follow up
every goal, uppdrag and aktivitet of the unit's decided plan for the year too, and every
uppdrag that another unit's decided plan for the year gives the unit (its responsible unit):
the unit that gives an uppdrag follows it up in its own plan, the unit that carries it out
under "Uppdrag från <plan>".
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.document import Node, plan_document
from uppsikt.plans.given import by_plan, given_to, in_force
from uppsikt.plans.models import Plan

from .scope import Item

FOLLOWED_KINDS = ("goal", "assignment", "activity")
KIND_LABELS = {"assignment": gettext_lazy("Uppdrag"), "activity": gettext_lazy("Aktivitet")}


def plan_for(unit: Unit, period: ReportingPeriod) -> Plan | None:
    """The unit's decided plan for the period's year (its latest version), if any."""
    return (
        Plan.objects.published()
        .filter(unit=unit, year=period.year)
        .select_related("unit__organisation", "decided_by")
        .order_by("-version")
        .first()
    )


def node_title(node: Node, *, numbered: bool = True) -> str:
    """A plan block's heading as the plan page writes it, e.g. "3.1 Perspektiv: Process"."""
    obj = node.obj
    if node.kind == "section":
        text = obj.heading
    elif node.kind == "perspective":
        text = _("Perspektiv: %(name)s") % {"name": obj.name}
    elif node.kind == "focus_area":
        text = _("Prioriterat område %(name)s") % {"name": obj.name}
    elif node.kind == "strategy":
        text = _("Strategi: %(name)s") % {"name": obj.name} if obj.name else obj.lead
    elif node.kind == "goal":
        return f"{obj.label}: {obj.text}"
    else:
        return str(obj)
    number = getattr(obj, "number", "")
    return f"{number} {text}" if numbered and number else text


def followed_up(node: Node) -> bool:
    """Whether ``node`` is, or holds, something followed up."""
    return node.kind in FOLLOWED_KINDS or any(followed_up(child) for child in node.children)


def _walk(nodes: list[Node], group: str, subgroup: str) -> Iterator[tuple[Node, str, str]]:
    for node in nodes:
        if node.kind in FOLLOWED_KINDS:
            yield node, group, subgroup
        elif node.children:
            yield from _walk(node.children, group, node_title(node))


def plan_items(unit: Unit, period: ReportingPeriod) -> list[Item]:
    if period.is_periodic:
        return []
    plan = plan_for(unit, period)
    if plan is None:
        return []
    document = plan_document(plan)
    items = []
    for block in document.blocks:
        group = node_title(block)
        if block.kind in FOLLOWED_KINDS:
            found = [(block, group, "")]
        else:
            found = list(_walk(block.children, group, ""))
        for node, group_title, subgroup in found:
            obj = node.obj
            if node.kind == "goal":
                kind_label, title = obj.label, obj.text
            else:
                kind_label, title = str(KIND_LABELS[node.kind]), obj.text
            items.append(
                Item(
                    target=obj,
                    unit=unit,
                    kind_label=kind_label,
                    title=title,
                    group=group_title,
                    subgroup=subgroup,
                    order=(10, obj.position),
                    extra={"plan": plan, "responsible_unit": getattr(obj, "responsible", None)},
                )
            )
    return items


GIVEN_ORDER = 15  # after the unit's own plan (10), before budget (40)


def given_items(unit: Unit, period: ReportingPeriod) -> list[Item]:
    """The uppdrag given to ``unit`` by other units' decided plans for the period's year."""
    if period.is_periodic:
        return []
    plans = in_force(period.organisation_id, period.year)
    items = []
    for plan, assignments in by_plan(given_to(unit, plans)):
        group = _("Uppdrag från %(plan)s") % {"plan": plan.title}
        link = (plan.get_absolute_url(), _("Uppdraget i %(plan)s") % {"plan": plan.title})
        for assignment in assignments:
            items.append(
                Item(
                    target=assignment,
                    unit=unit,
                    kind_label=str(KIND_LABELS["assignment"]),
                    title=assignment.text,
                    group=group,
                    order=(GIVEN_ORDER, plan.unit.position, plan.pk, assignment.position),
                    extra={"plan": plan, "given_by": plan, "responsible_unit": unit, "link": link},
                )
            )
    return items
