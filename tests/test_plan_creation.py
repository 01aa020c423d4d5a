"""Creating a plan in the browser (empty, a copy of an earlier year, breaking down the plan
above), the refusals, and the year-over-year diff of a copy (pairs by origin)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.parts import update_part
from uppsikt.plans.diff import diff_plans
from uppsikt.plans.models import (
    Activity,
    Assignment,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)

from .a11y import assert_accessible
from .html_forms import form_data

pytestmark = pytest.mark.django_db
CREATE = reverse("plans:create")


def planner(world):
    return world.user("planerare_inne")


def plan_above(world, year: int, *, status: str = "beslutad", goals: int = 2) -> Plan:
    """Fullmäktige's plan for ``year`` (the unit above styrelsen) with numbered effektmål."""
    fullmaktige = world.unit.parent
    plan = Plan.objects.create(
        unit=fullmaktige,
        year=year,
        title=f"Fullmäktiges plan {year}",
        status=status,
        decided_by=fullmaktige if status == "beslutad" else None,
        decided_on=datetime.date(year - 1, 11, 20) if status == "beslutad" else None,
    )
    for number in range(1, goals + 1):
        Goal.objects.create(
            plan=plan,
            kind="effektmal",
            number=str(number),
            text=f"Fullmäktiges effektmål {number} för {year}",
            position=number,
        )
    return plan


def post(client, world, **fields):
    data = {"enhet": world.unit.pk, "ar": 2025, "satt": "empty", "titel": ""}
    data.update(fields)
    return client.post(CREATE, {k: v for k, v in data.items() if v is not None})


# -- the three ways, through the page -------------------------------------------------------


def test_an_empty_plan_for_next_year(client, two_regions_with_roles):
    world = two_regions_with_roles
    client.force_login(planner(world))
    page = client.get(f"{CREATE}?enhet={world.unit.pk}&ar=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2. Hur planen för Regionstyrelsen 2025 börjar" in html
    data = form_data(html, containing="satt")
    assert data["enhet"] == str(world.unit.pk) and data["ar"] == "2025"
    assert data["satt"] == "copy"  # the unit has earlier plans: a copy is offered first
    response = client.post(CREATE, {**data, "satt": "empty"})
    plan = Plan.objects.get(unit=world.unit, year=2025)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.status, plan.version, plan.title) == (
        "utkast",
        1,
        "Verksamhetsplan 2025 – Regionstyrelsen",
    )
    assert not Goal.objects.filter(plan=plan).exists()
    assert AuditEvent.objects.filter(action="plan.create").count() == 1


def test_a_copy_of_an_earlier_year_keeps_where_each_object_came_from(
    client, two_regions_with_roles
):
    world = two_regions_with_roles
    client.force_login(planner(world))
    html = client.get(f"{CREATE}?enhet={world.unit.pk}&ar=2025").content.decode()
    assert f'<option value="{world.draft.pk}"' in html  # 2024, the newest first
    assert f'<option value="{world.decided.pk}"' in html
    response = post(client, world, satt="copy", kopia=world.draft.pk, titel="Plan 2025")
    plan = Plan.objects.get(unit=world.unit, year=2025)
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.title, plan.origin_id) == ("Plan 2025", world.draft.pk)
    copied = {goal.origin_id: goal for goal in Goal.objects.filter(plan=plan)}
    assert set(copied) == set(Goal.objects.filter(plan=world.draft).values_list("pk", flat=True))
    assert copied[world.draft_goal.pk].text == world.draft_goal.text
    indicator = Indicator.objects.get(goal=copied[world.draft_goal.pk])
    assert indicator.origin_id == world.draft_goal.indicators.get().pk
    # The same content: only the budget rows (of the unit and year, not copied) differ.
    assert {change.kind for change in diff_plans(world.draft, plan).changes} == {"budget_row"}


def test_breaking_down_the_plan_above_leads_to_its_goals(client, two_regions_with_roles):
    world = two_regions_with_roles
    above = plan_above(world, 2025, status="utkast")
    rot = world.user("rot")  # styrelsen's planner may not read fullmäktige's draft
    client.force_login(rot)
    html = client.get(f"{CREATE}?enhet={world.unit.pk}&ar=2025").content.decode()
    assert "utkast (inte beslutad ännu)" in html
    assert "Planen ovanför är ett utkast och inte beslutad ännu" in html
    response = post(client, world, satt="breakdown", ovan=above.pk)
    plan = Plan.objects.get(unit=world.unit, year=2025)
    assert response["Location"] == reverse("plans:breakdown", args=[plan.pk])
    assert plan.breaks_down_id == above.pk and not Goal.objects.filter(plan=plan).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Fullmäktiges effektmål 1 för 2025" in page
    assert "2 mål obesvarade" in page


