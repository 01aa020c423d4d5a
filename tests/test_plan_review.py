"""Beredning before the decision: a draft sent for review, comment threads on the plan and
on its objects, the plan's history, and uppdrag given to another unit (issue 13)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.scope import in_scope
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.actions.authoring import (
    add_comment,
    create_plan,
    send_for_review,
    update_plan,
)
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.actions.parts import add_part, remove_part, update_part
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Assignment, Goal, Plan, PlanComment
from uppsikt.plans.views import review as review_views
from uppsikt.reports.build import build_document
from uppsikt.reports.document import Entry

from .a11y import assert_accessible
from .signin import sign_in

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    return " ".join(text.split())


@pytest.fixture
def world(two_regions_with_roles):
    return two_regions_with_roles


@pytest.fixture
def review_planner(client, world):
    user = world.user("planerare_inne")
    client.force_login(user)
    return user


def swedish_time(moment: datetime.datetime) -> str:
    """ "3 mars 2024 14:05", in Stockholm's time."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
MONTHS = MONTHS.split()


def comment_url(plan: Plan) -> str:
    return reverse("plans:comment", args=[plan.pk])


def review_url(plan: Plan) -> str:
    return reverse("plans:review", args=[plan.pk])


# -- sending for review ------------------------------------------------------------------------


