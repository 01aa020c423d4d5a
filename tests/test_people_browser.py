"""Invitations and claim mappings in Debian's Chromium: axe-core passes on every new page,
with and without form errors, and a person invited by e-mail takes the role by the link."""

import re

import pytest
from playwright.sync_api import expect

from uppsikt.accounts.models import RoleAssignment

from .a11y import assert_accessible
from .mailserver import text_of
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username)


def test_an_administrator_invites_and_the_person_accepts(
    live_server, page, two_regions_with_roles, mail_server, settings
):
    settings.SITE_URL = live_server.url
    world = two_regions_with_roles
    log_in(page, live_server, "administrator_inne")
    page.goto(live_server.url + "/konto/roller/")
    assert_accessible(page)
    page.get_by_label("E-postadress").fill("inte-en-adress")
    page.locator("#id_invite-unit").select_option(str(world.unit.pk))
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "giltig e-postadress", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_label("E-postadress").fill("ny@kommun.se")
    page.locator("#id_invite-unit").select_option(str(world.unit.pk))
    page.locator("#id_invite-role").select_option("rapportor")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("Återkalla inbjudan till ny@kommun.se")).to_be_visible()
    assert_accessible(page)

    link = re.search(r"(http://\S+/konto/inbjudan/\S+/)", text_of(mail_server.messages[0]))
    assert link
    page.context.clear_cookies()
    page.goto(link.group(1))
    expect(page.get_by_text(world.unit.name).first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill("ny")
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("kort")
    page.get_by_role("button", name="Skapa kontot och ta emot rollen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password1").fill("Lingon-och-blabar-2026")
    page.locator("#id_password2").fill("Lingon-och-blabar-2026")
    page.get_by_role("button", name="Skapa kontot och ta emot rollen").click()
    page.wait_for_url(lambda url: url.endswith("/konto/"))
    assert RoleAssignment.objects.filter(user__username="ny", role="rapportor").exists()
    page.goto(link.group(1))  # used: says so
    assert "redan använd" in page.content()
    assert_accessible(page)


def test_the_claim_mapping_page(live_server, page, two_regions_with_roles):
    log_in(page, live_server, "administrator_inne")
    page.goto(live_server.url + "/konto/roller/fran-inloggningen/")
    assert_accessible(page)
    page.get_by_label("Värde").fill("")
    page.get_by_role("button", name="Spara kopplingen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Värde").fill("controllers")
    page.get_by_label("Enhet").select_option(index=1)
    page.get_by_role("button", name="Spara kopplingen").click()
    expect(
        page.get_by_role("button", name="Ta bort kopplingen groups = controllers")
    ).to_be_visible()
    assert_accessible(page)
