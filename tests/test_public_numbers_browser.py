"""The public site's number pages in Chromium: each passes axe-core, reads without
JavaScript, and the chart stands beside its data table."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .a11y import assert_accessible
from .public_numbers_setup import build_numbers_world, review_july
from .test_public_numbers_reports import approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_indicators_trend_and_budget_pass_axe(live_server, page):
    numbers = build_numbers_world()
    review_july(numbers.world)
    code = numbers.code
    page.goto(live_server.url + reverse("public:indicators", args=[code]))
    assert_accessible(page)
    page.get_by_role("link", name="Indikator 1a ska öka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Andel nöjda invånare", use_inner_text=True
    )
    assert page.locator("svg.chart rect").count() > 0
    assert page.locator("table.data-table tbody tr").count() == 2  # 2022 and 2023
    assert_accessible(page)
    page.get_by_role("link", name="Ekonomi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vart går pengarna?", use_inner_text=True
    )
    assert page.locator("figure.r-chart svg").count() == 1
    assert_accessible(page)


def test_reports_page_reads_without_javascript(live_server, browser, completed_followup_setting):
    approve(completed_followup_setting)
    context = browser.new_context(java_script_enabled=False)
    try:
        quiet = context.new_page()
        quiet.goto(live_server.url + reverse("public:reports", args=["0099"]))
        assert quiet.get_by_role("link", name="Version 1", exact=True).count() == 1
    finally:
        context.close()


def test_reports_page_passes_axe(live_server, page, completed_followup_setting):
    approve(completed_followup_setting)
    page.goto(live_server.url + reverse("public:reports", args=["0099"]))
    assert page.get_by_role("link", name="Version 1", exact=True).count() == 1
    assert_accessible(page)
    page.goto(live_server.url + reverse("public:budget", args=["0099"]))
    assert_accessible(page)
