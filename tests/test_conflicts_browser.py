"""Two people in two browsers on the same follow-up page (Debian's Chromium): the second is
shown the conflict with both texts kept, the page passes axe, and it is done by keyboard."""

import pytest
from playwright.sync_api import expect

from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp

from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import small_setting
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def _login(browser, live_server, username: str):
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, username)
    page.goto(live_server.url + FORM)
    return context, page


def _focus(page, selector: str, *, limit: int = 80) -> None:
    """Tab forward until ``selector`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_the_second_person_sees_the_conflict_with_both_texts(live_server, browser):
    setting = small_setting()
    anna = user_with_role("anna", "planerare")
    anna.first_name, anna.last_name = "Anna", "Ek"
    anna.save()
    user_with_role("bo", "planerare")
    # An entry with paragraphs that neither touches: it must not be written again.
    untouched = save_followup(
        setting.assignment, setting.period, actor=anna, comment="Första stycket.\n\nAndra."
    )
    first_context, first = _login(browser, live_server, "anna")
    second_context, second = _login(browser, live_server, "bo")
    try:
        activity = f"#activity-{setting.activity.pk}"
        first.locator(activity).get_by_label("Kommentar").fill("Annas text om aktiviteten.")
        first.get_by_role("button", name="Spara uppföljningen").click()
        expect(first.get_by_role("status").first).to_contain_text(
            "Uppföljningen är sparad.", use_inner_text=True
        )

        row = second.locator(activity)
        row.get_by_label("Kommentar").fill("Bos text om aktiviteten.")
        second.get_by_role("button", name="Spara uppföljningen").click()
        alert = second.get_by_role("alert")
        assert "har skrivits av någon annan sedan du öppnade sidan" in alert.inner_text()
        conflict = second.locator(f"{activity} .conflict")
        assert "Annas text om aktiviteten." in conflict.inner_text()
        assert "Anna Ek" in conflict.inner_text()
        assert row.get_by_label("Kommentar").input_value() == "Bos text om aktiviteten."
        assert_accessible(second)
        entry = FollowUp.objects.get(pk=_entry_of(setting.activity).pk)
        assert entry.comment == "<p>Annas text om aktiviteten.</p>"

        # By keyboard: from the error summary to the item, merge, save.
        alert.get_by_role("link").first.focus()
        second.keyboard.press("Enter")
        _focus(second, f"{activity} textarea")
        second.keyboard.press("Control+A")
        second.keyboard.type("Annas text om aktiviteten. Bos tillägg.")
        _focus(second, "button[type=submit].button")
        second.keyboard.press("Enter")
        expect(second.get_by_role("status").first).to_contain_text("Uppföljningen är sparad.")
        merged = _entry_of(setting.activity)
        assert merged.comment == "<p>Annas text om aktiviteten. Bos tillägg.</p>"
        assert FollowUp.objects.get(pk=untouched.pk).row_version == untouched.row_version
    finally:
        first_context.close()
        second_context.close()


def _entry_of(target):
    return FollowUp.objects.get(object_id=target.pk, content_type__model=target._meta.model_name)
