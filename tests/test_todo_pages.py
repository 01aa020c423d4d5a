"""Att göra as pages: the start page for signed-in people, /att-gora/ with its groups and
filter (a plain GET form), the empty state; and in Chromium: axe and the keyboard."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from uppsikt.followup.actions.reports import submit_report
from uppsikt.plans.actions.authoring import send_for_review
from uppsikt.plans.models import Plan

from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import complete, small_setting
from .signin import sign_in

FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


def late_setting():
    """Styrelsen's delårsrapport three days past its deadline, a draft plan 2024 sent for
    beredning, and a planerare of styrelsen who has both to do."""
    setting = small_setting()
    today = timezone.localdate()
    setting.period.report_by = today - datetime.timedelta(days=3)
    setting.period.save()
    planner = user_with_role("planerare", "planerare", setting.unit)
    draft = Plan.objects.create(unit=setting.unit, year=today.year + 1, title="Plan nästa år")
    send_for_review(draft, actor=planner)
    return setting, planner, draft


@pytest.mark.django_db
def test_the_start_page_shows_the_signed_in_persons_tasks_first(client):
    setting, planner, draft = late_setting()
    anonymous = client.get("/").content.decode()
    assert "Att göra" not in anonymous.split("<main", 1)[1]
    client.force_login(planner)
    page = client.get("/").content.decode()
    main = page.split("<main", 1)[1]
    assert main.index('id="todo-heading"') < main.index('id="plans-heading"')
    assert "<h1" in main and main.count("<h1") == 1
    late, undated = main.index(f'href="{FORM}"'), main.index(f'href="/planer/{draft.pk}/besluta/"')
    assert late < undated  # overdue first
    assert "Försenad" in main[:undated]
    deadline = setting.period.report_by
    assert f'datetime="{deadline.isoformat()}"' in main
    assert "3 dagar sedan" in main
    assert "Regionstyrelsen" in main
    assert 'href="/att-gora/"' in main


@pytest.mark.django_db
def test_the_start_page_says_when_there_is_nothing_to_do(client):
    small_setting()
    client.force_login(user_with_role("lasare", "lasare"))
    main = client.get("/").content.decode().split("<main", 1)[1]
    assert "Du har inget att göra just nu" in main


@pytest.mark.django_db
def test_the_full_page_groups_by_kind_and_filters_without_javascript(client):
    _setting, planner, draft = late_setting()
    assert client.get("/att-gora/").status_code == 302  # sign in first
    client.force_login(planner)
    page = client.get("/att-gora/").content.decode()
    assert re.search(r'<h2 id="todo-write">Skriva uppföljning', page)
    assert re.search(r'<h2 id="todo-decide">Plan att besluta', page)
    assert '<form method="get" action="/att-gora/"' in page
    assert "<script" not in page.split("<main", 1)[1]
    only_decide = client.get("/att-gora/", {"typ": "decide"}).content.decode()
    assert f"/planer/{draft.pk}/besluta/" in only_decide and FORM not in only_decide
    assert "1 uppgift visas." in only_decide
    late = client.get("/att-gora/", {"forsenade": "1"}).content.decode()
    assert FORM in late and f"/planer/{draft.pk}/besluta/" not in late
    bogus = client.get("/att-gora/", {"typ": "<script>"})
    assert bogus.status_code == 200 and "<script>" not in bogus.content.decode()


@pytest.mark.django_db
def test_the_full_page_says_when_there_is_nothing_to_do(client):
    client.force_login(user_with_role("ingen", None))
    page = client.get("/att-gora/").content.decode()
    assert "Du har inget att göra just nu" in page


@pytest.mark.django_db
def test_another_units_rapportor_sees_none_of_them(client):
    setting, _planner, draft = late_setting()
    from uppsikt.organisations.models import Unit

    other = Unit.objects.create(
        organisation=setting.unit.organisation,
        parent=setting.unit.parent,
        slug="namnd",
        name="Nämnden",
        kind="namnd",
    )
    client.force_login(user_with_role("annan", "rapportor", other))
    page = client.get("/att-gora/").content.decode()
    assert FORM not in page and f"/planer/{draft.pk}/besluta/" not in page
    assert "Du har inget att göra just nu" in page


def test_after_sign_in_the_person_lands_on_the_start_page(settings):
    assert settings.LOGIN_REDIRECT_URL == "portal:home"


def _sign_in(page, live_server, username: str) -> None:
    sign_in(page, live_server.url, username)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_att_gora_passes_axe_and_a_task_is_reached_by_keyboard(live_server, page):
    setting, planner, _draft = late_setting()
    reviewer = user_with_role("granskare", "granskare", setting.unit.parent)
    _sign_in(page, live_server, "planerare")
    assert page.url == live_server.url + "/"  # the start page, with the tasks first
    assert page.get_by_role("heading", name="Att göra", level=1).count() == 1
    assert_accessible(page)
    page.goto(live_server.url + "/att-gora/")
    assert_accessible(page)
    page.goto(live_server.url + "/att-gora/?forsenade=1")
    assert_accessible(page)
    # Keyboard only: tab from the top of the page to the task's link and follow it.
    page.goto(live_server.url + "/att-gora/")
    for _step in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == FORM:
            break
    else:
        pytest.fail("the task's link was not reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + FORM)
    assert page.get_by_role("button", name="Spara uppföljningen").count() >= 1
    # A reviewer's page, and nothing to do at all.
    complete(setting)
    submit_report(setting.unit, setting.period, actor=planner)
    page.context.clear_cookies()
    _sign_in(page, live_server, "granskare")
    page.goto(live_server.url + "/att-gora/")
    assert "Granska rapporten" in page.content()
    assert reviewer.username in page.content()  # signed in as the reviewer
    assert_accessible(page)
