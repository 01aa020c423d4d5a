"""Giving an indicator of a draft plan its definition, target rule and target values per
year: the action (``indicators.authoring``), its form and preview, the page without
JavaScript, and what removing an indicator or a goal affects (``indicators.impact``)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.authoring import (
    remove_indicator_target,
    rule_errors,
    set_indicator_target,
    unique_definition_key,
)
from uppsikt.indicators.impact import goal_removal_impact, impact, indicator_removal_impact
from uppsikt.indicators.models import Assessment, IndicatorDefinition, IndicatorTarget
from uppsikt.indicators.proposals import propose_assessment
from uppsikt.indicators.rules import (
    BalanceRule,
    ChangeRule,
    QualitativeRule,
    ReportOnlyRule,
    TargetValueRule,
    ThresholdRule,
    rule_from_data,
    to_data,
)
from uppsikt.indicators.target_forms import RuleAuthoringForm
from uppsikt.lib.concurrency import EditConflict
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal, Indicator, Plan
from uppsikt.plans.rules import PlanIsDecided

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.fixture
def draft_indicator():
    """Indikator 1a of the draft Testplan 2023 (Region Test, styrelsen)."""
    load_minimal(status="utkast")
    return Indicator.objects.get(text="Indikator 1a")


@pytest.fixture
def planner(draft_indicator):
    return user_with_role("anna", "planerare", "styrelsen")


@pytest.fixture
def library():
    return {
        unit: IndicatorDefinition.objects.create(
            key=f"def-{unit}", name=f"Mått i {unit}", unit=unit
        )
        for unit in IndicatorDefinition.Unit.values
    }


def events(action_prefix="indicator_target."):
    return list(AuditEvent.objects.filter(action__startswith=action_prefix))


def state(indicator):
    """Everything the action may change, to show that a refusal changed nothing."""
    return (
        list(IndicatorTarget.objects.values_list("indicator_id", "definition_id", "rule")),
        list(IndicatorDefinition.objects.values_list("key", flat=True)),
        Indicator.objects.get(pk=indicator.pk).row_version,
        AuditEvent.objects.count(),
    )


# -- the action ------------------------------------------------------------------------------


def test_picking_a_library_definition_sets_the_target_in_one_event(
    draft_indicator, planner, library
):
    version = draft_indicator.row_version
    target = set_indicator_target(
        draft_indicator,
        actor=planner,
        definition=library["procent"],
        rule=ThresholdRule(minimum=Decimal("60")),
        expected_version=version,
    )
    target.refresh_from_db()
    assert target.definition == library["procent"]
    assert target.target_rule == ThresholdRule(minimum=Decimal("60"))
    assert not target.rule_is_proposed
    assert target.describe_rule() == f"Minst 60,0{NBSP}%"
    (event,) = events()
    assert event.action == "indicator_target.create"
    assert (event.object_type, event.object_id) == ("plans.indicator", str(draft_indicator.pk))
    assert event.before is None and event.after["definition"] == "def-procent"
    assert event.reason == f"Minst 60,0{NBSP}%"
    assert Indicator.objects.get(pk=draft_indicator.pk).row_version == version + 1
    assert draft_indicator.row_version == version + 1

    # The same again changes and records nothing; another rule is one update.
    set_indicator_target(
        draft_indicator,
        actor=planner,
        definition=library["procent"],
        rule=ThresholdRule(minimum=Decimal("60.0")),
    )
    assert len(events()) == 1
    set_indicator_target(
        draft_indicator, actor=planner, definition=library["procent"], rule=ChangeRule("increase")
    )
    assert [e.action for e in events()] == ["indicator_target.create", "indicator_target.update"]
    from uppsikt.plans.trail import plan_history

    history = [e.action for e in plan_history(draft_indicator.goal.plan)]
    assert history[:2] == ["indicator_target.update", "indicator_target.create"]


def test_a_new_definition_is_created_with_a_unique_key_in_the_same_event(draft_indicator, planner):
    IndicatorDefinition.objects.create(key="andel-nojda-invanare", name="Gammal", unit="procent")
    rule = TargetValueRule((("2024", Decimal("55")), ("2025", Decimal("60"))))
    target = set_indicator_target(
        draft_indicator,
        actor=planner,
        new_definition={
            "name": "  Andel nöjda   invånare ",
            "unit": "procent",
            "polarity": "higher_better",
            "description": "Ur medborgarundersökningen.",
            "source_kind": "kolada",
            "source_code": "U00123",
            "by_gender": True,
        },
        rule=rule,
    )
    definition = target.definition
    assert definition.key == "andel-nojda-invanare-2"
    assert definition.name == "Andel nöjda invånare"
    assert (definition.source_kind, definition.source_code, definition.by_gender) == (
        "kolada",
        "U00123",
        True,
    )
    assert rule_from_data(IndicatorTarget.objects.get().rule) == rule
    (event,) = AuditEvent.objects.all()
    assert event.action == "indicator_target.create"
    assert event.after["new_definition"]["key"] == "andel-nojda-invanare-2"
    assert "2024: minst 55,0" in event.reason and "2025: minst 60,0" in event.reason


def test_unique_key_falls_back_for_a_name_without_letters():
    assert unique_definition_key("%%%") == "indikator"
    IndicatorDefinition.objects.create(key="indikator", name="x", unit="antal")
    IndicatorDefinition.objects.create(key="indikator-2", name="y", unit="antal")
    assert unique_definition_key("!!") == "indikator-3"


BAD_VALUES = [
    ("procent", ThresholdRule(minimum=Decimal("120")), "minimum", "Minst (gränsvärde): "),
    ("andel", ThresholdRule(maximum=Decimal("-1")), "maximum", "Högst (gränsvärde): "),
    ("antal", ThresholdRule(minimum=Decimal("2.5")), "minimum", "Minst (gränsvärde): "),
    ("antal", ThresholdRule(maximum=Decimal("-3")), "maximum", "Högst (gränsvärde): "),
    ("dagar", ThresholdRule(maximum=Decimal("-0.5")), "maximum", "Högst (gränsvärde): "),
    (
        "procent",
        TargetValueRule((("2024", Decimal("55")), ("2025", Decimal("101")))),
        "targets",
        "Målvärde 2025: ",
    ),
    ("antal", TargetValueRule((("2024", Decimal("10.5")),)), "targets", "Målvärde 2024: "),
    ("ingen", ThresholdRule(minimum=Decimal("1")), "kind", "Typ av målregel: "),
    ("ingen", TargetValueRule((("2024", Decimal("1")),)), "kind", "Typ av målregel: "),
    ("ingen", ChangeRule("increase"), "kind", "Typ av målregel: "),
    ("ingen", BalanceRule(), "kind", "Typ av målregel: "),
    ("procent", TargetValueRule(()), "targets", "Målvärden per år: "),
    ("procent", ThresholdRule(), "minimum", "Minst (gränsvärde): "),
    (
        "procent",
        ThresholdRule(Decimal("70"), Decimal("60")),
        "maximum",
        "Högst (gränsvärde): ",
    ),
]


@pytest.mark.parametrize(("unit", "rule", "field", "named"), BAD_VALUES)
def test_a_target_value_that_does_not_fit_the_unit_is_refused_and_nothing_changes(
    draft_indicator, planner, library, unit, rule, field, named
):
    before = state(draft_indicator)
    with pytest.raises(ValidationError) as refused:
        set_indicator_target(draft_indicator, actor=planner, definition=library[unit], rule=rule)
    assert list(refused.value.message_dict) == [field]
    assert all(m.startswith(named) for m in refused.value.message_dict[field])
    assert state(draft_indicator) == before
    # A new definition of that unit is not created either.
    with pytest.raises(ValidationError):
        set_indicator_target(
            draft_indicator, actor=planner, new_definition={"name": "Ny", "unit": unit}, rule=rule
        )
    assert state(draft_indicator) == before


@pytest.mark.parametrize(
    ("unit", "rule"),
    [
        ("procent", ThresholdRule(Decimal("0"), Decimal("100"))),
        ("andel", TargetValueRule((("2024", Decimal("99.5")),))),
        ("antal", ThresholdRule(minimum=Decimal("12.000"))),
        ("dagar", ThresholdRule(maximum=Decimal("3.5"))),
        ("kronor", ThresholdRule(minimum=Decimal("-1500"))),
        ("mnkr", BalanceRule()),
        ("index", ChangeRule("improve")),
        ("ingen", QualitativeRule()),
        ("ingen", ReportOnlyRule()),
    ],
)
def test_values_that_fit_the_unit_are_accepted(draft_indicator, planner, library, unit, rule):
    assert rule_errors(rule, unit) == {}
    target = set_indicator_target(
        draft_indicator, actor=planner, definition=library[unit], rule=rule
    )
    assert IndicatorTarget.objects.get(pk=target.pk).target_rule == rule


def test_a_definition_must_be_picked_or_described_and_named(draft_indicator, planner, library):
    before = state(draft_indicator)
    rule = ChangeRule()
    for kwargs in ({}, {"definition": library["antal"], "new_definition": {"name": "x"}}):
        with pytest.raises(ValidationError) as refused:
            set_indicator_target(draft_indicator, actor=planner, rule=rule, **kwargs)
        assert refused.value.message_dict["definition"][0].startswith("Definition: ")
    with pytest.raises(ValidationError) as refused:
        set_indicator_target(
            draft_indicator,
            actor=planner,
            rule=rule,
            new_definition={"name": "  ", "unit": "meter", "polarity": "uppåt"},
        )
    errors = refused.value.message_dict
    assert errors["name"][0].startswith("Namn: ")
    assert errors["unit"][0].startswith("Enhet: ")
    assert errors["polarity"][0].startswith("Riktning: ")
    assert state(draft_indicator) == before


def test_a_decided_plan_is_refused_and_nothing_changes(planner, library):
    indicator = Indicator.objects.get(text="Indikator 1b")
    Plan.objects.update(status="beslutad")
    before = state(indicator)
    with pytest.raises(PlanIsDecided):
        set_indicator_target(
            indicator, actor=planner, definition=library["antal"], rule=ChangeRule()
        )
    with pytest.raises(PlanIsDecided):
        remove_indicator_target(indicator, actor=planner)
    assert state(indicator) == before


def test_without_the_plan_right_nothing_changes(draft_indicator, library):
    reader = user_with_role("lasaren", "lasare", "styrelsen")
    before = state(draft_indicator)
    with pytest.raises(PermissionDenied):
        set_indicator_target(
            draft_indicator, actor=reader, definition=library["antal"], rule=ChangeRule()
        )
    with pytest.raises(PermissionDenied):
        remove_indicator_target(draft_indicator, actor=reader)
    assert state(draft_indicator) == before


def test_a_change_from_a_stale_page_is_refused(draft_indicator, planner, library):
    opened = draft_indicator.row_version
    set_indicator_target(
        draft_indicator, actor=planner, definition=library["antal"], rule=ChangeRule()
    )
    stale_copy = Indicator.objects.get(pk=draft_indicator.pk)
    before = state(draft_indicator)
    with pytest.raises(EditConflict):
        set_indicator_target(
            stale_copy,
            actor=planner,
            definition=library["antal"],
            rule=ChangeRule("decrease"),
            expected_version=opened,
        )
    with pytest.raises(EditConflict):
        remove_indicator_target(stale_copy, actor=planner, expected_version=opened)
    assert state(draft_indicator) == before


def test_removing_the_target_is_one_event_and_keeps_the_definition(
    draft_indicator, planner, library
):
    remove_indicator_target(draft_indicator, actor=planner)  # nothing to remove
    assert events() == []
    set_indicator_target(
        draft_indicator, actor=planner, definition=library["procent"], rule=BalanceRule()
    )
    remove_indicator_target(
        draft_indicator, actor=planner, expected_version=draft_indicator.row_version
    )
    assert not IndicatorTarget.objects.exists()
    assert IndicatorDefinition.objects.filter(pk=library["procent"].pk).exists()
    assert [e.action for e in events()] == ["indicator_target.create", "indicator_target.remove"]
    assert events()[-1].before["definition"] == "def-procent"


# -- the form and the round trip -------------------------------------------------------------

decimals = st.decimals(
    min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2, allow_nan=False
)
UNITS = IndicatorDefinition.Unit.values


def swedish(value: Decimal) -> str:
    return str(value).replace(".", ",")


@st.composite
def form_data(draw):
    kind = draw(st.sampled_from([k for k, _label in RuleAuthoringForm.KINDS]))
    data = {"kind": kind}
    if kind == "change":
        data["direction"] = draw(st.sampled_from(["increase", "decrease", "improve"]))
    elif kind == "threshold":
        for name in draw(st.sampled_from([["minimum"], ["maximum"], ["minimum", "maximum"]])):
            data[name] = swedish(draw(decimals))
    elif kind == "reference":
        data["reference"] = "0000"
        data["comparison"] = draw(st.sampled_from(["higher", "lower"]))
    elif kind == "target":
        years = draw(st.lists(st.integers(2020, 2035), min_size=1, max_size=5, unique=True))
        for index, year in enumerate(years):
            data[f"target_period_{index}"] = str(year)
            data[f"target_value_{index}"] = swedish(draw(decimals))
        data["target_comparison"] = draw(st.sampled_from(["at_least", "at_most"]))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=form_data(), unit=st.sampled_from(UNITS))
def test_every_valid_rule_from_the_form_round_trips(data, unit):
    """Property: a rule the form accepts survives storage (to_data → rule_from_data) with
    the same sentence, fits its unit as the action checks it, and comes back from the
    form opened on it (initial_for) as the same rule; a rule the action would refuse for
    the unit is never accepted by the form."""
    Organisation.objects.get_or_create(code="0000", defaults={"name": "Riket", "kind": "riket"})
    form = RuleAuthoringForm(data, unit=unit)
    if not form.is_valid():
        assert form.errors
        return
    rule = form.rule
    stored = rule_from_data(to_data(rule))
    assert stored == rule
    assert stored.describe(unit) == rule.describe(unit)
    assert rule_errors(rule, unit) == {}
    reopened = RuleAuthoringForm(
        {k: v for k, v in RuleAuthoringForm.initial_for(rule).items() if v is not None},
        unit=unit,
    )
    assert reopened.is_valid(), reopened.errors
    assert reopened.rule == rule


def test_the_form_puts_a_bad_target_value_at_its_row():
    data = {
        "kind": "target",
        "target_period_0": "2024",
        "target_value_0": "55",
        "target_period_1": "2025",
        "target_value_1": "120",
        "target_period_2": "2024",
        "target_value_2": "1",
    }
    form = RuleAuthoringForm(data, unit="procent")
    assert not form.is_valid()
    assert "redan" in form.errors["target_period_2"][0]
    del data["target_period_2"], data["target_value_2"]
    form = RuleAuthoringForm(data, unit="procent")
    assert not form.is_valid()
    assert list(form.errors) == ["target_value_1"]
    assert "mellan 0 och 100" in form.errors["target_value_1"][0]
    assert form.row_count == 4  # two filled, two blank for more


# -- the preview endpoint and the page without JavaScript --------------------------------------


def test_the_preview_answers_the_sentence_or_the_named_errors(client, planner, library):
    url = reverse("indicators:rule_preview")
    client.force_login(planner)
    answer = client.get(
        url, {"kind": "threshold", "minimum": "60", "definition": library["procent"].pk}
    ).json()
    assert answer == {"text": f"Minst 60,0{NBSP}%"}
    answer = client.get(
        url, {"source": "new", "new_unit": "antal", "kind": "threshold", "minimum": "2,5"}
    ).json()
    assert answer["errors"]["minimum"][0].startswith("Minst (gränsvärde): ")
    answer = client.get(
        url,
        {"kind": "target", "target_period_0": "2024", "target_value_0": "55,5"},
    ).json()
    assert answer == {"text": "Målvärde 2024: minst 55,5"}


def test_the_preview_needs_a_planner(client, draft_indicator):
    url = reverse("indicators:rule_preview")
    assert client.get(url).status_code == 302
    client.force_login(user_with_role("lasaren", "lasare", "styrelsen"))
    assert client.get(url).status_code == 403


def page_url(indicator):
    return reverse("indicators:indicator_target", args=[indicator.pk])


def test_the_page_previews_and_saves_without_javascript(client, draft_indicator, planner, library):
    client.force_login(planner)
    page = client.get(page_url(draft_indicator))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-live="polite"' in html and "Förhandsgranska" in html
    posted = {
        "row_version": str(draft_indicator.row_version),
        "source": "library",
        "definition": str(library["procent"].pk),
        "kind": "threshold",
        "minimum": "60",
    }
    preview = client.post(page_url(draft_indicator), {**posted, "preview": "1"})
    assert preview.status_code == 200
    assert f"Minst 60,0{NBSP}%" in preview.content.decode()
    assert not IndicatorTarget.objects.exists()
    saved = client.post(page_url(draft_indicator), posted)
    assert saved.status_code == 302
    editor = reverse("plans:edit", args=[draft_indicator.goal.plan_id])
    assert saved.url == f"{editor}#indicator-{draft_indicator.pk}"
    # The editor links each indicator here (registered by the indicators app), saying what
    # is set.
    editor_html = client.get(editor).content.decode()
    assert page_url(draft_indicator) in editor_html
    assert f"Målregel och målvärden: Minst 60,0{NBSP}%" in editor_html
    target = IndicatorTarget.objects.get(indicator=draft_indicator)
    assert target.target_rule == ThresholdRule(minimum=Decimal("60"))
    # The page opened again shows the stored rule in its fields.
    html = client.get(page_url(draft_indicator)).content.decode()
    assert 'value="60,0"' in html and f"Minst 60,0{NBSP}%" in html


def test_the_page_creates_a_definition_with_target_values_per_year(
    client, draft_indicator, planner
):
    client.force_login(planner)
    posted = {
        "source": "new",
        "new_name": "Andel som får vård i tid",
        "new_unit": "procent",
        "new_polarity": "higher_better",
        "new_source_kind": "manuell",
        "kind": "target",
        "target_period_0": "2024",
        "target_value_0": "55",
        "target_period_1": "2025",
        "target_value_1": "160",
        "target_comparison": "at_least",
    }
    refused = client.post(page_url(draft_indicator), posted)
    assert refused.status_code == 200
    assert "mellan 0 och 100" in refused.content.decode()
    assert not IndicatorDefinition.objects.exists() and not IndicatorTarget.objects.exists()
    saved = client.post(page_url(draft_indicator), {**posted, "target_value_1": "60"})
    assert saved.status_code == 302
    target = IndicatorTarget.objects.get()
    assert target.definition.key == "andel-som-far-vard-i-tid"
    assert target.target_rule == TargetValueRule((("2024", Decimal("55")), ("2025", Decimal("60"))))


def test_the_search_narrows_the_library_list(client, draft_indicator, planner, library):
    client.force_login(planner)
    html = client.get(page_url(draft_indicator), {"q": "dagar"}).content.decode()
    assert "Mått i dagar" in html and "Mått i kronor" not in html


def test_the_page_removes_the_target(client, draft_indicator, planner, library):
    set_indicator_target(
        draft_indicator, actor=planner, definition=library["antal"], rule=ChangeRule()
    )
    client.force_login(planner)
    response = client.post(
        page_url(draft_indicator),
        {"remove": "1", "row_version": str(draft_indicator.row_version)},
    )
    assert response.status_code == 302
    assert not IndicatorTarget.objects.exists()


def test_a_decided_plans_page_is_read_only_and_links_to_revising(client, planner, library):
    indicator = Indicator.objects.get(text="Indikator 1a")
    set_indicator_target(indicator, actor=planner, definition=library["antal"], rule=ChangeRule())
    Plan.objects.update(status="beslutad")
    client.force_login(planner)
    html = client.get(page_url(indicator)).content.decode()
    assert reverse("plans:revise", args=[indicator.goal.plan_id]) in html
    assert "Förhandsgranska" not in html and 'name="kind"' not in html
    before = state(indicator)
    response = client.post(page_url(indicator), {"kind": "balance", "source": "library"})
    assert response.status_code == 302
    assert state(indicator) == before


def test_the_goal_edit_page_links_each_indicator_to_its_page(client, draft_indicator, planner):
    client.force_login(planner)
    html = client.get(reverse("plans:goal_edit", args=[draft_indicator.goal_id])).content.decode()
    assert page_url(draft_indicator) in html


# -- what removing affects -----------------------------------------------------------------------


def test_removal_impact_names_the_target_values_and_assessments(planner, library):
    indicator = Indicator.objects.get(text="Indikator 1a")
    definition = library["procent"]
    set_indicator_target(
        indicator, actor=planner, definition=definition, rule=ThresholdRule(minimum=Decimal(50))
    )
    organisation = Organisation.objects.get(code="0099")
    for period, value in (("2021", 40), ("2022", 45), ("2023", 55)):
        record_measurement(definition, organisation, period, value)
    propose_assessment(indicator.goal, "2023")
    (sentence, assessments) = indicator_removal_impact(indicator)
    assert "Minst 50,0" in sentence and "Mått i procent" in sentence
    assert "3 perioder" in sentence and "Region Test" in sentence
    assert assessments == (
        "Bedömningen Regionstyrelsen Effektmål 1 (helår 2023) bygger på indikatorn och "
        "räknas om utan den."
    )
    other = Indicator.objects.get(text="Indikator 1b")
    assert indicator_removal_impact(other) == []

    goal = indicator.goal
    said = goal_removal_impact(goal)
    assert len(said) == 2
    assert said[0] == "Målet har en bedömning (helår 2023), som tas bort med målet."
    assert "En av målets indikatorer" in said[1]
    assert impact(goal) == said and impact(indicator) == indicator_removal_impact(indicator)
    assert impact(goal.plan) == [] and impact(organisation) == []
    assert Assessment.objects.count() == 1


def test_removal_impact_of_a_goal_without_anything_is_empty(draft_indicator):
    assert goal_removal_impact(Goal.objects.get()) == []
