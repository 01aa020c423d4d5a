"""The cascade and the beredning through the REST API (issue 13): "bidrar till" links and
their refusals (another organisation, a later year, a loop), "berör inte enheten" answers,
an aktivitet's goals, comments on a draft, and the plan's history. Each through the same
action as the web pages, each refusal naming the field and changing nothing, each change
one audit event in the plan's history."""

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring, cascade, parts
from uppsikt.plans.models import Goal, GoalExemption, PlanComment

from .authoring_api import council_plan, refused, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def cascade_world(two_regions_with_roles):
    """The two-region world with fullmäktige's 2024 plan above styrelsen's draft."""
    world = two_regions_with_roles
    world.above = council_plan(world)
    world.above_goals = list(Goal.objects.filter(plan=world.above).order_by("position"))
    return world


def link_path(goal, target) -> str:
    return f"/goals/{goal.pk}/contributes-to/{target.pk}"


def test_a_goal_is_linked_to_a_goal_above_and_unlinked(cascade_world, as_role):
    world, planner = cascade_world, as_role("planerare_inne")
    target = world.above_goals[0]
    linked = planner.send("post", link_path(world.draft_goal, target))
    assert linked.status_code == 200, linked.content
    assert linked.json()["contributes_to"] == [target.pk]
    events = AuditEvent.objects.count()
    again = planner.send("post", link_path(world.draft_goal, target))
    assert again.status_code == 200 and AuditEvent.objects.count() == events  # nothing new
    unlinked = planner.send("delete", link_path(world.draft_goal, target))
    assert unlinked.status_code == 200 and unlinked.json()["contributes_to"] == []
    actions = list(
        AuditEvent.objects.filter(action__startswith="goal.").values_list("action", flat=True)
    )
    assert actions[-2:] == ["goal.link", "goal.unlink"]


def test_a_link_across_organisations_to_a_later_year_or_in_a_loop_is_refused(
    cascade_world, as_role
):
    world = cascade_world
    planner, rot = as_role("planerare_inne"), as_role("rot")
    later_goal = council_plan(world, 2025, ["Ett mål för 2025"]).goals.get()
    other_goal = Goal.objects.filter(plan=world.other_draft).first()
    sibling = Goal.objects.get(plan=world.draft, number="2")
    # Kansliet's draft breaks styrelsen's down: its goal contributes to the draft's goal.
    user = world.user("planerare_inne")
    kansliet = Unit.objects.create(
        organisation=world.org, parent=world.unit, slug="kansliet", name="Kansliet", kind="kansli"
    )
    below = authoring.create_plan(kansliet, 2024, actor=user, mode="breakdown", source=world.draft)
    below_goal = parts.add_part(below, "goal", actor=user, text="Kansliets mål")
    cascade.link_goal(below_goal, world.draft_goal, actor=user)
    before = state()
    for caller, goal, target, words, code in (
        (rot, world.draft_goal, other_goal, "annan organisation", "other_organisation"),
        (planner, world.draft_goal, later_goal, "senare år (2025)", "later_year"),
        (planner, world.draft_goal, sibling, "samma plan", "same_plan"),
        (planner, world.draft_goal, below_goal, "slinga", "loop"),
    ):
        answer = caller.send("post", link_path(goal, target))
        body = refused(answer, 409, "contributes_to", field_code=code)
        assert words in body["errors"][0]["message"], body
    # A goal the caller may not see is not there at all.
    refused(planner.send("post", link_path(world.draft_goal, other_goal)), 404)
    # A decided plan's goal is not linked: revise the plan first.
    decided = planner.send("post", link_path(world.goal, world.above_goals[1]))
    refused(decided, 409, code="plan_decided")
    assert state() == before


def test_berör_inte_answers_are_given_replaced_and_withdrawn(cascade_world, as_role):
    world, planner = cascade_world, as_role("planerare_inne")
    path = f"/plans/{world.draft.pk}/exemptions"
    target = world.above_goals[1]
    given = planner.send("post", path, {"goal": target.pk, "reason": "Gäller inte styrelsen."})
    assert given.status_code == 201, given.content
    assert given.json()["goal_id"] == target.pk and given.json()["plan_id"] == world.draft.pk
    listed = planner.get(path).json()
    assert listed["count"] == 1 and listed["items"][0]["reason"] == "Gäller inte styrelsen."

    cascade.link_goal(world.draft_goal, world.above_goals[0], actor=world.user("planerare_inne"))
    before = state()
    refused(planner.send("post", path, {"goal": target.pk, "reason": "  "}), 422, "reason")
    refused(planner.send("post", path, {"goal": 999999, "reason": "Nej."}), 404, "goal")
    own = planner.send("post", path, {"goal": world.draft_goal.pk, "reason": "Nej."})
    refused(own, 409, "goal", field_code="same_plan")
    decided = planner.send("post", path, {"goal": world.goal.pk, "reason": "Nej."})
    refused(decided, 409, "goal", field_code="not_above")  # styrelsen's own 2023 plan
    linked = planner.send("post", path, {"goal": world.above_goals[0].pk, "reason": "Nej."})
    body = refused(linked, 409, "goal", field_code="already_linked")
    assert "bidrar redan" in body["errors"][0]["message"]
    assert state() == before

    gone = planner.send("delete", f"{path}/{given.json()['id']}")
    assert gone.status_code == 204, gone.content
    assert not GoalExemption.objects.exists()
    assert planner.send("delete", f"{path}/{given.json()['id']}").status_code == 404


