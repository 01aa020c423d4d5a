import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.interchange.dump import dump_data, dump_yaml
from uppsikt.interchange.load import LoadError, load_data, load_file
from uppsikt.lib import richtext
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.actions.parts import RICH_FIELDS
from uppsikt.plans.models import Goal, GoalExemption, Indicator, Plan

from .builders import DEMO_FILE, load_demo, load_minimal, minimal_data

pytestmark = pytest.mark.django_db


def database_counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Unit.objects.count(),
        Plan.objects.count(),
        Goal.objects.count(),
        Indicator.objects.count(),
    )


def test_demo_loads_the_real_plan():
    counts = load_demo()
    assert counts["plans"] >= 3
    rs = Plan.objects.get(title="Regionstyrelsens verksamheter, Verksamhetsplan med budget 2023")
    assert rs.status == Plan.Status.BESLUTAD
    assert rs.horizon_end == 2025
    goal = Goal.objects.get(plan=rs, kind="effektmal", number="1")
    assert goal.text == "Länets invånare har en god, jämlik och jämställd hälsa."
    indicators = [indicator.text for indicator in goal.indicators.all()]
    assert len(indicators) == 3
    assert indicators[2].startswith("Andelen i Örebro län som anser att de har tillgång")
    # The cascade: regionstyrelsens effektmål 1 contributes to regionfullmäktige's.
    assert goal.contributes_to.get().plan.unit.slug == "regionfullmaktige"


def test_demo_keeps_the_broken_source_block_and_marks_it():
    load_demo()
    rs = Plan.objects.get(unit__slug="regionstyrelsen", year=2023)
    unnumbered = Goal.objects.get(plan=rs, kind="effektmal", number="")
    assert "saknas" in unnumbered.text
    assert "fallit bort i källdokumentet" in unnumbered.note
    assert unnumbered.indicators.get().text.startswith("Sambandet mellan livsvillkor")


def test_demo_staber_have_decided_example_aktivitetsplaner():
    """Each stab's 2023 aktivitetsplan is decided by the stab itself (its chief fastställer
    it), on a date that, like the plan's content, is example data and says so."""
    import datetime

    load_demo()
    plans = Plan.objects.filter(title__startswith="Aktivitetsplan 2023").select_related("unit")
    assert plans.count() == 8
    for plan in plans:
        assert plan.status == Plan.Status.BESLUTAD, plan
        assert plan.decided_by == plan.unit
        assert plan.unit.parent.slug == "regionkansliet"
        assert plan.decided_on == datetime.date(2023, 1, 31)
        assert plan.is_example
        assert "datumet 31 januari 2023 är exempel" in plan.note


def test_demo_uses_official_municipality_names():
    load_demo()
    municipalities = Organisation.objects.filter(kind="kommun", county_code="18")
    assert municipalities.count() == 12
    assert municipalities.get(code="1864").name == "Ljusnarsberg"
    assert not Organisation.objects.filter(name__icontains="Ljusnaberg").exists()


def test_dump_of_a_loaded_file_loads_to_the_same_data(tmp_path):
    load_demo()
    first = dump_yaml()
    path = tmp_path / "dump.yaml"
    path.write_text(first, encoding="utf-8")
    load_file(path, replace=True, allow_decided=True)
    assert dump_yaml() == first


