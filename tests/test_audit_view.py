"""The audit pages read as Swedish: field labels, rich text as words, people by name."""

import pytest
from django.urls import reverse

from uppsikt.audit.presentation import describe
from uppsikt.audit.trail import record
from uppsikt.plans.actions.versions import revise_plan

pytestmark = pytest.mark.django_db


def test_my_history_names_the_revision_field_in_swedish(client, two_regions_with_roles):
    planner = two_regions_with_roles.user("planerare_inne")
    revise_plan(two_regions_with_roles.decided, actor=planner, reason="Ny budget")
    client.force_login(planner)
    page = client.get(reverse("history:mine"), follow=True).content.decode()
    assert "Ny version skapades" in page
    assert "evises_version" not in page and "rsätter version" in page


def test_rich_text_is_shown_as_its_words():
    from uppsikt.organisations.models import Organisation

    org = Organisation.objects.create(code="0077", name="Region X", kind="region")
    event = record(
        actor=None,
        action="followup.update",
        obj=org,
        before={"comment": ""},
        after={"comment": '<p>Text <a rel="nofollow" href="https://x.se">länk</a></p>'},
    )
    (row,) = describe(event).fields
    assert row.new == "Text länk" and row.label == "comment"


def test_budget_history_names_people_by_full_name(client, two_regions_with_roles):
    from uppsikt.budget.models import BudgetRow, Reallocation

    planner = two_regions_with_roles.user("planerare_inne")
    planner.first_name, planner.last_name = "Petra", "Planerare"
    planner.save()
    table = two_regions_with_roles.decided_table
    record(actor=planner, action="budget.table.settle", obj=table)
    rows = list(BudgetRow.objects.filter(table=table)[:2])
    Reallocation.objects.create(
        table=table,
        from_row=rows[0],
        to_row=rows[1],
        amount=1000,
        reason="Flytt",
        year=table.year,
        kind="reviderad",
        made_by=planner,
        made_by_name=planner.username,
    )
    client.force_login(planner)
    page = client.get(table.get_absolute_url()).content.decode()
    history = page[page.index('id="historik"') :]
    assert history.count("Petra Planerare") == 2 and "planerare_inne" not in history


def test_a_follow_up_is_named_by_what_it_follows_up(two_regions_with_roles):
    """Its name is the object_repr the audit pages show: the goal's title, not "mål 9"."""
    entry = two_regions_with_roles.followup
    assert str(entry) == f"{entry.period}: {entry.target}"
