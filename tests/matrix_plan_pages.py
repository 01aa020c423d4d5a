"""The permission matrix for the pages of the planning year (issue 13): creating a plan,
the breakdown and cascade, the draft editor, the beredning and the plan's history (see
``matrix_rules.py``)."""

from __future__ import annotations

from .matrix_rules import (
    Case,
    Perm,
    held,
    held_anywhere,
    login,
    needs,
    planner_anywhere,
    readable,
)


def goal_above(c):
    """A goal of fullmäktige's decided 2024 plan, which styrelsen's draft breaks down (made
    the first time a case asks for it)."""
    if "goal_above" not in c.extra:
        import datetime

        from uppsikt.plans.models import Goal, Plan

        fullmaktige = c.unit.parent
        plan = Plan.objects.create(
            unit=fullmaktige,
            year=2024,
            title="Fullmäktiges plan 2024",
            status="beslutad",
            decided_by=fullmaktige,
            decided_on=datetime.date(2023, 11, 20),
        )
        c.extra["goal_above"] = Goal.objects.create(
            plan=plan, kind="effektmal", number="1", text="Fullmäktiges effektmål 2024"
        )
    return c.extra["goal_above"]


def removal_form(obj) -> dict:
    """What the removal page of ``obj`` posts when the removal is confirmed."""
    from uppsikt.plans.editing import removal_fingerprint
    from uppsikt.plans.impact import impact_of

    obj.refresh_from_db()
    return {
        "row_version": obj.row_version,
        "paverkan": removal_fingerprint(obj.row_version, impact_of(obj)),
    }


PLAN_AUTHORING: dict[str, list[Case]] = {
    "plans:create": [
        Case(query="enhet=0", expect=login(planner_anywhere())),
        Case(
            method="post",
            data=lambda c: {"enhet": c.unit.pk, "ar": "2026", "satt": "empty", "titel": ""},
            expect=login(
                lambda caller: (
                    302
                    if Perm.PLAN in held(caller)
                    else (200 if Perm.PLAN in held_anywhere(caller) else 403)
                )
            ),
            label="skapa",
        ),
    ],
    "plans:breakdown": [
        Case(args=lambda c: [c.decided.pk], label="beslutad"),
        Case(args=lambda c: [c.draft.pk], expect=readable(), label="utkast"),
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {
                "action": "beror-inte",
                "mal": goal_above(c).pk,
                f"mal-{goal_above(c).pk}-reason": "Matrisens svar",
            },
            expect=login(needs(Perm.PLAN, 302)),
            label="utkast, berör inte",
        ),
    ],
    "plans:cascade": [Case(args=lambda c: [c.org.code, 2024])],
    "plans:cascade_xlsx": [Case(args=lambda c: [c.org.code, 2024])],
    # -- beredning and history (issue 13) -------------------------------------------------
    "plans:review": [
        Case(args=lambda c: [c.draft.pk], expect=login(readable()), label="utkast"),
        Case(
            args=lambda c: [c.decided.pk],
            expect=login(needs(Perm.VIEW, published=True)),
            label="beslutad",
        ),
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"note": "Matrisens beredning"},
            expect=login(needs(Perm.PLAN, 302)),
            label="skicka på beredning",
        ),
    ],
    "plans:comment": [
        Case(
            args=lambda c: [c.draft.pk],
            query="om=plan",
            expect=login(needs(Perm.VIEW, 302)),
            label="till tråden",
        ),
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"om": f"goal:{c.draft_goal.pk}", "body": "Matrisens synpunkt"},
            expect=login(needs(Perm.VIEW, 302)),
            label="utkast",
        ),
        Case(
            args=lambda c: [c.decided.pk],
            method="post",
            data=lambda c: {"om": "", "body": "Matrisens synpunkt"},
            expect=login(needs(Perm.VIEW, published=True)),
            label="beslutad: avböjs",
        ),
    ],
    "plans:history": [
        Case(args=lambda c: [c.draft.pk], expect=login(readable()), label="utkast"),
        Case(
            args=lambda c: [c.decided.pk],
            expect=login(needs(Perm.VIEW, published=True)),
            label="beslutad",
        ),
    ],
    # The draft editor: PLAN on the plan's unit; a decided plan sends planners back to it.
    "plans:edit": [
        Case(args=lambda c: [c.draft.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
        Case(
            args=lambda c: [c.decided.pk],
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: till planen",
        ),
    ],
    "plans:details": [
        Case(args=lambda c: [c.draft.pk], expect=login(needs(Perm.PLAN)), label="utkast"),
        Case(
            args=lambda c: [c.draft.pk],
            method="post",
            data=lambda c: {"title": "Matrisens titel", "horizon_end": "", "note": ""},
            expect=login(needs(Perm.PLAN, 302)),
            label="utkast, spara",
        ),
        Case(
            args=lambda c: [c.decided.pk],
            method="post",
            data=lambda c: {"title": "Matrisens titel"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: vägras",
        ),
    ],
    "plans:part_add": [
        Case(args=lambda c: [c.draft.pk, "goal"], expect=login(needs(Perm.PLAN)), label="mål"),
        Case(
            args=lambda c: [c.draft.pk, "indicator"],
            expect=login(needs(Perm.PLAN, 404)),
            label="indikator utan mål",
        ),
        Case(
            args=lambda c: [c.draft.pk, "goal"],
            method="post",
            data=lambda c: {"kind": "mal", "text": "Matrisens mål"},
            expect=login(needs(Perm.PLAN, 302)),
            label="mål, spara",
        ),
        Case(
            args=lambda c: [c.decided.pk, "goal"],
            method="post",
            data=lambda c: {"kind": "mal", "text": "Matrisens mål"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: vägras",
        ),
    ],
    "plans:part_edit": [
        Case(
            args=lambda c: [c.draft.pk, "goal", c.draft_goal.pk],
            expect=login(needs(Perm.PLAN)),
            label="mål",
        ),
        Case(
            args=lambda c: [c.draft.pk, "activity", c.activity.pk],
            method="post",
            data=lambda c: {"text": "Matrisens aktivitet", "focus_area": c.activity.focus_area_id},
            expect=login(needs(Perm.PLAN, 302)),
            label="aktivitet, spara",
        ),
        Case(
            args=lambda c: [c.decided.pk, "goal", c.goal.pk],
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: till planen",
        ),
    ],
    "plans:part_remove": [
        Case(
            args=lambda c: [c.draft.pk, "activity", c.activity.pk],
            expect=login(needs(Perm.PLAN)),
            label="aktivitet",
        ),
        Case(
            args=lambda c: [c.draft.pk, "activity", c.activity.pk],
            method="post",
            data=lambda c: removal_form(c.activity),
            expect=login(needs(Perm.PLAN, 302)),
            label="aktivitet, bekräftad",
        ),
        Case(
            args=lambda c: [c.decided.pk, "goal", c.goal.pk],
            method="post",
            data=lambda c: removal_form(c.goal),
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: vägras",
        ),
    ],
    "plans:part_move": [
        Case(
            args=lambda c: [c.draft.pk, "goal", c.draft_goal.pk],
            method="post",
            data=lambda c: {"direction": "down"},
            expect=login(needs(Perm.PLAN, 302)),
        ),
        Case(
            args=lambda c: [c.decided.pk, "goal", c.goal.pk],
            method="post",
            data=lambda c: {"direction": "down"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="beslutad: vägras",
        ),
    ],
}
