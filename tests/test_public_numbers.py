"""The public site's number pages (uppsikt/public/views_numbers.py): indicators, one
indicator's trend, the budget. Only decided plans in force, only the organisation's own
values (and Riket's), only what the budget's publication rules let the public see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.budget.models import Figure
from uppsikt.budget.money import format_money
from uppsikt.budget.series import Series
from uppsikt.indicators.formatting import format_value
from uppsikt.indicators.models import (
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from uppsikt.lib.pagecache import HEADER, renew
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.actions.versions import revise_plan
from uppsikt.plans.models import Goal, Indicator
from uppsikt.public.budget_pages import public_document

from .once import built_once, fresh_copy
from .public_numbers_setup import OTHER_VALUE, OUTCOME, RIKET_VALUES, build_numbers_world
from .public_numbers_setup import review_july as close_july
from .test_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def numbers_world_once(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_numbers_world)


@pytest.fixture
def numbers(request, numbers_world_once):
    return fresh_copy(request, numbers_world_once)


def shown(text: str) -> str:
    """``text`` as ``text_of`` gives it (a non-breaking space folded into a space)."""
    return " ".join(text.split())


def value_text(value, unit: str = "procent") -> str:
    return shown(format_value(Decimal(value), unit))


def url(name: str, *args) -> str:
    return reverse(f"public:{name}", args=list(args))


# -- indicators ---------------------------------------------------------------------------


def test_the_indicators_of_the_decided_plan_with_latest_value_and_target(client, numbers):
    world = numbers.world
    response = client.get(url("indicators", numbers.code))
    assert response.status_code == 200
    page = text_of(response)
    assert "Effektmål nummer 1 år 2023" in page
    assert "Indikator 1a ska öka" in page
    latest = world.definition.measurements.get(organisation=world.org, period="2023", gender="T")
    assert value_text(latest.value) in page
    assert world.goal.indicators.get().target.describe_rule() in page
    link = url("indicator", numbers.code, world.definition.pk)
    assert f'href="{link}"' in response.content.decode()
    # Never the draft's goals nor another organisation's plans.
    assert "år 2024" not in page
    assert "Annans" not in page
    assert value_text(OTHER_VALUE) not in page


def test_a_proposed_target_rule_is_not_shown_as_the_target(client, numbers):
    target = numbers.world.goal.indicators.get().target
    rule = target.describe_rule()
    target.rule_is_proposed = True
    target.save()
    page = text_of(client.get(url("indicators", numbers.code)))
    assert "Indikator 1a ska öka" in page
    assert f"Målet: {rule}" not in page


def test_a_year_without_decided_plans_and_a_malformed_year_are_not_found(client, numbers):
    assert client.get(url("indicators", numbers.code), {"ar": "2023"}).status_code == 200
    for year in ("2024", "20x3", "", "99999", "２０２３", " 2023"):
        response = client.get(url("indicators", numbers.code), {"ar": year})
        assert response.status_code == 404, year


def test_unknown_organisation_is_not_found(client, numbers):
    for name in ("indicators", "budget", "reports"):
        assert client.get(url(name, "9999")).status_code == 404
    assert client.get(url("indicator", "9999", numbers.world.definition.pk)).status_code == 404


# -- one indicator ------------------------------------------------------------------------


def test_the_trend_with_kvinnor_man_riket_and_the_target(client, numbers):
    world = numbers.world
    response = client.get(url("indicator", numbers.code, world.definition.pk))
    assert response.status_code == 200
    page = text_of(response)
    html = response.content.decode()
    assert "Andel nöjda invånare" in page
    for heading in ("Region Test, kvinnor", "Region Test, män", "Riket"):
        assert f">{heading}</th>" in html
    for value in (*RIKET_VALUES.values(), world.measurement.value):
        assert value_text(value) in page
    assert '<svg class="chart"' in html and "<table" in html
    assert "Målet: " + world.goal.indicators.get().target.describe_rule() in page
    assert "Källa" in page and "procent" in page
    # Region Annan's value for the same definition is never shown.
    assert value_text(OTHER_VALUE) not in page


def test_a_definition_only_a_draft_or_another_organisation_uses_is_not_found(client, numbers):
    world = numbers.world
    assert client.get(url("indicator", numbers.code, numbers.draft_only.pk)).status_code == 404
    mirror = world.mirror
    assert client.get(url("indicator", numbers.code, mirror.definition.pk)).status_code == 404
    assert client.get(url("indicator", mirror.org.code, world.definition.pk)).status_code == 404
    assert client.get(url("indicator", numbers.code, 999999)).status_code == 404
    assert "Utkastets hemliga indikator" not in text_of(client.get(url("indicators", "0099")))


def test_a_withdrawn_value_is_not_shown(client, numbers):
    world = numbers.world
    world.measurement.withdrawn = True
    world.measurement.save()
    page = text_of(client.get(url("indicator", numbers.code, world.definition.pk)))
    assert value_text(world.measurement.value) not in page


# -- the budget ---------------------------------------------------------------------------


def test_the_budget_of_the_decided_plan_never_the_draft(client, numbers):
    page = text_of(client.get(url("budget", numbers.code)))
    assert "Vart går pengarna?" in page
    assert "Driftbudget 2023" in page
    assert "Driftbudget 2024" not in page
    assert "Annan styrelse" not in page  # Region Annan's table, alike in every figure


def test_the_sums_shown_are_the_budget_apps(client, numbers):
    table = numbers.world.decided_table
    doc = public_document(table)
    page = client.get(url("budget", numbers.code)).content.decode()
    for line in doc.rows:
        for series, cell in zip(doc.series, line.cells, strict=True):
            value = doc.value(line.row, series)
            if value is None:
                continue
            assert cell.text == format_money(value, table.display_unit, table.decimals)
            assert f">{cell.text}</td>" in page, (line.row.label, series)
    # The Summa row is the exact sum of the lines' budgets (not of their rounded texts).
    summa = doc.rows[-1]
    budget = doc.series.index(Series(2023, "budget"))
    lines = Figure.objects.filter(row__table=table, row__kind="rad", kind="budget")
    assert summa.row.kind == "summa"
    assert summa.cells[budget].value == sum(figure.amount for figure in lines)


def test_an_outcome_is_shown_only_once_its_period_is_reviewed(client, numbers):
    table = numbers.world.decided_table
    outcome = shown(format_money(OUTCOME, table.display_unit, table.decimals))
    before = text_of(client.get(url("budget", numbers.code)))
    assert "Utfall 2023" not in before
    assert outcome not in before
    close_july(numbers.world)
    renew()  # what the commit does (the test runs inside the module's transaction)
    after = text_of(client.get(url("budget", numbers.code)))
    assert "Utfall 2023 (per 2023-07)" in after
    assert outcome in after


# -- the pages cache ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["indicators", "indicator", "budget", "reports"])
def test_anonymous_pages_are_kept_signed_in_ones_never(client, numbers, name):
    args = [numbers.code] + ([numbers.world.definition.pk] if name == "indicator" else [])
    first = client.get(url(name, *args))
    second = client.get(url(name, *args))
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content
    client.force_login(numbers.world.user("lasare_inne"))
    for _ in range(2):
        response = client.get(url(name, *args))
        assert response.status_code == 200
        assert response[HEADER] == "bypass"


def test_a_year_asked_for_is_kept_apart_and_a_foreign_parameter_is_never_kept(client, numbers):
    target = url("budget", numbers.code)
    assert client.get(target, {"ar": "2023"})[HEADER] == "miss"
    assert client.get(target, {"ar": "2023"})[HEADER] == "hit"
    assert client.get(target, {"x": "1"})[HEADER] == "bypass"


def test_a_period_is_written_in_words(client, numbers):
    world = numbers.world
    Measurement.objects.create(
        definition=world.definition, organisation=world.org, period="2023-07", value=Decimal(60)
    )
    page = text_of(client.get(url("indicator", numbers.code, world.definition.pk)))
    assert "juli 2023 " + value_text(60) in page


def test_a_year_asked_for_is_the_pages_canonical_address(client, numbers):
    for name in ("indicators", "budget"):
        html = client.get(url(name, numbers.code), {"ar": "2023"}).content.decode()
        expected = f"{django_settings.SITE_URL}{url(name, numbers.code)}?ar=2023"
        assert f'<link rel="canonical" href="{expected}">' in html
        plain = client.get(url(name, numbers.code)).content.decode()
        assert (
            f'<link rel="canonical" href="{django_settings.SITE_URL}{url(name, numbers.code)}">'
            in plain
        )


def test_the_pages_queries_do_not_grow_with_the_indicators(client, numbers):
    world = numbers.world
    pages = [url("indicators", numbers.code), url("budget", numbers.code)]

    def counted() -> list[int]:
        counts = []
        for path in pages:
            renew()  # render afresh, not from the pages cache
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts.append(len(queries))
        return counts

    counted()  # the styrmodell's words are read once per process, then checked
    before = counted()
    goal = Goal.objects.get(plan=world.decided, number="2")
    for number in range(3):
        indicator = Indicator.objects.create(
            goal=goal, text=f"Extra {number}", position=10 + number
        )
        definition = IndicatorDefinition.objects.create(
            key=f"extra-{number}", name=f"Extra {number}", unit="antal"
        )
        IndicatorTarget.objects.create(
            indicator=indicator,
            definition=definition,
            rule={"kind": "change", "direction": "increase"},
        )
        Measurement.objects.create(
            definition=definition, organisation=world.org, period="2023", value=Decimal(number)
        )
    assert counted() == before


def test_a_revision_being_written_never_shows_the_decided_version_does(client, numbers):
    world = numbers.world
    actor = world.user("rot")
    revision = revise_plan(world.decided, actor=actor, reason="Nytt uppdrag")
    copy = revision.counterpart(world.goal)
    update_goal(copy, actor=actor, text="Revisionens hemliga mål")
    for page in (
        text_of(client.get(url("indicators", numbers.code))),
        text_of(client.get(url("indicator", numbers.code, world.definition.pk))),
    ):
        assert "Effektmål nummer 1 år 2023" in page
        assert "Revisionens hemliga mål" not in page


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(year=st.text(max_size=80))
def test_any_year_asked_for_is_a_page_or_not_found_and_never_kept_when_crafted(
    client, numbers, year
):
    response = client.get(url("budget", numbers.code), {"ar": year})
    assert response.status_code == (200 if year == "2023" else 404)
    assert response.get(HEADER) != "hit" or year == "2023"
