"""Goal levels and content kinds from the organisation's styrmodell: a kommun's words on
the plan page, the goal page, the API and a report; unknown or wrong-level kinds refused
by the action, the API and the data file, nothing changed; the styrmodell's moves audited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_client import Caller
from tests.builders import user_with_role
from tests.followup_setup import small_setting
from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import usage, words
from uppsikt.governance.actions import LevelSpec, StepSpec, StyrmodellSpec, save_styrmodell
from uppsikt.interchange.load import LoadError, load_data
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.parts import add_part, update_part
from uppsikt.plans.levels import default_goal_kind
from uppsikt.plans.models import Goal, Perspective, Plan, Strategy
from uppsikt.reports.build import build_document, render

pytestmark = pytest.mark.django_db

STEPS = [
    StepSpec("uppfyllt", "Uppfyllt", "#1b5e20", "●", True, "uppfyllt"),
    StepSpec("till_stor_del", "Till stor del uppfyllt", "#33691e", "◕", True, ""),
    StepSpec("delvis", "Delvis uppfyllt", "#7a4d00", "◑", False, "delvis_uppfyllt"),
    StepSpec("ej_uppfyllt", "Ej uppfyllt", "#b3261e", "○", False, "ej_uppfyllt"),
]
PERSPECTIVES = [("Medborgare", ""), ("Verksamhet", ""), ("Medarbetare", ""), ("Ekonomi", "")]


def kommun_spec(**changes) -> StyrmodellSpec:
    spec = StyrmodellSpec(
        levels=[
            LevelSpec("inriktningsmal", "Inriktningsmål", "Inriktningsmål", ["fullmaktige"]),
            LevelSpec("namndmal", "Nämndmål", "Nämndmålen", ["styrelse", "namnd"]),
            LevelSpec(
                "verksamhetsmal", "Verksamhetsmål", "Verksamhetsmål", ["forvaltning", "enhet"]
            ),
        ],
        steps=STEPS,
        perspectives=PERSPECTIVES,
        uses=["perspectives", "assignments", "activities"],  # no strategier, no områden
        name="Kommunens styrmodell",
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


@pytest.fixture
def kommun():
    """Region Test's decided styrelse plan (two effektmål) under a kommun styrmodell: the
    effektmål became nämndmål through the confirmed mapping."""
    setting = small_setting(2)
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    save_styrmodell(
        organisation, kommun_spec(), actor=admin, mapping={"levels": {"effektmal": "namndmal"}}
    )
    setting.admin = admin
    return setting


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def state():
    return sorted(Goal.objects.values_list("pk", "kind", "text", "row_version"))


# -- the move ------------------------------------------------------------------------------


def test_the_styrmodells_mapping_moves_goals_even_in_a_decided_plan_audited_per_plan(kommun):
    assert kommun.plan.status == Plan.Status.BESLUTAD
    assert set(Goal.objects.values_list("kind", flat=True)) == {"namndmal"}
    events = AuditEvent.objects.filter(action="goal.kind_moved")
    assert events.count() == 1
    assert events.get().after == {"mapping": {"effektmal": "namndmal"}}
    assert events.get().before == {"kinds": {"effektmal": 2}}
    organisation = Organisation.objects.get(code="0099")
    assert usage.in_use(usage.LEVELS, organisation.pk)["mål"] == {"namndmal": 2}


def test_a_styrmodell_that_would_orphan_goals_is_refused_without_a_mapping():
    small_setting(1)
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    with pytest.raises(ValidationError) as error:
        save_styrmodell(organisation, kommun_spec(), actor=admin)
    assert error.value.error_dict["mapping.levels.effektmal"][0].code == "orphaned"
    assert set(Goal.objects.values_list("kind", flat=True)) == {"effektmal"}


# -- the words on every page ----------------------------------------------------------------


def test_the_plan_page_and_the_goal_page_use_the_kommuns_names(client, kommun):
    client.force_login(kommun.admin)
    page = text_of(client.get(kommun.plan.get_absolute_url()).content.decode())
    assert "Nämndmål 1" in page and "Nämndmål 2" in page
    assert "Effektmål 1" not in page  # the goals' texts say "Effektmål nummer 1"
    goal = kommun.goals[0]
    page = text_of(client.get(goal.get_absolute_url()).content.decode())
    assert "Nämndmål 1" in page and "Effektmål 1" not in page


def test_the_api_gives_the_kommuns_names(client, kommun):
    api = Caller(client, create_token(kommun.admin, actor=kommun.admin, name="test")[1])
    body = api.get("/goals", plan=kommun.plan.pk).json()
    assert [(g["kind"], g["kind_label"], g["label"]) for g in body["items"]] == [
        ("namndmal", "Nämndmål", "Nämndmål 1"),
        ("namndmal", "Nämndmål", "Nämndmål 2"),
    ]


def test_a_report_uses_the_kommuns_names(kommun):
    html = text_of(render(build_document(kommun.unit, kommun.period), "html").decode())
    assert "Nämndmål 1: Effektmål nummer 1" in html
    assert "Effektmål 1" not in html


def test_a_reports_goal_headings_are_the_levels_plural_in_the_styrmodells_order():
    from uppsikt.reports.content.goals import level_goals
    from uppsikt.reports.document import Section

    small_setting(1)
    organisation = Organisation.objects.get(code="0099")
    save_styrmodell(
        organisation,
        kommun_spec(),
        actor=user_with_role("admin", "administrator"),
        mapping={"levels": {"effektmal": "namndmal"}},
    )
    styrmodell = words.styrmodell_for(organisation.pk)

    def goal(n: int, kind: str) -> Section:
        return Section(f"Mål {n}", [], kind=f"goal:{kind}")

    # Nämndmål 1 straight under the chapter, Nämndmål 2 under a heading: gathered under
    # the level's plural; verksamhetsmål too, after it (the styrmodell's order).
    chapter = Section(
        "Mål",
        [],
        [
            goal(1, "verksamhetsmal"),
            Section("Avsnitt", [], [goal(2, "verksamhetsmal")]),
            goal(3, "namndmal"),
            Section("Annat", [], [goal(4, "namndmal")]),
        ],
    )
    level_goals(chapter, styrmodell)
    assert [child.title for child in chapter.children] == [
        "Verksamhetsmål",
        "Avsnitt",
        "Nämndmålen",
        "Annat",
    ]


def test_the_editor_offers_only_the_units_levels_and_the_used_content_kinds(client, kommun):
    planner = user_with_role("planerare", "planerare", "styrelsen")
    draft = create_plan(kommun.unit, 2024, actor=planner)
    # An empty plan starts with the styrmodell's perspectives, in its order.
    assert [p.name for p in Perspective.objects.filter(plan=draft).order_by("position")] == [
        name for name, _description in PERSPECTIVES
    ]
    # Content of a kind the styrmodell does not use is still shown.
    Strategy.objects.create(plan=draft, name="En gammal strategi", position=50)
    client.force_login(planner)
    page = client.get(reverse("plans:edit", args=[draft.pk])).content.decode()
    assert "En gammal strategi" in page
    assert reverse("plans:part_add", args=[draft.pk, "strategy"]) not in page
    assert reverse("plans:part_add", args=[draft.pk, "focus_area"]) not in page
    assert reverse("plans:part_add", args=[draft.pk, "perspective"]) in page
    assert client.get(reverse("plans:part_add", args=[draft.pk, "strategy"])).status_code == 404
    form = client.get(reverse("plans:part_add", args=[draft.pk, "goal"])).content.decode()
    options = re.findall(
        r'<option value="([a-z_]+)"', form.split('name="kind"')[1].split("</select>")[0]
    )
    assert options == ["namndmal"]


def test_the_orebro_default_adds_no_perspectives_and_offers_every_kind(client):
    small_setting(1)
    planner = user_with_role("planerare", "planerare", "styrelsen")
    draft = create_plan(Unit.objects.get(slug="styrelsen"), 2024, actor=planner)
    assert not Perspective.objects.filter(plan=draft).exists()
    client.force_login(planner)
    page = client.get(reverse("plans:edit", args=[draft.pk])).content.decode()
    for kind in ("strategy", "focus_area", "perspective", "goal", "activity"):
        assert reverse("plans:part_add", args=[draft.pk, kind]) in page


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("effektmal", "unknown_level"),
        ("vision", "unknown_level"),
        ("inriktningsmal", "wrong_level"),
    ],
)
def test_an_unknown_or_wrong_level_is_refused_by_the_action(kommun, kind, code):
    planner = user_with_role("planerare", "planerare", "styrelsen")
    draft = create_plan(kommun.unit, 2024, actor=planner)
    goal = add_part(draft, "goal", actor=planner, text="Ett nämndmål", kind="namndmal")
    before = state()
    with pytest.raises(ValidationError) as error:
        add_part(draft, "goal", actor=planner, text="Ett annat mål", kind=kind)
    assert error.value.error_dict["kind"][0].code == code
    assert "Nämndmål" in error.value.error_dict["kind"][0].messages[0]
    with pytest.raises(ValidationError) as error:
        update_part(goal, actor=planner, kind=kind)
    assert error.value.error_dict["kind"][0].code == code
    assert state() == before


def test_a_goal_without_a_kind_gets_the_units_level(kommun):
    planner = user_with_role("planerare", "planerare", "styrelsen")
    draft = create_plan(kommun.unit, 2024, actor=planner)
    goal = add_part(draft, "goal", actor=planner, text="Ett nämndmål")
    assert goal.kind == "namndmal" and goal.label == "Nämndmål"


def test_the_default_level_follows_the_styrmodell_not_fixed_keys(kommun):
    """A level made for the unit's kind comes first, in the model's order, even where the
    model also has Region Örebro län's usual key for all units."""
    levels = [
        LevelSpec("mal", "Mål", "Mål"),
        LevelSpec("namndmal", "Nämndmål", "Nämndmål"),
        LevelSpec("styrelsemal", "Styrelsemål", "Styrelsemål", ["styrelse"]),
    ]
    mapping = {"levels": {"inriktningsmal": "mal", "verksamhetsmal": "mal"}}
    organisation = kommun.unit.organisation
    save_styrmodell(organisation, kommun_spec(levels=levels), actor=kommun.admin, mapping=mapping)
    assert default_goal_kind(kommun.unit) == "styrelsemal"  # not "mal", the old habit
    assert default_goal_kind(kommun.unit, keep="namndmal") == "namndmal"
    nämnd = Unit.objects.create(
        organisation=organisation, parent=kommun.board, name="Nämnden", slug="n", kind="namnd"
    )
    assert default_goal_kind(nämnd) == "mal"  # the model's first level for a nämnd
    # Region Örebro län's default names no unit kinds: its habit holds.
    other = Unit.objects.create(
        organisation=Organisation.objects.create(code="0777", name="Region Annan"),
        name="Nämnd",
        slug="namnd",
        kind="namnd",
    )
    assert default_goal_kind(other) == "namndmal"


