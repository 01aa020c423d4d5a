"""Values by hand in Debian's Chromium: the follow-up form with its value fields, an error
and the saved, preliminary values pass axe-core (issue 14.8)."""

import pytest
from playwright.sync_api import expect

from uppsikt.indicators.models import Measurement

from .a11y import assert_accessible
from .manual_setup import manual_setting
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def test_a_reporter_enters_values_by_hand_in_the_browser(live_server, page):
    setting = manual_setting()
    sign_in(page, live_server.url, "rapportor")
    page.goto(live_server.url + FORM)
    assert_accessible(page)
    goal = page.locator(f"#goal-{setting.goal.pk}")
    goal.get_by_label("Värde totalt, Andel utbildade medarbetare").fill("85.5")
    page.get_by_role("button", name="Spara uppföljningen").click()
    alert = page.get_by_role("alert")
    assert "Värde totalt:" in alert.inner_text()
    assert_accessible(page)
    goal = page.locator(f"#goal-{setting.goal.pk}")
    goal.get_by_label("Värde totalt, Andel utbildade medarbetare").fill("85,5")
    goal.get_by_label("Helårsprognos, Andel utbildade medarbetare").fill("90")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Uppföljningen är sparad.", use_inner_text=True
    )
    assert "(preliminärt)" in page.locator(f"#goal-{setting.goal.pk}").inner_text()
    assert Measurement.objects.get(definition__key="utbildade").status == "preliminar"
    # Prognos mot målet beside the proposal, apart from it (outlook.py).
    assert (
        "Prognos mot målet vid årets slut" in page.locator(f"#goal-{setting.goal.pk}").inner_text()
    )
    assert_accessible(page)
    page.goto(live_server.url + f"/indikatorer/{setting.share.definition_id}/")
    assert "(preliminärt)" in page.content()
    assert_accessible(page)
