"""Measurements with history, assessments proposed and decided, and the demo command."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from uppsikt.indicators.actions import decide_assessment, propose_assessment, record_measurement
from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.models import (
    Assessment,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
)
from uppsikt.indicators.rules import ChangeRule, ThresholdRule, to_data
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal

from .builders import load_demo, load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_goal():
    load_minimal()
    return Goal.objects.get(number="1")


@pytest.fixture
def definition():
    return IndicatorDefinition.objects.create(
        key="frisktal", name="Frisktal", unit="procent", by_gender=True
    )


def link(goal, definition, rule, position=0):
    indicator = goal.indicators.all()[position]
    return IndicatorTarget.objects.create(indicator=indicator, definition=definition, rule=rule)


def test_correction_keeps_the_earlier_value(definition):
    load_minimal()
    org = Organisation.objects.get(code="0099")
    first = record_measurement(definition, org, "2023", "70.5", status="preliminar")
    same = record_measurement(definition, org, "2023", "70.5", status="preliminar")
    assert same.pk == first.pk and not MeasurementRevision.objects.exists()
    corrected = record_measurement(definition, org, "2023", "71.2", status="slutlig")
    assert corrected.pk == first.pk
    assert corrected.value == Decimal("71.2")
    (revision,) = corrected.revisions.all()
    assert (revision.value, revision.status) == (Decimal("70.5"), "preliminar")
    assert Measurement.objects.count() == 1


def test_proposal_with_preliminary_data_is_marked(decided_goal, definition):
    link(decided_goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    org = decided_goal.plan.unit.organisation
    record_measurement(definition, org, "2023", "60", status="preliminar")
    assessment = propose_assessment(decided_goal, "2023")
    assert assessment.proposed_status == "uppfyllt"
    assert assessment.proposed_preliminary
    assert assessment.proposed_reason.startswith("Preliminärt")
    assert assessment.decided_status is None


def test_proposal_flags_gender_gap(decided_goal, definition):
    link(decided_goal, definition, to_data(ChangeRule()))
    org = decided_goal.plan.unit.organisation
    for period, total, women, men in (("2022", 70, 71, 69), ("2023", 72, 70, 74)):
        record_measurement(definition, org, period, total)
        record_measurement(definition, org, period, women, gender="K")
        record_measurement(definition, org, period, men, gender="M")
    assessment = propose_assessment(decided_goal, "2023")
    (result,) = assessment.indicator_results
    assert result["gender_flag"] is True and result["gender_lagging"] == ["K"]
    assert result["gender_gap"] == "-4.0000"
    # The status stands on the total (72 after 70: an increase); the flag is beside it.
    assert result["status"] == assessment.proposed_status == "uppfyllt"
    assert "Kvinnor når inte målet (totalen gör det)." in result["reason"]
    assert "1 indikator är uppfylld totalt men inte för kvinnor." in assessment.proposed_reason
    assert assessment.gender_flag_text == "1 indikator är uppfylld totalt men inte för kvinnor"


def test_goal_without_linked_indicators_gets_no_proposal(decided_goal):
    assert propose_assessment(decided_goal, "2023") is None
    assert not Assessment.objects.exists()


def test_decision_needs_a_comment_when_it_differs(decided_goal, definition):
    link(decided_goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    record_measurement(definition, decided_goal.plan.unit.organisation, "2023", "40")
    assessment = propose_assessment(decided_goal, "2023")
    assert assessment.proposed_status == "ej_uppfyllt"
    user = user_with_role("granskare")

    with pytest.raises(ValidationError) as error:
        decide_assessment(assessment, actor=user, status="uppfyllt", comment="  ")
    assert "comment" in error.value.message_dict
    assessment.refresh_from_db()
    assert (assessment.decided_status, assessment.decided_by, assessment.decided_at) == (
        None,
        None,
        None,
    )
    with pytest.raises(ValidationError):
        decide_assessment(assessment, actor=user, status="kanske", comment="x")

    decide_assessment(assessment, actor=user, status="ej_uppfyllt")
    assert assessment.decided_status == "ej_uppfyllt" and assessment.decided_by == user

    decide_assessment(
        assessment, actor=user, status="delvis_uppfyllt", comment="Nya mätningen är på väg."
    )
    assessment.refresh_from_db()
    assert assessment.decided_status == "delvis_uppfyllt"
    assert assessment.proposed_status == "ej_uppfyllt"  # both kept
    assert assessment.differs_from_proposal

    propose_assessment(decided_goal, "2023")  # recomputing keeps the decision
    assessment.refresh_from_db()
    assert assessment.decided_status == "delvis_uppfyllt"


def test_demo_indicators_are_deterministic_examples():
    load_demo()
    call_command("demo_indicators")
    first = sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value"
        )
    )
    assert first
    assert set(Measurement.objects.values_list("source", flat=True)) == {"exempeldata"}
    rules = {t.definition.key: t.target_rule for t in IndicatorTarget.objects.all()}
    assert rules["fardigbehandlade-ett-besok"] == ThresholdRule(minimum=Decimal(50))
    assert rules["personalomsattning-externt"] == ChangeRule("decrease")
    assert rules["tillgang-till-varden"].kind == "reference"
    assert Assessment.objects.filter(period="2023").count() >= 5

    load_demo_indicators()
    again = sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value"
        )
    )
    assert again == first


def test_record_measurement_checks_the_organisation_and_audits(definition):
    from django.core.exceptions import PermissionDenied

    from uppsikt.audit.models import AuditEvent

    load_minimal()
    own = Organisation.objects.get(code="0099")
    other = Organisation.objects.create(code="0010", name="Region Blekinge", kind="region")
    other.units.create(slug="rs", name="Regionstyrelsen", kind="styrelse")
    planner = user_with_role("planerare", "planerare", "styrelsen")
    record_measurement(definition, own, "2023", "70", actor=planner)
    record_measurement(definition, own, "2023", "71", actor=planner)
    record_measurement(definition, own, "2023", "71", actor=planner)  # unchanged: no event
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["measurement.record", "measurement.correct"]
    with pytest.raises(PermissionDenied):
        record_measurement(definition, other, "2023", "1", actor=planner)
    assert not Measurement.objects.filter(organisation=other).exists()


def test_admin_correction_keeps_history(client, definition):
    from django.contrib.auth import get_user_model

    load_minimal()
    org = Organisation.objects.get(code="0099")
    measurement = record_measurement(definition, org, "2023", "70")
    admin = get_user_model().objects.create_superuser("chef", password="x-test-pass-1")
    client.force_login(admin)
    url = f"/admin/indicators/measurement/{measurement.pk}/change/"
    data = {
        "value": "72.5",
        "status": "slutlig",
        "source": "rättad",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("72.5")
    assert [r.value for r in measurement.revisions.all()] == [Decimal(70)]


@pytest.mark.parametrize("goal_count", [2, 6])
def test_a_whole_plan_is_proposed_in_a_fixed_number_of_queries(
    goal_count, django_assert_max_num_queries
):
    from uppsikt.indicators.proposals import propose_plan
    from uppsikt.plans.models import Plan

    load_minimal(goal_count)
    definition = IndicatorDefinition.objects.create(key="d", name="D", unit="procent")
    org = Organisation.objects.get(code="0099")
    record_measurement(definition, org, "2022", "40")
    record_measurement(definition, org, "2023", "60")
    for goal in Goal.objects.all():
        link(goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    plan = Plan.objects.get()
    # + 1: the organisation's styrmodell (its assessment scale), read once and kept.
    with django_assert_max_num_queries(10 + 1):
        first = propose_plan(plan, "2023")
    with django_assert_max_num_queries(10):
        propose_plan(plan, "2023")  # updating what exists
    assert len(first) == goal_count
    assert {a.proposed_status for a in first.values()} == {"uppfyllt"}
    assert Assessment.objects.count() == goal_count


def test_proposing_again_writes_only_the_proposals_that_changed():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from uppsikt.indicators.proposals import propose_plan
    from uppsikt.plans.models import Plan

    load_minimal(2)
    goals = list(Goal.objects.order_by("pk"))
    org = Organisation.objects.get(code="0099")
    definitions = []
    for number, goal in enumerate(goals):
        definition = IndicatorDefinition.objects.create(key=f"d{number}", name="D", unit="procent")
        record_measurement(definition, org, "2023", "60")
        link(goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
        definitions.append(definition)
    plan = Plan.objects.get()
    propose_plan(plan, "2023")
    stored = {a.goal_id: a.proposed_at for a in Assessment.objects.all()}
    table = Assessment._meta.db_table
    with CaptureQueriesContext(connection) as unchanged:
        propose_plan(plan, "2023")
    assert not [q for q in unchanged.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert {a.goal_id: a.proposed_at for a in Assessment.objects.all()} == stored
    record_measurement(definitions[1], org, "2023", "40")  # refreshes goal 2's proposal
    Assessment.objects.filter(goal=goals[1]).update(proposed_status="uppfyllt")  # made stale
    with CaptureQueriesContext(connection) as changed:
        again = propose_plan(plan, "2023")
    updates = [q for q in changed.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert len(updates) == 1
    assert again[goals[1].pk].proposed_status == "ej_uppfyllt"
    assert Assessment.objects.get(goal=goals[1]).proposed_status == "ej_uppfyllt"
    assert Assessment.objects.get(goal=goals[0]).proposed_status == "uppfyllt"


def test_proposal_for_a_tertial_ignores_the_years_value(decided_goal, definition):
    """The database read for a proposal never lets a later period's value in."""
    link(decided_goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    org = decided_goal.plan.unit.organisation
    record_measurement(definition, org, "2022T1", "40")
    first = propose_assessment(decided_goal, "2023T1")
    assert first.proposed_status == "ej_uppfyllt"
    reason = first.proposed_reason
    for period, value in (("2023", "90"), ("2023T2", "90"), ("2024T1", "90")):
        record_measurement(definition, org, period, value)
    again = propose_assessment(decided_goal, "2023T1")
    assert (again.proposed_status, again.proposed_reason) == ("ej_uppfyllt", reason)
    assert "tertial 1 2022" in reason
    assert propose_assessment(decided_goal, "2023").proposed_status == "uppfyllt"


def test_a_stored_proposal_follows_new_and_corrected_values(decided_goal, definition):
    """Pages read stored proposals: a value recorded later must not leave them stale."""
    link(decided_goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    org = decided_goal.plan.unit.organisation
    assessment = propose_assessment(decided_goal, "2023")
    assert assessment.proposed_status == "ej_bedombar"

    record_measurement(definition, org, "2023", "40")
    assessment.refresh_from_db()
    assert assessment.proposed_status == "ej_uppfyllt"
    decide_assessment(
        assessment, actor=user_with_role("granskare"), status="ej_uppfyllt", comment="Bekräftat."
    )

    record_measurement(definition, org, "2023", "55")  # a correction
    assessment.refresh_from_db()
    assert assessment.proposed_status == "uppfyllt"
    assert "55" in assessment.indicator_results[0]["reason"]
    assert assessment.decided_status == "ej_uppfyllt"  # the person's decision is kept


def test_an_import_refreshes_the_proposals_its_values_feed(decided_goal, definition):
    from uppsikt.indicators.importers import import_file

    link(decided_goal, definition, to_data(ThresholdRule(minimum=Decimal(50))))
    assert propose_assessment(decided_goal, "2023").proposed_status == "ej_bedombar"
    code = decided_goal.plan.unit.organisation.code
    data = f"indikator;organisation;period;kön;värde\nfrisktal;{code};2023;T;61,5\n".encode()
    assert import_file(data=data, filename="v.csv").imported
    assert Assessment.objects.get(goal=decided_goal, period="2023").proposed_status == "uppfyllt"
