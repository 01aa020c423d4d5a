"""reports 0003: the one approved version a report had becomes its version 1, with who
approved it taken from the audit trail (the report's granskare may since have returned it)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from uppsikt.followup.actions.reports import approve_report, return_report, submit_report

from .builders import user_with_role
from .followup_setup import complete, small_setting

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0002_approved_versions")]
AFTER = [("reports", "0003_versions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_approved_versions_become_version_1():
    setting = small_setting()
    complete(setting)
    greta = user_with_role("greta", "granskare")
    submit_report(setting.unit, setting.period, actor=user_with_role("l1", "planerare"))
    report = approve_report(setting.unit, setting.period, actor=greta)
    # Returned since (by someone else): the report's reviewed_by is no longer the approver.
    return_report(
        setting.unit, setting.period, actor=user_with_role("g2", "granskare"), comment="Fel."
    )
    try:
        old = _migrate(BEFORE)
        OldApproved = old.get_model("reports", "ApprovedReport")
        kept = OldApproved.objects.get(report_id=report.pk)
        assert not hasattr(kept, "number")
        document = kept.document
        new = _migrate(AFTER)
    finally:
        _migrate(AFTER)  # the database as the other tests expect it, whatever happened
    Approved = new.get_model("reports", "ApprovedReport")
    version = Approved.objects.get(report_id=report.pk)
    assert version.number == 1
    assert version.approved_by_id == greta.pk
    assert version.document == document
