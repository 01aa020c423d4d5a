"""Saving several entries at once waits for a concurrent save instead of deadlocking.

Every audited write holds the audit trail's head until its transaction commits. A form save
that locked its entries one by one took the second entry's lock while holding the head; a
save of that entry alone, waiting for the head, closed the circle and PostgreSQL aborted
one of them (found by benchmarks/mixed_load.py: "deadlock detected", HTTP 500).
"""

import threading
import time

import pytest
from django.db import connection, transaction

from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp

from .builders import user_with_role

FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time: no row locks"
)


@on_postgres
@pytest.mark.django_db(transaction=True)  # two connections, each committing on its own
def test_a_save_of_several_entries_waits_for_a_save_of_one_without_deadlock(
    client, small_followup_setting
):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    first, second = (
        save_followup(target, setting.period, actor=planner, comment="Före.")
        for target in (setting.activity, setting.assignment)  # the form's order
    )
    held, failures = threading.Event(), []

    def save_the_second_alone() -> None:
        try:
            with transaction.atomic():
                FollowUp.objects.select_for_update().get(pk=second.pk)
                held.set()
                time.sleep(2)  # the form's save has begun meanwhile and waits for this entry
                save_followup(setting.assignment, setting.period, actor=planner, comment="Ensam.")
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=save_the_second_alone)
    other.start()
    assert held.wait(10)
    client.force_login(planner)
    response = client.post(
        FORM,
        {
            f"f-assignment-{setting.assignment.pk}-comment": "Från formuläret.",
            f"f-activity-{setting.activity.pk}-comment": "Från formuläret.",
        },
    )
    other.join(30)
    # Both finish: the form's save came second, so it is saved over the other (or, where
    # stale edits are refused, shown as a conflict); a deadlock raised here instead.
    assert failures == []
    assert response.status_code in (200, 302)
    first.refresh_from_db()
    assert first.comment == "<p>Från formuläret.</p>" or response.status_code == 200