def _texts(value, key=""):
    """Every string in a parsed file except reference ids, as the write path stores it: the
    actions strip text and normalise running text (``lib.richtext``)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in {"id", "contributes_to"}:
                yield from _texts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, key)
    elif isinstance(value, str):
        yield richtext.normalise(value) if key in RICH_FIELDS else value.strip()


def test_dump_holds_every_text_of_the_source_file():
    load_demo()
    source = set(_texts(yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))))
    dumped = set(_texts(dump_data()))
    assert source - dumped == set()


def test_loading_the_same_plan_twice_is_refused_and_changes_nothing():
    load_data(minimal_data())
    before = database_counts()
    with pytest.raises(LoadError) as error:
        load_data(minimal_data())
    assert "plans[0]" in str(error.value)
    assert "finns redan" in str(error.value)
    assert database_counts() == before


BROKEN_CASES = [
    (lambda d: d["plans"][0].pop("title"), "plans[0].title: saknas (obligatoriskt fält)"),
    (lambda d: d["plans"][0].update(status="klar"), "plans[0].status: ska vara ett av"),
    (lambda d: d["plans"][0].update(year="tjugotjugotre"), "plans[0].year: ska vara ett årtal"),
    (lambda d: d["plans"][0].update(unit="finns-inte"), "plans[0].unit: okänd enhet 'finns-inte'"),
    (
        lambda d: d["organisations"][0].update(code=18),
        "organisations[0].code: ska vara fyra siffror",
    ),
    (
        lambda d: d["plans"][0]["blocks"][0]["perspective"]["goals"][0].update(text=""),
        "plans[0].blocks[0].perspective.goals[0].text: saknas",
    ),
    (
        lambda d: d["plans"][0]["blocks"][0]["perspective"]["goals"][0].update(
            contributes_to=["inget-sadant"]
        ),
        "plans[0].blocks[0].perspective.goals[0].contributes_to[0]: okänt mål-id 'inget-sadant'",
    ),
    (
        lambda d: d["plans"][0]["blocks"].append({"kapitel": {}}),
        "plans[0].blocks[1].kapitel: okänd blocktyp",
    ),
    (lambda d: d["plans"][0].update(horizon_end=2020), "plans[0].horizon_end: kan inte vara före"),
    (lambda d: d.update(format="annat/2"), "format: okänt format"),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN_CASES)
def test_malformed_data_is_rejected_with_the_path_and_nothing_is_loaded(breakage, message):
    data = minimal_data(goal_count=2)
    breakage(data)
    with pytest.raises(LoadError) as error:
        load_data(data)
    assert any(str(problem).startswith(message) for problem in error.value.problems), error.value
    assert database_counts() == (0, 0, 0, 0, 0)


def test_every_problem_is_reported_in_one_run():
    data = minimal_data(goal_count=3)
    goals = data["plans"][0]["blocks"][0]["perspective"]["goals"]
    goals[0]["kind"] = "vision"
    goals[2].pop("text")
    data["plans"][0]["status"] = "okänd"
    with pytest.raises(LoadError) as error:
        load_data(data)
    paths = {problem.where for problem in error.value.problems}
    assert {
        "plans[0].blocks[0].perspective.goals[0].kind",
        "plans[0].blocks[0].perspective.goals[2].text",
        "plans[0].status",
    } <= paths


def test_file_errors_name_the_line(tmp_path):
    path = tmp_path / "trasig.yaml"
    path.write_text("format: uppsikt/1\nplans:\n  - title: [ej stängd\n", encoding="utf-8")
    with pytest.raises(LoadError) as error:
        load_file(path)
    assert "rad " in str(error.value)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("format: uppsikt/1\norganisations: []\n# Örebro\n".encode("latin-1"))
    with pytest.raises(LoadError, match="UTF-8"):
        load_file(latin1)
    with pytest.raises(LoadError, match="kan inte läsas"):
        load_file(tmp_path / "saknas.yaml")


def test_a_failure_while_writing_rolls_everything_back():
    data = minimal_data()
    second = copy.deepcopy(data["plans"][0])
    second["id"] = "plan-2"
    second["version"] = 2
    data["plans"].append(second)
    load_data(copy.deepcopy(data))
    before = database_counts()
    # Organisations would be updated and a new plan version added, but plan 1 exists.
    data["plans"][1]["version"] = 3
    with pytest.raises(LoadError):
        load_data(data)
    assert database_counts() == before


goal_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=3, max_size=80
).filter(lambda text: text.strip() == text and text.strip())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # a goal's text is unique in its plan, compared without regard to case and spacing
    texts=st.lists(
        goal_text, min_size=1, max_size=6, unique_by=lambda text: " ".join(text.split()).casefold()
    ),
    numbers=st.lists(st.integers(1, 99)),
)
def test_any_valid_plan_survives_a_round_trip(django_db_blocker, texts, numbers):
    data = minimal_data(goal_count=len(texts))
    goals = data["plans"][0]["blocks"][0]["perspective"]["goals"]
    for index, (goal, text) in enumerate(zip(goals, texts, strict=True)):
        goal["text"] = text
        goal["number"] = str(numbers[index]) if index < len(numbers) else ""
    load_data(data, replace=True, allow_decided=True)
    first = dump_data()
    load_data(copy.deepcopy(first), replace=True, allow_decided=True)
    assert dump_data() == first
    stored = list(Goal.objects.order_by("position").values_list("text", flat=True))
    assert stored == texts


def test_replace_refuses_clearly_when_other_modules_hang_on_the_units():
    import datetime

    from uppsikt.control.models import ControlAssessment
    from uppsikt.periods.models import ReportingPeriod

    load_minimal()
    period = ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind="verksamhetsberattelse",
        name="Verksamhetsberättelse 2023",
        ends_on=datetime.date(2023, 12, 31),
    )
    ControlAssessment.objects.create(
        unit=Unit.objects.get(slug="styrelsen"), period=period, level="tillracklig", motivation="x"
    )
    with pytest.raises(LoadError) as error:
        load_data(minimal_data(), replace=True, allow_decided=True)
    message = str(error.value)
    assert "--replace kan inte ta bort" in message and "uppsikt flush" in message
    assert Plan.objects.count() == 1 and Unit.objects.count() == 2  # nothing removed


def test_an_activitys_dates_go_out_and_come_back_and_bad_ones_are_named():
    data = minimal_data(status="utkast")
    data["plans"][0]["blocks"].append(
        {
            "section": {
                "heading": "Aktiviteter",
                "activities": [
                    {"text": "Utbildning", "starts_on": "2023-02-01", "ends_on": "2023-11-30"}
                ],
            }
        }
    )
    load_data(copy.deepcopy(data))
    dumped = dump_data()
    (activity,) = dumped["plans"][0]["blocks"][1]["section"]["activities"]
    assert (activity["starts_on"], activity["ends_on"]) == ("2023-02-01", "2023-11-30")
    before = database_counts()
    bad = copy.deepcopy(data)
    bad["plans"][0]["blocks"][1]["section"]["activities"][0]["ends_on"] = "30/11/2023"
    with pytest.raises(LoadError) as refused:
        load_data(bad, replace=True)
    assert any(
        p.where.endswith("activities[0].ends_on") and "ÅÅÅÅ-MM-DD" in p.message
        for p in refused.value.problems
    )
    backwards = copy.deepcopy(data)
    backwards["plans"][0]["blocks"][1]["section"]["activities"][0]["ends_on"] = "2023-01-01"
    with pytest.raises(LoadError) as refused:
        load_data(backwards, replace=True)
    assert any("Slutdatum" in p.message for p in refused.value.problems), refused.value.problems
    assert database_counts() == before


def test_a_berör_inte_answer_goes_out_and_comes_back():
    data = minimal_data(goal_count=2)
    data["plans"][0]["blocks"][0]["perspective"]["goals"][1]["id"] = "styrelsen-em2"
    data["organisations"][0]["units"][0]["units"][0]["units"] = [
        {"slug": "kansliet", "name": "Kansliet", "kind": "kansli"}
    ]
    data["plans"].append(
        {
            "id": "kansliet-2023",
            "organisation": "0099",
            "unit": "kansliet",
            "year": 2023,
            "title": "Kansliets plan 2023",
            "status": "utkast",
            "blocks": [],
            "exemptions": [{"goal": "styrelsen-em2", "reason": "Gäller vården."}],
        }
    )
    load_data(copy.deepcopy(data))
    exemption = GoalExemption.objects.get()
    assert (exemption.plan.unit.slug, exemption.goal.text) == ("kansliet", "Effektmål nummer 2")
    first = dump_data()
    (kansliet,) = [plan for plan in first["plans"] if plan["unit"] == "kansliet"]
    assert kansliet["exemptions"][0]["reason"] == "Gäller vården."
    load_data(copy.deepcopy(first), replace=True, allow_decided=True)
    assert dump_data() == first
    unknown = copy.deepcopy(data)
    unknown["plans"][1]["exemptions"][0]["goal"] = "finns-inte"
    with pytest.raises(LoadError) as refused:
        load_data(unknown, replace=True, allow_decided=True)
    assert any(p.where.endswith("exemptions[0].goal") for p in refused.value.problems)
