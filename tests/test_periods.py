"""Reporting periods: closing makes them read-only; reopening is an admin's recorded act."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.audit.presentation import describe
from uppsikt.audit.trail import history
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


# -- the move from followup: same table, same content type, earlier events still found -------


def test_the_period_kept_its_table_and_content_type_when_it_moved_from_followup():
    assert ReportingPeriod._meta.db_table == "followup_reportingperiod"
    moved = importlib.import_module("uppsikt.periods.migrations.0001_reporting_periods")
    content_type = ContentType.objects.get_for_model(ReportingPeriod)
    permissions = set(Permission.objects.filter(content_type=content_type))
    ContentType.objects.filter(pk=content_type.pk).update(app_label="followup")
    moved.rename_content_type(apps, SimpleNamespace(connection=connection))
    assert ContentType.objects.get(pk=content_type.pk).app_label == "periods"
    assert ContentType.objects.get_for_model(ReportingPeriod).pk == content_type.pk
    assert set(Permission.objects.filter(content_type=content_type)) == permissions


def test_events_recorded_before_the_move_still_belong_to_the_period(client, period):
    admin = user_with_role("admin", "administrator")
    close_period(period, actor=admin)
    # Before the move every period event was recorded as followup.reportingperiod.
    AuditEvent.objects.update(object_type="followup.reportingperiod")
    reopen_period(period, actor=admin, reason="Rättelse.")
    events = list(history(period).order_by("sequence"))
    assert [(e.action, e.object_type) for e in events] == [
        ("period.close", "followup.reportingperiod"),
        ("period.reopen", "periods.reportingperiod"),
    ]
    assert [row.label for row in describe(events[0]).fields] == ["status"]

    client.force_login(get_user_model().objects.create_superuser("rot", "rot@example.org", "x"))
    for label in ("followup.reportingperiod", "periods.reportingperiod"):
        page = client.get(reverse("history:object", args=[label, period.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Uppföljningstillfället stängdes" in text
        assert "Uppföljningstillfället öppnades igen" in text
