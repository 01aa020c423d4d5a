"""Reporting periods: closing makes them read-only; reopening is an admin's recorded act."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation
from uppsikt.periods.actions import close_period, reopen_period
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import ensure_open

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    load_minimal()
    return ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
    )


def test_a_closed_period_refuses_changes_and_an_admin_reopens_it_with_a_reason(period):
    admin = user_with_role("admin", "administrator")
    ensure_open(period)
    close_period(period, actor=admin)
    with pytest.raises(ValidationError, match="är stängt"):
        ensure_open(period)
    with pytest.raises(ValidationError) as error:
        reopen_period(period, actor=admin, reason="  ")
    assert "reason" in error.value.message_dict
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.CLOSED

    reopen_period(period, actor=admin, reason="Rättelse av HR-statistiken.")
    ensure_open(period)
    actions = list(AuditEvent.objects.values_list("action", "reason"))
    assert actions == [("period.close", ""), ("period.reopen", "Rättelse av HR-statistiken.")]


def test_only_administrators_of_the_whole_organisation_close_and_reopen(period):
    planner = user_with_role("planerare", "planerare")
    local_admin = user_with_role("lokal", "administrator", "styrelsen")
    for actor in (planner, local_admin):
        with pytest.raises(PermissionDenied):
            close_period(period, actor=actor)
    period.refresh_from_db()
    assert period.is_open and not AuditEvent.objects.exists()


def test_closing_twice_is_refused(period):
    admin = user_with_role("admin", "administrator")
    close_period(period, actor=admin)
    with pytest.raises(ValidationError, match="redan stängd"):
        close_period(period, actor=admin)
