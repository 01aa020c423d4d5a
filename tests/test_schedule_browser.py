"""The årshjul and the "Sista dagar" page in Debian's Chromium: axe-core, keyboard, no JS."""

import datetime

import pytest
from playwright.sync_api import expect

from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.schedule.actions import create_milestone
from uppsikt.schedule.models import Milestone

from .a11y import assert_accessible
from .builders import load_minimal, user_with_role
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def _setting():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    ReportingPeriod.objects.create(
        organisation=organisation,
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=D(2023, 7, 31),
        report_by=D(2023, 8, 14),
        review_by=D(2023, 8, 21),
    )
    milestone = create_milestone(
        organisation,
        actor=admin,
        year=2023,
        date=D(2023, 4, 20),
        kind=Milestone.Kind.BUDGETDIREKTIV,
        title="Budgetdirektiv 2024",
        responsible=Unit.objects.get(slug="styrelsen"),
        description="Underlag, med komma; och semikolon",
        is_example=True,
    )
    return milestone


def _login(page, live_server, username):
    sign_in(page, live_server.url, username)


def test_the_arshjul_is_accessible_to_the_public_and_to_its_editors(live_server, page):
    milestone = _setting()
    response = page.goto(live_server.url + "/arshjul/0099/2023/")
    assert response.status == 200
    wheel = page.get_by_role("img", name="Årshjul 2023 för Region Test")
    assert wheel.count() == 1
    assert page.get_by_role("table").get_by_text("Budgetdirektiv 2024").count() == 1
    assert_accessible(page)
    _login(page, live_server, "admin")
    for path in (
        "/arshjul/0099/2023/",
        f"/arshjul/0099/2023/{milestone.pk}/andra/",
        "/uppfoljning/0099/2023-delarsrapport/sista-dagar/",
        "/uppfoljning/0099/",
        "/uppfoljning/0099/2023-delarsrapport/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_a_milestone_is_added_with_the_keyboard_and_errors_are_accessible(live_server, page):
    _setting()
    _login(page, live_server, "admin")
    page.goto(live_server.url + "/arshjul/0099/2023/")
    # The form's controls follow one another in tab order (a date input's own parts take
    # Tab in Chromium, so the date is filled in directly).
    page.get_by_label("Datum").fill("2024-02-01")
    page.get_by_label("Typ").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "title"
    page.keyboard.type("Workshop om årshjulet")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form
    assert page.get_by_text("Datum ska ligga inom året 2023").count() >= 1
    assert_accessible(page)
    page.get_by_label("Datum").fill("2023-10-02")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("rowheader", name="Workshop om årshjulet")).to_have_count(1)


def test_the_deadlines_form_refuses_a_late_unit_deadline_accessibly(live_server, page):
    _setting()
    _login(page, live_server, "admin")
    page.goto(live_server.url + "/uppfoljning/0099/2023-delarsrapport/sista-dagar/")
    page.locator("#enhet_unit").select_option(label="\u2003Regionstyrelsen")
    page.locator("#enhet_report_by").fill("2023-08-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara enhetens sista dagar").click()
    expect(
        page.get_by_text("kan inte vara senare än organisationens sista dag").first
    ).to_be_visible()
    assert_accessible(page)
