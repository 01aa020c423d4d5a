"""An indicator's definition and target rule through the REST API (issue 13): read, set (a
library definition or a new one, each kind of rule, target values per year) and removed,
through ``indicators.authoring`` as on the indicator's target page. Each refusal names its
field in Swedish with a machine code and changes nothing; a stale If-Match is 412; and the
same change made through the API and through the action leaves the same audit event."""

from decimal import Decimal

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.authoring import remove_indicator_target, set_indicator_target
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget
from uppsikt.indicators.rules import TargetValueRule, ThresholdRule
from uppsikt.plans.actions import authoring, parts
from uppsikt.plans.models import Indicator

from .authoring_api import refused

pytestmark = pytest.mark.django_db


def target_path(indicator: Indicator) -> str:
    return f"/plans/{indicator.goal.plan_id}/parts/indicator/{indicator.pk}/target"


def state() -> tuple:
    """Everything a refused target write could have touched."""
    return (
        sorted(IndicatorTarget.objects.values_list("pk", "indicator_id", "definition_id", "rule")),
        sorted(IndicatorDefinition.objects.values_list("pk", "key")),
        sorted(Indicator.objects.values_list("pk", "row_version")),
        AuditEvent.objects.count(),
    )


def test_a_target_is_read_set_with_each_kind_of_definition_and_removed(
    two_regions_with_roles, as_role
):
    region_a, api_planner = two_regions_with_roles, as_role("planerare_inne")
    indicator = region_a.draft_goal.indicators.get()
    path = target_path(indicator)
    read = api_planner.get(path)
    assert read.status_code == 200, read.content
    assert read["ETag"] == f'"indicator-{indicator.pk}-{indicator.row_version}"'
    assert read.json()["rule"] == {"kind": "change", "direction": "increase"}
    assert read.json()["definition"]["key"] == "andel-nojda"
    assert read.json()["rule_is_proposed"] is True

    body = {
        "definition": region_a.definition.pk,
        "rule": {"kind": "threshold", "minimum": "60", "maximum": None},
    }
    done = api_planner.send("put", path, body, headers={"If-Match": read["ETag"]})
    assert done.status_code == 200, done.content
    assert done.json()["rule"] == {"kind": "threshold", "minimum": "60", "maximum": None}
    assert done.json()["rule_text"] == "Minst 60,0\xa0%"
    assert done.json()["rule_is_proposed"] is False
    assert done["ETag"] == f'"indicator-{indicator.pk}-{indicator.row_version + 1}"'
    assert api_planner.get(path).json() == done.json()
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.reason) == ("indicator_target.update", "Minst 60,0\xa0%")

    new = {
        "new_definition": {"name": "Andel rökfria", "unit": "procent", "key": "rokfria"},
        "rule": {"kind": "target", "targets": {"2025": 60, "2024": "55.5"}},
    }
    made = api_planner.send("put", path, new, headers={"If-Match": done["ETag"]})
    assert made.status_code == 200, made.content
    assert made.json()["definition"]["key"] == "rokfria"
    assert made.json()["rule"] == {
        "kind": "target",
        "targets": {"2024": "55.5", "2025": "60"},
        "comparison": "at_least",
    }
    stored = IndicatorTarget.objects.get(indicator=indicator)
    assert stored.target_rule == TargetValueRule(
        (("2024", Decimal("55.5")), ("2025", Decimal("60")))
    )

    gone = api_planner.send("delete", path, headers={"If-Match": made["ETag"]})
    assert gone.status_code == 200, gone.content
    assert gone.json()["definition"] is None and gone.json()["rule"] is None
    assert not IndicatorTarget.objects.filter(indicator=indicator).exists()
    assert IndicatorDefinition.objects.filter(key="rokfria").exists()  # stays in the library
    again = api_planner.send("delete", path)  # nothing to remove: nothing recorded
    assert again.status_code == 200 and again["ETag"] == gone["ETag"]
    history = api_planner.get(f"/plans/{region_a.draft.pk}/history", limit=3).json()
    assert [item["action"] for item in history["items"]] == [
        "indicator_target.remove",
        "indicator_target.update",
        "indicator_target.update",
    ]


