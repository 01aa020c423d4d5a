"""The plan-authoring actions themselves (issue 13): creating plans three ways, writing any
kind of content in a draft, the cascade's links and "berör inte" answers, the beredning's
comments, and the refusals that change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring, cascade, parts
from uppsikt.plans.actions.versions import decide_plan
from uppsikt.plans.models import Goal, GoalExemption, Indicator, Plan, PlanComment, Section
from uppsikt.plans.rules import PlanIsDecided
from uppsikt.plans.trail import plan_history

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    """Region Test: fullmäktige › styrelsen › kansliet, styrelsen's decided 2023 plan with two
    goals, and a planner on every unit."""
    load_minimal(2)
    styrelsen = Unit.objects.get(slug="styrelsen")
    kansliet = Unit.objects.create(
        organisation=styrelsen.organisation,
        parent=styrelsen,
        slug="kansliet",
        name="Kansliet",
        kind="kansli",
    )
    planner = user_with_role("planerare", "planerare")
    return {"styrelsen": styrelsen, "kansliet": kansliet, "planner": planner}


def codes(refused: ValidationError, field: str) -> set[str]:
    """The machine-readable codes of the refusal's messages about ``field``."""
    return {error.code for error in refused.error_dict[field]}


def _state() -> tuple[int, int, int, int]:
    return (
        Plan.objects.count(),
        Goal.objects.count(),
        Indicator.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_copy_to_a_new_year_keeps_every_object_and_remembers_its_origin(region):
    source = Plan.objects.get(unit=region["styrelsen"], year=2023)
    plan = authoring.create_plan(
        region["styrelsen"], 2024, actor=region["planner"], mode="copy", source=source
    )
    assert plan.status == Plan.Status.UTKAST and plan.origin == source
    assert plan.title == "Testplan 2024"
    old = {goal.pk: goal for goal in Goal.objects.filter(plan=source)}
    new = list(Goal.objects.filter(plan=plan))
    assert len(new) == len(old) == 2
    for goal in new:
        assert goal.origin_id in old and goal.text == old[goal.origin_id].text
        assert [i.origin_id for i in goal.indicators.all()] == [
            i.pk for i in old[goal.origin_id].indicators.all()
        ]
    assert [event.action for event in plan_history(plan)] == ["plan.create"]


def test_a_breakdown_starts_empty_and_answers_the_goals_above(region):
    above = Plan.objects.get(unit=region["styrelsen"], year=2023)
    planner = region["planner"]
    plan = authoring.create_plan(
        region["kansliet"], 2023, actor=planner, mode="breakdown", source=above
    )
    assert plan.breaks_down == above and not Goal.objects.filter(plan=plan).exists()
    first, second = Goal.objects.filter(plan=above).order_by("position")
    goal = parts.add_part(plan, "goal", actor=planner, text="Kansliets mål", kind="mal")
    assert cascade.link_goal(goal, first, actor=planner) is True
    assert cascade.link_goal(goal, first, actor=planner) is False  # already linked
    exemption = cascade.exempt_goal(plan, second, actor=planner, reason="Gäller vården.")
    assert GoalExemption.objects.get() == exemption
    with pytest.raises(ValidationError) as refused:
        cascade.exempt_goal(plan, first, actor=planner, reason="Nej")
    assert codes(refused.value, "goal") == {"already_linked"}
    with pytest.raises(ValidationError) as refused:
        cascade.exempt_goal(plan, second, actor=planner, reason="  ")
    assert codes(refused.value, "reason") == {"reason_required"}
    cascade.link_goal(goal, second, actor=planner)  # answering with a link withdraws it
    assert not GoalExemption.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"year": 2023}, "year", "plan_exists"),  # the unit has a plan that year
        ({"year": 1999}, "year", "year_range"),
        ({"mode": "nonsense"}, "mode", "invalid_choice"),
        ({"mode": "copy", "year": 2024, "source": "self-later"}, "source", "wrong_source"),
        ({"mode": "breakdown", "year": 2024}, "source", "wrong_source"),
        ({"mode": "copy", "year": 2024, "source": "none"}, "source", "source_required"),
    ],
)
def test_creation_refusals_name_the_field_and_create_nothing(region, change, field, code):
    source = Plan.objects.get(unit=region["styrelsen"], year=2023)
    kwargs = {"mode": "empty", "year": 2024, **change}
    if kwargs.get("source") == "self-later":
        later = authoring.create_plan(
            region["styrelsen"], 2025, actor=region["planner"], mode="copy", source=source
        )
        kwargs["source"] = later
    elif kwargs.get("source") == "none":
        kwargs["source"] = None
    else:
        kwargs["source"] = source if kwargs["mode"] != "empty" else None
    before = _state()
    year = kwargs.pop("year")
    with pytest.raises(ValidationError) as refused:
        authoring.create_plan(region["styrelsen"], year, actor=region["planner"], **kwargs)
    assert codes(refused.value, field) == {code}
    # The page's check, in words only: the same messages.
    problems = authoring.creation_problems(
        region["styrelsen"], year, kwargs["mode"], kwargs["source"], ""
    )
    assert problems == refused.value.message_dict
    assert _state() == before


