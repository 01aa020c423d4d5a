"""The demo's årshjul: Region Örebro län 2023 loaded as `make demo` does, every invented
date marked as an example, the earlier unit deadline in place, the feed readable."""

from io import StringIO

import icalendar
import pytest
from django.core.management import call_command

from uppsikt.organisations.models import Unit
from uppsikt.periods.deadlines import deadlines_for
from uppsikt.periods.models import ReportingPeriod, UnitDeadline
from uppsikt.schedule.models import Milestone

from .builders import ROOT, demo_load_steps

pytestmark = pytest.mark.django_db


def test_the_demo_arshjul(client, monkeypatch):
    monkeypatch.chdir(ROOT)
    for name, *args in demo_load_steps():
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    milestones = Milestone.objects.filter(organisation__code="0018", year=2023)
    assert milestones.count() >= 7 and all(m.is_example for m in milestones)
    assert {m.kind for m in milestones} >= {
        "budgetdirektiv",
        "plan_beslutad",
        "delarsrapport",
        "arsredovisning",
        "internkontroll",
        "isk_bedomning",
    }
    period = ReportingPeriod.objects.get(organisation__code="0018", slug="2023-delarsrapport")
    assert period.report_by is not None and period.review_by is not None
    office, board = (
        Unit.objects.get(slug="regionkansliet"),
        Unit.objects.get(slug="regionstyrelsen"),
    )
    stab = Unit.objects.get(slug="staben-ekonomi")
    assert deadlines_for(period, stab).report_by < deadlines_for(period, board).report_by
    assert deadlines_for(period, stab).set_on == office
    # again: nothing twice
    call_command("demo_schedule", stdout=StringIO())
    assert milestones.count() == 7 and UnitDeadline.objects.count() == 1
    page = client.get("/arshjul/0018/2023/").content.decode()
    assert "Exempel" in page and "Planeringsförutsättningar och budgetdirektiv 2024" in page
    feed = icalendar.Calendar.from_ical(client.get("/arshjul/0018/2023.ics").content)
    summaries = [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    assert "Exempel: Regionstyrelsen behandlar delårsrapporten per 31 juli" in summaries
    assert "Delårsrapport 2023: sista dag för rapportering, Regionkansliet" in summaries
