"""The assessment scale is the organisation's own (its styrmodell): proposals map through
it, decisions are checked against it, and every page, report and API answer shows its
words, symbols and colours. Region Örebro län's default scale changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup
from uppsikt.governance import usage, words
from uppsikt.governance.actions import StepSpec, save_styrmodell, spec_of
from uppsikt.governance.models import NOT_ASSESSABLE, Outcome
from uppsikt.indicators.actions import decide_assessment, propose_assessment, record_measurement
from uppsikt.indicators.aggregation import aggregate
from uppsikt.indicators.followup import assessment_for
from uppsikt.indicators.models import Assessment, IndicatorDefinition, IndicatorTarget
from uppsikt.indicators.rules import ThresholdRule, to_data
from uppsikt.indicators.scale import count_met
from uppsikt.organisations.models import Organisation
from uppsikt.reports.build import build_report

from .api_client import Caller
from .builders import user_with_role
from .followup_setup import small_setting

pytestmark = pytest.mark.django_db

FOUR_STEPS = [
    StepSpec("helt", "Uppfyllt", "#1b5e20", "●", True, Outcome.MET.value),
    StepSpec("till_stor_del", "Till stor del uppfyllt", "#33691e", "◕", True, ""),
    StepSpec("delvis", "Delvis uppfyllt", "#7a4d00", "◑", False, Outcome.PARTLY.value),
    StepSpec("inte", "Ej uppfyllt", "#b3261e", "○", False, Outcome.NOT_MET.value),
]
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def four_step_scale(organisation, mapping=None):
    """Region Test gets the default's levels and a four-step scale, two steps met."""
    spec = spec_of(words.DEFAULT)
    spec.steps = [StepSpec(**vars(step)) for step in FOUR_STEPS]
    admin = user_with_role("admin", "administrator")
    save_styrmodell(organisation, spec, actor=admin, mapping=mapping)
    return words.styrmodell_for(organisation.pk)


@pytest.fixture
def setting():
    setting = small_setting()
    setting.organisation = Organisation.objects.get(code="0099")
    setting.scale = four_step_scale(setting.organisation)
    setting.planner = user_with_role("planerare", "planerare")
    return setting


def measured(goal, value: str, period: str = "2023"):
    definition, _created = IndicatorDefinition.objects.get_or_create(
        key="andel", defaults={"name": "Andel", "unit": "procent"}
    )
    IndicatorTarget.objects.get_or_create(
        indicator=goal.indicators.all()[0],
        defaults={"definition": definition, "rule": to_data(ThresholdRule(minimum=Decimal(50)))},
    )
    if value:
        record_measurement(definition, goal.plan.unit.organisation, period, value)
    return propose_assessment(goal, period)


# -- proposals and decisions ------------------------------------------------------------------


def test_proposals_are_stored_as_the_steps_receiving_the_engines_outcomes(setting):
    goal = setting.goals[0]
    assert measured(goal, "").proposed_status == NOT_ASSESSABLE  # never met without data
    assert measured(goal, "40").proposed_status == "inte"
    assert measured(goal, "60").proposed_status == "helt"
    assessment = Assessment.objects.get(goal=goal, period="2023")
    assert assessment.get_proposed_status_display() == "Uppfyllt"
    # The indicators' own judgements stay the engine's outcomes, shown in the scale's words.
    assert assessment.indicator_results[0]["status"] == "uppfyllt"


@pytest.mark.parametrize("step", ["helt", "till_stor_del", "delvis", "inte", NOT_ASSESSABLE])
def test_a_decision_may_be_any_step_of_the_scale_or_not_assessable(setting, step):
    assessment = measured(setting.goals[0], "60")
    decide_assessment(assessment, actor=setting.planner, status=step, comment="Bedömt.")
    assessment.refresh_from_db()
    assert assessment.decided_status == step
    assert assessment.scale.counts_as_met(step) is (step in ("helt", "till_stor_del"))


@pytest.mark.parametrize("foreign", ["uppfyllt", "delvis_uppfyllt", "", "okänd"])
def test_a_key_outside_the_scale_is_refused_and_nothing_changes(setting, foreign):
    assessment = measured(setting.goals[0], "60")
    with pytest.raises(ValidationError) as refused:
        decide_assessment(assessment, actor=setting.planner, status=foreign, comment="x")
    (error,) = refused.value.error_dict["status"]
    assert error.code == "unknown_step"
    assert "bedömningsskala" in error.message and "Till stor del uppfyllt" in error.message
    assessment.refresh_from_db()
    assert assessment.decided_status is None
    assert not AuditEvent.objects.filter(action="assessment.decide").exists()