def test_a_decided_plan_refuses_every_change_and_keeps_its_content(region):
    plan = Plan.objects.get(unit=region["styrelsen"], year=2023)
    goal = Goal.objects.filter(plan=plan).first()
    planner = region["planner"]
    before = _state()
    for attempt in (
        lambda: parts.add_part(plan, "section", actor=planner, heading="Ny"),
        lambda: parts.update_part(goal, actor=planner, text="Ändrad"),
        lambda: parts.remove_part(goal, actor=planner, confirmed=True),
        lambda: parts.move_part(goal, actor=planner, direction=parts.DOWN),
        lambda: authoring.update_plan(plan, actor=planner, title="Ny titel"),
        lambda: authoring.add_comment(plan, actor=planner, body="Hej"),
    ):
        with pytest.raises(PlanIsDecided):
            attempt()
    assert _state() == before


def test_without_the_right_to_plan_nothing_is_written(region):
    plan = authoring.create_plan(region["styrelsen"], 2024, actor=region["planner"])
    reader = user_with_role("lasare", "lasare")
    before = _state()
    with pytest.raises(PermissionDenied):
        parts.add_part(plan, "goal", actor=reader, text="Ett mål", kind="mal")
    with pytest.raises(PermissionDenied):
        authoring.create_plan(region["kansliet"], 2024, actor=reader)
    assert _state() == before
    # Reading the draft is enough to comment on it in the beredning.
    comment = authoring.add_comment(plan, actor=reader, body="Tydligare mål, tack.")
    assert comment.author == reader and PlanComment.objects.get() == comment


def test_a_container_or_unit_from_elsewhere_is_refused(region):
    planner = region["planner"]
    plan = authoring.create_plan(region["styrelsen"], 2024, actor=planner)
    other = Plan.objects.get(unit=region["styrelsen"], year=2023)
    foreign_perspective = other.perspectives.first()
    from .builders import minimal_data

    data = minimal_data()
    data["organisations"][0].update(code="0098", name="Region Annan")
    data["plans"] = []
    from uppsikt.interchange.load import load_data

    load_data(data, audit=False)
    foreign_unit = Unit.objects.get(organisation__code="0098", slug="styrelsen")
    before = _state()
    with pytest.raises(ValidationError) as refused:
        parts.add_part(plan, "goal", actor=planner, text="Mål", perspective=foreign_perspective)
    assert codes(refused.value, "perspective") == {"other_plan"}
    with pytest.raises(ValidationError) as refused:
        parts.add_part(plan, "assignment", actor=planner, text="Gör", responsible=foreign_unit)
    assert codes(refused.value, "responsible") == {"other_organisation"}
    assert _state() == before


