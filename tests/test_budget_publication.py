"""Issue 7.1: the public sees a year's forecasts and outcomes only up to the latest reviewed
period (closed, or the unit's report approved); roles on the unit see every figure."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.budget.models import BudgetRow, Series
from uppsikt.budget.publication import is_public
from uppsikt.followup.actions.reports import approve_report, submit_report
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .test_pages import text_of

JUNE = "Prognos 2023 (per 2023-06)"
OCTOBER = "Prognos 2023 (per 2023-10)"


class _Table:
    year = 2023


@given(
    st.sampled_from(["prognos", "utfall"]),
    st.integers(2021, 2025),
    st.integers(1, 12),
    st.one_of(st.none(), st.dates(datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))),
)
def test_a_follow_up_figure_is_public_only_once_its_month_is_reviewed(kind, year, month, until):
    series = Series.build(kind, year, f"{year}-{month:02d}")
    shown = is_public(series, _Table(), until)
    if year < 2023:  # an earlier year's figure is part of the decided plan
        assert shown
    elif until is None:
        assert not shown
    else:
        month_end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)
        assert shown == (month_end <= until)


def test_budgets_are_always_public():
    for kind in ("budget", "reviderad"):
        assert is_public(Series.build(kind, 2023, ""), _Table(), None)


pytestmark = pytest.mark.django_db


def _pages(client, setting) -> tuple[str, str, bytes]:
    table = setting.table
    row = BudgetRow.objects.get(table=table, label="Hälsoval")
    page = text_of(client.get(reverse("budget:table", args=[table.pk]) + "?visa=alla"))
    row_page = text_of(client.get(reverse("budget:row", args=[row.pk]) + "?visa=alla"))
    xlsx = client.get(reverse("budget:table_xlsx", args=[table.pk]) + "?visa=alla")
    assert xlsx.status_code == 200
    return page, row_page, xlsx.content


def _xlsx_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return " ".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )


@pytest.mark.parametrize("caller", ["anonym", "allmanhet"])
def test_the_public_sees_forecasts_only_of_reviewed_periods(
    client, completed_followup_setting, caller
):
    if caller == "allmanhet":
        client.force_login(user_with_role("allmanhet", None))
    page, row_page, xlsx = _pages(client, completed_followup_setting)
    assert "Budget 2023" in page
    for text in (page, row_page, _xlsx_text(xlsx)):
        assert JUNE not in text and OCTOBER not in text
    submit_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("l", "planerare"),
    )
    approve_report(
        completed_followup_setting.unit,
        completed_followup_setting.period,
        actor=user_with_role("g", "granskare"),
    )
    page, row_page, xlsx = _pages(client, completed_followup_setting)
    for text in (page, row_page, _xlsx_text(xlsx)):
        assert JUNE in text and OCTOBER not in text


def test_a_closed_period_publishes_its_figures_too(client, completed_followup_setting):
    ReportingPeriod.objects.filter(pk=completed_followup_setting.period.pk).update(
        status=ReportingPeriod.Status.CLOSED
    )
    page, _row, _xlsx = _pages(client, completed_followup_setting)
    assert JUNE in page and OCTOBER not in page


@pytest.mark.parametrize("role", ["lasare", "planerare", "granskare"])
def test_roles_on_the_unit_see_every_figure(client, completed_followup_setting, role):
    client.force_login(user_with_role("inne", role, completed_followup_setting.unit))
    page, row_page, xlsx = _pages(client, completed_followup_setting)
    for text in (page, row_page, _xlsx_text(xlsx)):
        assert JUNE in text and OCTOBER in text