def test_the_follow_up_decides_with_the_organisations_steps(setting):
    goal = setting.goals[0]
    save_followup(
        goal, setting.period, actor=setting.planner, status="till_stor_del", comment="Nästan."
    )
    assert assessment_for(goal, setting.period).decided_status == "till_stor_del"
    with pytest.raises(ValidationError):
        save_followup(goal, setting.period, actor=setting.planner, status="uppfyllt", comment="")
    assert assessment_for(goal, setting.period).decided_status == "till_stor_del"


# -- what people see -----------------------------------------------------------------------


def test_the_assessment_and_goal_pages_show_the_scales_words_symbols_and_colours(setting, client):
    assessment = measured(setting.goals[0], "60")
    decide_assessment(
        assessment, actor=setting.planner, status="till_stor_del", comment="Nästan helt."
    )
    client.force_login(setting.planner)
    page = client.get(
        reverse("indicators:goal_assessment", args=[assessment.goal_id, "2023"])
    ).content.decode()
    assert "Till stor del uppfyllt" in page and 'fill="#33691e">◕</text>' in page
    assert 'fill="#1b5e20">●</text></svg> Uppfyllt' in page  # the proposal's badge
    # The decision form offers the scale's steps and "ej bedömbar", nothing else.
    assert '<option value="till_stor_del"' in page and 'value="delvis_uppfyllt"' not in page
    assert '<option value="ej_bedombar"' in page
    goal_page = client.get(setting.goals[0].get_absolute_url()).content.decode()
    assert 'class="assessment assessment--step"><svg class="assessment__edge"' in goal_page
    assert 'fill="#33691e">◕</text></svg> Till stor del uppfyllt</strong>' in goal_page
    # The card's left edge in the decided step's own colour (the default's classes unused).
    assert '<rect width="6" height="6" fill="#33691e"/></svg>' in goal_page
    assert "assessment--till_stor_del" not in goal_page
    plan_page = client.get(setting.goals[0].plan.get_absolute_url()).content.decode()
    assert '<rect width="6" height="6" fill="#33691e"/></svg>' in plan_page


def test_the_follow_up_form_offers_the_organisations_steps(setting, client):
    measured(setting.goals[0], "40", "2023-07")
    client.force_login(setting.planner)
    page = client.get(FORM).content.decode()
    assert '<option value="till_stor_del">Till stor del uppfyllt</option>' in page
    assert 'value="delvis_uppfyllt"' not in page
    assert 'fill="#b3261e">○</text></svg> Ej uppfyllt</strong>' in page  # the proposal


def test_the_report_shows_the_scale_and_counts_each_step(setting):
    goals = setting.goals
    save_followup(
        goals[0], setting.period, actor=setting.planner, status="till_stor_del", comment="A"
    )
    save_followup(goals[1], setting.period, actor=setting.planner, status="helt", comment="B")
    reader = user_with_role("lasare", "lasare", "styrelsen")
    html = build_report(setting.unit, setting.period, "html", user=reader)[2].decode()
    assert 'fill="#33691e">◕</text></svg> <strong>Till stor del uppfyllt</strong>' in html
    assert "Delvis uppfyllt" in html and "delvis_uppfyllt" not in html
    # The legend explains the organisation's symbols.
    flat = html.replace("\n", "")
    assert '">◕</th><td>Till stor del uppfyllt</td>' in flat
    # The summary counts each step: one goal on each met step, none on the others.
    summary = flat[flat.rfind("Måluppfyllelse i sammandrag") :]
    assert "r-tone--good" not in summary.split("</table>")[0]  # not the default's colours
    for label, count in (("Till stor del uppfyllt", 1), ("Uppfyllt", 1), ("Ej uppfyllt", 0)):
        assert f'</svg> {label}</th><td class="r-num-cell">{count}</td>' in summary, label
    for fmt in ("docx", "xlsx", "pdf"):
        assert build_report(setting.unit, setting.period, fmt, user=reader)[2]