def test_a_planner_sends_the_draft_for_review_once(client, world, review_planner):
    draft = world.draft
    review_planner.first_name, review_planner.last_name = "Anna", "Berg"
    review_planner.save()
    page = text_of(client.get(review_url(draft)))
    assert "inte skickad på beredning" in page
    assert "Skicka på beredning" in page

    response = client.post(review_url(draft), {"note": "Synpunkter senast 1 mars."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review_requested_at is not None
    event = AuditEvent.objects.get(action="plan.review")
    assert event.reason == "Synpunkter senast 1 mars."

    page = text_of(client.get(review_url(draft)))
    assert "På beredning sedan" in page
    assert "Skickad av Anna Berg." in page  # the person's name, not the user name
    assert "Synpunkter senast 1 mars." in page
    assert "Skicka på beredning" not in page  # no second sending

    sent_at = draft.review_requested_at
    again = client.post(review_url(draft), {"note": ""})
    assert again.status_code == 200
    assert "Planen är redan skickad på beredning." in text_of(again)
    draft.refresh_from_db()
    assert draft.review_requested_at == sent_at
    assert AuditEvent.objects.filter(action="plan.review").count() == 1


def test_only_planners_send_for_review(client, world):
    client.force_login(world.user("lasare_inne"))
    assert "Skicka på beredning" not in text_of(client.get(review_url(world.draft)))
    assert client.post(review_url(world.draft), {"note": ""}).status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.review_requested_at is None


# -- comments ----------------------------------------------------------------------------------


def test_reviewers_comment_on_the_plan_and_on_a_goal(client, world):
    reader = world.user("lasare_inne")
    client.force_login(reader)
    draft, goal = world.draft, world.draft_goal

    on_goal = client.post(comment_url(draft), {"om": f"goal:{goal.pk}", "body": "Mät det här?"})
    assert on_goal.status_code == 302
    assert on_goal["Location"].endswith(f"#trad-goal-{goal.pk}")
    on_plan = client.post(comment_url(draft), {"om": "", "body": "Bra utkast.\n\nEn fråga."})
    assert on_plan["Location"].endswith("#trad-planen")

    stored = list(PlanComment.objects.order_by("pk"))
    assert [(c.subject_type, c.subject_id, c.body) for c in stored] == [
        ("goal", goal.pk, "Mät det här?"),
        ("", None, "Bra utkast.\n\nEn fråga."),
    ]
    assert stored[0].author == reader
    assert AuditEvent.objects.filter(action="plan.comment").count() == 2

    html = client.get(review_url(draft)).content.decode()
    page = text_of(client.get(review_url(draft)))
    # The plan's thread first, then the goal's; each comment with author and Swedish time.
    assert page.index("Planen som helhet") < page.index(str(goal))
    assert page.count(reader.username) >= 2
    assert swedish_time(stored[0].created_at) in page
    assert "<p>Bra utkast.</p>" in html and "<p>En fråga.</p>" in html
    assert f'id="trad-goal-{goal.pk}"' in html


def test_a_comment_through_the_general_form_names_its_subject(client, world, review_planner):
    goal = world.draft_goal
    indicator = goal.indicators.get()
    page = client.get(review_url(world.draft)).content.decode()
    assert f'value="indicator:{indicator.pk}"' in page  # anything in the plan can be chosen
    response = client.post(
        comment_url(world.draft), {"ny": "1", "om": f"indicator:{indicator.pk}", "body": "Källa?"}
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert (comment.subject_type, comment.subject_id) == ("indicator", indicator.pk)


@pytest.mark.parametrize(
    "case",
    ["empty body", "too long", "decided plan", "object of another plan", "unknown object"],
)
def test_refused_comments_store_nothing_and_say_why(client, world, review_planner, case):
    plan, data = world.draft, {"om": "", "body": "En synpunkt."}
    if case == "empty body":
        data["body"] = "   "
        expected = "Kommentar: Skriv en kommentar."
    elif case == "too long":
        data["body"] = "x" * 5001
        expected = "Kommentar: Kommentaren får vara högst 5000 tecken."
    elif case == "decided plan":
        plan = world.decided
        expected = "Planen är beslutad och tar inte emot fler kommentarer."
    elif case == "object of another plan":
        data["om"] = f"goal:{world.goal.pk}"  # a goal of the decided plan
        expected = "Kommentaren måste gälla planen eller något i den."
    else:
        data["om"] = "goal:999999"
        expected = "Det du vill kommentera finns inte längre i planen."
    events = AuditEvent.objects.count()
    response = client.post(comment_url(plan), data)
    assert response.status_code == 200
    assert expected in text_of(response)
    assert 'class="error-summary"' in response.content.decode()
    assert not PlanComment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_general_form_names_the_list_when_the_subject_is_refused(client, world, review_planner):
    response = client.post(
        comment_url(world.draft), {"ny": "1", "om": f"goal:{world.goal.pk}", "body": "Hej"}
    )
    assert "Gäller: Kommentaren måste gälla planen eller något i den." in text_of(response)
    assert not PlanComment.objects.exists()


def test_no_comment_without_read_rights(client, world):
    data = {"om": "", "body": "Obehörig synpunkt."}
    client.force_login(world.user("planerare_ute"))  # a planner in another region
    assert client.post(comment_url(world.draft), data).status_code == 404
    assert client.post(comment_url(world.decided), data).status_code == 403
    client.force_login(world.user("allmanhet"))
    assert client.post(comment_url(world.draft), data).status_code == 404
    client.logout()
    assert client.post(comment_url(world.draft), data).status_code == 302  # to the login
    assert not PlanComment.objects.exists()


def test_a_thread_survives_the_removal_of_its_object(client, world, review_planner):
    goal = world.draft_goal
    label = str(goal)
    add_comment(world.draft, actor=review_planner, body="Stryk målet?", subject=goal)
    remove_part(goal, actor=review_planner, confirmed=True)
    html = client.get(review_url(world.draft)).content.decode()
    page = text_of(client.get(review_url(world.draft)))
    assert label in page and "Stryk målet?" in page
    assert "borttaget" in page
    thread = html.split(f'id="trad-goal-{goal.pk}"', 1)[1].split("</section>", 1)[0]
    assert "<textarea" not in thread  # nothing left to comment on there


def test_a_decided_plan_keeps_its_threads_readable_without_forms(client, world, review_planner):
    draft = world.draft
    add_comment(draft, actor=review_planner, body="Ser bra ut.", subject=world.draft_goal)
    decide_plan(
        draft, actor=review_planner, decided_by=world.unit, decided_on=datetime.date(2023, 12, 1)
    )
    response = client.get(review_url(draft))
    assert response.status_code == 200
    assert "Ser bra ut." in text_of(response)
    assert "<textarea" not in response.content.decode()
    assert "tar inte emot fler kommentarer" in text_of(response)


def test_a_get_of_the_comment_address_leads_to_the_thread(client, world, review_planner):
    goal = world.draft_goal
    response = client.get(comment_url(world.draft), {"om": f"goal:{goal.pk}"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?om=goal%3A{goal.pk}#trad-goal-{goal.pk}")
    page = client.get(response["Location"]).content.decode()
    assert f'id="trad-goal-{goal.pk}"' in page  # an empty thread, ready for its first comment


# -- the plan page -----------------------------------------------------------------------------


def test_the_plan_page_shows_the_beredning_and_each_goals_comments(client, world, review_planner):
    draft, goal = world.draft, world.draft_goal
    add_comment(draft, actor=review_planner, body="Ett", subject=goal)
    add_comment(draft, actor=review_planner, body="Två", subject=goal)
    add_comment(draft, actor=review_planner, body="Tre")
    page = text_of(client.get(draft.get_absolute_url()))
    assert "Inte skickad på beredning. 3 kommentarer." in page
    assert "2 kommentarer" in page
    html = client.get(draft.get_absolute_url()).content.decode()
    assert f"{review_url(draft)}?om=goal:{goal.pk}#trad-goal-{goal.pk}" in html
    assert reverse("plans:history", args=[draft.pk]) in html

    client.logout()  # the public sees the decided plan without any of it
    html = client.get(world.decided.get_absolute_url()).content.decode()
    assert "kommentar" not in html.lower()
    assert reverse("plans:history", args=[world.decided.pk]) not in html


def _plan_with_goals(world, count: int) -> Plan:
    plan = create_plan(world.other_unit, 2030 + count, actor=world.user("rot"))
    for number in range(count):
        goal = add_part(plan, "goal", actor=world.user("rot"), kind="mal", text=f"Mål {number}")
        add_comment(plan, actor=world.user("rot"), body="Synpunkt", subject=goal)
    return plan


def test_the_plan_page_counts_comments_in_a_fixed_number_of_queries(client, world):
    client.force_login(world.user("rot"))
    small, large = _plan_with_goals(world, 2), _plan_with_goals(world, 12)
    with CaptureQueriesContext(connection) as few:
        assert "1 kommentar" in text_of(client.get(small.get_absolute_url()))
    with CaptureQueriesContext(connection) as many:
        assert "1 kommentar" in text_of(client.get(large.get_absolute_url()))
    assert len(many) == len(few)


# -- history -----------------------------------------------------------------------------------


def test_the_history_lists_create_edit_and_decide(client, world, review_planner):
    unit = world.unit
    plan = create_plan(unit, 2026, actor=review_planner)
    section = add_part(plan, "section", actor=review_planner, heading="Inledning", body="Text.")
    goal = add_part(plan, "goal", actor=review_planner, kind="mal", text="Fler ska må bra.")
    update_part(section, actor=review_planner, heading="Inledning och syfte")
    update_goal(goal, actor=review_planner, text="Fler invånare ska må bra.")
    update_plan(plan, actor=review_planner, title="Plan 2026 för styrelsen")
    add_comment(plan, actor=review_planner, body="Klar för beslut?")
    send_for_review(plan, actor=review_planner, note="Till nämnden")
    decide_plan(plan, actor=review_planner, decided_by=unit, decided_on=datetime.date(2025, 12, 10))
    revision = revise_plan(plan, actor=review_planner, reason="Nytt uppdrag").plan

    response = client.get(reverse("plans:history", args=[plan.pk]))
    assert response.status_code == 200
    page = text_of(response)
    labels = [
        "Beslut registrerades",
        "Planen skickades på beredning",
        "Kommentar i beredningen",
        "Planens uppgifter ändrades",
        "Målet ändrades",
        "Avsnittet ändrades",
        "Mål lades till",
        "Avsnitt lades till",
        "Planen skapades",
    ]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)  # newest first
    assert "Fler invånare ska må bra." in page and "Inledning och syfte" in page
    assert review_planner.username in page
    plan.refresh_from_db()
    sent = swedish_time(plan.review_requested_at)
    assert f"Skickad på beredning + tillagt: {sent}" in page  # not as stored (ISO 8601)
    assert "Gäller + tillagt: " in page and "Kommentar + tillagt: Klar för beslut?" in page
    revised = text_of(client.get(reverse("plans:history", args=[revision.pk])))
    assert "Ny version skapades" in revised and "Nytt uppdrag" in revised


def test_the_history_is_paged(client, world, review_planner, monkeypatch):
    monkeypatch.setattr(review_views, "HISTORY_PAGE_SIZE", 3)
    for number in range(4):
        add_part(world.draft, "goal", actor=review_planner, kind="mal", text=f"Nytt mål {number}")
    url = reverse("plans:history", args=[world.draft.pk])
    first = text_of(client.get(url))
    assert "Sida 1 av 2" in first and "Nytt mål 3" in first and "Nytt mål 0" not in first
    second = text_of(client.get(url, {"sida": 2}))
    assert "Nytt mål 0" in second and "Nytt mål 3" not in second


def test_the_history_is_for_readers_of_the_plan(client, world):
    url = reverse("plans:history", args=[world.draft.pk])
    client.force_login(world.user("lasare_ute"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("plans:history", args=[world.decided.pk])).status_code == 403
    client.force_login(world.user("lasare_inne"))
    assert client.get(url).status_code == 200


# -- uppdrag to another unit -------------------------------------------------------------------


def _given_uppdrag(world):
    """Fullmäktige's 2024 plan, written as a draft and decided, gives styrelsen an uppdrag."""
    root = world.user("rot")
    board = Unit.objects.get(slug="fullmaktige")
    plan = create_plan(board, 2024, actor=root, title="Fullmäktiges plan 2024")
    uppdrag = add_part(
        plan, "assignment", actor=root, text="Utred en ny vårdcentral.", responsible=world.unit
    )
    decide_plan(plan, actor=root, decided_by=board, decided_on=datetime.date(2023, 11, 20))
    return plan, uppdrag


def test_an_uppdrag_shows_on_the_responsible_units_plan_and_unit_page(
    client, world, review_planner
):
    _given_uppdrag(world)
    page = text_of(client.get(world.draft.get_absolute_url()))  # styrelsen's 2024 draft
    assert "Uppdrag från Fullmäktiges plan 2024" in page
    assert "Utred en ny vårdcentral." in page
    assert "Utred en ny vårdcentral." not in text_of(client.get(world.decided.get_absolute_url()))
    unit_page = text_of(client.get(world.unit.get_absolute_url()))
    assert "Uppdrag till enheten" in unit_page and "Utred en ny vårdcentral." in unit_page


def test_an_uppdrag_is_in_the_responsible_units_follow_up_and_report(world):
    _plan, uppdrag = _given_uppdrag(world)
    period = world.period  # the delårsrapport 2024
    items = [item for item in in_scope(world.unit, period) if item.target == uppdrag]
    assert len(items) == 1
    assert items[0].unit == world.unit
    assert items[0].group == "Uppdrag från Fullmäktiges plan 2024"
    board = Unit.objects.get(slug="fullmaktige")
    assert [i.target for i in in_scope(board, period)] == [uppdrag]  # the giver's own plan too

    march = ReportingPeriod.objects.create(
        organisation=world.org,
        year=2024,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport mars 2024",
        ends_on=datetime.date(2024, 3, 31),
    )
    assert uppdrag not in [i.target for i in in_scope(world.unit, march)]

    document = build_document(world.unit, period)
    found = [
        (section.title, block.title)
        for top in document.sections
        for section in top.walk()
        for block in section.blocks
        if isinstance(block, Entry)
    ]
    assert ("Uppdrag från Fullmäktiges plan 2024", "Utred en ny vårdcentral.") in found


def test_a_draft_or_replaced_plan_gives_no_uppdrag_to_follow_up(world):
    root = world.user("rot")
    board = Unit.objects.get(slug="fullmaktige")
    draft = create_plan(board, 2024, actor=root)
    add_part(draft, "assignment", actor=root, text="Ännu inte beslutat.", responsible=world.unit)
    period = world.period  # the delårsrapport 2024
    assert not [i for i in in_scope(world.unit, period) if i.label == "plans.assignment"]
    decide_plan(draft, actor=root, decided_by=board, decided_on=datetime.date(2023, 11, 20))
    revision = revise_plan(draft, actor=root, reason="Uppdraget ändras").plan
    copy = Assignment.objects.get(plan=revision)
    update_part(copy, actor=root, text="Beslutat i version 2.")
    decide_plan(revision, actor=root, decided_by=board, decided_on=datetime.date(2024, 2, 1))
    texts = [i.title for i in in_scope(world.unit, period) if i.label == "plans.assignment"]
    assert texts == ["Beslutat i version 2."]


# -- accessibility -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_review_and_history_pages_pass_axe(live_server, page, two_regions_with_roles):
    world = two_regions_with_roles
    planner = world.user("planerare_inne")
    add_comment(world.draft, actor=planner, body="Första synpunkten.", subject=world.draft_goal)
    add_comment(world.draft, actor=planner, body="Om planen.")
    removed = add_part(world.draft, "goal", actor=planner, kind="mal", text="Ett mål som tas bort")
    add_comment(world.draft, actor=planner, body="Behövs det?", subject=removed)
    remove_part(removed, actor=planner, confirmed=True)

    sign_in(page, live_server.url, planner.username)
    page.goto(live_server.url + review_url(world.draft))
    assert page.get_by_role("heading", name="Beredning av planen").count() == 1
    assert_accessible(page)
    # An empty comment, sent with the keyboard: the error is named in a summary.
    page.get_by_label("Svara: Planen som helhet").focus()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
    page.goto(live_server.url + reverse("plans:history", args=[world.draft.pk]))
    assert_accessible(page)
    page.goto(live_server.url + world.draft.get_absolute_url())
    assert_accessible(page)
    assert Goal.objects.filter(pk=world.draft_goal.pk).exists()
