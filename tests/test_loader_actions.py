"""The loader writes plans through the plans app's actions: every object is its own event in
the plan's history, the actions' rules hold for a file, and a refusal writes nothing."""

import copy
import datetime

import pytest
from django.utils import timezone

from uppsikt.audit.models import AuditEvent
from uppsikt.interchange.dump import dump_data
from uppsikt.interchange.load import LoadError, load_data, load_file
from uppsikt.interchange.load_plans import LATER
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)
from uppsikt.plans.queries import superseded_by
from uppsikt.plans.trail import plan_history

from .builders import DEMO_FILE, RS_TITLE, minimal_data

pytestmark = pytest.mark.django_db

PARTS = {
    "section": Section,
    "perspective": Perspective,
    "focus_area": FocusArea,
    "strategy": Strategy,
    "goal": Goal,
    "assignment": Assignment,
    "activity": Activity,
}


def written() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Unit.objects.count(),
        Plan.objects.count(),
        Goal.objects.count(),
        Indicator.objects.count(),
        AuditEvent.objects.count(),
    )


def goals_of(data: dict, plan: int = 0) -> list[dict]:
    return data["plans"][plan]["blocks"][0]["perspective"]["goals"]


def test_a_loaded_plans_history_lists_every_object_added_every_link_and_the_decision():
    load_file(DEMO_FILE)
    rs = Plan.objects.get(title=RS_TITLE)
    history = list(plan_history(rs))
    added: dict[str, set[str]] = {}
    for event in history:
        if event.action.endswith(".add"):
            added.setdefault(event.action.removesuffix(".add"), set()).add(event.object_id)
    for kind, model in PARTS.items():
        stored = {str(pk) for pk in model.objects.filter(plan=rs).values_list("pk", flat=True)}
        assert added.get(kind, set()) == stored, kind
    indicators = Indicator.objects.filter(goal__plan=rs).values_list("pk", flat=True)
    assert added["indicator"] == {str(pk) for pk in indicators} and indicators
    links = Goal.contributes_to.through.objects.filter(from_goal__plan=rs).count()
    assert links == 8 and [e.action for e in history].count("goal.link") == links
    (decision,) = [event for event in history if event.action == "plan.decide"]
    assert decision.after["status"] == "beslutad" and decision.after["decided_by"]
    assert decision.after["decided_on"] is None  # the file does not say when; nor did it before
    assert history[-1].action == "plan.create" and history[0].action == "plan.load"
    assert {event.actor_name for event in history} == {"kommandorad"}


def _with_plan_above(data: dict, *, year: int = 2023, org: str = "0099") -> dict:
    """``data`` with fullmäktige's plan (one goal, id ``fm-1``) first in the file."""
    above = copy.deepcopy(data["plans"][0])
    above.update(id="fm", unit="fullmaktige", year=year, title=f"Fullmäktiges plan {year}")
    above["organisation"] = org
    goals_of({"plans": [above]})[:] = [{"id": "fm-1", "kind": "effektmal", "text": "Ovanför"}]
    data["plans"].insert(0, above)
    return data


def _other_organisation(data: dict) -> dict:
    data["organisations"].append(
        {
            "code": "0098",
            "name": "Region Annan",
            "kind": "region",
            "units": [{"slug": "fullmaktige", "name": "Fullmäktige", "kind": "fullmaktige"}],
        }
    )
    return _with_plan_above(data, org="0098")


def _link_first_goal(data: dict, target: str) -> None:
    goals_of(data, len(data["plans"]) - 1)[0]["contributes_to"] = [target]


