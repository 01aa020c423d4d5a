"""Reminders by e-mail through a real SMTP server on loopback (tests/mailserver.py)."""

import datetime
import re
import smtplib

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from uppsikt.tasks.actions import set_preference
from uppsikt.tasks.models import ReminderPreference, SentReminder
from uppsikt.tasks.reminders import occasion_for, send_reminders

from .mailserver import free_port, html_of, text_of
from .reminder_setup import SITE, person, task, tasks_given

pytestmark = pytest.mark.django_db
DUE = datetime.date(2023, 9, 15)
Mode = ReminderPreference.Mode


@pytest.fixture
def reminding(settings, mail_server):
    """Five days before, links to SITE; the SMTP server that receives them."""
    settings.REMINDER_DAYS_BEFORE = 5
    settings.SITE_URL = SITE
    return mail_server


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    due=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
    offset=st.integers(-400, 400),
    before=st.integers(0, 60),
)
def test_which_reminder_is_owed_on_a_day(due, offset, before):
    on = due + datetime.timedelta(days=offset)
    found = occasion_for(due, on, before)
    if offset > 0:
        assert found == SentReminder.Occasion.OVERDUE
    elif offset == 0:
        assert found == SentReminder.Occasion.DUE
    elif -offset <= before:
        assert found == SentReminder.Occasion.BEFORE
    else:
        assert found is None


def test_before_on_the_day_and_overdue_each_once(reminding):
    anna = person("anna")
    with tasks_given({"anna": [task(1, DUE)]}):
        sent_on = {}
        for offset in range(-8, 4):
            for _run in range(2):  # every day twice: the second run sends nothing
                reminding.clear()
                send_reminders(day(offset))
                if reminding.messages:
                    assert _run == 0
                    sent_on[offset] = reminding.messages
    assert sorted(sent_on) == [-5, 0, 1]
    assert all(len(found) == 1 for found in sent_on.values())
    before, on_the_day, overdue = (sent_on[k][0] for k in (-5, 0, 1))
    assert before["To"] == anna.email
    assert "snart sista dag" in before["Subject"]
    assert "5 dagar kvar" in text_of(before)
    assert "sista dag i dag" in on_the_day["Subject"]
    assert "försenad" in overdue["Subject"] and "försenad 1 dag" in text_of(overdue)
    assert SentReminder.objects.filter(user=anna).count() == 3


def test_links_are_absolute_and_lead_to_the_form_and_the_choice(reminding):
    person("anna")
    with tasks_given({"anna": [task(1, DUE)]}):
        send_reminders(DUE)
    (message,) = reminding.messages
    text, html = text_of(message), html_of(message)
    assert "Hej Anna," in text and "15 september 2023" in text
    form = f"{SITE}/uppfoljning/0099/test/1/"
    choice = f"{SITE}/konto/paminnelser/"
    assert form in text and choice in text
    assert f'href="{form}"' in html and f'href="{choice}"' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(href.startswith(SITE + "/") for href in hrefs)


def test_overdue_tasks_go_in_one_message_and_earlier_ones_are_listed(reminding):
    person("anna")
    tasks = {"anna": [task(1, day(-3))]}
    with tasks_given(tasks):
        send_reminders(DUE)
        tasks["anna"] += [task(2, day(-1)), task(3, day(-2))]
        reminding.clear()
        send_reminders(DUE)
    (message,) = reminding.messages
    text = text_of(message)
    assert "3 uppgifter är försenade" in message["Subject"]
    assert "Uppföljning nummer 2" in text and "Uppföljning nummer 3" in text
    assert "Fortfarande försenade sedan tidigare" in text and "Uppföljning nummer 1" in text


def test_a_daily_digest_is_one_message_a_day(reminding):
    anna = person("anna")
    set_preference(anna, Mode.DAILY, actor=anna)
    tasks = {"anna": [task(1, day(-2)), task(2, DUE), task(3, day(3))]}
    with tasks_given(tasks):
        send_reminders(DUE)
        (digest,) = reminding.messages
        assert "3 påminnelser i dag" in digest["Subject"]
        for number in (1, 2, 3):
            assert f"Uppföljning nummer {number}" in text_of(digest)
        tasks["anna"].append(task(4, day(1)))  # new during the day: waits for tomorrow
        reminding.clear()
        send_reminders(DUE)
        assert reminding.messages == []
        send_reminders(day(1))
    (tomorrow,) = reminding.messages
    assert "Uppföljning nummer 4" in text_of(tomorrow)
    assert "Uppföljning nummer 1" not in text_of(tomorrow)


def test_off_sends_nothing_and_records_nothing(reminding):
    anna = person("anna")
    set_preference(anna, Mode.OFF, actor=anna)
    with tasks_given({"anna": [task(1, DUE)]}):
        outcome = send_reminders(DUE)
    assert reminding.messages == [] and outcome.sent == []
    assert not SentReminder.objects.exists()


def test_people_without_an_address_are_skipped_and_counted(reminding):
    person("anna")
    person("bo", email=False)
    with tasks_given({"anna": [task(1, DUE)], "bo": [task(2, DUE)]}):
        outcome = send_reminders(DUE)
    assert outcome.without_email == ["bo"]
    assert [message["To"] for message in reminding.messages] == ["anna@example.se"]
    assert not SentReminder.objects.filter(user__username="bo").exists()


def test_a_failed_send_leaves_no_row_and_is_tried_again(reminding, settings):
    person("anna")
    with tasks_given({"anna": [task(1, DUE)]}):
        settings.EMAIL_PORT = free_port()  # nobody listens there
        outcome = send_reminders(DUE)
        assert outcome.failed and not outcome.sent
        assert not SentReminder.objects.exists()
        settings.EMAIL_PORT = reminding.port
        send_reminders(DUE)
    assert len(reminding.messages) == 1
    assert SentReminder.objects.count() == 1


def test_a_reminder_another_run_sent_is_not_sent_again(reminding):
    anna = person("anna")
    SentReminder.objects.create(
        user=anna, task_key="test.write:1", occasion="due", due=DUE, sent_on=DUE
    )
    with tasks_given({"anna": [task(1, DUE), task(2, DUE)]}):
        send_reminders(DUE)
    (message,) = reminding.messages
    assert "Uppföljning nummer 2" in message["Subject"]


def test_the_command_prints_what_it_sent(reminding):
    person("anna")
    person("bo", email=False)
    with tasks_given({"anna": [task(1, DUE)], "bo": [task(2, DUE)]}):
        out = _command("--today", DUE.isoformat())
        again = _command("--today", DUE.isoformat())
    assert "Skickade till anna@example.se: Uppsikt: sista dag i dag för Uppföljning nummer 1" in out
    assert "Meddelanden: 1, påminnelser: 1, utan e-postadress: 1, misslyckade: 0." in out
    assert "Meddelanden: 0" in again and "Skickade" not in again
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", "--today", "15/9")


def test_the_smtp_server_is_really_there(reminding):
    with smtplib.SMTP("127.0.0.1", reminding.port, timeout=5) as smtp:
        assert smtp.noop()[0] == 250


def _command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()
