"""Region Örebro län's words stored as its styrmodell (the demo file stores them) look and
behave exactly as with no styrmodell at all: the pages' classes and colours, no step
symbols, the reports' symbols and colours, and a new plan's content (issue 15: "with no
visible change to the demo"). The one rule is ``Styrmodell.has_default_words``."""

import dataclasses
import re

import pytest
from django.urls import reverse

from uppsikt.governance import words
from uppsikt.governance.models import GovernanceModel
from uppsikt.indicators.models import Assessment
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import create_default_periods
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.models import Plan
from uppsikt.reports.build import build_document, render

from .builders import RS_TITLE, user_with_role

pytestmark = pytest.mark.django_db

REGION = "0018"
# What an organisation's own scale adds to a page or report, never seen for the default words.
OWN_SCALE_MARKS = (
    'class="step-symbol"',
    "badge--step",
    "assessment--step",
    'class="assessment__edge"',
    '<svg class="r-symbol"',
)


def _region_id() -> int:
    return Organisation.objects.get(code=REGION).pk


def _forget_the_stored_words() -> None:
    """The region as an installation without a stored styrmodell: ``DEFAULT``."""
    GovernanceModel.objects.filter(organisation__code=REGION).delete()
    words.invalidate()
    assert words.styrmodell_for(_region_id()).is_default


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _with_status(part):
    """Every cell and status of the report's document model (they carry ``shown``)."""
    if isinstance(part, list | tuple):
        for item in part:
            yield from _with_status(item)
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        if any(f.name == "shown" for f in dataclasses.fields(part)):
            yield part
        for f in dataclasses.fields(part):
            yield from _with_status(getattr(part, f.name))


@pytest.fixture
def region_assessed_goal(demo_with_indicators):
    """The demo's regionstyrelse goal with an assessment, decided or proposed."""
    assessment = (
        Assessment.objects.filter(goal__plan__title=RS_TITLE).order_by("goal_id", "-period").first()
    )
    assert assessment is not None
    return assessment


def test_the_demos_stored_words_are_the_default_words_and_a_change_makes_them_its_own(
    demo_region,
):
    stored = words.styrmodell_for(_region_id())
    assert not stored.is_default and stored.has_default_words and words.DEFAULT.has_default_words
    renamed = dataclasses.replace(stored, name="Region Örebro läns styrmodell")
    assert renamed.has_default_words  # the name is no word of the pages
    first = dataclasses.replace(stored.steps[0], colour="#1b5e20")
    recoloured = dataclasses.replace(stored, steps=(first, *stored.steps[1:]))
    assert not recoloured.has_default_words
    assert not dataclasses.replace(stored, calendar="tertial").has_default_words


def test_the_regions_pages_look_as_with_no_stored_styrmodell(client, region_assessed_goal):
    client.force_login(user_with_role("granskare-ord", "lasare"))
    goal = region_assessed_goal.goal
    urls = [
        goal.plan.get_absolute_url(),
        goal.get_absolute_url(),
        reverse("indicators:goal_assessment", args=[goal.pk, region_assessed_goal.period]),
    ]
    stored = {url: _page(client, url) for url in urls}
    status = region_assessed_goal.status
    plan_page, goal_page, assessment_page = stored.values()
    for page in (plan_page, goal_page):
        assert f'<div class="assessment assessment--{status}">' in page
    assert 'class="badge badge--' in assessment_page
    for url, page in stored.items():
        for mark in OWN_SCALE_MARKS:
            assert mark not in page, (url, mark)
    _forget_the_stored_words()
    assert {url: _page(client, url) for url in urls} == stored


def test_the_regions_report_has_the_default_symbols_and_colours(region_assessed_goal):
    board = Unit.objects.get(organisation__code=REGION, slug="regionstyrelsen")
    admin = user_with_role("admin-ord", "administrator", board.parent)
    create_default_periods(board.organisation, 2023, actor=admin)
    period = ReportingPeriod.objects.get(organisation__code=REGION, slug="2023-delarsrapport")

    def report():
        document = build_document(board, period)
        html = render(document, "html", organisation=board.organisation).decode()
        return document, html, list(_with_status(document.sections))

    document, html, cells = report()
    assert "delvis_uppfyllt" in {getattr(part, "status", None) for part in cells}
    assert all(part.shown is None for part in cells)  # the document's SYMBOLS and tones
    assert "r-tone--partial" in html and "#7a4d00" not in html
    for mark in OWN_SCALE_MARKS:
        assert mark not in html, mark
    _forget_the_stored_words()
    default_document = build_document(board, period)
    default_document.generated_at = document.generated_at
    # PDF, DOCX and XLSX are drawn from the same document model.
    assert default_document == document
    assert render(default_document, "html", organisation=board.organisation).decode() == html


def test_a_new_empty_plan_of_the_region_starts_without_perspectives(demo_region):
    unit = Unit.objects.get(organisation__code=REGION, slug="regionstyrelsen")
    planner = user_with_role("planerare-ord", "planerare", unit)
    plan = create_plan(unit, 2031, actor=planner, title="Ny plan")
    assert not Plan.objects.get(pk=plan.pk).perspectives.exists()