def test_the_plan_above_is_offered_only_when_there_is_one(client, two_regions_with_roles):
    world = two_regions_with_roles
    client.force_login(planner(world))
    html = client.get(f"{CREATE}?enhet={world.unit.pk}&ar=2025").content.decode()
    assert 'value="breakdown" disabled' in html
    assert "Regionfullmäktige har ingen plan för 2025 ännu." in html
    plan_above(world, 2025)
    html = client.get(f"{CREATE}?enhet={world.unit.pk}&ar=2025").content.decode()
    assert 'value="breakdown">' in html and "Fullmäktiges plan 2025 – 2025, beslutad" in html


# -- refusals: the field is named, nothing is created ---------------------------------------


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"ar": 2024}, "ar", "Det finns redan en plan för Regionstyrelsen år 2024."),
        ({"ar": 1999}, "ar", "Ange ett år mellan 2000 och 2100."),
        ({"ar": 2101}, "ar", "Ange ett år mellan 2000 och 2100."),
        ({"satt": "copy"}, "kopia", "Välj planen att utgå från."),
        ({"satt": "breakdown"}, "ovan", "Välj planen att utgå från."),
        ({"satt": "copy", "kopia": "OTHER"}, "kopia", "Välj ett giltigt alternativ"),
        ({"satt": "breakdown", "ovan": "DECIDED"}, "ovan", "Välj ett giltigt alternativ"),
        ({"satt": "copy", "kopia": "DRAFT", "ar": 2024}, "kopia", "Välj ett giltigt alternativ"),
        ({"satt": "vet inte"}, "satt", "Välj ett giltigt alternativ"),
        ({"titel": "x" * 301}, "titel", "som mest 300 tecken"),
    ],
)
def test_refusals_name_the_field_and_create_nothing(
    client, two_regions_with_roles, fields, field, message
):
    world = two_regions_with_roles
    plan_above(world, 2025)
    named = {"OTHER": world.other_draft.pk, "DECIDED": world.decided.pk, "DRAFT": world.draft.pk}
    fields = {name: named.get(value, value) for name, value in fields.items()}
    client.force_login(planner(world))
    before = Plan.objects.count()
    response = post(client, world, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{field}' in html  # the error summary leads to the field
    assert f'id="id_{field}' in html
    assert message in html
    assert Plan.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_someone_without_the_right_to_plan_gets_no_form(client, two_regions_with_roles):
    world = two_regions_with_roles
    client.force_login(world.user("lasare_inne"))
    assert client.get(CREATE).status_code == 403
    assert post(client, world).status_code == 403
    client.force_login(world.user("planerare_ute"))  # plans elsewhere: not for styrelsen
    response = post(client, world)
    assert (
        response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    )
    assert not Plan.objects.filter(year=2025).exists()


def test_the_unit_page_offers_a_new_plan_to_its_planners(client, two_regions_with_roles):
    world = two_regions_with_roles
    url = world.unit.get_absolute_url()
    link = f'href="{CREATE}?enhet={world.unit.pk}"'
    client.force_login(planner(world))
    assert link in client.get(url).content.decode()
    client.force_login(world.user("lasare_inne"))
    assert link not in client.get(url).content.decode()
    client.logout()
    assert link not in client.get(url).content.decode()


# -- the year-over-year diff of a copy ------------------------------------------------------

words = st.sampled_from(
    ["länet", "hälsa", "vård", "invånare", "ekonomi", "balans", "kultur", "region", "mål"]
)
texts = st.lists(words, min_size=2, max_size=6).map(" ".join)
headings = st.sampled_from(["Inledning", "Ansvar", "Uppföljning"])  # repeated on purpose


@st.composite
def plan_contents(draw):
    goals = draw(
        st.lists(
            st.tuples(
                texts,
                st.sampled_from(["", "1", "2", "3"]),  # numbers repeat: keys are not unique
                st.sampled_from(["effektmal", "mal"]),
                st.lists(texts, max_size=3),
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda goal: goal[0],  # a goal's text is unique in its plan
        )
    )
    return {
        "goals": goals,
        "sections": draw(st.lists(st.tuples(headings, texts), max_size=5)),
        "strategies": draw(st.lists(st.tuples(texts, st.lists(texts, max_size=3)), max_size=3)),
        "assignments": draw(st.lists(texts, max_size=3)),
        "activities": draw(st.lists(texts, max_size=3)),
        "edit": draw(st.integers(min_value=0, max_value=5)),
    }


def build_plan(world, year: int, contents: dict) -> Plan:
    plan = Plan.objects.create(unit=world.unit, year=year, title=f"Plan {year}")
    perspective = Perspective.objects.create(plan=plan, name="Invånare", position=0)
    position = 1
    for heading, body in contents["sections"]:
        Section.objects.create(plan=plan, heading=heading, body=body, position=position)
        position += 1
    for lead, statements in contents["strategies"]:
        Strategy.objects.create(plan=plan, lead=lead, statements=statements, position=position)
        position += 1
    for text, number, kind, indicators in contents["goals"]:
        goal = Goal.objects.create(
            plan=plan,
            perspective=perspective,
            text=text,
            number=number,
            kind=kind,
            position=position,
        )
        position += 1
        for index, indicator in enumerate(indicators):
            Indicator.objects.create(goal=goal, text=indicator, position=index)
    for model, key in ((Assignment, "assignments"), (Activity, "activities")):
        for text in contents[key]:
            model.objects.create(plan=plan, text=text, position=position)
            position += 1
    table = BudgetTable.objects.create(
        unit=world.unit, year=year, kind="drift", number="1", title="Drift", plan=plan
    )
    row = BudgetRow.objects.create(table=table, label="Intäkter", kind="rad", position=0)
    Figure.objects.create(row=row, kind="budget", year=year, amount=Decimal("1000"))
    return plan


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contents=plan_contents())
def test_a_copy_to_a_new_year_differs_from_its_source_only_in_budget_rows(
    two_regions_with_roles, contents
):
    world = two_regions_with_roles
    with transaction.atomic():
        source = build_plan(world, 2021, contents)
        copy = create_plan(world.unit, 2022, actor=planner(world), mode="copy", source=source)
        changes = diff_plans(source, copy).changes
        assert [change for change in changes if change.kind != "budget_row"] == []
        assert {change.kind for change in changes} == {"budget_row"}  # its own unit and year

        goals = list(Goal.objects.filter(plan=copy).order_by("position"))
        edited = goals[contents["edit"] % len(goals)]
        new_text = "Helt ny formulering: kollektivtrafiken byggs ut i hela länet"
        update_part(edited, actor=planner(world), text=new_text)
        changes = [c for c in diff_plans(source, copy).changes if c.kind != "budget_row"]
        assert [(c.kind, c.status) for c in changes] == [("goal", "changed")]
        (change,) = changes
        assert change.old.id == edited.origin_id and change.new.id == edited.pk
        assert [(f.name, f.new) for f in change.fields] == [("text", new_text)]
        transaction.set_rollback(True)


def test_a_copy_of_a_copy_is_paired_through_the_plan_between(two_regions_with_roles):
    """2023 → revision → 2025: the 2025 goals pair with 2023's through the revision."""
    from uppsikt.plans.actions.versions import revise_plan

    world = two_regions_with_roles
    actor = planner(world)
    revision = revise_plan(world.decided, actor=actor, reason="Nytt beslut")
    copy = create_plan(world.unit, 2025, actor=actor, mode="copy", source=revision.plan)
    for goal in Goal.objects.filter(plan=copy):
        update_part(goal, actor=actor, text=f"Omskrivet mål {goal.number}: helt andra ord")
    changes = [c for c in diff_plans(world.decided, copy).changes if c.kind == "goal"]
    assert [c.status for c in changes] == ["changed", "changed"]
    assert {c.old.id for c in changes} == set(
        Goal.objects.filter(plan=world.decided).values_list("pk", flat=True)
    )


# -- accessibility --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_create_page_passes_axe_with_and_without_errors(live_server, page):
    from .test_browser import login
    from .world import build_world

    world = build_world()
    plan_above(world, 2025)
    login(page, live_server, username="planerare_ny")  # a planner on every root unit
    page.goto(f"{live_server.url}{CREATE}?enhet={world.unit.pk}&ar=2025")
    expect(page.get_by_label("Bryt ned planen för enheten ovanför samma år")).to_be_enabled()
    assert_accessible(page)
    page.goto(f"{live_server.url}{CREATE}?enhet={world.unit.pk}&ar=2024")
    page.get_by_label("Kopia av enhetens plan för ett tidigare år").check()
    page.get_by_role("button", name="Skapa planen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Det finns redan en plan", use_inner_text=True
    )
    assert_accessible(page)
    assert not Plan.objects.filter(unit=world.unit, year=2024, version=2).exists()
