"""The Kolada sync end to end against the loopback Kolada: which organisations and KPIs,
values through the import (revisions, audit), incremental by from_date, a second run that
changes nothing, failures that store nothing, and who may start it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.models import IndicatorDefinition, Measurement, MeasurementRevision
from uppsikt.jobs.models import Job
from uppsikt.kolada.client import KoladaClient
from uppsikt.kolada.models import SyncRun, SyncSettings
from uppsikt.kolada.sync import SyncFailed, run_sync, update_settings
from uppsikt.kolada.tasks import start_sync

from .builders import run_queued_jobs, user_with_role
from .kolada_setup import YEARS

SAME_KIND = ["0000", "0001", "0003", "0099"]  # Riket and the regions the planner may write


def _codes(definition=None) -> list[str]:
    rows = Measurement.objects.all()
    if definition is not None:
        rows = rows.filter(definition=definition)
    return sorted(set(rows.values_list("organisation__code", flat=True)))


def _client(world, **options) -> KoladaClient:
    return KoladaClient(world.server.url, **{"retries": 1, "backoff": 0, **options})


def test_a_full_sync_brings_the_organisation_riket_and_the_regions(kolada_world):
    w = kolada_world
    outcome = run_sync(w.org, actor=w.planner)
    run = outcome.run
    assert run.status == SyncRun.Status.DONE and run.since is None
    assert run.kpis == ["N79179", "U00001"]
    # Region Annan has units of its own where the planner may not write: left out.
    assert [o.code for o in outcome.left_out] == ["0098"]
    assert _codes() == SAME_KIND  # not the kommun 1880: the comparison is "same kind"
    assert Measurement.objects.filter(definition=w.trust).count() == 4 * len(YEARS) * 3
    # Väntetid is not by kön: Kolada's K values are not taken.
    waits = Measurement.objects.filter(definition=w.waits)
    assert set(waits.values_list("gender", flat=True)) == {"T"}
    value = Measurement.objects.get(
        definition=w.trust, organisation__code="0099", period="2023", gender="K"
    )
    assert value.value == Decimal("23.99") + Decimal("52.3")
    assert value.source == "Kolada" and value.status == Measurement.DataStatus.SLUTLIG
    assert run.batch.created == 4 * len(YEARS) * 4 and run.values_read == 4 * len(YEARS) * 5
    assert AuditEvent.objects.filter(action="measurements.import").count() == 1
    assert run.requests == 1 and run.started_by == w.planner


def test_preliminary_values_are_stored_as_preliminary(kolada_world):
    w = kolada_world
    w.server.set_value("N79179", "0099", 2024, Decimal("80"), status="Preliminary")
    run_sync(w.org, actor=w.planner)
    value = Measurement.objects.get(definition=w.trust, organisation=w.org, period="2024")
    assert value.status == Measurement.DataStatus.PRELIMINAR


def test_a_second_sync_asks_from_the_last_start_and_changes_nothing(kolada_world):
    w = kolada_world
    first = run_sync(w.org, actor=w.planner).run
    stored = Measurement.objects.count()
    second = run_sync(w.org, actor=w.planner)
    assert second.run.status == SyncRun.Status.DONE
    assert second.run.since == timezone.localdate(first.started_at)
    assert all(f"from_date={second.run.since}" in line for line in w.server.log[-1:])
    assert second.report is None and second.run.batch is None  # nothing new: nothing imported
    assert second.to_data()["created"] == second.to_data()["changed"] == 0
    assert Measurement.objects.count() == stored
    assert AuditEvent.objects.filter(action="measurements.import").count() == 1


def test_an_incremental_sync_brings_a_changed_value_as_a_revision(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    today = timezone.localdate()
    w.server.set_value("N79179", "0001", 2023, Decimal("99.5"), updated=today)
    outcome = run_sync(w.org, actor=w.planner)
    assert (outcome.report.created, outcome.report.changed) == (0, 1)
    assert outcome.run.values_read == 1 and outcome.run.batch.changed == 1
    value = Measurement.objects.get(
        definition=w.trust, organisation__code="0001", period="2023", gender="T"
    )
    assert value.value == Decimal("99.5")
    assert [r.value for r in value.revisions.all()] == [Decimal("23.01") + Decimal("50.1")]


def test_a_full_second_sync_reads_everything_and_changes_nothing(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    outcome = run_sync(w.org, actor=w.planner, full=True)
    assert outcome.run.since is None and "from_date" not in w.server.log[-1]
    report = outcome.report
    assert (report.created, report.changed, report.unchanged) == (0, 0, 4 * len(YEARS) * 4)
    assert not MeasurementRevision.objects.exists()


def test_a_newly_linked_kpi_is_read_in_full_beside_the_incremental_one(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    w.server.add_kpi("N00002")
    w.server.set_value("N00002", "0099", 2020, Decimal("3"))
    IndicatorDefinition.objects.create(
        key="ny", name="Ny", unit="antal", source_kind="kolada", source_code="N00002"
    )
    outcome = run_sync(w.org, actor=w.planner)
    asked = [line for line in w.server.log if "/data/" in line][-2:]
    assert "from_date=" in asked[0] and "N79179,U00001" in asked[0]
    assert "from_date=" not in asked[1] and "/kpi/N00002/" in asked[1]
    assert outcome.report.created == 1


def test_changed_settings_make_the_next_sync_full(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    update_settings(w.org, actor=w.planner, comparison="alla", scheduled=False)
    outcome = run_sync(w.org, actor=w.planner)
    assert outcome.run.since is None
    assert _codes() == ["0000", "0001", "0003", "0099", "1880"]
    assert AuditEvent.objects.filter(action="kolada.settings").count() == 1


@pytest.mark.parametrize(
    "comparison, codes",
    [
        ("ingen", ["0000", "0099"]),
        ("lan", ["0000", "0099"]),  # Region Test has no län: only itself and Riket
        ("samma_slag", SAME_KIND),
    ],
)
def test_the_comparison_setting_chooses_the_organisations(kolada_world, comparison, codes):
    w = kolada_world
    SyncSettings.objects.create(organisation=w.org, comparison=comparison)
    run_sync(w.org, actor=w.planner)
    assert _codes() == codes


def test_the_kommuner_of_the_lan(kolada_world):
    w = kolada_world
    w.org.county_code = "18"
    w.org.save()
    SyncSettings.objects.create(organisation=w.org, comparison="lan")
    run_sync(w.org, actor=w.planner)
    assert _codes() == ["0000", "0099", "1880"]


def test_the_command_line_syncs_every_organisation_it_is_asked_for(kolada_world):
    w = kolada_world
    run_sync(w.org)  # no actor: the scheduled sync, which may write Region Annan too
    assert _codes() == ["0000", "0001", "0003", "0098", "0099"]
    assert SyncRun.objects.get().started_by.username == "kommandorad"


# --- Failures: nothing stored, the run failed with the reason ----------------------------


def test_kolada_failing_stores_nothing_and_fails_the_run(kolada_world):
    w = kolada_world
    w.server.fail("503", times=10)
    with pytest.raises(SyncFailed) as caught:
        run_sync(w.org, actor=w.planner, client=_client(w))
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.FAILED and run.finished_at
    assert "Kolada svarade med fel 503" in run.error and run.error == caught.value.messages[0]
    assert run.requests == 2
    assert not Measurement.objects.exists()


def test_a_broken_page_after_good_ones_stores_nothing(kolada_world):
    w = kolada_world
    client = _client(w, retries=0, per_page=4)
    # The first page is fine (with fields Kolada added), the second is cut short.
    w.server.fail("unknown_field", times=1, where="/data/")
    w.server.fail("malformed", times=1, where="/data/")
    with pytest.raises(SyncFailed):
        run_sync(w.org, actor=w.planner, client=client)
    assert "är inte giltig JSON" in SyncRun.objects.get().error
    assert client.requests == 2 and not Measurement.objects.exists()


def test_a_value_the_import_refuses_stores_nothing(kolada_world):
    w = kolada_world
    w.server.set_value("N79179", "0003", 2022, Decimal("1"), status="okänd")
    with pytest.raises(SyncFailed):
        run_sync(w.org, actor=w.planner)
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.FAILED
    assert "Importen avvisade 1 värden" in run.error and "Okänd status" in run.error
    assert not Measurement.objects.exists() and run.batch is None


def test_a_failed_run_is_not_the_start_of_the_next_incremental_one(kolada_world):
    w = kolada_world
    first = run_sync(w.org, actor=w.planner).run
    w.server.fail("500", times=10)
    with pytest.raises(SyncFailed):
        run_sync(w.org, actor=w.planner, client=_client(w))
    w.server.state.failures.clear()
    third = run_sync(w.org, actor=w.planner).run
    assert third.since == timezone.localdate(first.started_at)


# --- Who may --------------------------------------------------------------------------------


def test_only_planners_of_the_organisation_may_sync(kolada_world):
    w = kolada_world
    reader = user_with_role("kolada-lasare", "lasare", "styrelsen")
    elsewhere = user_with_role("kolada-annan", "planerare", "annan")
    for user in (reader, elsewhere):
        with pytest.raises(PermissionDenied):
            run_sync(w.org, actor=user)
        with pytest.raises(PermissionDenied):
            start_sync(w.org, actor=user)
        with pytest.raises(PermissionDenied):
            update_settings(w.org, actor=user, comparison="ingen", scheduled=False)
    assert not SyncRun.objects.exists() and not Job.objects.exists()
    assert not SyncSettings.objects.exists()


# --- The job --------------------------------------------------------------------------------


# The worker closes the connection when done: committed data, not a rolled-back test.
@pytest.mark.django_db(transaction=True)
def test_synka_nu_runs_as_a_job_with_progress_and_result(kolada_world):
    w = kolada_world
    job = start_sync(w.org, actor=w.planner)
    assert job.kind == "kolada_sync" and job.repeatable
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["created"] == 4 * len(YEARS) * 4 and job.result["left_out"]
    assert job.total == job.done > 0
    assert SyncRun.objects.get().status == SyncRun.Status.DONE


# The worker closes the connection when done: committed data, not a rolled-back test.
@pytest.mark.django_db(transaction=True)
def test_a_failing_job_shows_the_reason(kolada_world, settings):
    w = kolada_world
    settings.KOLADA_RETRIES = 0
    w.server.fail("500", times=5)
    job = start_sync(w.org, actor=w.planner)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Kolada svarade med fel 500" in job.error
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_no_linked_kpi_means_nothing_to_start(kolada_world):
    IndicatorDefinition.objects.filter(source_kind="kolada").update(source_kind="manuell")
    with pytest.raises(Exception) as caught:
        start_sync(kolada_world.org, actor=kolada_world.planner)
    assert "Ingen indikatordefinition är kopplad" in str(caught.value)


# --- Withdrawals (the import core's "withdrawn" rows: waiting for the storage branch) ------


def test_a_value_deleted_in_kolada_is_withdrawn_and_kept_in_history(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    today = timezone.localdate()
    w.server.delete_value("N79179", "0099", 2023, gender="T", updated=today)
    outcome = run_sync(w.org, actor=w.planner)
    assert outcome.run.status == SyncRun.Status.DONE
    assert outcome.to_data()["withdrawn"] == 1
    kept = MeasurementRevision.objects.filter(
        measurement__definition=w.trust, measurement__organisation=w.org
    )
    assert [r.value for r in kept] == [Decimal("23.99") + Decimal("50.1")]
    again = run_sync(w.org, actor=w.planner, full=True)
    assert (again.report.created, again.report.changed) == (0, 0)


def test_a_null_value_in_kolada_withdraws_the_stored_one(kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    w.server.set_value("U00001", "0001", 2022, None, status="Missing", updated=timezone.localdate())
    outcome = run_sync(w.org, actor=w.planner)
    assert outcome.to_data()["withdrawn"] == 1
    assert MeasurementRevision.objects.filter(
        measurement__definition=w.waits, value=Decimal(32)
    ).exists()


def test_a_null_value_with_nothing_stored_is_counted_empty(kolada_world):
    w = kolada_world
    w.server.set_value("U00001", "0099", 2020, None, status="Missing")
    outcome = run_sync(w.org, actor=w.planner)
    assert outcome.report.empty == 1
    assert not Measurement.objects.filter(period="2020").exists()
