"""The residents' site in Chromium: every page passes axe-core, reads without JavaScript,
prints without its menus; the key figure page passes axe-core with a refused row too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from uppsikt.indicators.models import (
    Assessment,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from uppsikt.organisations.models import Organisation, Vision
from uppsikt.plans.models import Goal
from uppsikt.public.actions import save_key_figures

from .a11y import assert_accessible
from .builders import load_minimal
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _site() -> tuple[Organisation, Goal, object]:
    load_minimal(goal_count=2)
    organisation = Organisation.objects.get(code="0099")
    root = get_user_model().objects.create_superuser("rot", password="x-test-pass-1")
    Vision.objects.create(organisation=organisation, text="Ett gott liv för alla")
    goal = Goal.objects.get(number="1")
    definition = IndicatorDefinition.objects.create(
        key="andel-nojda", name="Andel nöjda invånare", unit="procent", by_gender=True
    )
    IndicatorTarget.objects.create(
        indicator=goal.indicators.first(),
        definition=definition,
        rule={"kind": "change", "direction": "increase"},
        rule_is_proposed=False,
    )
    for gender, value in (("T", "61.5"), ("K", "64.0"), ("M", "59.0")):
        Measurement.objects.create(
            definition=definition,
            organisation=organisation,
            period="2023",
            gender=gender,
            value=Decimal(value),
        )
    Assessment.objects.create(
        goal=goal,
        period="2023",
        proposed_status="delvis_uppfyllt",
        proposed_reason="1 av 2 bedömbara indikatorer är uppfyllda.",
        proposed_preliminary=False,
        indicator_results=[{"indicator": 1, "status": "uppfyllt"}],
        decided_status="delvis_uppfyllt",
    )
    save_key_figures(
        organisation,
        [{"heading": "En dag hos oss", "value": "1 023", "text": "personer besöker oss"}],
        actor=root,
    )
    return organisation, goal, root


def test_every_page_passes_axe_and_reads_without_javascript(live_server, page, browser):
    _organisation, goal, _root = _site()
    paths = ["/insyn/", "/insyn/0099/", "/insyn/0099/mal/", f"/insyn/0099/mal/{goal.pk}/"]
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(live_server.url + paths[1])
    expect(page.get_by_role("heading", name="Så går det för oss")).to_be_visible()
    expect(page.get_by_text("Delvis uppfyllt").first).to_be_visible()
    page.get_by_role("link", name="Se alla mål och hur det går för dem").click()
    page.get_by_role("link", name="Effektmål 1: Effektmål nummer 1").click()
    table = page.get_by_role("table", name="Indikatorerna och deras senaste värden")
    assert "64,0\u00a0%" in table.inner_text() and "59,0\u00a0%" in table.inner_text()
    page.emulate_media(media="print")
    expect(page.locator(".public-nav")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    quiet = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        plain = quiet.new_page()
        for path in paths:
            plain.goto(live_server.url + path)
            assert plain.locator("main h1").count() == 1
        plain.goto(live_server.url + paths[1])  # the key figures are on the home page
        assert "1 023" in plain.locator("main").inner_text().replace("\u00a0", " ")
    finally:
        quiet.close()


def test_the_key_figure_page_passes_axe_with_a_refused_row(live_server, page):
    _site()
    sign_in(page, live_server.url, "rot")
    page.goto(live_server.url + "/administration/organisationer/0099/nyckeltal/")
    assert_accessible(page)
    page.locator("#id_form-0-value").fill("många")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara nyckeltalen").click()
    assert "Rad 1, tal: ”många” är inte ett tal" in page.content()
    assert_accessible(page)
    page.locator("#id_form-0-value").fill("1 024")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara nyckeltalen").click()
    assert "Nyckeltalen för Region Test är sparade." in page.content()
    page.goto(live_server.url + "/insyn/0099/")
    assert "1 024" in page.locator("main").inner_text().replace("\u00a0", " ")
