"""Issue 14's "done when", on the demo as `make demo` loads it: a rapportör's year.

The rapportör signs in and sees their tasks with deadlines, gets a reminder e-mail (a real
SMTP server on loopback) that links to the form, enters a 2023 value and a forecast for the
indicator reported by hand, attaches a file and submits; the granskare returns the report
with a comment that stays in the thread; the planerare's overview shows who is late and
downloads as XLSX; the årshjul is a page and a calendar feed.
"""

import datetime
from io import BytesIO, StringIO

import icalendar
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from openpyxl import load_workbook

from uppsikt.followup.actions.attachments import add_attachment
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.actions.reports import return_report, submit_report
from uppsikt.followup.models import FollowUp, ReviewComment, UnitReport
from uppsikt.indicators.manual import enter_values
from uppsikt.indicators.models import Assessment, IndicatorTarget
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.tasks.registry import tasks_for

from .builders import ROOT, demo_load_steps
from .mailserver import text_of
from .sample_files import pdf

pytestmark = pytest.mark.django_db(transaction=False)

SITE = "https://uppsikt.example.se"


@pytest.fixture
def demo_year(monkeypatch, settings, mail_server, media_in_tmp_path):
    monkeypatch.chdir(ROOT)
    settings.SITE_URL = SITE
    for name, *args in demo_load_steps():
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    period = ReportingPeriod.objects.get(organisation__code="0018", slug="2023-delarsrapport")
    office = Unit.objects.get(organisation__code="0018", slug="regionkansliet")
    people = {name: User.objects.get(username=name) for name in ("rapportor", "granskare")}
    people["planerare"] = User.objects.get(username="planerare")
    return period, office, people


def _form_path(period, office) -> str:
    return f"/uppfoljning/0018/{period.slug}/{office.slug}/"


def test_a_rapportors_year_in_the_demo(client, demo_year, mail_server):
    period, office, people = demo_year
    rapportor, granskare = people["rapportor"], people["granskare"]
    assert period.report_by is not None and office.deadlines.filter(period=period).exists()

    # Signed in, the start page is the person's tasks, with the returned report and its date.
    client.force_login(rapportor)
    tasks = [t for t in tasks_for(rapportor) if t.url.startswith(_form_path(period, office))]
    assert tasks and all(task.due is not None for task in tasks)
    assert any(task.kind == "returned" for task in tasks)
    start = client.get("/").content.decode()
    assert "Att göra" in start and _form_path(period, office) in start

    # The reminder job sends an e-mail whose link leads to the form.
    call_command("send_reminders", stdout=StringIO())
    mails = mail_server.to(rapportor.email)
    assert mails, "no reminder reached the rapportör"
    assert f"{SITE}{_form_path(period, office)}" in text_of(mails[0])
    call_command("send_reminders", stdout=StringIO())
    assert len(mail_server.to(rapportor.email)) == len(mails)  # never twice

    # A 2023 value and a full-year forecast for the indicator reported by hand.
    target = IndicatorTarget.objects.get(
        definition__source_kind="manuell", indicator__goal__plan__unit=office
    )
    goal = target.indicator.goal
    enter_values(target, period, actor=rapportor, total="62,5", forecast="88")
    proposal = Assessment.objects.get(goal=goal, period=period.assessment_period)
    reason = proposal.proposed_reason.lower()
    assert "för hand" in reason and "prelimin" in reason

    # The entry: an attachment, an analysis, klar; then the report is submitted.
    entry = FollowUp.objects.get(period=period, unit=office, object_id=goal.pk)
    add_attachment(entry, pdf(), name="utbildningslista.pdf", actor=rapportor)
    save_followup(goal, period, actor=rapportor, unit=office, comment="Utbildningen pågår.")
    set_state(FollowUp.objects.get(pk=entry.pk), FollowUp.State.KLAR, actor=rapportor)
    submit_report(office, period, actor=rapportor)

    # Returned again with a comment: both return comments stay in the thread.
    return_report(office, period, actor=granskare, comment="Lägg till analysen per kön.")
    report = UnitReport.objects.get(period=period, unit=office)
    returns = report.review_comments.filter(kind=ReviewComment.Kind.RETURN)
    assert returns.count() == 2
    page = client.get(f"{_form_path(period, office)}dialog/").content.decode()
    assert "Lägg till analysen per kön." in page and "digital kompetens" in page

    # The planerare's overview: who is late, and the same as XLSX.
    client.force_login(people["planerare"])
    overview = client.get(f"/uppfoljning/0018/{period.slug}/").content.decode()
    assert "Försenad" in overview
    sheet = load_workbook(
        BytesIO(client.get(f"/uppfoljning/0018/{period.slug}/oversikt.xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    late = [row for row in rows[3:] if row[3] == "Ja"]
    assert any(row[0] == office.name for row in late)

    # The årshjul, in the browser's format and a calendar client's.
    wheel = client.get("/arshjul/0018/2023/")
    assert wheel.status_code == 200 and "<svg" in wheel.content.decode()
    feed = icalendar.Calendar.from_ical(client.get("/arshjul/0018/2023.ics").content)
    dates = {event.decoded("dtstart") for event in feed.walk("VEVENT")}
    assert period.report_by in dates
    assert all(isinstance(day, datetime.date) for day in dates)