def test_removal_asks_first_when_it_affects_other_things(region):
    planner = region["planner"]
    above = Plan.objects.get(unit=region["styrelsen"], year=2023)
    plan = authoring.create_plan(region["kansliet"], 2023, actor=planner)
    goal = parts.add_part(plan, "goal", actor=planner, text="Mål", kind="mal")
    parts.add_part(plan, "indicator", actor=planner, goal=goal, text="Andel")
    cascade.link_goal(goal, above.goals.first(), actor=planner)
    with pytest.raises(parts.NeedsConfirmation) as asked:
        parts.remove_part(goal, actor=planner)
    assert any("indikator" in sentence for sentence in asked.value.impact)
    assert any("bidrar till" in sentence for sentence in asked.value.impact)
    assert Goal.objects.filter(pk=goal.pk).exists()
    parts.remove_part(goal, actor=planner, confirmed=True)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    removed = plan_history(plan).first()
    assert removed.action == "goal.remove" and removed.after["impact"] == asked.value.impact
    lonely = parts.add_part(plan, "section", actor=planner, heading="Ensam")
    parts.remove_part(lonely, actor=planner)  # nothing else affected: no question


def test_a_stale_edit_is_refused_and_the_stored_text_kept(region):
    planner = region["planner"]
    plan = authoring.create_plan(region["styrelsen"], 2024, actor=planner)
    section = parts.add_part(plan, "section", actor=planner, heading="Inledning", body="Ett")
    read = section.row_version
    parts.update_part(section, actor=planner, expected_version=read, body="Två")
    with pytest.raises(ValidationError) as refused:
        parts.update_part(section, actor=planner, expected_version=read, body="Tre")
    assert refused.value.code == "conflict"
    assert Section.objects.get(pk=section.pk).body == "Två"


# -- properties -------------------------------------------------------------------------

words = st.sampled_from(["Fler", "fler", "invånare", "röker", "inte", "  ", "Mål"])
texts = st.lists(words, min_size=1, max_size=4).map(" ".join)


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(texts, min_size=1, max_size=6))
def test_a_goal_text_is_refused_exactly_when_the_plan_has_it_already(region, candidates):
    with transaction.atomic():
        plan = authoring.create_plan(region["styrelsen"], 2030, actor=region["planner"])
        kept: list[str] = []
        for text in candidates:
            expected_refusal = not _same(text) or _same(text) in {_same(k) for k in kept}
            try:
                parts.add_part(plan, "goal", actor=region["planner"], text=text, kind="mal")
            except ValidationError as refused:
                assert expected_refusal, text
                assert ("empty_text" if not _same(text) else "duplicate_text") in codes(
                    refused, "text"
                )
            else:
                assert not expected_refusal, text
                kept.append(text)
        assert sorted(Goal.objects.filter(plan=plan).values_list("text", flat=True)) == sorted(
            k.strip() for k in kept
        )
        transaction.set_rollback(True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    count=st.integers(min_value=1, max_value=5),
    moves=st.lists(st.tuples(st.integers(0, 4), st.sampled_from([parts.UP, parts.DOWN]))),
)
def test_moves_reorder_siblings_like_a_list_does(region, count, moves):
    with transaction.atomic():
        plan = authoring.create_plan(region["styrelsen"], 2030, actor=region["planner"])
        made = [
            parts.add_part(plan, "section", actor=region["planner"], heading=f"Avsnitt {n}")
            for n in range(count)
        ]
        model = [section.pk for section in made]
        for index, direction in moves:
            pk = model[index % count]
            i = model.index(pk)
            j = i - 1 if direction == parts.UP else i + 1
            moved = parts.move_part(
                Section.objects.get(pk=pk), actor=region["planner"], direction=direction
            )
            assert moved == (0 <= j < count)
            if moved:
                model[i], model[j] = model[j], model[i]
        stored = [s.pk for s in parts.siblings(Section.objects.get(pk=model[0]))]
        assert stored == model
        transaction.set_rollback(True)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_a_link_is_refused_exactly_when_it_would_close_a_loop(region, wanted):
    """Six goals in three plans of one year (two per plan); any link between plans is tried.
    The oracle: refused iff same plan, or the target already reaches the goal."""
    planner = region["planner"]
    with transaction.atomic():
        plans = [
            authoring.create_plan(unit, 2031, actor=planner)
            for unit in Unit.objects.filter(organisation=region["styrelsen"].organisation)
        ][:3]
        goals = [
            parts.add_part(plan, "goal", actor=planner, text=f"Mål {n}", kind="mal")
            for plan in plans
            for n in range(2)
        ]
        edges: set[tuple[int, int]] = set()

        def reaches(a: int, b: int) -> bool:
            seen, todo = set(), [a]
            while todo:
                node = todo.pop()
                if node == b:
                    return True
                seen.add(node)
                todo.extend(t for f, t in edges if f == node and t not in seen)
            return False

        for a, b in wanted:
            goal, target = goals[a], goals[b]
            refuse = goal.plan_id == target.plan_id or reaches(b, a)
            try:
                cascade.link_goal(goal, target, actor=planner)
            except ValidationError as refused:
                assert refuse, (a, b)
                expected = "same_plan" if goal.plan_id == target.plan_id else "loop"
                assert codes(refused, "contributes_to") == {expected}
            else:
                assert not refuse, (a, b)
                edges.add((a, b))
        transaction.set_rollback(True)


