"""The review dialogue in Debian's Chromium: the unit page with the copy-forward box, the
report's and an entry's thread, and an earlier text compared with the current one, each
checked with axe-core; comments written with the keyboard through the plain forms."""

import pytest
from playwright.sync_api import expect

from uppsikt.followup.actions.entries import followup_for, save_followup
from uppsikt.followup.actions.reports import return_report, submit_report
from uppsikt.followup.revisions import earlier_texts

from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import complete, small_setting
from .test_followup_browser import login
from .test_followup_carry import later_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BASE = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def test_threads_and_the_compare_page_pass_axe_and_work_by_keyboard(live_server, page):
    setting = small_setting()
    planner = user_with_role("skrivare", "planerare")
    complete(setting, planner)
    save_followup(setting.activity, setting.period, actor=planner, comment="Nu omskriven text.")
    entry = followup_for(setting.activity, setting.period)
    submit_report(setting.unit, setting.period, actor=planner)
    return_report(
        setting.unit,
        setting.period,
        actor=user_with_role("g", "granskare"),
        comment="Motivera förseningen.",
    )
    login(page, live_server, "granskare", "granskare")
    page.goto(live_server.url + BASE)
    assert "Motivera förseningen." in page.locator("#rapportdialog").inner_text()
    assert_accessible(page)
    # The report's thread: write with the keyboard, send with Enter on the button.
    page.locator("#rapportdialog").get_by_role("textbox", name="Kommentar").fill(
        "Tack, se även målen."
    )
    page.locator("#rapportdialog").get_by_role("button", name="Spara kommentaren").press("Enter")
    page.wait_for_url(lambda url: url.endswith("#rapportdialog"))
    assert "Tack, se även målen." in page.locator("#rapportdialog").inner_text()
    # An entry's thread: an empty comment is refused accessibly, then one is saved.
    page.goto(live_server.url + f"{BASE}post/{entry.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Spara kommentaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv en kommentar.", use_inner_text=True)
    assert_accessible(page)
    page.get_by_role("textbox", name="Kommentar").fill("Varför blev det försenat?")
    page.get_by_role("button", name="Spara kommentaren").click()
    expect(page.locator("#dialog")).to_contain_text(
        "Varför blev det försenat?", use_inner_text=True
    )
    page.get_by_role("link", name="Jämför version 1 med nuvarande text").click()
    expect(page.locator("del.diff-del").first).to_be_visible()
    assert page.locator("ins.diff-ins").count() >= 1
    assert_accessible(page)
    assert earlier_texts(entry)[0].number == 1


def test_the_copy_forward_box_and_the_copied_mark_pass_axe(live_server, page):
    setting = small_setting()
    complete(setting, user_with_role("skrivare", "planerare"))
    later = later_period(setting)
    login(page, live_server, "planerare", "planerare")
    page.goto(live_server.url + f"/uppfoljning/0099/{later.slug}/styrelsen/")
    assert_accessible(page)
    page.get_by_role("button", name="Hämta texter från förra perioden").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "texter hämtades från förra perioden", use_inner_text=True
    )
    assert page.get_by_text("Kopierad från Delårsrapport 2023").count() == len(setting.targets)
    assert_accessible(page)