def test_an_activity_serves_goals_of_its_plan_and_the_plan_above(cascade_world, as_role):
    world, planner = cascade_world, as_role("planerare_inne")
    path = f"/plans/{world.draft.pk}/parts/activity/{world.activity.pk}/goals"
    wanted = [world.draft_goal.pk, world.above_goals[0].pk]
    done = planner.send("put", path, {"goals": wanted})
    assert done.status_code == 200, done.content
    assert done.json()["contributes_to"] == sorted(wanted)
    later = council_plan(world, 2025, ["Ett mål för 2025"]).goals.get()
    before = state()
    refused(planner.send("put", path, {"goals": [world.draft_goal.pk, 999999]}), 404, "goals.1")
    refused(
        planner.send("put", path, {"goals": [later.pk]}),
        409,
        "contributes_to",
        field_code="later_year",
    )
    assert state() == before
    cleared = planner.send("put", path, {"goals": []})
    assert cleared.json()["contributes_to"] == []
    assert AuditEvent.objects.filter(action="activity.goals").count() == 2


# -- the beredning and the history ----------------------------------------------------------------


def test_readers_comment_on_a_draft_and_its_objects_in_threads(cascade_world, as_role):
    world = cascade_world
    reader, public = as_role("lasare_inne"), as_role(None)
    outsider = as_role("lasare_ute")
    path = f"/plans/{world.draft.pk}/comments"
    on_plan = reader.send("post", path, {"body": "Bra utkast."})
    assert on_plan.status_code == 201, on_plan.content
    assert on_plan.json()["subject"] is None
    subject = {"kind": "goal", "id": world.draft_goal.pk}
    on_goal = reader.send("post", path, {"body": "Mät det här.", "subject": subject})
    assert on_goal.status_code == 201, on_goal.content
    assert on_goal.json()["subject"] == subject
    assert on_goal.json()["author_name"] == "lasare_inne"
    thread = reader.get(path, kind="goal", subject=world.draft_goal.pk).json()
    assert [item["body"] for item in thread["items"]] == ["Mät det här."]
    assert reader.get(path).json()["count"] == 2

    before = state()
    refused(reader.send("post", path, {"body": " "}), 422, "body")
    elsewhere = {"kind": "goal", "id": world.goal.pk}  # the decided plan's goal
    refused(reader.send("post", path, {"body": "Hm.", "subject": elsewhere}), 404, "subject")
    refused(reader.send("post", path, {"body": "Hm.", "subject": {"kind": "x", "id": 1}}), 422)
    decided = f"/plans/{world.decided.pk}/comments"
    refused(reader.send("post", decided, {"body": "För sent."}), 409, code="plan_decided")
    refused(outsider.send("post", path, {"body": "Hej."}), 404)
    refused(public.send("post", path, {"body": "Hej."}), 401, code="unauthorized")
    assert state() == before
    # The beredning is for the unit's readers: the public sees the decided plan, not it.
    assert public.get(path).status_code == 404
    refused(public.get(decided), 403, code="forbidden")
    assert reader.get(decided).json()["count"] == 0
    assert PlanComment.objects.count() == 2


