"""Writing plans through the REST API (issue 13): creating them three ways, every kind of
content, the cascade's links and answers, the beredning and the plan's history. Each
endpoint calls the same action as the web pages; each refusal names the field in Swedish,
with a machine code, and changes nothing; and the same change made through the API and
through the action leaves the same audit event."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring, parts
from uppsikt.plans.models import Goal, Plan

from .authoring_api import refused, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_a(two_regions_with_roles):
    return two_regions_with_roles


@pytest.fixture
def api_planner(as_role):
    return as_role("planerare_inne")


# -- creating a plan ------------------------------------------------------------------------------


def test_a_plan_is_created_empty_as_a_copy_and_as_a_breakdown(region_a, api_planner):
    empty = api_planner.send(
        "post", "/plans", {"unit": region_a.unit.pk, "year": 2026, "mode": "empty"}
    )
    assert empty.status_code == 201, empty.content
    plan = empty.json()
    assert plan["status"] == "utkast" and plan["year"] == 2026
    assert empty["ETag"] == f'"plan-{plan["id"]}-1"'

    copy = api_planner.send(
        "post",
        "/plans",
        {"unit": region_a.unit.pk, "year": 2025, "mode": "copy", "source": region_a.decided.pk},
    )
    assert copy.status_code == 201, copy.content
    assert copy.json()["origin_id"] == region_a.decided.pk
    copied = Goal.objects.filter(plan_id=copy.json()["id"])
    assert sorted(copied.values_list("origin_id", flat=True)) == sorted(
        Goal.objects.filter(plan=region_a.decided).values_list("pk", flat=True)
    )

    kansliet = Unit.objects.create(
        organisation=region_a.org,
        parent=region_a.unit,
        slug="kansliet",
        name="Kansliet",
        kind="kansli",
    )
    breakdown = api_planner.send(
        "post",
        "/plans",
        {"unit": kansliet.pk, "year": 2024, "mode": "breakdown", "source": region_a.draft.pk},
    )
    assert breakdown.status_code == 201, breakdown.content
    assert breakdown.json()["breaks_down_id"] == region_a.draft.pk
    created = AuditEvent.objects.filter(action="plan.create").order_by("sequence")
    assert [event.after["mode"] for event in created] == ["empty", "copy", "breakdown"]


def test_a_refused_plan_is_named_and_nothing_is_created(region_a, api_planner, as_role):
    outside, reader = as_role("planerare_ute"), as_role("lasare_inne")
    before = state()
    base = {"unit": region_a.unit.pk, "mode": "empty"}
    # The schema: a year outside 2000–2100, copy without its source, empty with one.
    refused(api_planner.send("post", "/plans", {**base, "year": 1999}), 422, "year", "invalid")
    refused(api_planner.send("post", "/plans", {**base, "year": 2025, "mode": "copy"}), 422)
    with_source = {**base, "year": 2025, "source": region_a.decided.pk}
    refused(api_planner.send("post", "/plans", with_source), 422)
    # What it names must exist and be visible: another region's draft is not.
    refused(api_planner.send("post", "/plans", {**base, "unit": 999999, "year": 2025}), 404, "unit")
    other = {**base, "year": 2025, "mode": "copy", "source": region_a.other_draft.pk}
    refused(api_planner.send("post", "/plans", other), 404, "source")
    # The data as it stands: the year has a plan; the source is another unit's / a later year.
    body = refused(
        api_planner.send("post", "/plans", {**base, "year": 2024}),
        409,
        "year",
        "conflict",
        field_code="plan_exists",
    )
    assert "Det finns redan en plan" in body["errors"][0]["message"]
    later = {**base, "year": 2022, "mode": "copy", "source": region_a.decided.pk}
    refused(api_planner.send("post", "/plans", later), 409, "source", field_code="wrong_source")
    # Someone without the right to plan in the unit.
    refused(outside.send("post", "/plans", {**base, "year": 2025}), 403)
    refused(reader.send("post", "/plans", {**base, "year": 2025}), 403)
    assert state() == before


def test_a_plans_details_change_with_if_match_and_a_stale_one_changes_nothing(
    region_a, api_planner
):
    path = f"/plans/{region_a.draft.pk}"
    tag = api_planner.get(path)["ETag"]
    assert tag == f'"plan-{region_a.draft.pk}-1"'
    done = api_planner.send(
        "patch",
        path,
        {"title": "  Plan 2024, remiss  ", "horizon_end": 2026},
        headers={"If-Match": tag},
    )
    assert done.status_code == 200, done.content
    assert done.json()["title"] == "Plan 2024, remiss" and done.json()["horizon_end"] == 2026
    assert done["ETag"] == f'"plan-{region_a.draft.pk}-2"'
    before = state()
    stale = api_planner.send("patch", path, {"title": "Gammal"}, headers={"If-Match": tag})
    body = refused(stale, 412, "If-Match", "precondition_failed")
    assert stale["ETag"] == done["ETag"] and done["ETag"] in body["errors"][1]["message"]
    refused(api_planner.send("patch", path, {"title": "   "}), 422, "title")
    early = api_planner.send("patch", path, {"horizon_end": 2023})
    refused(early, 409, "horizon_end", "conflict", field_code="before_year")
    decided = api_planner.send("patch", f"/plans/{region_a.decided.pk}", {"title": "Ny"})
    refused(decided, 409, code="plan_decided")
    assert state() == before
    # null: the horizon is removed, the title (which every plan has) is left as it is.
    cleared = api_planner.send("patch", path, {"title": None, "horizon_end": None, "note": None})
    assert cleared.json()["title"] == "Plan 2024, remiss" and cleared.json()["horizon_end"] is None


def test_a_draft_is_sent_for_review_once(region_a, api_planner):
    path = f"/plans/{region_a.draft.pk}/review"
    sent = api_planner.send("post", path, {"note": "Synpunkter senast 1 mars."})
    assert sent.status_code == 200, sent.content
    assert sent.json()["review_requested_at"]
    event = AuditEvent.objects.get(action="plan.review")
    assert event.reason == "Synpunkter senast 1 mars."
    before = state()
    refused(api_planner.send("post", path, {}), 409, "status", field_code="already_in_review")
    refused(
        api_planner.send("post", f"/plans/{region_a.decided.pk}/review", {}),
        409,
        code="plan_decided",
    )
    assert state() == before


# -- every kind of content ------------------------------------------------------------------------

NEW = {
    "section": {"heading": "Ekonomi", "body": "Ett stycke.\n\n- en punkt", "items": ["A", "B"]},
    "perspective": {"name": "Medarbetare", "responsibilities": ["Arbetsmiljö"]},
    "focus_area": {"name": "Kompetensförsörjning", "number": "2"},
    "strategy": {"name": "Strategi för kompetens", "statements": ["Rekrytera", "Behålla"]},
    "goal": {"text": "Fler invånare röker inte", "kind": "mal", "number": "3"},
    "indicator": {"text": "Andelen rökare ska minska"},
    "assignment": {"text": "Utred köerna till vården"},
    "activity": {"text": "Inför en e-tjänst", "starts_on": "2024-02-01", "ends_on": "2024-11-30"},
}
CHANGE = {
    "section": {"heading": "Ekonomi i balans", "items": None},
    "perspective": {"description": "Våra medarbetare."},
    "focus_area": {"name": "Kompetens"},
    "strategy": {"lead": "Så här gör vi", "statements": ["Rekrytera"]},
    "goal": {"text": "Färre invånare röker", "number": None},
    "indicator": {"note": "Källa: Folkhälsomyndigheten."},
    "assignment": {"text": "Utred köerna till vården och föreslå åtgärder"},
    "activity": {"ends_on": "2024-12-31", "starts_on": None},
}


RICH = {"body", "description", "note"}  # normalised to paragraphs, lists and links


def new_body(region_a, kind: str) -> dict:
    body = dict(NEW[kind])
    if kind == "indicator":
        body["goal"] = region_a.draft_goal.pk
    if kind == "assignment":
        body["responsible"] = region_a.unit.pk
    if kind == "goal":
        body["perspective"] = region_a.draft.perspectives.get().pk
    return body


@pytest.mark.parametrize("kind", list(parts.MODELS))
def test_every_kind_is_added_read_changed_moved_and_removed(region_a, api_planner, kind):
    base = f"/plans/{region_a.draft.pk}/parts/{kind}"
    events = AuditEvent.objects.count()
    added = api_planner.send("post", base, new_body(region_a, kind))
    assert added.status_code == 201, added.content
    part = added.json()
    assert added["ETag"] == f'"{kind}-{part["id"]}-1"'
    assert part["plan_id"] == region_a.draft.pk
    plain = {name: value for name, value in NEW[kind].items() if name not in RICH}
    assert {name: part[name] for name in plain} == plain
    one = f"{base}/{part['id']}"
    read = api_planner.get(one)
    assert read.status_code == 200 and read["ETag"] == added["ETag"]
    listed = api_planner.get(base, limit=500).json()
    assert part["id"] in [item["id"] for item in listed["items"]]

    changed = api_planner.send("patch", one, CHANGE[kind], headers={"If-Match": added["ETag"]})
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == f'"{kind}-{part["id"]}-2"'
    for name, value in CHANGE[kind].items():
        expected = value if value is not None else ([] if name in ("items",) else None)
        if name == "number":
            expected = ""
        assert changed.json()[name] == expected, name
    before = state()
    refused(api_planner.send("patch", one, CHANGE[kind], headers={"If-Match": added["ETag"]}), 412)
    assert state() == before

    moved = api_planner.send("post", f"{one}/move", {"direction": "up"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["moved"] is True
    order = [(item["kind"], item["id"]) for item in moved.json()["order"]]
    assert order.index((kind, part["id"])) == len(order) - 2

    gone = api_planner.send("delete", one, headers={"If-Match": changed["ETag"]})
    assert gone.status_code == 204, gone.content
    assert gone.content == b""
    assert api_planner.get(one).status_code == 404
    actions = [event.action for event in AuditEvent.objects.order_by("sequence")][events:]
    assert actions == [f"{kind}.add", f"{kind}.update", f"{kind}.move", f"{kind}.remove"]
    history = api_planner.get(f"/plans/{region_a.draft.pk}/history", limit=4).json()
    assert [item["action"] for item in history["items"]] == actions[::-1]


def test_bad_goals_are_refused_naming_the_field_and_nothing_changes(region_a, api_planner):
    goals = f"/plans/{region_a.draft.pk}/parts/goal"
    perspective = region_a.draft.perspectives.get()
    second = Goal.objects.get(plan=region_a.draft, number="2")
    before = state()
    # What the schema says: a goal has a text, with more than spaces in it.
    refused(api_planner.send("post", goals, {"kind": "mal"}), 422, "text", field_code="missing")
    blank = api_planner.send("post", goals, {"text": "  \n "})
    refused(blank, 422, "text", field_code="string_pattern_mismatch")
    refused(api_planner.send("post", goals, {"text": "Mål", "kind": "vision"}), 422, "kind")
    refused(api_planner.send("post", goals, {"text": "Mål", "okänt": 1}), 422, "okänt")
    # A text the plan has already, whatever the case and the spacing.
    twin = api_planner.send("post", goals, {"text": "  effektmål NUMMER 1   år 2024 "})
    body = refused(twin, 409, "text")
    assert body["errors"] == [
        {
            "field": "text",
            "code": "duplicate_text",
            "message": "Planen har redan ett mål med samma text.",
        }
    ]
    same = api_planner.send("patch", f"{goals}/{second.pk}", {"text": "Effektmål nummer 1 år 2024"})
    refused(same, 409, "text", field_code="duplicate_text")
    # Objects it names: unknown (404), or of another plan (409).
    refused(
        api_planner.send("post", goals, {"text": "Nytt mål", "perspective": 999999}),
        404,
        "perspective",
    )
    decided_perspective = region_a.decided.perspectives.get().pk
    elsewhere = api_planner.send(
        "post", goals, {"text": "Nytt mål", "perspective": decided_perspective}
    )
    body = refused(elsewhere, 409, "perspective", field_code="other_plan")
    assert "samma plan" in body["errors"][0]["message"]
    indicator = {"goal": region_a.goal.pk, "text": "Indikator"}  # the decided plan's goal
    refused(
        api_planner.send("post", f"/plans/{region_a.draft.pk}/parts/indicator", indicator),
        409,
        "goal",
        field_code="other_plan",
    )
    # A link in a text that is not a web or e-mail address.
    script = {"text": "Nytt mål", "description": "[klicka](javascript:alert(1))"}
    refused(api_planner.send("post", goals, script), 409, "description", field_code="bad_link")
    # A decided plan is not edited: revise it first.
    decided = f"/plans/{region_a.decided.pk}/parts/goal"
    body = refused(
        api_planner.send("post", decided, {"text": "Nytt mål"}), 409, code="plan_decided"
    )
    assert "beslutad" in body["message"]
    decided_goal = f"{decided}/{region_a.goal.pk}"
    for method, path, data in (
        ("patch", decided_goal, {"text": "Ändrat"}),
        ("delete", f"{decided_goal}?confirm=true", None),
        ("post", f"{decided_goal}/move", {"direction": "up"}),
    ):
        refused(api_planner.send(method, path, data), 409, code="plan_decided")
    assert state() == before
    assert perspective.goals.count() == 2


def test_two_people_saving_the_same_goal_the_second_is_told_and_nothing_is_overwritten(
    region_a, api_planner, as_role
):
    other = as_role("rot")
    one = f"/plans/{region_a.draft.pk}/parts/goal/{region_a.draft_goal.pk}"
    tag = api_planner.get(one)["ETag"]
    assert other.get(one)["ETag"] == tag
    first = other.send("patch", one, {"text": "Rots version av målet"}, headers={"If-Match": tag})
    assert first.status_code == 200, first.content
    before = state()
    second = api_planner.send(
        "patch", one, {"text": "Planerarens version"}, headers={"If-Match": tag}
    )
    body = refused(second, 412, "If-Match", "precondition_failed")
    assert "har ändrats av någon annan" in body["errors"][0]["message"]
    assert second["ETag"] == first["ETag"]
    refused(api_planner.send("delete", one, headers={"If-Match": tag}), 412)
    assert state() == before
    assert Goal.objects.get(pk=region_a.draft_goal.pk).text == "Rots version av målet"
    # With what is there now, the change goes through.
    again = api_planner.send(
        "patch", one, {"text": "Planerarens version"}, headers={"If-Match": first["ETag"]}
    )
    assert again.status_code == 200, again.content


def test_removing_what_others_depend_on_asks_for_confirmation(region_a, api_planner):
    one = f"/plans/{region_a.draft.pk}/parts/goal/{region_a.draft_goal.pk}"
    before = state()
    asked = api_planner.send("delete", one)
    body = refused(asked, 409, "confirm", "needs_confirmation")
    assert all(error["code"] == "impact" for error in body["errors"])
    assert "Bekräfta" in body["message"]
    assert state() == before
    done = api_planner.send("delete", f"{one}?confirm=true")
    assert done.status_code == 204, done.content
    assert not Goal.objects.filter(pk=region_a.draft_goal.pk).exists()
    event = AuditEvent.objects.get(action="goal.remove")
    assert event.after["impact"] == [error["message"] for error in body["errors"]]


# -- one write path --------------------------------------------------------------------------------


def as_action_values(world, kind: str, values: dict, *, changes: bool) -> dict:
    """``values`` as the API body gives them, in the action's terms (``api.parts._changes``
    documents null: empty for optional fields)."""
    result = {}
    for name, value in values.items():
        if name in ("starts_on", "ends_on") and value is not None:
            value = datetime.date.fromisoformat(value)
        elif name == "responsible":
            value = world.unit
        elif value is None and changes and name in ("items", "statements", "responsibilities"):
            value = []
        elif value is None and changes and name == "number":
            value = ""
        result[name] = value
    return result


def last_event() -> tuple:
    event = AuditEvent.objects.order_by("-sequence").first()
    return (event.action, event.object_type, event.object_repr, event.before, event.after)


@pytest.mark.parametrize("kind", list(parts.MODELS))
def test_the_api_and_the_action_leave_the_same_event(region_a, api_planner, kind):
    """One write path: the same change made through the action and through the API is the
    same audit event (name, object, every field before and after)."""
    user = region_a.user("planerare_inne")
    by_action = authoring.create_plan(region_a.unit, 2025, actor=user)
    by_api = authoring.create_plan(region_a.unit, 2026, actor=user)
    goals = {
        plan.pk: parts.add_part(plan, "goal", actor=user, text="Målet", kind="mal")
        for plan in (by_action, by_api)
    }
    body = dict(NEW[kind])
    if kind == "assignment":
        body["responsible"] = region_a.unit.pk
    values = as_action_values(region_a, kind, body, changes=False)
    goal = goals[by_action.pk] if kind == "indicator" else None
    obj = parts.add_part(by_action, kind, actor=user, goal=goal, **values)
    expected = last_event()
    if kind == "indicator":
        body["goal"] = goals[by_api.pk].pk
    added = api_planner.send("post", f"/plans/{by_api.pk}/parts/{kind}", body)
    assert added.status_code == 201, added.content
    assert last_event() == expected

    obj = parts.update_part(
        obj, actor=user, **as_action_values(region_a, kind, CHANGE[kind], changes=True)
    )
    expected = last_event()
    one = f"/plans/{by_api.pk}/parts/{kind}/{added.json()['id']}"
    assert api_planner.send("patch", one, CHANGE[kind]).status_code == 200
    assert last_event() == expected

    moved = parts.move_part(obj, actor=user, direction=parts.UP)  # an indicator alone: no
    expected = last_event()
    assert api_planner.send("post", f"{one}/move", {"direction": "up"}).json()["moved"] == moved
    assert last_event() == expected

    parts.remove_part(obj, actor=user)
    expected = last_event()
    assert api_planner.send("delete", one).status_code == 204
    assert last_event() == expected


texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=texts, description=texts, number=st.sampled_from(["", "1", "2.3", " 4 "]))
def test_any_goal_the_action_takes_the_api_takes_alike(
    region_a, api_planner, text, description, number
):
    """For any goal: the API accepts it exactly when the action does, and leaves the same
    event (the action strips the text; an empty one it refuses, as the schema does)."""
    user = region_a.user("planerare_inne")
    fields = {"text": text, "description": description, "number": number}
    with transaction.atomic():
        by_action = authoring.create_plan(region_a.unit, 2025, actor=user)
        by_api = authoring.create_plan(region_a.unit, 2026, actor=user)
        try:
            with transaction.atomic():
                parts.add_part(by_action, "goal", actor=user, **fields)
            expected = last_event()
        except ValidationError:
            expected = None
        events = AuditEvent.objects.count()
        answer = api_planner.send("post", f"/plans/{by_api.pk}/parts/goal", fields)
        if expected is None:
            assert answer.status_code in (409, 422), answer.content
            assert AuditEvent.objects.count() == events
        else:
            assert answer.status_code == 201, answer.content
            assert last_event() == expected
        transaction.set_rollback(True)


def test_a_plan_written_through_the_api_is_decided_and_then_kept_as_it_is(region_a, api_planner):
    made = api_planner.send(
        "post", "/plans", {"unit": region_a.unit.pk, "year": 2025, "mode": "empty"}
    )
    plan = made.json()["id"]
    goal = api_planner.send(
        "post", f"/plans/{plan}/parts/goal", {"text": "Minst 60 procent röker inte", "kind": "mal"}
    ).json()
    indicator = api_planner.send(
        "post", f"/plans/{plan}/parts/indicator", {"goal": goal["id"], "text": "Andel som röker"}
    )
    assert indicator.status_code == 201, indicator.content
    assert api_planner.send("post", f"/plans/{plan}/review", {}).status_code == 200
    decided = api_planner.send(
        "post",
        f"/plans/{plan}/decision",
        {"decided_by": region_a.unit.pk, "decided_on": "2024-12-10"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "beslutad"
    assert Plan.objects.get(pk=plan).is_published
    before = state()
    refused(
        api_planner.send("post", f"/plans/{plan}/parts/goal", {"text": "Sent"}),
        409,
        code="plan_decided",
    )
    refused(
        api_planner.send("patch", f"/plans/{plan}", {"title": "Sent"}), 409, code="plan_decided"
    )
    assert state() == before
    history = api_planner.get(f"/plans/{plan}/history").json()
    assert [item["action"] for item in history["items"]] == [
        "plan.decide",
        "plan.review",
        "indicator.add",
        "goal.add",
        "plan.create",
    ]
