"""The reminder choice and the period overview's coordinator tools in Debian's Chromium:
axe-core, the keyboard, and "Påminn" through a real SMTP server on loopback."""

import datetime

import pytest
from playwright.sync_api import expect

from uppsikt.tasks.actions import mode_of

from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import small_setting
from .signin import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str, role: str, unit=None):
    user = user_with_role(username, role, unit)
    user.first_name, user.email = username.capitalize(), f"{username}@example.se"
    user.save()
    sign_in_as(page, live_server.url, username)
    return user


def test_the_reminder_choice_passes_axe_and_works_by_keyboard(live_server, page):
    small_setting()
    rita = sign_in(page, live_server, "rita", "rapportor")
    page.goto(live_server.url + "/konto/")
    page.get_by_role("link", name="Påminnelser").click()
    expect(page.get_by_role("radio", name="Direkt, ett meddelande per påminnelse")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("radio", name="Direkt, ett meddelande per påminnelse").focus()
    page.keyboard.press("ArrowDown")  # the next choice in the group: daily
    expect(page.get_by_role("radio", name="En sammanställning per dag")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Spara"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Ditt val av påminnelser sparades." in page.content()
    assert mode_of(rita) == "daily"
    assert_accessible(page)


def test_the_overview_with_paminn_passes_axe_and_reminds(live_server, page, mail_server):
    setting = small_setting()
    setting.period.report_by = datetime.date(2023, 8, 31)
    setting.period.save()
    rita = user_with_role("rita", "rapportor", setting.unit)
    rita.first_name, rita.email = "Rita", "rita@example.se"
    rita.save()
    sign_in(page, live_server, "plan", "planerare")
    page.goto(live_server.url + f"/uppfoljning/0099/{setting.period.slug}/")
    assert page.get_by_text("Försenad").count() == 1
    assert page.get_by_role("cell", name="Rita").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Påminn alla som är sena").click()
    assert "rita@example.se" in page.content()
    assert [message["To"] for message in mail_server.messages] == ["rita@example.se"]
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned översikten (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
