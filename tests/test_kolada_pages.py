"""The catalogue refresh, the commands, and the sync page (settings, "Synka nu", the runs)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from uppsikt.audit.models import AuditEvent
from uppsikt.jobs.models import Job
from uppsikt.kolada.catalogue import refresh_catalogue
from uppsikt.kolada.client import KoladaClient, KoladaError
from uppsikt.kolada.models import CatalogueRefresh, KoladaKpi, SyncRun, SyncSettings
from uppsikt.kolada.sync import run_sync

from .builders import run_queued_jobs, user_with_role

PAGE = "/kolada/0099/synk/"


# --- The catalogue --------------------------------------------------------------------------


def test_the_catalogue_is_read_updated_and_keeps_what_kolada_dropped(kolada_world):
    w = kolada_world
    client = KoladaClient(w.server.url, backoff=0, per_page=1)
    first = refresh_catalogue(client, actor=w.planner)
    assert (first.created, first.changed, first.removed) == (2, 0, 0) and first.requests == 2
    trust = KoladaKpi.objects.get(code="N79179")
    assert trust.divided_by_gender and trust.title.startswith("Förtroende")
    assert trust.operating_area == "Hälso- och sjukvård"
    w.server.add_kpi("N79179", "Förtroende, ny titel", divided_by_gender=True)
    w.server.remove_kpi("U00001")
    second = refresh_catalogue(client, actor=w.planner)
    assert (second.created, second.changed, second.unchanged, second.removed) == (0, 1, 0, 1)
    assert KoladaKpi.objects.get(code="N79179").title == "Förtroende, ny titel"
    assert KoladaKpi.objects.get(code="U00001").removed_at is not None
    w.server.add_kpi("U00001")
    third = refresh_catalogue(client, actor=w.planner)
    assert third.changed == 1 and KoladaKpi.objects.get(code="U00001").removed_at is None
    assert AuditEvent.objects.filter(action="kolada.catalogue").count() == 3


def test_a_failed_catalogue_reading_changes_nothing(kolada_world):
    w = kolada_world
    w.server.fail("500", times=5)
    with pytest.raises(KoladaError):
        refresh_catalogue(KoladaClient(w.server.url, retries=1, backoff=0), actor=w.planner)
    assert not KoladaKpi.objects.exists() and not CatalogueRefresh.objects.exists()


def test_the_catalogue_command(kolada_world):
    out = io.StringIO()
    call_command("kolada_catalogue", stdout=out)
    assert "2 nya, 0 ändrade" in out.getvalue()
    kolada_world.server.fail("503", times=5)
    with pytest.raises(CommandError, match="Kolada svarade med fel 503"):
        call_command("kolada_catalogue", stdout=out)


# --- The scheduled sync -----------------------------------------------------------------------


def test_the_sync_command_runs_the_scheduled_organisations(kolada_world):
    w = kolada_world
    out = io.StringIO()
    call_command("kolada_sync", stdout=out)
    assert not SyncRun.objects.exists()  # nobody scheduled
    SyncSettings.objects.create(organisation=w.org, scheduled=True, comparison="ingen")
    call_command("kolada_sync", stdout=out)
    assert "Region Test: 30 värden lästa (1 anrop), 24 nya" in out.getvalue()
    call_command("kolada_sync", "--organisation", "0099", "--full", stdout=out)
    assert "0 nya, 0 ändrade, 24 oförändrade" in out.getvalue()
    assert [r.since for r in SyncRun.objects.all()] == [None, None]
    w.server.fail("500", times=20)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Minst en synk misslyckades"):
        call_command("kolada_sync", stdout=out, stderr=err)
    assert "Kolada svarade med fel 500" in err.getvalue()
    with pytest.raises(CommandError, match="ingen organisation med koden 9999"):
        call_command("kolada_sync", "--organisation", "9999")


# --- The page -------------------------------------------------------------------------------


def test_the_page_shows_settings_and_runs_to_a_planner(client, kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    client.force_login(w.planner)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kolada-synk för Region Test" in page and "N79179, U00001" in page
    assert "Synka nu" in page and "Spara inställningarna" in page
    assert "<td>Klar</td>" in page and '<td class="number">48</td>' in page
    organisation_page = client.get("/organisationer/0099/").content.decode()
    assert PAGE in organisation_page


def test_settings_are_saved_from_the_form(client, kolada_world):
    w = kolada_world
    client.force_login(w.planner)
    response = client.post(PAGE, {"comparison": "lan"})
    assert response.status_code == 302
    saved = SyncSettings.objects.get(organisation=w.org)
    assert saved.comparison == "lan" and not saved.scheduled
    response = client.post(PAGE, {"comparison": "allt"})
    assert (
        response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    )
    assert SyncSettings.objects.get(organisation=w.org).comparison == "lan"


# The worker closes the connection when done: committed data, not a rolled-back test.
@pytest.mark.django_db(transaction=True)
def test_synka_nu_leads_to_the_job_page(client, kolada_world):
    w = kolada_world
    client.force_login(w.planner)
    response = client.post(PAGE + "starta/", {"full": "on"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    run_queued_jobs()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nya värden" in page and "48" in page and "Region Annan" in page


def test_others_may_not_see_or_start_the_sync(client, kolada_world):
    assert client.get(PAGE).status_code == 302  # to the login page
    reader = user_with_role("kolada-lasare", "lasare", "styrelsen")
    client.force_login(reader)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE + "starta/").status_code == 403
    assert client.post(PAGE, {"comparison": "ingen"}).status_code == 403
    assert "/kolada/" not in client.get("/organisationer/0099/").content.decode()
    assert not Job.objects.exists() and not SyncSettings.objects.exists()
    client.force_login(kolada_world.planner)
    assert client.get("/kolada/0042/synk/").status_code == 404


def test_values_reach_the_indicator_page(client, kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    page = client.get(w.trust.get_absolute_url()).content.decode()
    assert "Riket 2023: 73,1\xa0%" in page  # 23 + 50.1 for Riket (0000)
    compared = client.get(f"{w.trust.get_absolute_url()}jamfor/2023/").content.decode()
    assert "Region Test" in compared and "74,1" in compared  # 23.99 + 50.1


def test_the_definition_page_links_the_sync_to_those_who_may_sync(client, kolada_world):
    w = kolada_world
    url = w.trust.get_absolute_url()
    assert "/synk/" not in client.get(url).content.decode()  # the public
    client.force_login(user_with_role("kolada-lasare-2", "lasare", "styrelsen"))
    assert "/synk/" not in client.get(url).content.decode()
    client.force_login(w.planner)
    page = client.get(url).content.decode()
    assert f'<a href="{PAGE}">Synka Region Test från Kolada</a>' in page
    assert "/kolada/0098/synk/" not in page  # Region Annan: no right there
    superuser = get_user_model().objects.create_superuser("kolada-rot", password="x-test-pass-1")
    client.force_login(superuser)
    page = client.get(url).content.decode()
    assert PAGE in page and "/kolada/0098/synk/" in page
    assert "/kolada/0001/synk/" not in page  # Region Stockholm has no units in Uppsikt


@pytest.mark.django_db(transaction=True)
def test_a_sync_with_nothing_new_says_so_on_the_job_page(client, kolada_world):
    w = kolada_world
    run_sync(w.org, actor=w.planner)
    client.force_login(w.planner)
    client.post(PAGE + "starta/")
    run_queued_jobs()
    page = client.get(Job.objects.get().get_absolute_url()).content.decode()
    assert "Kolada hade inga nya eller ändrade värden sedan" in page
    assert "inget ändrades i Uppsikt" in page
