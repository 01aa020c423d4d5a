"""Approved reports are public; reports under work, submitted or returned never are."""

import pytest
from django.urls import reverse

from uppsikt.followup.models import ReportingPeriod, UnitReport
from uppsikt.followup.workflow import approve_report, return_report, submit_report

from .builders import user_with_role
from .followup_setup import complete, small_setting
from .test_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    setting = small_setting()
    complete(setting)
    return setting


def page_url(setting, unit=None) -> str:
    unit = unit or setting.unit
    return reverse("reports:page", args=["0099", setting.period.slug, unit.slug])


def approve(setting, unit=None):
    unit = unit or setting.unit
    submit_report(unit, setting.period, actor=user_with_role("lamnare", "planerare"))
    approve_report(unit, setting.period, actor=user_with_role("granskare", "granskare"))


def test_a_report_is_not_public_until_approved(client, setting):
    response = client.get(page_url(setting))
    assert response.status_code == 302  # to the login page, as before
    assert "Delårsrapport 2023" not in text_of(client.get(reverse("reports:published")))
    submit_report(setting.unit, setting.period, actor=user_with_role("lamnare", "planerare"))
    assert client.get(page_url(setting)).status_code == 302
    client.force_login(user_with_role("allmanhet", None))  # signed in, no role: the public
    assert client.get(page_url(setting)).status_code == 404


def test_an_approved_report_is_listed_and_readable_by_anyone(client, setting):
    approve(setting)
    listing = text_of(client.get(reverse("reports:published")))
    assert "Delårsrapport 2023: Regionstyrelsen" in listing
    assert "per 31 juli 2023" in listing
    home = client.get(reverse("portal:home")).content.decode()
    assert page_url(setting) in home
    assert reverse("reports:published") in home
    response = client.get(page_url(setting))
    assert response.status_code == 200
    page = text_of(response)
    assert "Kommentar om" in page
    assert "Skapa PDF" not in page  # files are made by signed-in readers only
    assert (
        client.post(
            reverse("reports:generate", args=["0099", setting.period.slug, "styrelsen"]),
            {"format": "html"},
        ).status_code
        == 302
    )  # to the login page


def test_a_returned_report_stops_being_public(client, setting):
    approve(setting)
    return_report(
        setting.unit, setting.period, actor=user_with_role("g2", "granskare"), comment="Fel."
    )
    assert client.get(page_url(setting)).status_code == 302
    assert "Regionstyrelsen" not in text_of(client.get(reverse("reports:published")))


def test_the_public_version_leaves_out_units_whose_report_is_not_approved(client, setting):
    # Fullmäktige has nothing of its own to follow up: its approval is set up directly.
    UnitReport.objects.create(
        unit=setting.board, period=setting.period, state=UnitReport.State.GODKAND
    )
    page = text_of(client.get(page_url(setting, setting.board)))
    assert "Regionstyrelsen" not in page
    assert "Kommentar om" not in page
    approve(setting)
    page = text_of(client.get(page_url(setting, setting.board)))
    assert "Kommentar om" in page


def test_periodrapporter_are_never_public(client, setting):
    ReportingPeriod.objects.filter(pk=setting.period.pk).update(
        kind=ReportingPeriod.Kind.PERIODRAPPORT
    )
    approve(setting)
    assert client.get(page_url(setting)).status_code == 302
    assert "Regionstyrelsen" not in text_of(client.get(reverse("reports:published")))