def test_the_api_refuses_an_unknown_or_wrong_level_with_its_code(client, kommun):
    planner = user_with_role("planerare", "planerare", "styrelsen")
    draft = create_plan(kommun.unit, 2024, actor=planner)
    goal = add_part(draft, "goal", actor=planner, text="Ett nämndmål", kind="namndmal")
    api = Caller(client, create_token(planner, actor=planner, name="test")[1])
    before = state()
    parts = f"/plans/{draft.pk}/parts/goal"
    for kind, code in (("inriktningsmal", "wrong_level"), ("effektmal", "unknown_level")):
        response = api.send("post", parts, {"text": "Nytt mål", "kind": kind})
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"] == "kind"
        assert response.json()["errors"][0]["code"] == code
        response = api.send("patch", f"/goals/{goal.pk}", {"kind": kind})
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0] == {
            "field": "kind",
            "code": code,
            "message": response.json()["errors"][0]["message"],
        }
        response = api.send("patch", f"{parts}/{goal.pk}", {"kind": kind})
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == code
    assert state() == before
    response = api.send("post", parts, {"text": "Nytt mål", "kind": "namndmal"})
    assert response.status_code == 201 and response.json()["kind"] == "namndmal"


def plan_file(kind: str) -> dict:
    return {
        "format": "uppsikt/1",
        "plans": [
            {
                "organisation": "0099",
                "unit": "styrelsen",
                "year": 2026,
                "title": "Plan 2026",
                "status": "utkast",
                "blocks": [
                    {
                        "perspective": {
                            "name": "Medborgare",
                            "goals": [{"kind": kind, "text": "Ett mål ur filen"}],
                        }
                    }
                ],
            }
        ],
    }


