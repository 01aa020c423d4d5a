"""The goal page, the plan page and the follow-up show the same assessment of a goal."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators.followup import assessment_for
from uppsikt.indicators.models import Assessment
from uppsikt.indicators.periods import Period, assessment_period_label, format_period
from uppsikt.indicators.presentation import latest_assessment
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .followup_setup import small_setting

periods = st.one_of(
    st.builds(Period, st.integers(2020, 2025)),
    st.builds(Period, st.integers(2020, 2025), st.just("tertial"), st.integers(1, 3)),
    st.builds(Period, st.integers(2020, 2025), st.just("month"), st.integers(1, 12)),
)


@given(st.lists(periods, min_size=1, max_size=6, unique=True))
def test_the_latest_assessment_is_the_one_whose_period_ends_last(chosen):
    rows = [Assessment(period=format_period(p)) for p in chosen]
    latest = latest_assessment(rows)
    ends = max(p.ends for p in chosen)
    shown = next(p for p in chosen if format_period(p) == latest.period)
    assert shown.ends == ends
    # Of periods ending together the longest wins (the year over its last tertial/month).
    assert shown.months == max(p.months for p in chosen if p.ends == ends)


def _shown_status(html: str) -> tuple[str, str]:
    match = re.search(
        r'class="assessment__status"><a href="[^"]+">Bedömning ([^<]+)</a>:\s*<strong>([^<]+)</strong>',
        html,
    )
    assert match, html
    return match[1], match[2]


@pytest.mark.django_db
def test_goal_page_plan_page_and_follow_up_agree(client):
    setting = small_setting()
    goal = setting.goals[0]
    year_end = ReportingPeriod.objects.create(
        organisation=setting.period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.ARSREDOVISNING,
        name="Årsredovisning 2023",
        ends_on=datetime.date(2023, 12, 31),
    )
    common = {"goal": goal, "proposed_preliminary": False, "proposed_status": "ej_bedombar"}
    Assessment.objects.create(period="2023", decided_status="uppfyllt", comment="Året.", **common)
    Assessment.objects.create(period="2023-07", decided_status="delvis_uppfyllt", **common)
    client.force_login(user_with_role("planerare", "planerare"))
    on_goal_page = _shown_status(client.get(goal.get_absolute_url()).content.decode())
    on_plan_page = _shown_status(client.get(setting.plan.get_absolute_url()).content.decode())
    assert on_goal_page == on_plan_page == ("helår 2023", "Uppfyllt")
    # The year-end follow-up reads the very same row.
    followed = assessment_for(goal, year_end)
    shown = (assessment_period_label(followed.period), followed.get_decided_status_display())
    assert shown == on_goal_page
