"""Internal-control actions: permissions, validation, audit, region-wide risks, closed periods."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.control.actions.followup import (
    add_deviation,
    confirm_overall_assessment,
    follow_up_measure,
    save_unit_assessment,
    update_deviation,
)
from uppsikt.control.actions.plans import (
    assess_risk,
    create_measure,
    create_risk,
    delete_measure,
    delete_risk,
    ensure_control_plan,
    update_risk,
)
from uppsikt.control.actions.scale import configure_scale
from uppsikt.control.models import ControlAssessment, Deviation, RiskAssessment, scale_for
from uppsikt.control.queries import overall_assessment, plan_table, risk_followups, unit_followup
from uppsikt.followup.models import FollowUp
from uppsikt.organisations.models import Unit
from uppsikt.periods.actions import close_period

from .builders import user_with_role
from .control_setup import own_risk, region, region_wide_risk, system

pytestmark = pytest.mark.django_db


def test_planning_needs_plan_permission_on_the_unit_and_is_audited(control_region):
    outsider = user_with_role("annan", "planerare", control_region.namnd_b)
    reader = user_with_role("lasare", "lasare", control_region.namnd_a)
    planner = user_with_role("planerare", "planerare", control_region.namnd_a)
    for actor in (outsider, reader):
        with pytest.raises(PermissionDenied):
            ensure_control_plan(control_region.namnd_a, 2023, actor=actor)
    plan = ensure_control_plan(control_region.namnd_a, 2023, actor=planner)
    risk = create_risk(plan, actor=planner, area="HR", text="Risken att  SAM\n inte bedrivs.")
    assert risk.text == "Risken att SAM inte bedrivs."  # whitespace from pasting is one space
    with pytest.raises(PermissionDenied):
        create_measure(risk, actor=outsider, text="Utbildning.")
    create_measure(risk, actor=planner, text="Utbildning.", reported_in=["delarsrapport"])
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["control.plan.create", "control.risk.create", "control.measure.create"]


def test_duplicates_and_unknown_krav_are_refused_by_field(control_region):
    plan = ensure_control_plan(control_region.namnd_a, 2023, actor=system())
    risk = create_risk(plan, actor=system(), area="HR", text="Risk ett.", requirements=["c", "D)"])
    assert risk.requirements == ["c", "d"]
    with pytest.raises(ValidationError) as error:
        create_risk(plan, actor=system(), area="HR", text="Risk ett.")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create_risk(plan, actor=system(), area="HR", text="Risk två.", requirements=["f"])
    assert "requirements" in error.value.message_dict
    create_measure(risk, actor=system(), text="Åtgärd.")
    with pytest.raises(ValidationError):
        create_measure(risk, actor=system(), text="Åtgärd.")


@settings(max_examples=25, deadline=None)
@given(likelihood=st.integers(-1, 6), consequence=st.integers(-1, 6))
def test_assessment_score_is_the_product_within_the_scale(likelihood, consequence):
    with transaction.atomic():
        r = region()
        risk = own_risk(r.namnd_a)
        inside = 1 <= likelihood <= 4 and 1 <= consequence <= 4
        if inside:
            assessment = assess_risk(
                risk, actor=system(), likelihood=likelihood, consequence=consequence
            )
            assessment.refresh_from_db()
            assert assessment.score == likelihood * consequence
        else:
            with pytest.raises(ValidationError):
                assess_risk(risk, actor=system(), likelihood=likelihood, consequence=consequence)
            assert not RiskAssessment.objects.exists()
        transaction.set_rollback(True)


def test_the_database_refuses_a_typed_score(control_region):
    risk = own_risk(control_region.namnd_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.create(risk=risk, year=2023, likelihood=2, consequence=3, score=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.create(risk=risk, year=2023, decision="accepterad")


def test_a_risk_not_accepted_needs_an_atgard(control_region):
    plan = ensure_control_plan(control_region.namnd_a, 2023, actor=system())
    risk = create_risk(plan, actor=system(), area="HR", text="Risk utan åtgärd.")
    with pytest.raises(ValidationError, match="minst en åtgärd"):
        assess_risk(risk, actor=system(), likelihood=3, consequence=3, decision="ej_accepterad")
    assert not RiskAssessment.objects.exists()
    assess_risk(risk, actor=system(), likelihood=1, consequence=2, decision="accepterad")
    measure = create_measure(risk, actor=system(), text="Kontroll.")
    assess_risk(risk, actor=system(), likelihood=3, consequence=3, decision="ej_accepterad")
    with pytest.raises(ValidationError, match="enda"):
        delete_measure(measure, actor=system())
    assert risk.measures.count() == 1
    with pytest.raises(ValidationError, match="Bedöm sannolikhet"):
        assess_risk(risk, actor=system(), likelihood=None, consequence=None, decision="accepterad")


def test_assessments_are_kept_year_by_year_and_never_after_the_plan(control_region):
    risk = own_risk(control_region.namnd_a)
    assess_risk(
        risk, actor=system(), year=2022, likelihood=4, consequence=4, decision="ej_accepterad"
    )
    assess_risk(risk, actor=system(), likelihood=2, consequence=2, decision="ej_accepterad")
    assert list(risk.assessments.order_by("year").values_list("year", "score")) == [
        (2022, 16),
        (2023, 4),
    ]
    with pytest.raises(ValidationError) as error:
        assess_risk(risk, actor=system(), year=2024, likelihood=1, consequence=1)
    assert "year" in error.value.message_dict
    assess_risk(risk, actor=system(), likelihood=None, consequence=None)
    assert list(risk.assessments.values_list("year", flat=True)) == [2022]


def test_region_wide_risks_reach_every_namnd_including_one_created_later(control_region):
    risk = region_wide_risk(control_region)
    own_risk(control_region.namnd_a)
    for unit in (control_region.styrelsen, control_region.namnd_a, control_region.namnd_b):
        texts = [row.text for row in plan_table(unit, 2023).risks]
        assert risk.text in texts
    assert risk.text not in [row.text for row in plan_table(control_region.forvaltning, 2023).risks]
    later = Unit.objects.create(
        organisation=control_region.organisation,
        parent=control_region.styrelsen.parent,
        slug="ny",
        name="Ny nämnd",
        kind="namnd",
    )
    table = plan_table(later, 2023)
    assert [row.text for row in table.risks] == [risk.text]
    assert table.risks[0].is_region_wide and table.risks[0].unit == control_region.styrelsen
    # the nämnd's own risks come after the region's
    texts = [row.text for row in plan_table(control_region.namnd_a, 2023).risks]
    assert texts.index(risk.text) < texts.index("Risken att bisysslor förekommer.")


def test_region_wide_risks_are_defined_only_in_the_styrelse_plan(control_region):
    plan = ensure_control_plan(control_region.namnd_a, 2023, actor=system())
    with pytest.raises(ValidationError) as error:
        create_risk(plan, actor=system(), area="HR", text="Risk.", is_region_wide=True)
    assert "is_region_wide" in error.value.message_dict
    risk = own_risk(control_region.namnd_a, text="Egen risk.")
    with pytest.raises(ValidationError):
        update_risk(risk, actor=system(), is_region_wide=True)


def test_each_namnd_follows_up_a_region_wide_atgard_on_its_own(control_region):
    risk = region_wide_risk(control_region)
    measure = risk.measures.get()
    reporter_a = user_with_role("planerare-a", "planerare", control_region.namnd_a)
    follow_up_measure(
        measure,
        control_region.delar,
        actor=reporter_a,
        unit=control_region.namnd_a,
        status="pagar",
        comment="A",
    )
    with pytest.raises(PermissionDenied):
        follow_up_measure(
            measure,
            control_region.delar,
            actor=reporter_a,
            unit=control_region.namnd_b,
            status="pagar",
        )
    follow_up_measure(
        measure,
        control_region.delar,
        actor=system(),
        unit=control_region.namnd_b,
        status="genomford",
    )
    with pytest.raises(ValidationError) as error:
        follow_up_measure(
            measure,
            control_region.delar,
            actor=system(),
            unit=control_region.forvaltning,
            status="pagar",
        )
    assert "unit" in error.value.message_dict
    assert FollowUp.objects.count() == 2
    row = plan_table(control_region.styrelsen, 2023).risks[0]
    [(_measure, rows)] = risk_followups(
        row,
        control_region.delar,
        [control_region.styrelsen, control_region.namnd_a, control_region.namnd_b],
    )
    assert [(item.unit.slug, item.status) for item in rows] == [
        ("styrelsen", ""),
        ("namnd-a", "pagar"),
        ("namnd-b", "genomford"),
    ]
    # once followed up by other nämnder it cannot quietly become the styrelse's own risk
    with pytest.raises(ValidationError):
        update_risk(risk, actor=system(), is_region_wide=False)
    with pytest.raises(ValidationError, match="följts upp"):
        delete_risk(risk, actor=system())


def test_an_atgard_of_a_unit_risk_is_followed_up_only_by_that_unit(control_region):
    measure = own_risk(control_region.namnd_a).measures.get()
    with pytest.raises(ValidationError):
        follow_up_measure(
            measure,
            control_region.delar,
            actor=system(),
            unit=control_region.namnd_b,
            status="pagar",
        )
    entry = follow_up_measure(measure, control_region.delar, actor=system(), status="pagar")
    assert entry.unit == control_region.namnd_a


def test_a_closed_period_cannot_be_edited(control_region):
    risk = region_wide_risk(control_region)
    measure = risk.measures.get()
    follow_up_measure(
        measure, control_region.delar, actor=system(), unit=control_region.namnd_a, status="pagar"
    )
    deviation = add_deviation(
        measure,
        control_region.delar,
        actor=system(),
        unit=control_region.namnd_a,
        found="Rutinen följdes inte.",
    )
    save_unit_assessment(
        control_region.namnd_a,
        control_region.helar,
        actor=system(),
        level="tillracklig",
        motivation="Ja.",
    )
    admin = user_with_role("admin", "administrator")
    close_period(control_region.delar, actor=admin)
    close_period(control_region.helar, actor=admin)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="stängt"):
        follow_up_measure(
            measure,
            control_region.delar,
            actor=system(),
            unit=control_region.namnd_a,
            status="genomford",
        )
    with pytest.raises(ValidationError, match="stängt"):
        add_deviation(
            measure, control_region.delar, actor=system(), unit=control_region.namnd_a, found="Ny."
        )
    with pytest.raises(ValidationError, match="stängt"):
        update_deviation(deviation, actor=system(), found="Ändrad.", handling="")
    with pytest.raises(ValidationError, match="stängt"):
        save_unit_assessment(
            control_region.namnd_a,
            control_region.helar,
            actor=system(),
            level="ej_tillracklig",
            motivation="Nej.",
        )
    with pytest.raises(ValidationError, match="stängt"):
        confirm_overall_assessment(
            control_region.organisation,
            control_region.helar,
            actor=system(),
            level="tillracklig",
            motivation="x",
        )
    assert FollowUp.objects.get().status == "pagar"
    assert Deviation.objects.get().found == "Rutinen följdes inte."
    assert ControlAssessment.objects.get().level == "tillracklig"
    assert AuditEvent.objects.count() == before


def test_deviations_belong_to_the_follow_up_and_need_a_description(control_region):
    measure = own_risk(control_region.namnd_a).measures.get()
    with pytest.raises(ValidationError) as error:
        add_deviation(measure, control_region.delar, actor=system(), found="  ")
    assert "found" in error.value.message_dict and not FollowUp.objects.exists()
    deviation = add_deviation(
        measure, control_region.delar, actor=system(), found="Fel belopp.", handling="Rättat."
    )
    rows = unit_followup(control_region.namnd_a, control_region.delar).rows
    assert (
        rows[0].deviations[0].found == "Fel belopp."
        and rows[0].followup_id == deviation.followup_id
    )
    assert AuditEvent.objects.filter(action="control.deviation.create").count() == 1


def test_isk_and_samlad_bedomning_roll_up_with_a_documented_proposal(control_region):
    planner_a = user_with_role("pa", "planerare", control_region.namnd_a)
    with pytest.raises(ValidationError) as error:
        save_unit_assessment(
            control_region.namnd_a,
            control_region.helar,
            actor=planner_a,
            level="tillracklig",
            motivation="",
        )
    assert "motivation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        save_unit_assessment(
            control_region.namnd_a,
            control_region.delar,
            actor=planner_a,
            level="tillracklig",
            motivation="x",
        )
    assert "period" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        save_unit_assessment(
            control_region.namnd_b,
            control_region.helar,
            actor=planner_a,
            level="tillracklig",
            motivation="x",
        )
    save_unit_assessment(
        control_region.namnd_a,
        control_region.helar,
        actor=planner_a,
        level="tillracklig",
        motivation="Bra.",
    )
    data = overall_assessment(control_region.organisation, control_region.helar)
    assert data.proposal.level == "delvis_tillracklig" and data.proposal.missing == 3
    for unit in (control_region.styrelsen, control_region.namnd_b, control_region.forvaltning):
        save_unit_assessment(
            unit, control_region.helar, actor=system(), level="tillracklig", motivation="Bra."
        )
    assert (
        overall_assessment(control_region.organisation, control_region.helar).proposal.level
        == "tillracklig"
    )
    with pytest.raises(PermissionDenied):  # the samlad bedömning is the styrelse's
        confirm_overall_assessment(
            control_region.organisation,
            control_region.helar,
            actor=planner_a,
            level="tillracklig",
            motivation="x",
        )
    styrelse_planner = user_with_role("ps", "planerare", control_region.styrelsen)
    overall = confirm_overall_assessment(
        control_region.organisation,
        control_region.helar,
        actor=styrelse_planner,
        level="delvis_tillracklig",
        motivation="Vi ser brister.",
    )
    assert overall.proposed_level == "tillracklig" and overall.level == "delvis_tillracklig"
    # the basis lists the units in unit order (position, then name)
    assert [item["unit"] for item in overall.basis] == [
        "Förvaltning A",
        "Nämnd A",
        "Nämnd B",
        "Regionstyrelsen",
    ]
    data = overall_assessment(control_region.organisation, control_region.helar)
    assert not data.basis_changed
    save_unit_assessment(
        control_region.namnd_b,
        control_region.helar,
        actor=system(),
        level="ej_tillracklig",
        motivation="Nej.",
    )
    assert overall_assessment(control_region.organisation, control_region.helar).basis_changed
    assert AuditEvent.objects.filter(action="control.isk.samlad").count() == 1


def test_scale_is_configured_by_an_administrator_and_cannot_shrink_below_use(control_region):
    risk = own_risk(control_region.namnd_a, score=(4, 3))
    planner = user_with_role("planerare")
    labels = ["Låg", "Mellan", "Hög", "Mycket hög", "Extrem"]
    with pytest.raises(PermissionDenied):
        configure_scale(
            control_region.organisation,
            actor=planner,
            likelihood_labels=labels,
            consequence_labels=labels,
            medium_from=5,
            high_from=12,
        )
    admin = user_with_role("admin", "administrator")
    configure_scale(
        control_region.organisation,
        actor=admin,
        likelihood_labels=labels,
        consequence_labels=labels,
        medium_from=5,
        high_from=12,
    )
    scale = scale_for(control_region.organisation)
    assert scale.max_score == 25 and scale.level(12).value == "hog"
    assert (
        plan_table(control_region.namnd_a, 2023).risks[0].level.value == "hog"
    )  # 4 × 3 under the new limits
    with pytest.raises(ValidationError) as error:
        configure_scale(
            control_region.organisation,
            actor=admin,
            likelihood_labels=labels[:3],
            consequence_labels=labels,
            medium_from=5,
            high_from=12,
        )
    assert "likelihood_labels" in error.value.message_dict
    with pytest.raises(ValidationError):
        assess_risk(risk, actor=system(), likelihood=6, consequence=1)
    assess_risk(risk, actor=system(), likelihood=5, consequence=5, decision="ej_accepterad")
    assert AuditEvent.objects.filter(action="control.scale.update").count() == 1