@pytest.mark.parametrize("kind", ["effektmal", "inriktningsmal", "Nämndmål"])
def test_the_data_file_refuses_a_goal_level_naming_the_path(kommun, kind):
    plans = Plan.objects.count()
    with pytest.raises(LoadError) as error:
        load_data(plan_file(kind), audit=False)
    paths = {problem.where for problem in error.value.problems}
    assert paths == {"plans[0].blocks[0].perspective.goals[0].kind"}
    assert Plan.objects.count() == plans


def test_the_data_file_takes_the_organisations_own_levels(kommun):
    load_data(plan_file("namndmal"), audit=False)
    goal = Goal.objects.get(text="Ett mål ur filen")
    assert goal.kind == "namndmal" and goal.kind_label == "Nämndmål"
    # The file's perspective only: the loader adds no standard perspectives.
    assert list(Perspective.objects.filter(plan=goal.plan).values_list("name", flat=True)) == [
        "Medborgare"
    ]


# -- any valid set of levels ---------------------------------------------------------------

NAMES = (
    st.text(
        alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x17F),
        min_size=2,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda name: len(name) >= 2)
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, min_size=1, max_size=4, unique_by=str.casefold))
def test_any_valid_levels_label_goals_on_the_plan_page(client, names):
    # Hypothesis runs every example in the one test transaction: set up once.
    if not Plan.objects.exists():
        small_setting(1)
        user_with_role("admin", "administrator")
    organisation = Organisation.objects.get(code="0099")
    admin = get_user_model().objects.get(username="admin")
    keys = [f"niva_{n}" for n in range(len(names))]
    in_use = set(Goal.objects.values_list("kind", flat=True))
    mapping = {"levels": {kind: keys[-1] for kind in in_use if kind not in keys}}
    spec = kommun_spec(levels=[LevelSpec(key, name) for key, name in zip(keys, names, strict=True)])
    save_styrmodell(organisation, spec, actor=admin, mapping=mapping)
    plan = Plan.objects.get()
    client.force_login(admin)
    page = client.get(plan.get_absolute_url()).content.decode()
    goal = Goal.objects.get()
    name = names[keys.index(goal.kind)]
    assert escape(f"{name} 1") in page
    assert words.styrmodell_for(organisation.pk).goal_kind_label(goal.kind) == name