def test_the_api_gives_key_label_and_whether_met_and_refuses_a_foreign_step(setting, client):
    from uppsikt.api.tokens import create_token

    assessment = measured(setting.goals[0], "60")
    caller = Caller(client, create_token(setting.planner, actor=setting.planner, name="t")[1])
    body = caller.get(f"/assessments/{assessment.pk}").json()
    assert (body["proposed_status"], body["proposed_status_label"]) == ("helt", "Uppfyllt")
    assert body["decided_status_label"] is None and body["counts_as_met"] is True
    path = f"/assessments/{assessment.pk}/decision"
    refused = caller.send("post", path, {"status": "delvis_uppfyllt", "comment": "x"})
    assert refused.status_code in (400, 409, 422), refused.content
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("status", "unknown_step")
    ]
    decided = caller.send("post", path, {"status": "till_stor_del", "comment": "Nästan."})
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["decided_status"], body["decided_status_label"]) == (
        "till_stor_del",
        "Till stor del uppfyllt",
    )
    assert body["counts_as_met"] is True


# -- keys in use, moved with a mapping ------------------------------------------------------


def test_assessments_are_counted_and_moved_when_a_step_goes(setting):
    assessment = measured(setting.goals[0], "60")
    decide_assessment(assessment, actor=setting.planner, status="till_stor_del", comment="N")
    counts = usage.in_use(usage.STEPS, setting.organisation.pk)["bedömningar"]
    assert counts == {"helt": 1, "till_stor_del": 1}
    spec = spec_of(words.DEFAULT)
    admin = user_with_role("admin2", "administrator")
    with pytest.raises(ValidationError) as refused:
        save_styrmodell(setting.organisation, spec, actor=admin)
    codes = {
        e.code
        for field, errors in refused.value.error_dict.items()
        if field.startswith("mapping.steps")
        for e in errors
    }
    assert "orphaned" in codes
    orphaned = refused.value.error_dict["mapping.steps.till_stor_del"][0].messages[0]
    assert orphaned.startswith("1 bedömning har nyckeln till_stor_del")  # one, not "bedömningar"
    assert Assessment.objects.get().decided_status == "till_stor_del"  # nothing changed
    save_styrmodell(
        setting.organisation,
        spec,
        actor=admin,
        mapping={"steps": {"helt": "uppfyllt", "till_stor_del": "uppfyllt"}},
    )
    moved = Assessment.objects.get()
    assert (moved.proposed_status, moved.decided_status) == ("uppfyllt", "uppfyllt")
    event = AuditEvent.objects.get(action="assessment.move_steps")
    assert event.after["moved"] == 2


# -- the default scale is Örebro's, unchanged -------------------------------------------------


def test_the_default_scale_keeps_the_outcomes_and_the_pages_markup(client):
    setting = small_setting()
    assert [words.DEFAULT.step_for_outcome(o) for o in Outcome.values] == Outcome.values
    assessment = measured(setting.goals[0], "60")
    assert assessment.proposed_status == "uppfyllt"
    client.force_login(user_with_role("planerare", "planerare"))
    page = client.get(
        reverse("indicators:goal_assessment", args=[assessment.goal_id, "2023"])
    ).content.decode()
    assert '<span class="badge badge--uppfyllt">Uppfyllt</span>' in page and "<svg" not in page


# -- any valid scale ------------------------------------------------------------------------

SYMBOLS = "●◕◑◐○◔▲✕■"


@st.composite
def scales(draw):
    size = draw(st.integers(3, 5))
    met = draw(st.lists(st.booleans(), min_size=size, max_size=size).filter(any))
    receivers = draw(st.permutations(range(size)))[:3]  # which steps receive the outcomes
    steps = []
    for index in range(size):
        proposal = Outcome.values[receivers.index(index)] if index in receivers else ""
        steps.append(
            words.Step(
                f"s{index}", f"Steg {index}", "#1b5e20", SYMBOLS[index], met[index], proposal
            )
        )
    return words.Styrmodell(None, "Prov", words.DEFAULT.levels, tuple(steps))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=scales(), chosen=st.lists(st.sampled_from(["s0", "s1", "s2", NOT_ASSESSABLE, None])))
def test_any_scale_maps_each_outcome_to_one_step_and_counts_met_steps(scale, chosen):
    keys = {step.key for step in scale.steps}
    for outcome in Outcome.values:
        step = scale.step_for_outcome(outcome)
        assert step in keys
        assert [s.key for s in scale.steps if s.proposal == outcome] == [step]
    # Without data the engine proposes "ej bedömbar", which no scale counts as met.
    nothing = aggregate([], "alla").status
    assert scale.step_for_outcome(nothing) == NOT_ASSESSABLE
    assert not scale.counts_as_met(scale.step_for_outcome(nothing))
    met = {step.key for step in scale.steps if step.counts_as_met}
    assert count_met(scale, chosen) == sum(1 for key in chosen if key in met)
