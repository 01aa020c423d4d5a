"""Two runs of the reminders at the same time send each reminder once (the rows are
inserted before sending, in the transaction; the unique constraint refuses the second)."""

import datetime
import threading

import pytest
from django.db import connection

from uppsikt.tasks.models import SentReminder
from uppsikt.tasks.reminders import send_reminders

from .reminder_setup import person, task, tasks_given

DUE = datetime.date(2023, 9, 15)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database on SQLite is in memory with table locks: one writer, no waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(mail_server, settings):
    settings.REMINDER_DAYS_BEFORE = 5
    people = [person(f"p{n}") for n in range(4)]
    given = {
        user.username: [task(n * 10 + k, DUE) for k in range(3)] for n, user in enumerate(people)
    }
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            send_reminders(DUE)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    with tasks_given(given):
        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(60)
    assert not errors, errors
    subjects = sorted((m["To"], m["Subject"]) for m in mail_server.messages)
    assert len(subjects) == 12 and len(set(subjects)) == 12
    assert SentReminder.objects.count() == 12
