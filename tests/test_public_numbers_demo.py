"""The demo as a resident reads it: Region Örebro län's indicators and budget on the public
site, with the demo's own tables and their sums as the budget app computes them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsikt.public.budget_pages import public_document

from .test_pages import text_of

pytestmark = pytest.mark.django_db

OREBRO = "0018"


def test_the_demos_budget_shows_every_settled_table_with_its_sums(client, demo_budget_tables):
    page = text_of(client.get(reverse("public:budget", args=[OREBRO])))
    shown = 0
    for table in demo_budget_tables.values():
        if table.unit.organisation.code != OREBRO or table.plan is None:
            continue
        if table.plan.status == "utkast" or table.status != "faststalld":
            assert f"{table.title} " not in page
            continue
        shown += 1
        assert table.title in page
        doc = public_document(table)
        total = doc.rows[-1]
        expected = " ".join(f"{total.row.label} {total.cells[0].text}".split())
        assert expected in page
    assert shown


def test_the_demos_indicators_lead_to_their_trend(client, demo_with_indicators):
    response = client.get(reverse("public:indicators", args=[OREBRO]))
    assert response.status_code == 200
    html = response.content.decode()
    prefix = reverse("public:indicators", args=[OREBRO])
    links = sorted({part.split('"')[0] for part in html.split(f'href="{prefix}')[1:]})
    trends = [link for link in links if link.rstrip("/").isdigit()]
    assert trends, "no indicator of the demo links to its trend"
    for link in trends[:5]:
        page = client.get(prefix + link)
        assert page.status_code == 200
        assert "Utvecklingen över tid" in text_of(page)


def test_the_demos_budget_charts_show_the_plans_own_year(demo_budget_tables):
    """The chart of "Vart går pengarna?" compares the plan year's own columns (its budget
    first), not the comparison a follow-up report prints (Budget 2022 mot Prognos 2022)."""
    from uppsikt.organisations.models import Organisation
    from uppsikt.public.budget_pages import overview
    from uppsikt.public.plans_in_force import chosen_year

    choice = chosen_year(Organisation.objects.get(code=OREBRO), None)
    charted = [shown for shown in overview(choice.plans) if shown.chart is not None]
    assert charted
    for shown in charted:
        names = [column.label for column in shown.chart.table.columns[1:]]
        assert all(str(shown.table.year) in name for name in names), names
        assert names[0].startswith("Budget")
