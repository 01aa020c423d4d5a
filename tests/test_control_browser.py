"""The internal-control pages in Debian's Chromium: axe-core on every page (the heat map too),
forms with their errors, and a follow-up written with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from uppsikt.control.datafile import load_control_file
from uppsikt.control.demo import load_demo_control
from uppsikt.control.models import Deviation, Risk
from uppsikt.followup.models import FollowUp
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan

from .a11y import assert_accessible
from .builders import load_demo, user_with_role
from .control_setup import system
from .signin import sign_in
from .test_control_import import DEMO_FILE, row, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RS = "/internkontroll/0018/enhet/regionstyrelsen/2023/"


@pytest.fixture
def demo_with_control():
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    load_demo_control(system())


def login(page, live_server, username, role="planerare", unit=None, password="x-test-pass-1"):
    user_with_role(username, role, unit, password=password)
    page.context.clear_cookies()  # the login page sends a signed-in visitor onwards
    sign_in(page, live_server.url, username, password)


def test_public_pages_pass_axe(live_server, page, demo_with_control):
    risk = Risk.objects.get(text__startswith="Risken att redovisningen")
    plan = Plan.objects.get(unit__slug="regionstyrelsen", year=2023)
    for path in (
        RS,
        "/internkontroll/0018/2023/",
        "/internkontroll/0018/2023/risker/?niva=hog",
        risk.get_absolute_url(),
        "/internkontroll/0018/riskskala/",
        "/internkontroll/0018/2023/samlad-bedomning/",
        "/internkontroll/0018/enhet/regionstyrelsen/2023/isk/",
        plan.get_absolute_url(),
        "/organisationer/0018/regionstyrelsen/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(live_server.url + RS)
    heat_table = page.get_by_role("table", name="Antal risker per sannolikhet")
    assert heat_table.locator("th[scope=row]").first.inner_text() == "4 Mycket sannolik"
    assert page.locator("svg.heatmap__svg").get_attribute("role") == "img"
    page.get_by_role("link", name="Risken att redovisningen inte är rättvisande.").first.click()
    assert "Bedömningar år för år" in page.inner_text("main")


def test_staff_forms_pass_axe_including_their_errors(live_server, page, demo_with_control):
    login(page, live_server, "planerare", unit="regionstyrelsen")
    period = ReportingPeriod.objects.get(kind="delarsrapport")
    risk = Risk.objects.get(text__startswith="Risken att redovisningen")
    measure = risk.measures.get()
    for path in (
        RS,
        f"/internkontroll/0018/enhet/regionstyrelsen/uppfoljning/{period.pk}/",
        f"/internkontroll/atgard/{measure.pk}/uppfoljning/{period.pk}/regionstyrelsen/",
        f"/internkontroll/risk/{risk.pk}/",
        f"/internkontroll/risk/{risk.pk}/andra/",
        f"/internkontroll/atgard/{measure.pk}/andra/",
        "/internkontroll/0018/enhet/regionstyrelsen/2023/isk/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)

    page.goto(live_server.url + RS + "ny-risk/")
    page.get_by_role("group", name="Krav som hotas").get_by_label("d) Rättvisande").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Verksamhet: Detta fält måste fyllas i.", use_inner_text=True
    )
    assert_accessible(page)

    page.goto(live_server.url + RS + "importera/")
    assert_accessible(page)
    bad = workbook([row("HR", "Ny risk.", "", 7, 1)])
    page.get_by_label("XLSX-fil").set_input_files(
        files=[{"name": "plan.xlsx", "mimeType": "application/octet-stream", "buffer": bad}]
    )
    page.get_by_role("button", name="Läs in").click()
    alert = page.get_by_role("alert")
    assert "rad 4, kolumn D (Sannolikhet)" in alert.inner_text()
    assert_accessible(page)

    page.goto(live_server.url + f"/internkontroll/risk/{risk.pk}/bedom/")
    page.get_by_label("Sannolikhet").select_option("")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ange både sannolikhet och konsekvens", use_inner_text=True
    )
    assert_accessible(page)

    page.goto(live_server.url + "/internkontroll/0018/2023/samlad-bedomning/")
    page.get_by_label("Motivering").fill("")
    page.get_by_role("button", name="Bekräfta den samlade bedömningen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # waits for the answer, unlike is_visible
    assert_accessible(page)

    deviation = Deviation.objects.first()
    page.goto(live_server.url + f"/internkontroll/avvikelse/{deviation.pk}/")
    assert_accessible(page)

    login(page, live_server, "admin", role="administrator")
    page.goto(live_server.url + "/internkontroll/0018/riskskala/")
    page.get_by_label("Hög från riskvärde").fill("99")
    page.get_by_role("button", name="Spara riskskalan").click()
    expect(page.get_by_role("alert")).to_contain_text("Gränserna ska uppfylla", use_inner_text=True)
    assert_accessible(page)


def test_a_follow_up_is_written_without_javascript(live_server, browser, demo_with_control):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        login(page, live_server, "planerare", unit="regionstyrelsen")
        period = ReportingPeriod.objects.get(kind="delarsrapport")
        measure = Risk.objects.get(text__startswith="Risken att redovisningen").measures.get()
        page.goto(
            live_server.url
            + f"/internkontroll/atgard/{measure.pk}/uppfoljning/{period.pk}/regionstyrelsen/"
        )
        page.get_by_label("Status", exact=True).select_option(label="Ej genomförd")
        page.get_by_label("Kommentar", exact=True).fill("Utbildningen ställdes in.")
        page.get_by_role("button", name="Spara uppföljningen").click()
        assert "Uppföljningen är sparad." in page.inner_text("main")
        entry = FollowUp.objects.get(object_id=measure.pk, period=period)
        assert (entry.status, entry.is_example) == ("ej_genomford", False)
    finally:
        context.close()
