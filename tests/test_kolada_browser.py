"""The Kolada sync page in Debian's Chromium with axe-core: settings, "Synka nu", the job's
result and the list of runs, without JavaScript needed (plain forms)."""

import pytest
from playwright.sync_api import expect

from .a11y import assert_accessible
from .builders import run_queued_jobs
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sync_page_passes_axe_through_a_sync(kolada_world, live_server, page):
    sign_in(page, live_server.url, "kolada-planerare")
    page.goto(live_server.url + "/organisationer/0099/")
    page.get_by_role("link", name="Synka värden från Kolada").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Kolada-synk för Region Test", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_label("Jämför med").select_option(label="Inga jämförelseorganisationer")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara inställningarna").click()
    assert "är sparade" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Synka nu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Kolada-synk för Region Test", use_inner_text=True
    )
    run_queued_jobs()
    page.reload()
    page.get_by_text("Nya värden").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Tillbaka till Kolada-synken").click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