def test_every_change_is_one_event_in_the_plans_history(cascade_world, as_role):
    world = cascade_world
    planner, reader = as_role("planerare_inne"), as_role("lasare_inne")
    draft = f"/plans/{world.draft.pk}"
    writes = [
        (planner, "patch", draft, {"title": "Styrelsens plan 2024"}, "plan.update"),
        (planner, "post", f"{draft}/parts/goal", {"text": "Ett nytt mål"}, "goal.add"),
        (planner, "post", link_path(world.draft_goal, world.above_goals[0]), None, "goal.link"),
        (
            planner,
            "post",
            f"{draft}/exemptions",
            {"goal": world.above_goals[1].pk, "reason": "Nej"},
            "goal.exempt",
        ),
        (reader, "post", f"{draft}/comments", {"body": "Tydligt."}, "plan.comment"),
        (planner, "post", f"{draft}/review", {}, "plan.review"),
    ]
    for caller, method, path, body, _action in writes:
        before = AuditEvent.objects.count()
        response = caller.send(method, path, body)
        assert response.status_code in (200, 201), response.content
        assert AuditEvent.objects.count() == before + 1, path
    history = reader.get(f"{draft}/history", limit=len(writes)).json()
    assert history["count"] == len(writes)
    assert [item["action"] for item in history["items"]] == [w[4] for w in reversed(writes)]
    newest = history["items"][0]
    assert newest["label"] == "Planen skickades på beredning"
    assert newest["actor_name"] == "planerare_inne"
    assert history["items"][-1]["before"]["title"] == "Plan utkast 2024"
    second_page = reader.get(f"{draft}/history", limit=2, offset=4).json()
    assert [item["action"] for item in second_page["items"]] == ["goal.add", "plan.update"]
    assert as_role(None).get(f"{draft}/history").status_code == 404
    assert as_role("lasare_ute").get(f"{draft}/history").status_code == 404


def test_cascade_and_beredning_leave_the_same_events_as_their_actions(cascade_world, as_role):
    """One write path for the plan-level actions: the API's event is the action's."""
    world = cascade_world
    planner, user = as_role("planerare_inne"), world.user("planerare_inne")
    kansliet = Unit.objects.create(
        organisation=world.org, parent=world.unit, slug="kansliet", name="Kansliet", kind="kansli"
    )

    def shape():
        event = AuditEvent.objects.order_by("-sequence").first()
        return (
            event.action,
            event.object_type,
            sorted(event.before or {}),
            sorted(event.after or {}),
        )

    by_action = authoring.create_plan(
        kansliet, 2024, actor=user, mode="breakdown", source=world.draft
    )
    expected = shape()
    response = planner.send(
        "post",
        "/plans",
        {"unit": kansliet.pk, "year": 2025, "mode": "copy", "source": by_action.pk},
    )
    assert response.status_code == 201, response.content
    assert shape() == expected
    by_api = world.draft.__class__.objects.get(pk=response.json()["id"])
    pairs = [
        (
            lambda: authoring.update_plan(by_action, actor=user, title="Kansliets plan"),
            ("patch", f"/plans/{by_api.pk}", {"title": "Kansliets plan 2025"}),
        ),
        (
            lambda: authoring.send_for_review(by_action, actor=user, note="Senast i mars."),
            ("post", f"/plans/{by_api.pk}/review", {"note": "Senast i mars."}),
        ),
        (
            lambda: authoring.add_comment(by_action, actor=user, body="Bra."),
            ("post", f"/plans/{by_api.pk}/comments", {"body": "Bra."}),
        ),
    ]
    for act, (method, path, body) in pairs:
        act()
        expected = shape()
        response = planner.send(method, path, body)
        assert response.status_code in (200, 201), response.content
        assert shape() == expected, path


# -- the codes of the other refusals ----------------------------------------------------------------


def test_each_refusal_names_its_field_with_its_code(cascade_world, as_role):
    """The actions' refusals reach the API with a code per field (docs/api.md)."""
    world, planner = cascade_world, as_role("planerare_inne")
    activity = f"/plans/{world.draft.pk}/parts/activity/{world.activity.pk}"
    outside = Unit.objects.filter(organisation=world.other_org).first()
    before = state()
    backwards = {"starts_on": "2024-06-01", "ends_on": "2024-05-31"}
    refused(
        planner.send("patch", activity, backwards),
        409,
        "ends_on",
        "conflict",
        field_code="ends_before_start",
    )
    assignment = {"text": "Utred köerna", "responsible": outside.pk}
    refused(
        planner.send("post", f"/plans/{world.draft.pk}/parts/assignment", assignment),
        409,
        "responsible",
        field_code="other_organisation",
    )
    # Deciding: the date is not in the future; a draft is not revised but edited.
    decision = {"decided_by": world.unit.pk, "decided_on": "2999-01-01"}
    refused(
        planner.send("post", f"/plans/{world.draft.pk}/decision", decision),
        409,
        "decided_on",
        field_code="future_date",
    )
    other_body = {"decided_by": outside.pk, "decided_on": "2024-01-10"}
    refused(
        planner.send("post", f"/plans/{world.draft.pk}/decision", other_body),
        409,
        "decided_by",
        field_code="other_organisation",
    )
    revision = planner.send("post", f"/plans/{world.draft.pk}/revisions", {"reason": "Ny"})
    refused(revision, 409, "status", field_code="is_draft")
    assert state() == before
