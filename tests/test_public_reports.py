"""Approved reports are public; reports under work, submitted or returned never are."""

import pytest
from django.urls import reverse

from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.followup.models import UnitReport
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .test_pages import text_of

pytestmark = pytest.mark.django_db


def page_url(setting, unit=None) -> str:
    unit = unit or setting.unit
    return reverse("reports:page", args=["0099", setting.period.slug, unit.slug])


def approve(setting, unit=None):
    unit = unit or setting.unit
    submit_report(unit, setting.period, actor=user_with_role("lamnare", "planerare"))
    approve_report(unit, setting.period, actor=user_with_role("granskare", "granskare"))


def test_a_report_is_not_public_until_approved(client, completed_followup_setting):
    response = client.get(page_url(completed_followup_setting))
    assert response.status_code == 302  # to the login page, as before
    assert "Delårsrapport 2023" not in text_of(client.get(reverse("reports:published")))
    submit_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("lamnare", "planerare"),
    )
    assert client.get(page_url(completed_followup_setting)).status_code == 302
    client.force_login(user_with_role("allmanhet", None))  # signed in, no role: the public
    assert client.get(page_url(completed_followup_setting)).status_code == 404


def test_an_approved_report_is_listed_and_readable_by_anyone(client, completed_followup_setting):
    approve(completed_followup_setting)
    listing = text_of(client.get(reverse("reports:published")))
    assert "Delårsrapport 2023: Regionstyrelsen" in listing
    assert "per 31 juli 2023" in listing
    home = client.get(reverse("portal:home")).content.decode()
    assert page_url(completed_followup_setting) in home
    assert reverse("reports:published") in home
    response = client.get(page_url(completed_followup_setting))
    assert response.status_code == 200
    page = text_of(response)
    assert "Kommentar om" in page
    assert "Skapa PDF" not in page  # files are made by signed-in readers only
    assert (
        client.post(
            reverse(
                "reports:generate",
                args=["0099", completed_followup_setting.period.slug, "styrelsen"],
            ),
            {"format": "html"},
        ).status_code
        == 302
    )  # to the login page


def test_a_returned_report_stays_public_as_its_approved_version(client, completed_followup_setting):
    approve(completed_followup_setting)
    return_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("g2", "granskare"),
        comment="Fel.",
    )
    page = text_of(client.get(page_url(completed_followup_setting)))
    assert "En reviderad version av rapporten är under arbete" in page
    assert "Regionstyrelsen" in text_of(client.get(reverse("reports:published")))
    # tests/test_report_versions.py follows the whole cycle


def test_the_public_version_leaves_out_units_whose_report_is_not_approved(
    client, completed_followup_setting
):
    # Fullmäktige has nothing of its own to follow up: its approval is set up directly.
    UnitReport.objects.create(
        unit=completed_followup_setting.board,
        period=completed_followup_setting.period,
        state=UnitReport.State.GODKAND,
    )
    page = text_of(
        client.get(page_url(completed_followup_setting, completed_followup_setting.board))
    )
    assert "Regionstyrelsen" not in page
    assert "Kommentar om" not in page
    approve(completed_followup_setting)
    page = text_of(
        client.get(page_url(completed_followup_setting, completed_followup_setting.board))
    )
    assert "Kommentar om" in page


def test_periodrapporter_are_never_public(client, completed_followup_setting):
    ReportingPeriod.objects.filter(pk=completed_followup_setting.period.pk).update(
        kind=ReportingPeriod.Kind.PERIODRAPPORT
    )
    approve(completed_followup_setting)
    assert client.get(page_url(completed_followup_setting)).status_code == 302
    assert "Regionstyrelsen" not in text_of(client.get(reverse("reports:published")))


# -- an approved report is frozen (issue 6.3/7.2) ---------------------------------------


def _reforecast(setting, amount: str) -> None:
    """A later import of the Hälsoval forecast the report shows (2023-06)."""
    from decimal import Decimal

    from uppsikt.budget.models import Figure

    changed = Figure.objects.filter(
        row__table=setting.table, row__label="Hälsoval", kind="prognos", period="2023-06"
    ).update(amount=Decimal(amount))
    assert changed == 1


def _digits(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")


def test_an_approved_report_does_not_change_when_its_figures_do(client, completed_followup_setting):
    approve(completed_followup_setting)
    before = _digits(text_of(client.get(page_url(completed_followup_setting))))
    assert "-2 050" in before
    _reforecast(completed_followup_setting, "-1999000000")
    after = _digits(text_of(client.get(page_url(completed_followup_setting))))
    assert "-2 050" in after and "-1 999" not in after
    # the public file is the approved version too
    url = reverse(
        "reports:download",
        args=["0099", completed_followup_setting.period.slug, "styrelsen", "html"],
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    html = _digits(response.content.decode())
    assert "-2 050" in html and "-1 999" not in html
    # made once, then kept
    from uppsikt.reports.models import ApprovedReportFile

    assert ApprovedReportFile.objects.filter(fmt="html").count() == 1
    assert client.get(url).content == response.content


def test_staff_see_todays_data_with_a_warning_that_it_changed_since_approval(
    client, completed_followup_setting
):
    approve(completed_followup_setting)
    client.force_login(user_with_role("lasare", "lasare"))
    page = text_of(client.get(page_url(completed_followup_setting)))
    assert "har ändrats sedan rapporten godkändes" not in page
    _reforecast(completed_followup_setting, "-1999000000")
    page = _digits(text_of(client.get(page_url(completed_followup_setting))))
    assert "-1 999" in page
    assert "Uppgifterna har ändrats sedan rapporten godkändes" in page
    # every generated format carries it (the CLI and the background job use the same build)
    from uppsikt.reports.build import build_report

    _name, _type, data = build_report(
        completed_followup_setting.unit, completed_followup_setting.period, "html"
    )
    assert "har ändrats sedan rapporten godkändes" in data.decode()


def test_a_new_approval_freezes_the_new_figures(client, completed_followup_setting):
    approve(completed_followup_setting)
    _reforecast(completed_followup_setting, "-1999000000")
    return_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("g2", "granskare"),
        comment="Nya tal.",
    )
    submit_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("l2", "planerare"),
    )
    approve_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("g3", "granskare"),
    )
    page = _digits(text_of(client.get(page_url(completed_followup_setting))))
    assert "-1 999" in page and "-2 050" not in page


def test_the_public_can_download_an_approved_reports_pdf(client, completed_followup_setting):
    url = reverse(
        "reports:download",
        args=["0099", completed_followup_setting.period.slug, "styrelsen", "pdf"],
    )
    assert client.get(url).status_code == 404  # not approved yet
    approve(completed_followup_setting)
    page = client.get(page_url(completed_followup_setting)).content.decode()
    version_url = reverse(
        "reports:version_download",
        args=["0099", completed_followup_setting.period.slug, "styrelsen", 1, "pdf"],
    )
    assert version_url in page  # the page offers the version's own, lasting URL
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    unknown = reverse(
        "reports:download",
        args=["0099", completed_followup_setting.period.slug, "styrelsen", "exe"],
    )
    assert client.get(unknown).status_code == 404
