"""Dates for the demo's example follow-up: in the plan's year, not on the day it was loaded.

The demo is the 2023 plan, so its example entries, reports and decisions are dated around
the period they belong to (the delårsrapport per 31 juli 2023 is written in August and
reviewed in early September 2023; the verksamhetsberättelse in January–February 2024),
in Swedish local time. The demos write through the real actions, which stamp the current
time; afterwards these functions move the example rows' own timestamps back. Only rows
marked ``is_example`` are touched, and the audit trail keeps the real time of the load.

The offsets are fixed and the hour and minute come from the object, so every load gives
the same dates.
"""

from __future__ import annotations

import datetime
import hashlib
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from uppsikt.periods.models import ReportingPeriod

from .models import FollowUp, UnitReport

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Days after the period's end: entries are written over two weeks, the report is submitted
# after them and reviewed a week later.
WRITTEN_FROM, WRITTEN_DAYS = 4, 14
SUBMITTED_AFTER = 21
REVIEWED_AFTER = 28


def at(day: datetime.date, *parts: object) -> datetime.datetime:
    """A working-day moment (08:00–16:59, Stockholm) on or after ``day``, fixed by ``parts``."""
    digest = int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)
    while day.weekday() >= 5:  # weekends move to Monday
        day += datetime.timedelta(days=1)
    return datetime.datetime(
        day.year, day.month, day.day, 8 + digest % 9, (digest // 9) % 60, tzinfo=STOCKHOLM
    )


def entry_moment(period: ReportingPeriod, *parts: object) -> datetime.datetime:
    """When an example entry of ``period`` was written: a fixed day in the two weeks after
    the period's end."""
    digest = int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)
    day = period.ends_on + datetime.timedelta(days=WRITTEN_FROM + digest % WRITTEN_DAYS)
    return at(day, *parts)


def date_followup(period: ReportingPeriod) -> int:
    """Date the period's example entries and example unit reports after its end."""
    count = 0
    labels = {}
    for entry in FollowUp.objects.filter(period=period, is_example=True):
        if entry.content_type_id not in labels:
            labels[entry.content_type_id] = ContentType.objects.get_for_id(
                entry.content_type_id
            ).model
        moment = entry_moment(period, labels[entry.content_type_id], entry.object_id, entry.unit_id)
        FollowUp.objects.filter(pk=entry.pk).update(written_at=moment)
        count += 1
    end = period.ends_on
    for report in UnitReport.objects.filter(period=period, is_example=True):
        changes = {}
        if report.submitted_at is not None:
            changes["submitted_at"] = at(
                end + datetime.timedelta(days=SUBMITTED_AFTER), "submitted", report.unit_id
            )
        if report.reviewed_at is not None:
            changes["reviewed_at"] = at(
                end + datetime.timedelta(days=REVIEWED_AFTER), "reviewed", report.unit_id
            )
        if changes:
            UnitReport.objects.filter(pk=report.pk).update(**changes)
    return count