def test_decide_works_on_an_authored_plan_and_then_it_is_immutable(region):
    planner = region["planner"]
    plan = authoring.create_plan(region["kansliet"], 2023, actor=planner)
    parts.add_part(plan, "goal", actor=planner, text="Ett mål", kind="mal")
    authoring.send_for_review(plan, actor=planner, note="Till stabsledningen")
    with pytest.raises(ValidationError) as refused:
        authoring.send_for_review(plan, actor=planner)
    assert codes(refused.value, "status") == {"already_in_review"}
    import datetime

    decide_plan(
        plan, actor=planner, decided_by=region["styrelsen"], decided_on=datetime.date(2023, 1, 10)
    )
    actions = [event.action for event in plan_history(plan)]
    assert actions == ["plan.decide", "plan.review", "goal.add", "plan.create"]
    with pytest.raises(PlanIsDecided):
        parts.add_part(plan, "goal", actor=planner, text="Ett till", kind="mal")


def test_text_is_kept_to_paragraphs_lists_and_links(region):
    planner = region["planner"]
    plan = authoring.create_plan(region["styrelsen"], 2024, actor=planner)
    section = parts.add_part(
        plan,
        "section",
        actor=planner,
        heading="Inledning",
        body="<p>Ett <b>stycke</b></p><ul><li>en punkt</li></ul><script>alert(1)</script>",
    )
    assert section.body == "Ett stycke\n\n- en punkt"
    before = _state()
    with pytest.raises(ValidationError) as refused:
        parts.update_part(section, actor=planner, body="[klicka](javascript:alert(1))")
    assert codes(refused.value, "body") == {"bad_link"}
    assert Section.objects.get(pk=section.pk).body == "Ett stycke\n\n- en punkt"
    assert _state() == before


def test_the_removal_question_names_follow_ups_written_about_the_object():
    from uppsikt.plans.impact import impact_of

    from .followup_setup import complete, small_setting

    setting = small_setting()
    assert not any("uppföljning" in sentence for sentence in impact_of(setting.activity))
    complete(setting)
    assert any("1 uppföljning" in sentence for sentence in impact_of(setting.activity))


def test_a_unit_breaks_down_the_draft_above_it_but_reads_no_other_draft(region):
    """Planning is top-down while every plan is still a draft: a planner of kansliet reads
    styrelsen's 2024 draft (the plan above, to break it down), not fullmäktige's."""
    planner = region["planner"]
    above = authoring.create_plan(region["styrelsen"], 2024, actor=planner)
    parts.add_part(above, "goal", actor=planner, text="Styrelsens mål", kind="mal")
    top = authoring.create_plan(region["styrelsen"].parent, 2024, actor=planner)
    local = user_with_role("kanslisten", "planerare", region["kansliet"])
    readable = set(Plan.objects.visible_to(local).filter(year=2024))
    assert above in readable and top not in readable
    plan = authoring.create_plan(
        region["kansliet"], 2024, actor=local, mode="breakdown", source=above
    )
    goal = parts.add_part(plan, "goal", actor=local, text="Kansliets mål", kind="mal")
    cascade.link_goal(goal, above.goals.get(), actor=local)
    reader = user_with_role("kanslilasare", "lasare", region["kansliet"])
    assert above not in set(Plan.objects.visible_to(reader))  # reading below is not planning
