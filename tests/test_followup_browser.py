"""Follow-up and report pages in Debian's Chromium: axe-core, the form without errors and with,
and a PDF generated from the report page with visible progress."""

import pytest
from playwright.sync_api import expect

from uppsikt.jobs.models import Job

from .a11y import assert_accessible
from .builders import run_queued_jobs, user_with_role
from .control_setup import own_risk
from .followup_setup import complete, small_setting
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BASE = "/uppfoljning/0099/2023-delarsrapport/"


def login(page, live_server, username: str, role: str | None) -> None:
    user_with_role(username, role)
    sign_in(page, live_server.url, username)


def test_every_follow_up_page_passes_axe(live_server, page):
    setting = small_setting()
    complete(setting)
    own_risk(setting.unit, score=(2, 3))  # an åtgärd in the form and the report's section
    login(page, live_server, "admin", "administrator")
    for path in (
        "/uppfoljning/",
        "/uppfoljning/0099/",
        BASE,
        BASE + "styrelsen/",
        "/rapporter/0099/2023-delarsrapport/styrelsen/",
        "/rapporter/0099/mall/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "sv"
        if "styrelsen/" in path:
            assert "Uppföljning enligt rutin." in page.content(), path
        assert_accessible(page)


def test_an_approved_reports_public_page_with_its_downloads_passes_axe(live_server, page):
    from uppsikt.followup.actions.reports import approve_report, submit_report

    setting = small_setting()
    complete(setting)
    submit_report(setting.unit, setting.period, actor=user_with_role("lamnare", "planerare"))
    approve_report(setting.unit, setting.period, actor=user_with_role("granskare", "granskare"))
    response = page.goto(live_server.url + "/rapporter/0099/2023-delarsrapport/styrelsen/")
    assert response.status == 200
    assert page.get_by_role("link", name="PDF").count() == 1
    assert_accessible(page)


def test_the_form_shows_its_errors_accessibly_and_saves_after_correction(live_server, page):
    setting = small_setting()
    login(page, live_server, "planerare", "planerare")
    page.goto(live_server.url + BASE + "styrelsen/")
    goal = page.locator(f"#goal-{setting.goals[0].pk}")
    goal.get_by_label("Status").select_option(label="Uppfyllt")
    page.get_by_role("button", name="Spara uppföljningen").click()
    alert = page.get_by_role("alert")
    assert "motivera den i kommentaren" in alert.inner_text()
    assert_accessible(page)
    alert.get_by_role("link").first.click()
    goal = page.locator(f"#goal-{setting.goals[0].pk}")
    goal.get_by_label("Kommentar").fill("Målet nås enligt uppföljningen i juni.")
    goal.get_by_label("Klar").check()
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Uppföljningen är sparad.", use_inner_text=True
    )
    assert "Klar" in page.locator(f"#goal-{setting.goals[0].pk} .fu-meta").inner_text()


def test_the_report_page_generates_the_pdf_with_visible_progress(live_server, page):
    setting = small_setting()
    complete(setting)
    login(page, live_server, "planerare", "planerare")
    page.goto(live_server.url + "/rapporter/0099/2023-delarsrapport/styrelsen/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Delårsrapport 2023: Regionstyrelsen"
    )
    page.get_by_role("button", name="Skapa PDF").click()
    page.wait_for_url("**/jobb/**")
    progress = page.get_by_role("status").filter(has=page.locator("progress"))
    expect(progress).to_be_visible()
    assert_accessible(page)
    run_queued_jobs()
    download_link = page.get_by_role("link", name="Ladda ned 2023-delarsrapport-styrelsen.pdf")
    download_link.wait_for(timeout=15_000)  # the page polls and reloads when the job is done
    assert Job.objects.get().status == Job.Status.DONE
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert_accessible(page)