GOALS = "plans[0].blocks[0].perspective.goals"
LINKED = "plans[1].blocks[0].perspective.goals[0].contributes_to[0]"
REFUSED = [
    (
        lambda d: goals_of(d)[1].update(text="  EFFEKTMÅL   nummer 1 "),
        f"{GOALS}[1].text",
        "Planen har redan ett mål med samma text.",
    ),
    (
        lambda d: (goals_of(d)[0].update(id="g1"), goals_of(d)[1].update(contributes_to=["g1"])),
        f"{GOALS}[1].contributes_to[0]",
        "Ett mål kan inte bidra till ett mål i samma plan.",
    ),
    (
        lambda d: _link_first_goal(_with_plan_above(d, year=2024), "fm-1"),
        LINKED,
        "Målet ovanför hör till ett senare år (2024).",
    ),
    (
        lambda d: _link_first_goal(_other_organisation(d), "fm-1"),
        LINKED,
        "Målet ovanför hör till en annan organisation.",
    ),
    (
        lambda d: d["plans"][0].update(
            decided_by="fullmaktige",
            decided_on=(timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        ),
        "plans[0].decided_on",
        "Beslutsdatum kan inte ligga i framtiden.",
    ),
]


@pytest.mark.parametrize(("breakage", "where", "message"), REFUSED)
def test_what_the_actions_refuse_is_named_by_path_and_nothing_is_written(breakage, where, message):
    data = minimal_data(goal_count=2)
    breakage(data)
    with pytest.raises(LoadError) as error:
        load_data(data)
    assert [(p.where, p.message) for p in error.value.problems] == [(where, message)]
    assert written() == (0, 0, 0, 0, 0, 0)


def _versions(data: dict, *, dates=("2022-11-15", "2023-06-13")) -> dict:
    """Fullmäktige's plan in two decided versions, then styrelsen's, linked to version 2."""
    data = _with_plan_above(data)
    second = copy.deepcopy(data["plans"][0])
    second.update(id="fm-v2", version=2, title="Fullmäktiges plan 2023, reviderad")
    goals_of({"plans": [second]})[0].update(id="fm-2", text="Ovanför, reviderat")
    data["plans"].insert(1, second)
    for plan, date in zip(data["plans"][:2], dates, strict=True):
        plan.update(decided_by="fullmaktige", decided_on=date)
    _link_first_goal(data, "fm-2")
    return data


def test_versions_are_decided_in_order_and_a_link_to_the_newer_version_is_kept():
    load_data(_versions(minimal_data()))
    first, second = Plan.objects.filter(unit__slug="fullmaktige").order_by("version")
    assert (first.status, second.status) == ("beslutad", "reviderad")
    assert superseded_by(first) == second and second.decided_on == datetime.date(2023, 6, 13)
    assert plan_history(first).filter(action="plan.supersede").exists()
    board = Goal.objects.get(plan__unit__slug="styrelsen", number="1")
    assert list(board.contributes_to.all()) == [Goal.objects.get(plan=second)]
    assert Plan.objects.get(unit__slug="styrelsen").status == "beslutad"
    # a dump lists plans from the top of the unit tree down, so it loads back the same
    dumped = dump_data()
    load_data(copy.deepcopy(dumped), replace=True, allow_decided=True)
    assert dump_data() == dumped


def test_a_later_version_decided_before_an_earlier_one_is_refused():
    data = _versions(minimal_data(), dates=("2023-06-13", "2022-11-15"))
    with pytest.raises(LoadError) as error:
        load_data(data)
    assert [p.where for p in error.value.problems] == ["plans[1].decided_on"]
    assert written() == (0, 0, 0, 0, 0, 0)


def test_a_link_to_a_goal_that_comes_after_the_next_version_is_named():
    """Styrelsen's version 1 must be decided before its version 2 is made; the goal it links to
    is in fullmäktige's version 2, later in the file: the file has to be reordered."""
    data = _versions(minimal_data())
    board = data["plans"].pop()
    board_v2 = copy.deepcopy(board)
    board_v2.update(id="plan-v2", version=2, title="Testplan 2023, reviderad")
    for goal in goals_of({"plans": [board_v2]}):
        goal.pop("contributes_to", None)
    data["plans"][:0] = [board, board_v2]
    with pytest.raises(LoadError) as error:
        load_data(data)
    problems = [(p.where, p.message) for p in error.value.problems]
    assert problems == [("plans[0].blocks[0].perspective.goals[0].contributes_to[0]", LATER)]
    assert written() == (0, 0, 0, 0, 0, 0)


def test_a_version_already_in_the_database_is_refused_and_nothing_is_written():
    data = _versions(minimal_data())
    load_data(copy.deepcopy(data))
    before = written()
    data["plans"] = [data["plans"][1]]  # version 2 again
    data["plans"][0]["blocks"][0]["perspective"]["goals"][0].pop("id")
    with pytest.raises(LoadError, match="finns redan"):
        load_data(data)
    assert written() == before
