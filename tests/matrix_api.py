"""The permission matrix for the REST API: URL name → cases (see ``matrix_rules.py``)."""

from __future__ import annotations

import datetime

from .matrix_deadlines import DEADLINE_API
from .matrix_governance import GOVERNANCE_API
from .matrix_rules import (
    PUBLIC,
    Case,
    Perm,
    always,
    held,
    held_anywhere,
    needs,
    planner_anywhere,
    readable,
    token,
)
from .matrix_year import YEAR_API

API: dict[str, list[Case]] = {
    # -- API -----------------------------------------------------------------------------
    "api:api-root": PUBLIC,
    "api:index": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:list_organisations": PUBLIC,
    "api:get_organisation": [Case(args=lambda c: [c.org.code])],
    "api:list_units": PUBLIC,
    "api:get_unit": [Case(args=lambda c: [c.unit.pk])],
    "api:new_organisation": [
        Case(
            method="post",
            data=lambda c: {"code": "1881", "name": "Matrisens kommun", "kind": "kommun"},
            # Nobody holds rights in a new organisation: only the superuser creates one.
            expect=token(lambda caller: 201 if caller == "rot" else 403),
        )
    ],
    "api:patch_organisation": [
        Case(
            args=lambda c: [c.org.code],
            method="patch",
            data=lambda c: {"name": "Matrisens region"},
            # ADMIN over the whole organisation (every root unit): only the superuser here.
            expect=token(lambda caller: 200 if caller == "rot" else 403),
        )
    ],
    "api:new_unit": [
        Case(
            method="post",
            data=lambda c: {
                "organisation": c.org.code,
                "parent": c.unit.pk,
                "slug": "matrisen",
                "name": "Matrisens enhet",
                "kind": "enhet",
            },
            expect=token(needs(Perm.ADMIN, 201, published=True)),
        )
    ],
    "api:patch_unit": [
        Case(
            args=lambda c: [c.unit.pk],
            method="patch",
            data=lambda c: {"responsibility": "Matrisens ansvar"},
            expect=token(needs(Perm.ADMIN, published=True)),
        )
    ],
    "api:list_plans": PUBLIC,
    "api:get_plan": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "api:create_revision": [
        Case(
            args=lambda c: [c.decided.pk],
            method="post",
            data=lambda c: {"reason": "Matrisen"},
            expect=token(needs(Perm.PLAN, 201, published=True)),
        )
    ],
    "api:decide_plan_version": [
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"decided_by": c.unit.pk, "decided_on": "2023-12-12"},
            expect=token(needs(Perm.PLAN)),
        )
    ],
    "api:list_sections": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
    ],
    "api:get_section": [
        Case(args=lambda c: [c.decided.pk, c.decided.sections.first().pk], label="beslutad"),
        Case(
            args=lambda c: [c.draft.pk, c.draft.sections.first().pk],
            expect=readable(),
            label="utkast",
        ),
    ],
    "api:patch_section": [
        Case(
            args=lambda c: [c.draft.pk, c.draft.sections.first().pk],
            method="patch",
            data=lambda c: {"body": "Ändrat via API i matrisen"},
            expect=token(needs(Perm.PLAN)),
        ),
        Case(
            args=lambda c: [c.decided.pk, c.decided.sections.first().pk],
            method="patch",
            data=lambda c: {"body": "Beslutad text"},
            expect=token(needs(Perm.PLAN, 409, published=True)),
            label="beslutad",
        ),
    ],
    "api:list_goals": PUBLIC,
    "api:get_goal": [
        Case(args=lambda c: [c.goal.pk], label="beslutad"),
        Case(args=lambda c: [c.draft_goal.pk], expect=readable(), label="utkast"),
    ],
    "api:patch_goal": [
        Case(
            args=lambda c: [c.draft_goal.pk],
            method="patch",
            data=lambda c: {"text": "Ändrat via API i matrisen"},
            expect=token(needs(Perm.PLAN)),
        ),
        Case(
            args=lambda c: [c.goal.pk],
            method="patch",
            data=lambda c: {"text": "Beslutat mål"},
            expect=token(needs(Perm.PLAN, 409, published=True)),
            label="beslutad",
        ),
    ],
    "api:list_indicators": PUBLIC,
    "api:get_indicator": [
        Case(args=lambda c: [c.goal.indicators.get().pk], label="beslutad"),
        Case(args=lambda c: [c.draft_goal.indicators.get().pk], expect=readable(), label="utkast"),
    ],
    "api:list_definitions": PUBLIC,
    "api:get_definition": [Case(args=lambda c: [c.definition.pk])],
    "api:create_definition": [
        Case(
            method="post",
            data=lambda c: {"key": "matrisens", "name": "Matrisens", "unit": "antal"},
            expect=token(planner_anywhere(201)),
        )
    ],
    "api:patch_definition": [
        Case(
            args=lambda c: [c.definition.pk],
            method="patch",
            data=lambda c: {"name": "Ändrad i matrisen"},
            # It measures the owning unit's indicators: PLAN there (not elsewhere) is needed.
            expect=token(needs(Perm.PLAN, published=True)),
        )
    ],
    "api:list_measurements": PUBLIC,
    "api:get_measurement": [Case(args=lambda c: [c.measurement.pk])],
    "api:put_measurement": [
        Case(
            method="post",
            data=lambda c: {
                "definition": c.definition.key,
                "organisation": c.org.code,
                "period": "2024",
                "value": "70.5",
            },
            # Values of an organisation need PLAN on one of its units, wherever one is.
            expect=token(lambda caller: 201 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:list_assessments": PUBLIC,
    "api:get_assessment": [Case(args=lambda c: [c.assessment.pk])],
    "api:decide_assessment_status": [
        Case(
            args=lambda c: [c.assessment.pk],
            method="post",
            data=lambda c: {"status": "uppfyllt"},
            expect=token(needs(Perm.PLAN, published=True)),
        )
    ],
    "api:list_tables": PUBLIC,
    "api:get_table": [
        Case(args=lambda c: [c.decided_table.pk], label="beslutad plan"),
        Case(args=lambda c: [c.draft_table.pk], expect=readable(), label="utkast"),
    ],
    "api:post_figures": [
        Case(
            args=lambda c: [c.decided_table.pk],
            method="post",
            data=lambda c: {
                "series": "prognos-2023-06",
                "rows": [{"ref": "Intäkter", "amount": "1200000"}],
            },
            expect=token(needs(Perm.PLAN, published=True)),
            label="beslutad plan",
        ),
        Case(
            args=lambda c: [c.draft_table.pk],
            method="post",
            data=lambda c: {"series": "budget-2024", "rows": [{"ref": "Intäkter", "amount": "1"}]},
            expect=token(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "api:list_periods": PUBLIC,
    **DEADLINE_API,
    **GOVERNANCE_API,
    **YEAR_API,
    "api:list_followups": PUBLIC,
    "api:list_published_reports": PUBLIC,
    # The world's reports are not approved: no version, so not found for anyone.
    "api:get_published_report": [Case(args=lambda c: [1], expect=always(404))],
    "api:get_followup": [Case(args=lambda c: [c.followup.pk], expect=readable())],
    "api:write_followup": [
        Case(
            method="post",
            data=lambda c: {
                "period": c.control.period.pk,
                "object_type": "control.measure",
                "object_id": c.control.measure.pk,
                "status": "genomford",
            },
            # The åtgärd is published (everyone sees it); only the unit's writers follow it up.
            expect=token(lambda caller: 200 if Perm.REPORT in held(caller) else 403),
            label="åtgärd",
        ),
        Case(
            method="post",
            data=lambda c: {
                "period": c.period.pk,
                "object_type": "plans.activity",
                "object_id": c.activity.pk,
                "comment": "Skrivet i matrisen",
            },
            # The rapportör is the entry's responsible; a granskare or läsare may not write;
            # a writer outside the unit is told the draft's activity does not exist (404);
            # someone who may write no follow-up anywhere is refused first (403).
            expect=token(
                lambda caller: (
                    200
                    if Perm.REPORT in held(caller)
                    else (
                        403
                        if Perm.VIEW in held(caller) or Perm.REPORT not in held_anywhere(caller)
                        else 404
                    )
                )
            ),
        ),
    ],
    "api:new_deviation": [
        Case(
            args=lambda c: [c.control.followup.pk],
            method="post",
            data=lambda c: {"found": "Matrisens avvikelse.", "handling": "Rättas."},
            # The follow-up of an open period is the unit's; the rapportör is responsible.
            expect=token(needs(Perm.REPORT, 201)),
        )
    ],
    # -- API: internal control and many measurements -------------------------------------
    "api:list_control_plans": PUBLIC,
    "api:get_control_plan": [
        Case(args=lambda c: [c.control.plan.pk], label="publicerad"),
        Case(
            args=lambda c: [c.control.draft_risk.control_plan_id],
            expect=readable(),
            label="utkast",
        ),
    ],
    "api:list_risks": [Case(), Case(query="year=2023&area=Ekonomi", label="filter")],
    "api:get_risk": [
        Case(args=lambda c: [c.control.risk.pk], label="publicerad"),
        Case(args=lambda c: [c.control.draft_risk.pk], expect=readable(), label="utkast"),
    ],
    "api:new_risk": [
        Case(
            method="post",
            data=lambda c: {
                "unit": c.unit.pk,
                "year": 2023,
                "area": "IT",
                "text": "Risken att matrisen missar en ändpunkt.",
            },
            expect=token(lambda caller: 201 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:assess": [
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"likelihood": 3, "consequence": 2, "decision": "ej_accepterad"},
            expect=token(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            method="post",
            data=lambda c: {"likelihood": 1, "consequence": 1, "decision": "accepterad"},
            expect=token(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "api:new_measure": [
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"text": "Matrisens åtgärd."},
            expect=token(needs(Perm.PLAN, 201, published=True)),
        )
    ],
    "api:bulk_measurements": [
        Case(
            method="post",
            data=lambda c: {
                "rows": [
                    {
                        "indicator": c.definition.key,
                        "organisation": c.org.code,
                        "period": "2021",
                        "value": "60.5",
                    }
                ]
            },
            # PLAN on the organisation's own units; a planner elsewhere is refused the
            # organisation's rows (403, every row named); without PLAN anywhere 403 at once.
            expect=token(lambda caller: 200 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:change_state": [
        Case(
            args=lambda c: [c.followup.pk],
            method="post",
            data=lambda c: {"state": "klar"},
            expect=token(needs(Perm.REPORT)),
        )
    ],
}


# -- API: writing plans (issue 13) ----------------------------------------------------------------


def draft_part(c, kind: str):
    """The draft plan's first object of ``kind`` (a strategy and an uppdrag made for the
    matrix: the world's plans have none)."""
    from uppsikt.plans.actions.parts import MODELS

    model = MODELS[kind]
    if kind == "indicator":
        return c.draft_goal.indicators.order_by("pk").first()
    found = model._default_manager.filter(plan=c.draft).order_by("pk").first()
    if found is None:
        words = {"name": "Matrisens strategi"} if kind == "strategy" else {"text": "Matrisens"}
        found = model._default_manager.create(plan=c.draft, position=99, **words)
    return found


def council_goal(c):
    """A goal of fullmäktige's decided 2024 plan, the plan above the draft (made once)."""
    from uppsikt.organisations.models import Unit
    from uppsikt.plans.models import Goal, Plan

    fullmaktige = Unit.objects.get(organisation=c.org, slug="fullmaktige")
    plan, _created = Plan.objects.get_or_create(
        unit=fullmaktige,
        year=2024,
        defaults={
            "title": "Fullmäktiges plan 2024",
            "status": "beslutad",
            "decided_by": fullmaktige,
            "decided_on": datetime.date(2023, 11, 28),
        },
    )
    goal, _created = Goal.objects.get_or_create(plan=plan, text="Matrisens mål ovanför")
    return goal


def exemption(c):
    from uppsikt.plans.models import GoalExemption

    found, _created = GoalExemption.objects.get_or_create(
        plan=c.draft, goal=council_goal(c), defaults={"reason": "Berör inte matrisen."}
    )
    return found


NEW_PART = {
    "section": {"heading": "Matrisens avsnitt"},
    "perspective": {"name": "Matrisens perspektiv"},
    "focus_area": {"name": "Matrisens område"},
    "strategy": {"name": "Matrisens strategi"},
    "goal": {"text": "Matrisens nya mål"},
    "indicator": {"text": "Matrisens indikator"},
    "assignment": {"text": "Matrisens uppdrag"},
    "activity": {"text": "Matrisens aktivitet"},
}
PART_CHANGE = {
    "indicator": {"note": "Ändrad i matrisen"},
    "assignment": {"text": "Ändrat i matrisen"},
    "activity": {"text": "Ändrad i matrisen"},
}


def _new_part(kind: str, goal: str):
    def data(c) -> dict:
        body = dict(NEW_PART[kind])
        if kind == "indicator":
            body["goal"] = getattr(c, goal).pk
        return body

    return data


def _part_cases(kind: str) -> dict[str, list[Case]]:
    one = lambda c: [c.draft.pk, draft_part(c, kind).pk]  # noqa: E731
    change = PART_CHANGE.get(kind, {"number": "9"})
    return {
        f"api:list_{kind}_parts": [
            Case(args=lambda c: [c.decided.pk], label="beslutad"),
            Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
        ],
        f"api:get_{kind}_part": [Case(args=one, expect=readable())],
        f"api:add_{kind}_part": [
            Case(
                args=lambda c: [c.draft.pk],
                method="post",
                data=_new_part(kind, "draft_goal"),
                expect=token(needs(Perm.PLAN, 201)),
            ),
            Case(
                args=lambda c: [c.decided.pk],
                method="post",
                data=_new_part(kind, "goal"),
                expect=token(needs(Perm.PLAN, 409, published=True)),
                label="beslutad",
            ),
        ],
        f"api:patch_{kind}_part": [
            Case(args=one, method="patch", data=lambda c: change, expect=token(needs(Perm.PLAN)))
        ],
        f"api:remove_{kind}_part": [
            Case(
                args=one,
                method="delete",
                query="confirm=true",
                expect=token(needs(Perm.PLAN, 204)),
            )
        ],
        f"api:move_{kind}_part": [
            Case(
                args=one,
                method="post",
                data=lambda c: {"direction": "down"},
                expect=token(needs(Perm.PLAN)),
            )
        ],
    }


AUTHORING: dict[str, list[Case]] = {
    "api:new_plan": [
        Case(
            method="post",
            data=lambda c: {"unit": c.unit.pk, "year": 2025, "mode": "empty"},
            # The unit is in the body: PLAN there; a planner elsewhere is refused by the action.
            expect=token(lambda caller: 201 if Perm.PLAN in held(caller) else 403),
        )
    ],
    "api:patch_plan": [
        Case(
            args=lambda c: [c.draft.pk],
            method="patch",
            data=lambda c: {"title": "Matrisens plan"},
            expect=token(needs(Perm.PLAN)),
        ),
        Case(
            args=lambda c: [c.decided.pk],
            method="patch",
            data=lambda c: {"title": "Matrisens plan"},
            expect=token(needs(Perm.PLAN, 409, published=True)),
            label="beslutad",
        ),
    ],
    "api:send_plan_for_review": [
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"note": "Matrisen"},
            expect=token(needs(Perm.PLAN)),
        )
    ],
    # The beredning and the history are the unit's readers', for a decided plan too.
    "api:list_comments": [
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
        Case(args=lambda c: [c.decided.pk], expect=needs(Perm.VIEW, published=True)),
    ],
    "api:add_plan_comment": [
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {
                "body": "Matrisens synpunkt",
                "subject": {"kind": "goal", "id": c.draft_goal.pk},
            },
            expect=token(needs(Perm.VIEW, 201)),
        )
    ],
    "api:plan_events": [
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
        Case(args=lambda c: [c.decided.pk], expect=needs(Perm.VIEW, published=True)),
    ],
    "api:link_goal": [
        Case(
            args=lambda c: [c.draft_goal.pk, c.goal.pk],
            method="post",
            expect=token(needs(Perm.PLAN)),
        )
    ],
    "api:unlink_goal": [
        Case(
            args=lambda c: [c.draft_goal.pk, c.goal.pk],
            method="delete",
            expect=token(needs(Perm.PLAN)),
        )
    ],
    "api:list_exemptions": [Case(args=lambda c: [c.draft.pk], expect=readable())],
    "api:exempt_goal": [
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"goal": council_goal(c).pk, "reason": "Berör inte matrisen."},
            expect=token(needs(Perm.PLAN, 201)),
        )
    ],
    "api:withdraw_exemption": [
        Case(
            args=lambda c: [c.draft.pk, exemption(c).pk],
            method="delete",
            expect=token(needs(Perm.PLAN, 204)),
        )
    ],
    "api:set_activity_goal_list": [
        Case(
            args=lambda c: [c.draft.pk, c.activity.pk],
            method="put",
            data=lambda c: {"goals": [c.draft_goal.pk]},
            expect=token(needs(Perm.PLAN)),
        )
    ],
}


def _indicator_target(plan: str, goal: str):
    """The path's ids of the indicator of ``goal`` (its target's URL)."""
    return lambda c: [getattr(c, plan).pk, getattr(c, goal).indicators.order_by("pk").first().pk]


TARGET_BODY = lambda c: {  # noqa: E731
    "definition": c.definition.pk,
    "rule": {"kind": "threshold", "minimum": "60"},
}
AUTHORING.update(
    {
        "api:get_indicator_part_target": [
            Case(args=_indicator_target("decided", "goal"), label="beslutad"),
            Case(args=_indicator_target("draft", "draft_goal"), expect=readable(), label="utkast"),
        ],
        "api:put_indicator_part_target": [
            Case(
                args=_indicator_target("draft", "draft_goal"),
                method="put",
                data=TARGET_BODY,
                expect=token(needs(Perm.PLAN)),
            ),
            Case(
                args=_indicator_target("decided", "goal"),
                method="put",
                data=TARGET_BODY,
                expect=token(needs(Perm.PLAN, 409, published=True)),
                label="beslutad",
            ),
        ],
        "api:remove_indicator_part_target": [
            Case(
                args=_indicator_target("draft", "draft_goal"),
                method="delete",
                expect=token(needs(Perm.PLAN)),
            )
        ],
    }
)
for _kind in ("section", "perspective", "focus_area", "strategy"):
    AUTHORING.update(_part_cases(_kind))
for _kind in ("goal", "indicator", "assignment", "activity"):
    AUTHORING.update(_part_cases(_kind))
API.update(AUTHORING)
