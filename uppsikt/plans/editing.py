"""What the draft editor (``plans.views.editor``) shows and offers, kept out of the views.

The editor lays the plan out from ``document.plan_document`` like the plan page, and adds
to every node what may be added inside it (``ADDABLE``) and a title to name it by. The
cascade choices come from here too: the goals of the plans above (``goals_above``) that a
goal may "bidra till" and an aktivitet may serve.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .actions.parts import CONTAINERS, FIELDS, MODELS, kind_of
from .content_kinds import kind_used
from .document import PlanDocument, plan_document
from .models import Activity, Goal, Indicator, Plan
from .page import links_for_indicator
from .queries import current_plans, current_versions

TOP = ""
# Which kinds may be added where: at the top of the plan (TOP), and inside each container.
ADDABLE: dict[str, tuple[str, ...]] = {
    TOP: ("section", "perspective", "focus_area", "strategy", "goal", "assignment", "activity"),
    "perspective": ("section", "strategy", "goal", "assignment"),
    "focus_area": ("strategy", "goal", "activity"),
    "section": ("goal", "activity"),
    "strategy": ("goal", "assignment"),
    "goal": ("indicator",),
}
ADD_LABELS = {
    "section": _("Lägg till avsnitt"),
    "perspective": _("Lägg till perspektiv"),
    "focus_area": _("Lägg till prioriterat område"),
    "strategy": _("Lägg till strategi"),
    "goal": _("Lägg till mål"),
    "indicator": _("Lägg till indikator"),
    "assignment": _("Lägg till uppdrag"),
    "activity": _("Lägg till aktivitet"),
}


def offered(plan: Plan, kind: str) -> bool:
    """Whether the editor offers adding a ``kind`` to ``plan``: its styrmodell uses it (a
    kind it does not use is not offered, and refused by ``parts.add_part``; what a plan
    already has of it is shown)."""
    return kind_used(plan, kind)


def addable(plan: Plan, where: str) -> list[tuple[str, Any]]:
    """What may be added at ``where`` (``TOP`` or a container's kind), with its label."""
    return [(kind, ADD_LABELS[kind]) for kind in ADDABLE.get(where, ()) if offered(plan, kind)]


KIND_LABELS = {
    "section": _("Avsnitt"),
    "perspective": _("Perspektiv"),
    "focus_area": _("Prioriterat område"),
    "strategy": _("Strategi"),
    "goal": _("Mål"),
    "indicator": _("Indikator"),
    "assignment": _("Uppdrag"),
    "activity": _("Aktivitet"),
}


def title_of(obj: Model) -> str:
    """How the editor names ``obj``: its heading, name or (shortened) text."""
    if isinstance(obj, Goal):
        return f"{obj.label}: {Truncator(obj.text).chars(120)}"
    for name in ("heading", "name", "lead", "text"):
        value = getattr(obj, name, "")
        if value:
            number = getattr(obj, "number", "")
            text = Truncator(value).chars(120)
            return f"{number} {text}" if number and name != "text" else text
    return str(obj)


def find_part(plan: Plan, kind: str, pk: int) -> Model | None:
    """The object of ``kind`` with id ``pk`` in ``plan``, or None."""
    model = MODELS.get(kind)
    if model is None:
        return None
    owner = {"goal__plan": plan} if model is Indicator else {"plan": plan}
    found: Model | None = model._default_manager.filter(pk=pk, **owner).first()
    return found


def container_from(plan: Plan, under: str) -> tuple[str, Model] | None:
    """The container named by ``under`` ("<kind>:<id>", e.g. "perspective:4") in ``plan``."""
    kind, _sep, pk = (under or "").partition(":")
    if kind not in CONTAINERS or not pk.isdigit():
        return None
    obj = find_part(plan, kind, int(pk))
    return (kind, obj) if obj is not None else None


def placed_in(kind: str, container_kind: str, container: Model) -> dict[str, Any]:
    """The container fields a new ``kind`` gets when added inside ``container``: the
    container itself, and the containers it sits in (a goal added to a strategy of a
    perspective belongs to both), as far as ``kind`` has such fields."""
    fields = FIELDS[kind]
    placed: dict[str, Any] = {}
    if container_kind in fields:
        placed[container_kind] = container
    for name in CONTAINERS:
        outer = getattr(container, f"{name}_id", None) if name != container_kind else None
        if outer and name in fields:
            placed[name] = outer
    return placed


def editor_url(plan: Plan, anchor: str = "") -> str:
    """The editor page, at ``anchor`` (an id on it) when given."""
    url = reverse("plans:edit", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def anchor_of(obj: Model) -> str:
    """The id of ``obj``'s place on the editor page."""
    return f"{kind_of(obj)}-{obj.pk}"


def parent_anchor(obj: Model) -> str:
    """The id of the place on the editor page that holds ``obj`` ("" for the plan itself)."""
    if isinstance(obj, Indicator):
        return f"goal-{obj.goal_id}"
    for name in ("strategy", "section", "focus_area", "perspective"):
        value = getattr(obj, f"{name}_id", None)
        if value:
            return f"{name}-{value}"
    return ""


def removal_fingerprint(version: int, impact: list[str]) -> str:
    """What a removal page showed (the object's version and what removing it affects), as
    the page posts it back: a removal is done only if nothing of it changed since."""
    text = "\n".join([str(version), *impact])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def editor_document(plan: Plan, user: Any) -> PlanDocument:
    """The plan as the editor shows it, in a fixed number of queries: every node with its
    ``title`` and what may be added in it, every indicator with its ``links`` (from
    ``page.indicator_links``), every aktivitet with the goals it serves (``serves``)."""
    document = plan_document(plan, user)
    serves = _goals_served(plan)
    for node in document.walk():
        setattr(node, "title", title_of(node.obj))  # noqa: B010 - read by the template
        setattr(node, "kind_label", KIND_LABELS[node.kind])  # noqa: B010
        setattr(node, "addable", addable(plan, node.kind))  # noqa: B010
        if node.kind == "goal":
            for indicator in node.obj.indicators.all():
                indicator.links = links_for_indicator(indicator, user)
        elif node.kind == "activity":
            node.obj.serves = serves.get(node.obj.pk, [])
    return document


def _goals_served(plan: Plan) -> dict[int, list[Goal]]:
    links = Activity.contributes_to.through.objects.filter(activity__plan=plan).select_related(
        "goal__plan__unit"
    )
    served: dict[int, list[Goal]] = defaultdict(list)
    for link in links.order_by("goal__plan_id", "goal__position"):
        served[link.activity_id].append(link.goal)
    return served


def plans_above(plan: Plan, user: Any) -> list[Plan]:
    """The plans of the units above ``plan``'s unit that ``user`` may read: per unit the
    version in force (or the draft before any decision) of the newest year up to
    ``plan``'s year, nearest unit first."""
    ancestors = plan.unit.ancestors()
    if not ancestors:
        return []
    found = (
        current_plans(user)
        .filter(pk__in=current_versions(), unit__in=ancestors, year__lte=plan.year)
        .select_related("unit")
        .order_by("-year", "-version")
    )
    newest: dict[int, Plan] = {}
    for candidate in found:
        newest.setdefault(candidate.unit_id, candidate)
    depth = {unit.pk: index for index, unit in enumerate(ancestors)}
    return sorted(newest.values(), key=lambda item: -depth[item.unit_id])


def goals_above(plan: Plan, user: Any) -> list[Goal]:
    """The goals of ``plans_above``, plan by plan in document order."""
    plans = plans_above(plan, user)
    order = {above.pk: index for index, above in enumerate(plans)}
    goals = Goal.objects.filter(plan__in=plans).select_related("plan__unit")
    return sorted(goals, key=lambda goal: (order[goal.plan_id], goal.position, goal.pk))


def grouped(goals: list[Goal]) -> list[tuple[str, list[Goal]]]:
    """``goals`` by plan, for a select's option groups: (plan title, goals)."""
    groups: dict[int, tuple[str, list[Goal]]] = {}
    for goal in goals:
        groups.setdefault(goal.plan_id, (_plan_label(goal.plan), []))[1].append(goal)
    return list(groups.values())


def _plan_label(plan: Plan) -> str:
    if plan.is_published:
        return plan.title
    return f"{plan.title} ({plan.get_status_display().lower()})"


def goal_choice_label(goal: Goal) -> str:
    return f"{goal.label}: {Truncator(goal.text).chars(100)}"
