"""Values by hand (issue 14.8): a reporter's value and full-year forecast in the follow-up,
preliminary until the unit's report is approved, used by the proposal at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import set_state
from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.followup.models import FollowUp
from uppsikt.indicators.assessment import Series, assess_indicator
from uppsikt.indicators.followup import assessment_for
from uppsikt.indicators.manual import check_values, enter_values, takes_values
from uppsikt.indicators.models import (
    Assessment,
    Forecast,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
)
from uppsikt.indicators.rules import ChangeRule, ThresholdRule
from uppsikt.lib.numbers import format_number
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .followup_setup import complete
from .manual_setup import manual_setting


@pytest.fixture
def by_hand(db):
    return manual_setting()


def _state() -> tuple:
    """Everything a refused entry must leave as it was."""
    return (
        list(Measurement.objects.order_by("pk").values_list("pk", "value", "status", "source")),
        list(Forecast.objects.values_list("pk", "value", "status")),
        MeasurementRevision.objects.count(),
        AuditEvent.objects.count(),
        list(Assessment.objects.values_list("pk", "proposed_status", "proposed_reason")),
    )


# -- the action --------------------------------------------------------------------------------


def test_a_reporter_enters_values_and_a_forecast_stored_preliminary_and_by_hand(by_hand):
    entered = enter_values(
        by_hand.share,
        by_hand.period,
        actor=by_hand.reporter,
        total="1,5",
        women="2",
        men=" 1,0 ",
        forecast="85",
    )
    assert entered.changed
    rows = {m.gender: m for m in Measurement.objects.filter(definition__key="utbildade")}
    assert {g: r.value for g, r in rows.items()} == {
        "T": Decimal("1.5"),
        "K": Decimal(2),
        "M": Decimal(1),
    }
    assert all(r.period == "2023-07" and r.is_preliminary and r.by_hand for r in rows.values())
    assert all(r.entered_by == by_hand.reporter and r.entered_at for r in rows.values())
    forecast = Forecast.objects.get()
    assert (forecast.period, forecast.value, forecast.status) == ("2023-07", 85, "preliminar")
    assert forecast.entered_by == by_hand.reporter
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("measurement.enter") == 3 and actions.count("forecast.enter") == 1
    # The same again changes nothing; a correction keeps the earlier value as a revision.
    assert not enter_values(
        by_hand.share, by_hand.period, actor=by_hand.reporter, total="1,5"
    ).changed
    enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="12,5")
    total = Measurement.objects.get(definition__key="utbildade", gender="T")
    assert total.value == Decimal("12.5")
    assert list(total.revisions.values_list("value", flat=True)) == [Decimal("1.5")]


def test_which_indicators_take_values_by_hand(by_hand):
    targets = list(
        IndicatorTarget.objects.select_related("definition", "indicator__goal__plan__unit")
    )
    assert takes_values(targets, by_hand.period) == [by_hand.share, by_hand.visits]
    # A Kolada value of the period's year, up to its end, means the import covers it.
    Measurement.objects.create(
        definition=by_hand.visits.definition,
        organisation=by_hand.setting.unit.organisation,
        period="2023T1",
        value=1,
    )
    assert takes_values(targets, by_hand.period) == [by_hand.share]


REFUSED_VALUES = [
    ({"total": "sjuttio"}, "total", "bad_number", "Värde totalt: "),
    ({"total": "74.1"}, "total", "bad_number", "Värde totalt: "),  # a point is ambiguous
    ({"total": "74,12345"}, "total", "bad_number", "fyra decimaler"),
    ({"total": "101"}, "total", "unit_mismatch", "mellan 0 och 100"),
    ({"total": "50", "women": "−1"}, "women", "unit_mismatch", "Värde kvinnor: "),
    ({"forecast": "100,5"}, "forecast", "unit_mismatch", "Helårsprognos: "),
    ({"women": "50"}, "total", "missing", "ange värdet totalt"),
]


@pytest.mark.parametrize(("values", "field", "code", "words"), REFUSED_VALUES)
def test_bad_values_are_refused_by_field_and_change_nothing(by_hand, values, field, code, words):
    before = _state()
    with pytest.raises(ValidationError) as refused:
        enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, **values)
    (error,) = refused.value.error_dict[field]
    assert error.code == code
    assert words in error.messages[0]
    assert _state() == before


def test_kind_specific_refusals_change_nothing(by_hand):
    before = _state()
    with pytest.raises(ValidationError) as refused:  # not reported per kön
        enter_values(by_hand.visits, by_hand.period, actor=by_hand.reporter, total="5", men="2")
    assert refused.value.error_dict["men"][0].code == "not_by_gender"
    with pytest.raises(ValidationError) as refused:  # qualitative: nothing to measure
        enter_values(by_hand.opinion, by_hand.period, actor=by_hand.planner, total="5")
    assert refused.value.error_dict["total"][0].code == "not_measured"
    year = ReportingPeriod.objects.create(
        organisation=by_hand.period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.ARSREDOVISNING,
        name="Årsredovisning 2023",
        ends_on=datetime.date(2023, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:  # the year has its value, no forecast
        enter_values(by_hand.share, year, actor=by_hand.planner, total="80", forecast="81")
    assert refused.value.error_dict["forecast"][0].code == "no_forecast"
    later = ReportingPeriod.objects.create(
        organisation=by_hand.period.organisation,
        year=2024,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2024",
        ends_on=datetime.date(2024, 7, 31),
    )
    with pytest.raises(ValidationError) as refused:  # 2024 does not follow up the 2023 plan
        enter_values(by_hand.share, later, actor=by_hand.planner, total="80")
    assert refused.value.error_dict["indicator"][0].code == "not_in_scope"
    assert _state() == before


def test_who_may_enter_values_and_when(by_hand):
    before = _state()
    other = user_with_role("annan", "rapportor", "styrelsen")  # not assigned this entry
    reader = user_with_role("lasare", "lasare")
    for actor in (other, reader):
        with pytest.raises(PermissionDenied):
            enter_values(by_hand.share, by_hand.period, actor=actor, total="90")
    ReportingPeriod.objects.filter(pk=by_hand.period.pk).update(
        status=ReportingPeriod.Status.CLOSED
    )
    by_hand.period.refresh_from_db()
    with pytest.raises(ValidationError, match="stängt"):
        enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="90")
    ReportingPeriod.objects.filter(pk=by_hand.period.pk).update(status=ReportingPeriod.Status.OPEN)
    by_hand.period.refresh_from_db()
    assert _state() == before
    complete(by_hand.setting, by_hand.planner)
    submit_report(by_hand.setting.unit, by_hand.period, actor=by_hand.planner)
    before = _state()
    with pytest.raises(ValidationError, match="inlämnad"):
        enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="90")
    assert _state() == before


def test_a_reviewed_entry_takes_no_values(by_hand):
    complete(by_hand.setting, by_hand.planner)
    entry = FollowUp.objects.get(object_id=by_hand.goal.pk, content_type__model="goal")
    set_state(entry, FollowUp.State.GRANSKAD, actor=user_with_role("granskare", "granskare"))
    before = _state()
    with pytest.raises(ValidationError, match="granskad"):
        enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="90")
    assert _state() == before


# -- the proposal ------------------------------------------------------------------------------


def test_the_proposal_uses_the_value_at_once_and_says_it_was_entered_by_hand(by_hand):
    proposal = assessment_for(by_hand.goal, by_hand.period)
    assert proposal.proposed_status == "ej_bedombar"
    enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="85")
    proposal.refresh_from_db()
    assert proposal.proposed_status == "uppfyllt"
    assert proposal.proposed_preliminary
    assert proposal.proposed_reason.startswith("Preliminärt:")
    assert "Förslaget bygger på värden inmatade för hand." in proposal.proposed_reason
    (share, _visits) = proposal.indicator_results
    assert share["by_hand"] and not share["forecast"]
    assert "Värdet för juli 2023 är inmatat för hand och preliminärt." in share["reason"]


def test_a_forecast_judges_the_year_before_it_ends(by_hand):
    enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="85", forecast="70")
    enter_values(by_hand.visits, by_hand.period, actor=by_hand.reporter, forecast="1 100")
    proposal = Assessment.objects.get(goal=by_hand.goal, period="2023-07")
    share, visits = proposal.indicator_results
    assert share["status"] == "ej_uppfyllt" and share["forecast"]
    assert "Helårsprognos 70,0\xa0% (2023), målet är minst 80,0\xa0%." in share["reason"]
    assert "preliminär helårsprognos inmatad för hand, lämnad per juli 2023" in share["reason"]
    assert visits["status"] == "uppfyllt"
    assert "Helårsprognos 1\xa0100 (2023) mot 1\xa0000 (2022): ökning." in visits["reason"]
    assert proposal.proposed_status == "delvis_uppfyllt"
    assert "Förslaget bygger på helårsprognoser inmatade för hand." in proposal.proposed_reason


def test_approval_makes_the_values_final(by_hand):
    enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="85", forecast="90")
    complete(by_hand.setting, by_hand.planner)
    submit_report(by_hand.setting.unit, by_hand.period, actor=by_hand.planner)
    reviewer = user_with_role("granskare", "granskare")
    approve_report(by_hand.setting.unit, by_hand.period, actor=reviewer)
    total = Measurement.objects.get(definition__key="utbildade")
    assert total.status == "slutlig" and total.by_hand
    assert list(total.revisions.values_list("status", flat=True)) == ["preliminar"]
    assert Forecast.objects.get().status == "slutlig"
    event = AuditEvent.objects.get(action="measurement.finalise")
    assert event.after["measurements"] == 1 and event.after["forecasts"] == 1
    proposal = Assessment.objects.get(goal=by_hand.goal, period="2023-07")
    assert not proposal.proposed_preliminary
    assert not proposal.proposed_reason.startswith("Preliminärt")
    assert "helårsprognoser inmatade för hand" in proposal.proposed_reason
    # Returned for changes: what is entered again is preliminary again.
    return_report(
        by_hand.setting.unit,
        by_hand.period,
        actor=reviewer,
        comment="Rätta.",
        reopen=[FollowUp.objects.get(object_id=by_hand.goal.pk, content_type__model="goal").pk],
    )
    enter_values(by_hand.share, by_hand.period, actor=by_hand.reporter, total="86")
    assert Measurement.objects.get(definition__key="utbildade").status == "preliminar"


# -- rules without a database ------------------------------------------------------------------

shares = st.decimals(min_value=0, max_value=100, places=4)


@given(shares)
def test_a_share_written_the_swedish_way_is_read_back_exactly(value):
    definition = IndicatorDefinition(key="x", name="x", unit="procent", by_gender=True)
    places = max(0, -value.normalize().as_tuple().exponent)
    text = format_number(value, places)
    assert check_values(definition, {"total": text, "forecast": text}) == {
        "total": value,
        "forecast": value,
    }


@given(shares, shares, shares)
def test_the_forecast_not_the_latest_value_judges_a_threshold_before_year_end(
    now, forecast, minimum
):
    series = Series("procent")
    series.add("0099", "2023-07", now)
    series.add_forecast("0099", "2023-07", forecast, preliminary=True, by_hand=True)
    result = assess_indicator(ThresholdRule(minimum=minimum), series, "0099", "2023-07")
    assert result.status == ("uppfyllt" if forecast >= minimum else "ej_uppfyllt")
    assert result.forecast and result.preliminary
    # The year itself is judged by its value, never by a forecast.
    series.add("0099", "2023", now)
    assert not assess_indicator(ThresholdRule(minimum=minimum), series, "0099", "2023").forecast


def test_a_change_by_forecast_without_last_years_value_is_not_assessable():
    series = Series("antal")
    series.add_forecast("0099", "2023T2", Decimal(5), by_hand=True)
    result = assess_indicator(ChangeRule("increase"), series, "0099", "2023T2")
    assert result.status == "ej_bedombar" and "Värde saknas för 2022." in result.reason
