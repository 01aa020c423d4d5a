"""The Kolada sync page in Debian's Chromium with axe-core: settings, "Synka nu", the job's
result and the list of runs, without JavaScript needed (plain forms)."""

import pytest

from .a11y import assert_accessible
from .builders import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sync_page_passes_axe_through_a_sync(kolada_world, live_server, page):
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("kolada-planerare")
    page.get_by_label("Lösenord").fill("x-test-pass-1")
    page.get_by_role("button", name="Logga in").click()
    page.goto(live_server.url + "/organisationer/0099/")
    page.get_by_role("link", name="Synka värden från Kolada").click()
    assert "Kolada-synk för Region Test" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    page.get_by_label("Jämför med").select_option(label="Inga jämförelseorganisationer")
    page.get_by_role("button", name="Spara inställningarna").click()
    assert "är sparade" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Synka nu").click()
    assert "Kolada-synk för Region Test" in page.get_by_role("heading", level=1).inner_text()
    run_queued_jobs()
    page.reload()
    page.get_by_text("Nya värden").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Tillbaka till Kolada-synken").click()
    assert page.get_by_role("table").locator("tbody tr").count() == 1
    assert_accessible(page)
