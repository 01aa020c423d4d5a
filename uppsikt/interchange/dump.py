"""Write the database in the data file format, so that loading the dump gives the same data."""

from typing import Any

import yaml

from uppsikt.governance.models import GovernanceModel
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.document import Node, plan_document
from uppsikt.plans.models import Goal, Plan

from . import styrmodell
from .schema import FORMAT


def _put(target: dict, key: str, value: Any) -> None:
    """Optional fields are written only when they hold something."""
    if value not in (None, "", [], False):
        target[key] = value


def dump_data() -> dict:
    models = {
        model.organisation_id: model
        for model in GovernanceModel.objects.prefetch_related(
            "goal_levels", "assessment_steps", "perspectives"
        )
    }
    organisations = [
        _organisation(org, models)
        for org in Organisation.objects.prefetch_related(
            "visions", "value_bases__statements", "units"
        )
    ]
    plans = list(
        Plan.objects.select_related("unit__organisation", "decided_by").order_by(
            "unit__organisation__code", "unit__position", "year", "version"
        )
    )
    goal_ids = {
        goal.pk: f"{goal.plan.unit.slug}-{goal.plan.year}-v{goal.plan.version}-{index}"
        for plan in plans
        for index, goal in enumerate(
            Goal.objects.filter(plan=plan).select_related("plan__unit").order_by("position"), 1
        )
    }
    return {
        "format": FORMAT,
        "organisations": organisations,
        "plans": [_plan(plan, goal_ids) for plan in plans],
    }


def dump_yaml() -> str:
    return yaml.safe_dump(dump_data(), allow_unicode=True, sort_keys=False, width=100)


def _organisation(org: Organisation, models: dict[int, GovernanceModel]) -> dict:
    data: dict[str, Any] = {"code": org.code, "name": org.name, "kind": org.kind}
    _put(data, "county_code", org.county_code)
    visions = []
    for vision in org.visions.all():
        item: dict[str, Any] = {"text": vision.text}
        _put(item, "description", vision.description)
        _put(item, "decided_on", vision.decided_on.isoformat() if vision.decided_on else None)
        _put(item, "decided_by", vision.decided_by)
        _put(item, "source", vision.source)
        _put(item, "note", vision.note)
        visions.append(item)
    _put(data, "visions", visions)
    bases = []
    for base in org.value_bases.all():
        item = {"title": base.title}
        _put(item, "year", base.year)
        _put(item, "intro", base.intro)
        _put(item, "source", base.source)
        statements = []
        for statement in base.statements.all():
            entry: dict[str, Any] = {}
            _put(entry, "word", statement.word)
            entry["description"] = statement.description
            statements.append(entry)
        item["statements"] = statements
        bases.append(item)
    _put(data, "value_bases", bases)
    model = models.get(org.pk)
    if model is not None:
        data["styrmodell"] = styrmodell.dump(model)
    units = sorted(org.units.all(), key=lambda unit: unit.position)
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def tree(parent_id: int | None) -> list[dict]:
        result = []
        for unit in children.get(parent_id, []):
            entry: dict[str, Any] = {"slug": unit.slug, "name": unit.name, "kind": unit.kind}
            _put(entry, "responsibility", unit.responsibility)
            _put(entry, "units", tree(unit.pk))
            result.append(entry)
        return result

    _put(data, "units", tree(None))
    return data


def _plan(plan: Plan, goal_ids: dict[int, str]) -> dict:
    data: dict[str, Any] = {
        "id": f"{plan.unit.slug}-{plan.year}-v{plan.version}",
        "organisation": plan.unit.organisation.code,
        "unit": plan.unit.slug,
        "year": plan.year,
    }
    _put(data, "horizon_end", plan.horizon_end)
    data.update({"title": plan.title, "status": plan.status, "version": plan.version})
    _put(data, "decided_by", plan.decided_by.slug if plan.decided_by else None)
    _put(data, "decided_on", plan.decided_on.isoformat() if plan.decided_on else None)
    _put(data, "example", plan.is_example)
    _put(data, "source", plan.source)
    _put(data, "note", plan.note)
    document = plan_document(plan)
    data["blocks"] = [{node.kind: _node(node, goal_ids)} for node in document.blocks]
    exemptions = [
        {"goal": goal_ids[exemption.goal_id], "reason": exemption.reason}
        for exemption in plan.exemptions.order_by("goal__plan__year", "goal__position")
        if exemption.goal_id in goal_ids
    ]
    _put(data, "exemptions", exemptions)
    return data


def _node(node: Node, goal_ids: dict[int, str]) -> dict:
    obj = node.obj
    data: dict[str, Any] = {}
    if node.kind == "section":
        _put(data, "number", obj.number)
        data["heading"] = obj.heading
        _put(data, "body", obj.body)
        _put(data, "items", obj.items)
        _put(data, "note", obj.note)
        _put(data, "goals", [_goal(child.obj, goal_ids) for child in node.goals])
        _put(data, "activities", [_activity(child.obj, goal_ids) for child in node.activities])
    elif node.kind == "perspective":
        _put(data, "number", obj.number)
        data["name"] = obj.name
        _put(data, "description", obj.description)
        _put(data, "responsibilities", obj.responsibilities)
        _put(data, "goals", [_goal(child.obj, goal_ids) for child in node.goals])
        _put(data, "strategies", [_node(child, goal_ids) for child in node.strategies])
        _put(data, "sections", [_node(child, goal_ids) for child in node.sections])
    elif node.kind == "focus_area":
        _put(data, "number", obj.number)
        data["name"] = obj.name
        _put(data, "description", obj.description)
        _put(data, "strategies", [_node(child, goal_ids) for child in node.strategies])
        _put(data, "goals", [_goal(child.obj, goal_ids) for child in node.goals])
        _put(data, "activities", [_activity(child.obj, goal_ids) for child in node.activities])
    elif node.kind == "strategy":
        _put(data, "number", obj.number)
        _put(data, "name", obj.name)
        _put(data, "lead", obj.lead)
        _put(data, "statements", obj.statements)
        _put(data, "description", obj.description)
        _put(data, "goals", [_goal(child.obj, goal_ids) for child in node.goals])
        assignments = []
        for child in node.assignments:
            entry = {"text": child.obj.text}
            _put(
                entry, "responsible", child.obj.responsible.slug if child.obj.responsible else None
            )
            assignments.append(entry)
        _put(data, "assignments", assignments)
    return data


def _goal(goal: Goal, goal_ids: dict[int, str]) -> dict:
    data: dict[str, Any] = {"id": goal_ids[goal.pk], "kind": goal.kind}
    _put(data, "number", goal.number)
    data["text"] = goal.text
    _put(data, "description", goal.description)
    _put(data, "note", goal.note)
    _put(data, "contributes_to", sorted(goal_ids[other.pk] for other in goal.contributes_to.all()))
    indicators = []
    for indicator in goal.indicators.all():
        entry = {"text": indicator.text}
        _put(entry, "note", indicator.note)
        indicators.append(entry)
    _put(data, "indicators", indicators)
    return data


def _activity(activity, goal_ids: dict[int, str]) -> dict:
    data: dict[str, Any] = {"text": activity.text}
    _put(data, "responsible", activity.responsible.slug if activity.responsible else None)
    _put(data, "starts_on", activity.starts_on.isoformat() if activity.starts_on else None)
    _put(data, "ends_on", activity.ends_on.isoformat() if activity.ends_on else None)
    refs = sorted(goal_ids[goal.pk] for goal in activity.contributes_to.all())
    _put(data, "contributes_to", refs)
    return data
