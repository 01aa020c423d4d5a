"""The page Styrmodell in Debian's Chromium: axe-core on the form, on its refusal and on the
confirmation step; a colour picked in the picker is what is saved."""

import pytest

from uppsikt.governance import usage, words
from uppsikt.organisations.models import Organisation

from .a11y import assert_accessible
from .builders import load_minimal, user_with_role
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as_administrator(page, live_server):
    page.set_default_timeout(60_000)  # the machine may be busy
    user_with_role("orgadmin", "administrator", password="x-test-pass-1")
    sign_in(page, live_server.url, "orgadmin")
    page.get_by_role("button", name="Logga ut", exact=False).wait_for()


def test_the_styrmodell_page_passes_axe_in_every_state(live_server, page):
    load_minimal(goal_count=2)
    organisation = Organisation.objects.get(code="0099")
    sign_in_as_administrator(page, live_server)
    page.goto(live_server.url + organisation.get_absolute_url())
    page.get_by_role("link", name="Ändra styrmodellen").click()
    page.get_by_role("heading", level=1, name="Styrmodell").wait_for()
    assert_accessible(page)

    # A colour below 4.5:1 typed as text: refused, the ratio named, the page still accessible.
    page.locator("#id_steg-0-colour").fill("#9ccc65")
    page.get_by_role("button", name="Spara styrmodellen").click()
    alert = page.get_by_role("alert")
    assert "1,87:1" in alert.inner_text()
    assert_accessible(page)

    # The picker: its colour wins when the text was left as it was shown.
    page.locator("#id_steg-0-colour_picker").fill("#1b5e20")
    page.locator("#id_niva-0-key").fill("inriktning")
    page.locator("#id_niva-0-name").fill("Inriktningsmål")
    page.get_by_role("button", name="Spara styrmodellen").click()
    page.get_by_role("heading", level=1, name="Bekräfta", exact=False).wait_for()
    assert "2 mål" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Flytta Effektmål till").select_option("inriktning")
    page.get_by_role("button", name="Spara styrmodellen och flytta").click()
    assert "Styrmodellen är sparad." in page.inner_text("main")
    assert_accessible(page)
    model = words.styrmodell_for(organisation.pk)
    assert model.steps[0].colour == "#1b5e20"
    assert model.goal_kind_label("inriktning") == "Inriktningsmål"
    assert usage.users(usage.LEVELS)
