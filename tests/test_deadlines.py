"""Deadlines (sista dag) on periods: the rules of ``periods.deadline_actions``.

Every refusal names its field and code and changes nothing (no row, no audit event).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import close_period, create_default_periods, delete_period
from uppsikt.periods.deadline_actions import (
    remove_unit_deadline,
    set_period_deadlines,
    set_unit_deadline,
)
from uppsikt.periods.deadlines import deadlines_for
from uppsikt.periods.defaults import add_working_days, default_deadlines
from uppsikt.periods.models import ReportingPeriod, UnitDeadline

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def deadline_period():
    """Region Test's delårsrapport 2023 (ends 31 juli) with the organisation's deadlines."""
    load_minimal()
    return ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=D(2023, 7, 31),
        report_by=D(2023, 8, 20),
        review_by=D(2023, 8, 31),
    )


@pytest.fixture
def deadline_admin(deadline_period):
    return user_with_role("admin", "administrator")


def _state(period):
    period.refresh_from_db()
    return (
        period.report_by,
        period.review_by,
        sorted(UnitDeadline.objects.values_list("unit__slug", "report_by", "review_by")),
        AuditEvent.objects.count(),
    )


def _refused(call, field, code):
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.error_dict, error.value.message_dict
    assert code in [e.code for e in error.value.error_dict[field]]
    return error.value.message_dict[field]


def test_an_administrator_sets_the_organisations_deadlines_and_it_is_audited(
    deadline_period, deadline_admin
):
    set_period_deadlines(
        deadline_period, actor=deadline_admin, report_by=D(2023, 8, 14), review_by=D(2023, 8, 21)
    )
    deadline_period.refresh_from_db()
    assert (deadline_period.report_by, deadline_period.review_by) == (
        D(2023, 8, 14),
        D(2023, 8, 21),
    )
    event = AuditEvent.objects.get()
    assert event.action == "period.set_deadlines"
    assert event.before == {"report_by": "2023-08-20", "review_by": "2023-08-31"}
    assert event.after == {"report_by": "2023-08-14", "review_by": "2023-08-21"}


@pytest.mark.parametrize(
    ("report_by", "review_by", "field", "code"),
    [
        (D(2023, 7, 30), D(2023, 8, 21), "report_by", "before_period_end"),
        (D(2023, 8, 14), D(2023, 7, 1), "review_by", "before_period_end"),
        (D(2023, 8, 14), D(2023, 8, 13), "review_by", "review_before_report"),
    ],
)
def test_period_deadlines_out_of_order_are_refused_and_change_nothing(
    deadline_period, deadline_admin, report_by, review_by, field, code
):
    before = _state(deadline_period)
    messages = _refused(
        lambda: set_period_deadlines(
            deadline_period, actor=deadline_admin, report_by=report_by, review_by=review_by
        ),
        field,
        code,
    )
    assert any("Sista dag" in m for m in messages)
    assert _state(deadline_period) == before


def test_a_stab_reports_before_its_styrelse_and_the_unit_below_inherits(
    deadline_period, deadline_admin
):
    board = Unit.objects.get(slug="fullmaktige")
    below = Unit.objects.get(slug="styrelsen")
    set_unit_deadline(
        deadline_period, board, actor=deadline_admin, report_by=D(2023, 8, 10), review_by=None
    )
    assert deadlines_for(deadline_period, below).report_by == D(2023, 8, 10)
    assert deadlines_for(deadline_period, below).review_by == D(2023, 8, 31)
    assert AuditEvent.objects.get().action == "period.set_unit_deadline"
    # Changing it, then removing it: the organisation's holds again.
    set_unit_deadline(
        deadline_period, board, actor=deadline_admin, report_by=D(2023, 8, 9), review_by=None
    )
    assert UnitDeadline.objects.get().report_by == D(2023, 8, 9)
    remove_unit_deadline(deadline_period, board, actor=deadline_admin)
    assert deadlines_for(deadline_period, below).report_by == D(2023, 8, 20)
    assert [e.action for e in AuditEvent.objects.order_by("sequence")][-1] == (
        "period.remove_unit_deadline"
    )


@pytest.mark.parametrize(
    ("report_by", "review_by", "field", "code"),
    [
        (D(2023, 8, 25), None, "report_by", "after_period_deadline"),
        (None, D(2023, 9, 1), "review_by", "after_period_deadline"),
        (D(2023, 7, 1), None, "report_by", "before_period_end"),
        (D(2023, 8, 10), D(2023, 8, 9), "review_by", "review_before_report"),
        (None, D(2023, 8, 19), "review_by", "review_before_report"),
        (None, None, "report_by", "required"),
    ],
)
def test_unit_deadlines_out_of_order_are_refused_and_change_nothing(
    deadline_period, deadline_admin, report_by, review_by, field, code
):
    unit = Unit.objects.get(slug="styrelsen")
    before = _state(deadline_period)
    _refused(
        lambda: set_unit_deadline(
            deadline_period, unit, actor=deadline_admin, report_by=report_by, review_by=review_by
        ),
        field,
        code,
    )
    assert _state(deadline_period) == before


def test_a_unit_deadline_is_not_later_than_its_parent_units_and_the_parent_not_before_it(
    deadline_period, deadline_admin
):
    parent, child = Unit.objects.get(slug="fullmaktige"), Unit.objects.get(slug="styrelsen")
    set_unit_deadline(
        deadline_period, parent, actor=deadline_admin, report_by=D(2023, 8, 15), review_by=None
    )
    set_unit_deadline(
        deadline_period, child, actor=deadline_admin, report_by=D(2023, 8, 10), review_by=None
    )
    before = _state(deadline_period)
    message = _refused(
        lambda: set_unit_deadline(
            deadline_period, child, actor=deadline_admin, report_by=D(2023, 8, 16), review_by=None
        ),
        "report_by",
        "after_period_deadline",
    )
    assert "Regionfullmäktige" in message[0]
    _refused(
        lambda: set_unit_deadline(
            deadline_period, parent, actor=deadline_admin, report_by=D(2023, 8, 8), review_by=None
        ),
        "report_by",
        "unit_deadline_later",
    )
    _refused(
        lambda: set_period_deadlines(
            deadline_period, actor=deadline_admin, report_by=D(2023, 8, 9), review_by=None
        ),
        "report_by",
        "unit_deadline_later",
    )
    assert _state(deadline_period) == before


def test_nothing_changes_in_a_closed_period(deadline_period, deadline_admin):
    unit = Unit.objects.get(slug="styrelsen")
    set_unit_deadline(
        deadline_period, unit, actor=deadline_admin, report_by=D(2023, 8, 10), review_by=None
    )
    close_period(deadline_period, actor=deadline_admin)
    before = _state(deadline_period)
    for call in (
        lambda: set_period_deadlines(
            deadline_period, actor=deadline_admin, report_by=D(2023, 8, 15), review_by=None
        ),
        lambda: set_unit_deadline(
            deadline_period, unit, actor=deadline_admin, report_by=D(2023, 8, 9), review_by=None
        ),
        lambda: remove_unit_deadline(deadline_period, unit, actor=deadline_admin),
    ):
        message = _refused(call, "period", "period_closed")
        assert "stängt" in message[0]
    assert _state(deadline_period) == before


def test_a_unit_of_another_organisation_and_a_missing_deadline_are_refused(
    deadline_period, deadline_admin
):
    other = Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    stranger = Unit.objects.create(organisation=other, slug="annan", name="Annan", kind="styrelse")
    before = _state(deadline_period)
    _refused(
        lambda: set_unit_deadline(
            deadline_period, stranger, actor=deadline_admin, report_by=D(2023, 8, 9), review_by=None
        ),
        "unit",
        "other_organisation",
    )
    _refused(
        lambda: remove_unit_deadline(
            deadline_period, Unit.objects.get(slug="styrelsen"), actor=deadline_admin
        ),
        "unit",
        "not_found",
    )
    assert _state(deadline_period) == before


@pytest.mark.parametrize(("role", "unit"), [("planerare", None), ("administrator", "styrelsen")])
def test_only_an_administrator_of_the_whole_organisation_sets_deadlines(
    deadline_period, role, unit
):
    actor = user_with_role("someone", role, unit)
    before = _state(deadline_period)
    with pytest.raises(PermissionDenied):
        set_period_deadlines(deadline_period, actor=actor, report_by=None, review_by=None)
    with pytest.raises(PermissionDenied):
        set_unit_deadline(
            deadline_period,
            Unit.objects.get(slug="styrelsen"),
            actor=actor,
            report_by=D(2023, 8, 9),
            review_by=None,
        )
    assert _state(deadline_period) == before


def test_a_period_with_only_unit_deadlines_can_still_be_removed(deadline_period, deadline_admin):
    set_unit_deadline(
        deadline_period,
        Unit.objects.get(slug="styrelsen"),
        actor=deadline_admin,
        report_by=D(2023, 8, 9),
        review_by=None,
    )
    delete_period(deadline_period, actor=deadline_admin)
    assert not ReportingPeriod.objects.exists() and not UnitDeadline.objects.exists()


def test_default_periods_get_default_deadlines(deadline_admin):
    organisation = Organisation.objects.get(code="0099")
    created = create_default_periods(organisation, 2024, actor=deadline_admin, months=(3,))
    for period in created:
        assert (period.report_by, period.review_by) == default_deadlines(period.ends_on)
        assert period.ends_on < period.report_by < period.review_by
    delarsrapport = next(p for p in created if p.kind == ReportingPeriod.Kind.DELARSRAPPORT)
    assert delarsrapport.report_by == D(2024, 8, 14)  # 31 juli 2024 is a Wednesday


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)), st.integers(1, 40))
def test_working_days_skip_weekends_and_count_exactly(start, days):
    end = add_working_days(start, days)
    assert end.weekday() < 5
    span = [start + datetime.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for day in span if day.weekday() < 5) == days
