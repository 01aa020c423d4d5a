"""The attachment pages in Debian's Chromium: axe-core on the list, the upload form with and
without errors, and the removal's confirmation; plain forms, no JavaScript needed."""

import pytest
from playwright.sync_api import expect

from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import Attachment

from . import sample_files
from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import small_setting
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UNIT = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def test_upload_list_and_remove_pass_axe(live_server, page, tmp_path, media_in_tmp_path):
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    save_followup(setting.activity, setting.period, actor=planner, status="pagar", comment="Ok.")
    sign_in(page, live_server.url, "planerare")

    page.goto(live_server.url + UNIT)
    page.get_by_role("link", name="Lägg till eller ta bort bilagor").first.click()
    expect(page.get_by_role("heading", name="Bilagor", level=1)).to_be_visible()
    assert_accessible(page)

    exe = tmp_path / "rapport.pdf"
    exe.write_bytes(sample_files.EXE)
    page.get_by_label("Fil att bifoga").set_input_files(str(exe))
    page.get_by_role("button", name="Ladda upp").click()
    page.get_by_text("Filtypen tas inte emot").first.wait_for()  # the answer page has loaded
    assert_accessible(page)  # the error summary and the field's error

    protocol = tmp_path / "Protokoll.pdf"
    protocol.write_bytes(sample_files.pdf())
    page.get_by_label("Fil att bifoga").set_input_files(str(protocol))
    page.get_by_role("button", name="Ladda upp").click()
    expect(page.get_by_role("link", name="Protokoll.pdf", exact=True)).to_be_visible()
    assert_accessible(page)
    assert Attachment.objects.get().content_type == "application/pdf"

    page.goto(live_server.url + UNIT)
    expect(page.get_by_role("link", name="Protokoll.pdf", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Lägg till eller ta bort bilagor").first.click()
    page.get_by_role("link", name="Ta bort Protokoll.pdf").click()
    expect(page.get_by_role("heading", name="Ta bort bilagan?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ta bort bilagan").click()
    page.get_by_text("Inga filer är bifogade.").first.wait_for()  # the answer page has loaded
    assert not Attachment.objects.exists()
