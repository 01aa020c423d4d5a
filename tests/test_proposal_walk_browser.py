"""Issue 18's "done when", walked in Debian's Chromium with axe-core on every page.

On the demo, the demo's planerare uploads a PDF of a plan (the first part of the seed,
Regionstyrelsens verksamhetsplan med budget 2023, typeset by the test documents' builder)
for Regionkansliet 2025, reads the proposal beside the document, corrects two objects (a
goal's text, an indicator dropped), accepts, and lands on the draft plan's editing page. A file that is not a plan document is refused
on the form with the reader's reason.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from uppsikt.plans.models import Goal, Plan
from uppsikt.proposals.models import PlanProposal
from uppsikt.proposals.reading.blocks import Kind
from uppsikt.proposals.review import Review

from .a11y import assert_accessible
from .builders import load_demo
from .plan_documents import pdf_from, seed_structure
from .signin import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_GOAL = "Länets invånare har en god, jämlik och jämställd hälsa."


def short_plan_pdf(tmp_path) -> str:
    """The seed up to its third effektmål: a few pages."""
    blocks = seed_structure()
    end = next(
        index
        for index, block in enumerate(blocks)
        if block.text.startswith("Effektmål 3")
        or (
            block.kind == Kind.PARAGRAPH
            and "Länets invånare har en god, jämlik och jämställd munhälsa" in block.text
        )
    )
    path = tmp_path / "verksamhetsplan.pdf"
    path.write_bytes(pdf_from(blocks[:end]))
    return str(path)


def check(page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)


def sign_in(page, base: str) -> None:
    page.set_default_timeout(60_000)
    sign_in_as(page, base, "planerare", "uppsikt-demo-planerare")


def test_a_planner_reads_a_pdf_into_a_draft_plan(live_server, page, tmp_path):
    load_demo()
    call_command("demo_users", verbosity=0)
    base = live_server.url
    sign_in(page, base)
    page.goto(base + "/planer/inlasning/")
    check(page)
    page.get_by_role("link", name="Läs in ett plandokument").click()
    check(page)

    # A file that is not a plan document: refused on the form, nothing kept.
    not_a_plan = tmp_path / "bild.docx"
    not_a_plan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    page.get_by_label("Enhet").select_option(label="Regionkansliet (Region Örebro län)")
    page.get_by_label("År").fill("2025")
    page.get_by_label("Plandokument").set_input_files(str(not_a_plan))
    page.get_by_role("button", name="Läs in").click()
    expect(page.get_by_role("alert")).to_contain_text("Plandokument:", use_inner_text=True)
    check(page)
    assert not PlanProposal.objects.exists()

    page.get_by_label("Enhet").select_option(label="Regionkansliet (Region Örebro län)")
    page.get_by_label("År").fill("2025")
    page.get_by_label("Plandokument").set_input_files(short_plan_pdf(tmp_path))
    page.get_by_role("button", name="Läs in").click()
    page.wait_for_url(lambda url: "/planer/inlasning/" in url and url.rstrip("/")[-1].isdigit())
    check(page)
    proposal = PlanProposal.objects.get()
    goal_row = page.locator("li.proposal-row", has_text=FIRST_GOAL).first
    assert "I dokumentet" in goal_row.inner_text()
    assert "s. " in goal_row.locator(".proposal-source").inner_text()

    # Correction 1: the first goal's text.
    goal_row.get_by_role("link", name="Ändra").click()
    check(page)
    page.get_by_label("Text", exact=True).fill(FIRST_GOAL.replace("god,", "god och trygg,"))
    page.get_by_role("button", name="Spara texterna").click()
    page.wait_for_url(lambda url: "#goal-" in url)
    check(page)

    # Correction 2: drop the first indicator of the first goal.
    indicator_row = page.locator("li.proposal-row", has_text="levnadsvaneformulär").first
    indicator_row.get_by_role("button", name="Ta bort").click()
    expect(page.get_by_role("main")).to_contain_text("Förslaget är ändrat.", use_inner_text=True)
    check(page)

    page.get_by_role("button", name="Anta som utkast").click()
    page.wait_for_url(lambda url: "/redigera/" in url)
    check(page)
    plan = Plan.objects.get(unit__slug="regionkansliet", year=2025)
    assert plan.status == Plan.Status.UTKAST and plan.source == "verksamhetsplan.pdf"
    texts = list(Goal.objects.filter(plan=plan).values_list("text", flat=True))
    assert FIRST_GOAL.replace("god,", "god och trygg,") in texts
    first = Goal.objects.get(plan=plan, text__startswith="Länets invånare har en god och trygg")
    assert not first.indicators.filter(text__contains="levnadsvaneformulär").exists()
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.ACCEPTED and proposal.plan == plan


def test_placing_a_passage_and_the_object_page(live_server, page):
    """The pages of one object and of a passage that could not be placed, with axe-core:
    the passage is placed as a goal under the section, and the goal split in two."""
    from uppsikt.organisations.models import Unit

    from .builders import load_minimal, user_with_role
    from .matrix_proposals import proposal_objects

    load_minimal()
    user_with_role("las-in", "planerare", password="x-test-pass-1")
    unit = Unit.objects.get(slug="styrelsen")

    world = SimpleNamespace(org=unit.organisation, unit=unit)
    pk = proposal_objects(world)["proposal"]
    page.set_default_timeout(60_000)
    sign_in_as(page, live_server.url, "las-in")
    page.goto(live_server.url + f"/planer/inlasning/{pk}/")
    check(page)
    page.locator("ol.unplaced").get_by_role("link").first.click()
    check(page)
    page.get_by_label("Som", exact=True).select_option(label="Mål")
    page.get_by_label("Under", exact=True).select_option(index=1)
    page.get_by_role("button", name="Placera").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Allt i dokumentet har fått en plats", use_inner_text=True
    )
    row = page.locator("li.proposal-row", has_text="Ett mål ur dokumentet.").first
    row.get_by_role("link", name="Ändra").click()
    check(page)
    page.get_by_label("Text", exact=True).fill("Första meningen. Andra meningen.")
    page.get_by_role("button", name="Spara texterna").click()
    page.locator("li.proposal-row", has_text="Första meningen.").get_by_role(
        "link", name="Ändra"
    ).click()
    page.get_by_role("button", name="Dela").click()
    check(page)
    proposal = PlanProposal.objects.get(pk=pk)
    texts = [node.fields.get("text") for node in Review.from_data(proposal.data).proposal.walk()]
    assert {"Första meningen.", "Andra meningen.", "Ett stycke utan plats."} <= set(texts)