THRESHOLD = {"kind": "threshold"}


def test_a_rule_that_does_not_fit_is_refused_naming_the_field_and_nothing_changes(
    two_regions_with_roles, as_role
):
    region_a, api_planner = two_regions_with_roles, as_role("planerare_inne")
    indicator = region_a.draft_goal.indicators.get()
    path = target_path(indicator)
    library = region_a.definition.pk  # procent
    counted = IndicatorDefinition.objects.create(key="antal-besok", name="Besök", unit="antal").pk
    nothing = IndicatorDefinition.objects.create(key="redovisning", name="Redov.", unit="ingen").pk
    reader, outsider, public = as_role("lasare_inne"), as_role("planerare_ute"), as_role(None)
    before = state()

    def put(definition, rule):
        return api_planner.send("put", path, {"definition": definition, "rule": rule})

    # The data as it stands: the definition's unit, the rule's own consistency (409).
    over = put(library, {"kind": "target", "targets": {"2024": "120"}})
    body = refused(over, 409, "rule.targets", field_code="unit_mismatch")
    assert body["errors"][0]["message"].startswith("Målvärde 2024: 120")
    assert "mellan 0 och 100" in body["errors"][0]["message"]
    refused(
        put(counted, {**THRESHOLD, "minimum": "2.5"}),
        409,
        "rule.minimum",
        field_code="unit_mismatch",
    )
    refused(
        put(counted, {**THRESHOLD, "maximum": -1}), 409, "rule.maximum", field_code="unit_mismatch"
    )
    refused(put(library, THRESHOLD), 409, "rule.minimum", field_code="threshold_missing")
    low_high = {**THRESHOLD, "minimum": "70", "maximum": "60"}
    refused(put(library, low_high), 409, "rule.maximum", field_code="maximum_below_minimum")
    refused(put(nothing, {**THRESHOLD, "minimum": "1"}), 409, "rule.kind", field_code="no_value")
    # What it names must exist (404).
    refused(put(999999, {"kind": "balance"}), 404, "definition", field_code="unknown")
    reference = {"kind": "reference", "reference": "1234"}
    refused(put(library, reference), 404, "rule.reference", field_code="unknown")
    # The schema (422): one definition, a known kind, periods and values in their form.
    both = {"definition": library, "new_definition": {"name": "X", "unit": "antal"}}
    refused(api_planner.send("put", path, {**both, "rule": {"kind": "balance"}}), 422)
    refused(api_planner.send("put", path, {"rule": {"kind": "balance"}}), 422)
    for rule, field, code in (
        ({"kind": "sometimes"}, "rule.kind", "union_tag_invalid"),
        ({"minimum": "1"}, "rule.kind", "union_tag_not_found"),
        ({"kind": "target", "targets": {}}, "rule.targets", "too_short"),
        ({"kind": "target", "targets": {"år 2024": "5"}}, None, "string_pattern_mismatch"),
        ({"kind": "target", "targets": {"2024": "5,5"}}, "rule.targets.2024", "decimal_text"),
        ({**THRESHOLD, "minimum": "1", "extra": 1}, "rule.extra", "extra_forbidden"),
    ):
        body = refused(put(library, rule), 422, field, field_code=code if field else None)
        assert {error["code"] for error in body["errors"]} == {code}
    blank_name = {"new_definition": {"name": " ", "unit": "antal"}, "rule": {"kind": "balance"}}
    refused(api_planner.send("put", path, blank_name), 422, "new_definition.name")
    # A decided plan is not edited; others may not, or do not see it.
    decided = target_path(region_a.goal.indicators.get())
    refused(
        api_planner.send("put", decided, {"definition": library, "rule": {"kind": "balance"}}),
        409,
        code="plan_decided",
    )
    refused(api_planner.send("delete", decided), 409, code="plan_decided")
    refused(reader.send("put", path, {"definition": library, "rule": {"kind": "balance"}}), 403)
    refused(outsider.send("delete", path), 404)
    refused(public.send("delete", path), 401, code="unauthorized")
    assert state() == before


