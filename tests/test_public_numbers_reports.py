"""The public site's reports page (``public:reports``): approved reports only, with every
approved version and its files at the reports app's public URLs, and the note while a
revision is under way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.organisations.models import Organisation

from .builders import user_with_role
from .test_pages import text_of

pytestmark = pytest.mark.django_db

TITLE = "Delårsrapport 2023: Regionstyrelsen"


def reports_page(client, code: str = "0099"):
    return client.get(reverse("public:reports", args=[code]))


def approve(setting, *, suffix: str = ""):
    submit_report(setting.unit, setting.period, actor=user_with_role(f"lamnare{suffix}"))
    approve_report(
        setting.unit, setting.period, actor=user_with_role(f"granskare{suffix}", "granskare")
    )


def test_a_report_not_yet_approved_is_not_listed(client, completed_followup_setting):
    setting = completed_followup_setting
    assert TITLE not in text_of(reports_page(client))
    submit_report(setting.unit, setting.period, actor=user_with_role("lamnare"))
    page = text_of(reports_page(client))
    assert TITLE not in page
    assert "Det finns ännu ingen godkänd rapport." in page


def test_an_approved_report_with_its_versions_and_files(client, completed_followup_setting):
    setting = completed_followup_setting
    approve(setting)
    response = reports_page(client)
    page = text_of(response)
    html = response.content.decode()
    assert TITLE in page
    args = ["0099", setting.period.slug, setting.unit.slug]
    assert f'href="{reverse("reports:page", args=args)}"' in html
    assert f'href="{reverse("reports:version", args=[*args, 1])}"' in html
    download = reverse("reports:version_download", args=[*args, 1, "pdf"])
    assert f'href="{download}"' in html
    assert "Version 1 (gällande)" in page
    assert "under arbete" not in page
    assert client.get(download).status_code == 200


def test_a_returned_report_shows_its_last_approved_version_and_the_note(
    client, completed_followup_setting
):
    setting = completed_followup_setting
    approve(setting)
    return_report(
        setting.unit, setting.period, actor=user_with_role("g2", "granskare"), comment="Fel."
    )
    page = text_of(reports_page(client))
    assert TITLE in page
    assert "En reviderad version av rapporten är under arbete" in page
    assert "Version 1 (senast godkänd)" in page


def test_an_earlier_version_stays_listed(client, completed_followup_setting):
    setting = completed_followup_setting
    approve(setting)
    return_report(
        setting.unit, setting.period, actor=user_with_role("g2", "granskare"), comment="Fel."
    )
    approve(setting, suffix="-2")
    page = text_of(reports_page(client))
    assert "Version 2 (gällande)" in page
    assert "Version 1 (tidigare)" in page
    assert "under arbete" not in page


def test_another_organisations_page_never_lists_the_report(client, completed_followup_setting):
    approve(completed_followup_setting)
    Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    response = reports_page(client, "0098")
    assert response.status_code == 200
    assert TITLE not in text_of(response)