def test_a_stale_if_match_changes_nothing(two_regions_with_roles, as_role):
    region_a, api_planner = two_regions_with_roles, as_role("planerare_inne")
    indicator = region_a.draft_goal.indicators.get()
    path = target_path(indicator)
    tag = api_planner.get(path)["ETag"]
    # Someone changes the indicator's text meanwhile: its version moves on.
    one = f"/plans/{region_a.draft.pk}/parts/indicator/{indicator.pk}"
    assert as_role("rot").send("patch", one, {"note": "Ny källa."}).status_code == 200
    before = state()
    body = {"definition": region_a.definition.pk, "rule": {"kind": "balance"}}
    stale = api_planner.send("put", path, body, headers={"If-Match": tag})
    refused(stale, 412, "If-Match", "precondition_failed")
    assert stale["ETag"] == api_planner.get(path)["ETag"] != tag
    refused(api_planner.send("delete", path, headers={"If-Match": tag}), 412)
    # A request refused anyway is refused for that reason, not for its version.
    unfit = {
        "definition": region_a.definition.pk,
        "rule": {"kind": "target", "targets": {"2024": 101}},
    }
    refused(api_planner.send("put", path, unfit, headers={"If-Match": tag}), 409, "rule.targets")
    assert state() == before
    fresh = api_planner.send("put", path, body, headers={"If-Match": stale["ETag"]})
    assert fresh.status_code == 200, fresh.content


# -- one write path --------------------------------------------------------------------------------


def last_event() -> tuple:
    """The newest event; a new definition's key is made unique, so of two made alike the
    second ends in -2: read without it."""

    def same(state):
        if not state:
            return state
        state = {**state, "definition": state["definition"].removesuffix("-2")}
        if "new_definition" in state:
            made = state["new_definition"]
            state["new_definition"] = {**made, "key": made["key"].removesuffix("-2")}
        return state

    event = AuditEvent.objects.order_by("-sequence").first()
    return (
        event.action,
        event.object_type,
        event.object_repr,
        same(event.before),
        same(event.after),
        event.reason,
    )


def test_the_api_and_the_action_leave_the_same_event(two_regions_with_roles, as_role):
    """The same change through the action and through the API is the same audit event."""
    region_a, api_planner = two_regions_with_roles, as_role("planerare_inne")
    user = region_a.user("planerare_inne")
    indicators = []
    for year in (2025, 2026):
        plan = authoring.create_plan(region_a.unit, year, actor=user)
        goal = parts.add_part(plan, "goal", actor=user, text="Målet", kind="mal")
        indicators.append(parts.add_part(plan, "indicator", actor=user, goal=goal, text="Andel"))
    by_action, by_api = indicators
    steps = [
        (
            {"new_definition": {"name": "Andel nöjda patienter", "unit": "andel"}},
            {"kind": "target", "targets": {"2025": "70.5"}, "comparison": "at_most"},
            {"new_definition": {"name": "Andel nöjda patienter", "unit": "andel"}},
            TargetValueRule((("2025", Decimal("70.5")),), "at_most"),
        ),
        (
            {"definition": region_a.definition.pk},
            {"kind": "threshold", "minimum": "60"},
            {"definition": region_a.definition},
            ThresholdRule(minimum=Decimal("60")),
        ),
    ]
    for body, rule_data, arguments, rule in steps:
        set_indicator_target(by_action, actor=user, rule=rule, **arguments)
        expected = last_event()
        answer = api_planner.send("put", target_path(by_api), {**body, "rule": rule_data})
        assert answer.status_code == 200, answer.content
        assert last_event() == expected
    remove_indicator_target(by_action, actor=user)
    expected = last_event()
    assert api_planner.send("delete", target_path(by_api)).status_code == 200
    assert last_event() == expected
