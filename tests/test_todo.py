"""Att göra: each provider with real objects, whose tasks are whose, deadlines and order."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.actions.reports import approve_report, return_report, submit_report
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod, UnitDeadline
from uppsikt.plans.actions.authoring import send_for_review
from uppsikt.plans.models import Assignment, Plan
from uppsikt.tasks.registry import tasks_for

from .builders import user_with_role

pytestmark = pytest.mark.django_db
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"
ON = datetime.date(2023, 9, 1)


def keys(user, on=ON) -> list[str]:
    return [task.key for task in tasks_for(user, on)]


def fresh(user):
    """The same person as a new request sees them (nothing computed kept)."""
    return type(user).objects.get(pk=user.pk)


def with_deadlines(period: ReportingPeriod, report_by, review_by=None) -> ReportingPeriod:
    period.report_by, period.review_by = report_by, review_by
    period.save()
    return period


def test_a_rapportor_of_the_unit_is_asked_for_its_report_by_the_deadline(small_followup_setting):
    s = small_followup_setting
    with_deadlines(s.period, datetime.date(2023, 9, 15))
    rapportor = user_with_role("rapp", "rapportor", s.unit)
    [task] = tasks_for(rapportor, ON)
    assert task.key == f"followup.write:{s.period.pk}:{s.unit.pk}:report"
    assert task.kind == "write"
    assert task.url == FORM
    assert task.due == datetime.date(2023, 9, 15)
    assert task.unit_name == "Regionstyrelsen"
    assert task.days_left(ON) == 14


def test_an_earlier_deadline_of_the_unit_decides(small_followup_setting):
    s = small_followup_setting
    with_deadlines(s.period, datetime.date(2023, 9, 15))
    UnitDeadline.objects.create(
        period=s.period, unit=s.unit.parent, report_by=datetime.date(2023, 9, 8)
    )
    [task] = tasks_for(user_with_role("rapp", "rapportor", s.unit), ON)
    assert task.due == datetime.date(2023, 9, 8)


def test_the_nearest_writers_have_the_report_not_those_above(small_followup_setting):
    s = small_followup_setting
    top = user_with_role("topp", "planerare", s.unit.parent)  # on fullmäktige
    assert keys(fresh(top)) == [f"followup.write:{s.period.pk}:{s.unit.pk}:report"]
    user_with_role("rapp", "rapportor", s.unit)  # now styrelsen has its own
    assert keys(fresh(top)) == []


def test_an_assigned_entry_is_its_responsibles_and_nobody_elses(two_regions_with_roles):
    w = two_regions_with_roles
    with_deadlines(w.period, datetime.date(2024, 9, 20))
    on = datetime.date(2024, 9, 1)
    entry_key = f"followup.write:{w.period.pk}:{w.unit.pk}:activity-{w.activity.pk}"
    report_key = f"followup.write:{w.period.pk}:{w.unit.pk}:report"
    [task] = tasks_for(w.user("rapportor_inne"), on)
    assert task.key == entry_key
    assert task.url == f"/uppfoljning/0099/{w.period.slug}/styrelsen/#activity-{w.activity.pk}"
    assert task.due == datetime.date(2024, 9, 20)
    # The planerare writes every entry: the unit's report is theirs though one is assigned.
    assert keys(w.user("planerare_inne"), on) == [report_key]
    for name in ("rapportor_ute", "planerare_ute", "granskare_ute", "lasare_inne", "allmanhet"):
        assert keys(w.user(name), on) == [], name
    assert keys(w.user("rot"), on) == []  # a superuser's reach is not their work


def test_a_klar_entry_and_a_closed_period_have_no_tasks(two_regions_with_roles):
    w = two_regions_with_roles
    FollowUp.objects.filter(pk=w.followup.pk).update(state=FollowUp.State.KLAR)
    assert keys(w.user("rapportor_inne")) == []
    w.period.status = ReportingPeriod.Status.CLOSED
    w.period.save()
    assert keys(fresh(w.user("planerare_inne"))) == []


def test_submit_review_return_move_the_tasks(completed_followup_setting):
    s = completed_followup_setting
    with_deadlines(s.period, datetime.date(2023, 9, 15), datetime.date(2023, 9, 29))
    writer = user_with_role("rapp", "planerare", s.unit)
    reviewer = user_with_role("gransk", "granskare", s.unit.parent)  # reviews what is below
    assert keys(writer) == [f"followup.write:{s.period.pk}:{s.unit.pk}:report"]
    assert keys(reviewer) == []
    report = submit_report(s.unit, s.period, actor=writer)
    assert keys(fresh(writer)) == []
    [review] = tasks_for(fresh(reviewer), ON)
    assert review.kind == "review"
    assert review.key.startswith(f"followup.review:{s.period.pk}:{s.unit.pk}:")
    assert review.due == datetime.date(2023, 9, 29)
    assert review.url == FORM
    assert "rapp" in review.detail
    return_report(s.unit, s.period, actor=reviewer, comment="Komplettera målen.")
    assert keys(fresh(reviewer)) == []
    [returned] = tasks_for(fresh(writer), ON)
    assert returned.kind == "returned"
    assert returned.detail == "Komplettera målen."
    assert returned.due == datetime.date(2023, 9, 15)
    assert returned.key != review.key
    submit_report(s.unit, s.period, actor=writer)
    [second] = tasks_for(fresh(reviewer), ON)
    assert second.key.startswith(f"followup.review:{s.period.pk}:{s.unit.pk}:")
    approve_report(s.unit, s.period, actor=reviewer)
    assert keys(fresh(reviewer)) == [] and keys(fresh(writer)) == []
    assert report.pk


def test_overdue_first_then_by_deadline_then_without(small_followup_setting):
    s = small_followup_setting
    with_deadlines(s.period, datetime.date(2023, 8, 30))  # two days late on ON
    earlier = ReportingPeriod.objects.create(
        organisation=s.period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport april 2023",
        ends_on=datetime.date(2023, 4, 30),
        report_by=datetime.date(2023, 9, 10),
    )
    planner = user_with_role("plan", "planerare", s.unit)
    draft = Plan.objects.create(unit=s.unit, year=2024, title="Plan 2024")
    send_for_review(draft, actor=planner)
    found = tasks_for(fresh(planner), ON)
    assert [task.due for task in found] == [
        datetime.date(2023, 8, 30),
        datetime.date(2023, 9, 10),
        None,
    ]
    assert found[0].is_overdue(ON) and not found[1].is_overdue(ON)
    assert found[1].key == f"followup.write:{earlier.pk}:{s.unit.pk}:report"
    assert found[2].key == f"plans.decide:{draft.pk}"
    assert found[2].url == f"/planer/{draft.pk}/besluta/"


def test_a_plan_sent_for_review_awaits_those_who_may_decide_it(two_regions_with_roles):
    w = two_regions_with_roles
    send_for_review(w.draft, actor=w.user("planerare_inne"))
    for name in ("planerare_inne", "administrator_inne"):
        assert f"plans.decide:{w.draft.pk}" in keys(fresh(w.user(name))), name
    for name in ("rapportor_inne", "granskare_inne", "planerare_ute", "allmanhet"):
        assert f"plans.decide:{w.draft.pk}" not in keys(fresh(w.user(name))), name
    assert f"plans.decide:{w.other_draft.pk}" not in keys(fresh(w.user("planerare_ute")))


def test_an_uppdrag_given_to_a_unit_is_its_writers(small_followup_setting):
    s = small_followup_setting
    stab = Unit.objects.create(
        organisation=s.unit.organisation, parent=s.unit, slug="stab", name="Staben", kind="stab"
    )
    other = Unit.objects.create(
        organisation=s.unit.organisation, parent=s.unit, slug="annan", name="Annan", kind="stab"
    )
    s.assignment.responsible = stab
    s.assignment.save()
    mine = user_with_role("stabrapp", "rapportor", stab)
    theirs = user_with_role("annanrapp", "rapportor", other)
    found = [task for task in tasks_for(mine, ON) if task.kind == "assignment"]
    [task] = found
    assert task.key == f"plans.assignment:{s.assignment.pk}:{stab.pk}"
    assert task.url == f"/planer/{s.plan.pk}/#assignment-{s.assignment.pk}"
    assert task.unit_name == "Staben" and task.due is None
    assert [t for t in tasks_for(theirs, ON) if t.kind == "assignment"] == []
    # Only in the plan's year.
    later = tasks_for(fresh(mine), datetime.date(2024, 2, 1))
    assert [t for t in later if t.kind == "assignment"] == []
    # The uppdrag makes the stab's follow-up in the open period its rapportör's too.
    assert f"followup.write:{s.period.pk}:{stab.pk}:report" in {t.key for t in later}


def test_an_atgard_is_due_with_its_units_report(control_region_with_risks):
    r = control_region_with_risks
    with_deadlines(r.delar, datetime.date(2023, 9, 15))
    rapportor = user_with_role("rapp-a", "rapportor", r.namnd_a)
    measures = [task for task in tasks_for(rapportor, ON) if task.kind == "measure"]
    own = r.own.measures.get()
    wide = r.risk.measures.get()
    assert {task.key for task in measures} >= {
        f"control.measure:{r.delar.pk}:{r.namnd_a.pk}:{own.pk}",
        f"control.measure:{r.delar.pk}:{r.namnd_a.pk}:{wide.pk}",
    }
    task = next(t for t in measures if t.key.endswith(f":{own.pk}") and str(r.delar.pk) in t.key)
    assert task.due == datetime.date(2023, 9, 15)
    assert task.url == f"/internkontroll/atgard/{own.pk}/uppfoljning/{r.delar.pk}/namnd-a/"
    # Nämnd B's rapportör has the region-wide åtgärd for Nämnd B, never Nämnd A's.
    other = user_with_role("rapp-b", "rapportor", r.namnd_b)
    assert all(f":{r.namnd_a.pk}:" not in key for key in keys(other))
    # Written klar: gone, and an assigned åtgärd entry is not listed twice.
    planner = user_with_role("plan-a", "planerare", r.namnd_a)
    save_followup(own, r.delar, actor=planner, unit=r.namnd_a, responsible=rapportor)
    listed = keys(fresh(rapportor))
    assert listed.count(f"control.measure:{r.delar.pk}:{r.namnd_a.pk}:{own.pk}") == 1
    assert not any(key.startswith("followup.write") and "measure" in key for key in listed)
    assert f"control.measure:{r.delar.pk}:{r.namnd_a.pk}:{own.pk}" not in keys(fresh(planner))


def _count(user, on=ON) -> int:
    with CaptureQueriesContext(connection) as captured:
        tasks_for(fresh(user), on)
    return len(captured.captured_queries)


def test_the_queries_do_not_grow_with_the_units(completed_followup_setting):
    s = completed_followup_setting
    with_deadlines(s.period, datetime.date(2023, 9, 15))
    granskare = user_with_role("gransk", "granskare", s.unit.parent)
    writer = user_with_role("plan", "planerare", s.unit.parent)
    submit_report(s.unit, s.period, actor=writer)
    before = (_count(granskare), _count(writer))
    assert len(tasks_for(fresh(granskare), ON)) == 1
    for number in range(12):
        stab = Unit.objects.create(
            organisation=s.unit.organisation,
            parent=s.unit,
            slug=f"stab-{number}",
            name=f"Stab {number}",
            kind="stab",
        )
        rapportor = user_with_role(f"rapp-{number}", "rapportor", stab)
        FollowUp.objects.create(
            period=s.period,
            unit=stab,
            content_type=ContentType.objects.get_for_model(Assignment),
            object_id=s.assignment.pk,
            responsible=rapportor,
        )
        UnitReport.objects.create(
            period=s.period, unit=stab, state=UnitReport.State.INLAMNAD, submitted_at=timezone.now()
        )
    assert len(tasks_for(fresh(granskare), ON)) == 13
    after = (_count(granskare), _count(writer))
    assert after == before
    assert max(after) <= 30
    assert _count(rapportor) <= 30


def test_a_period_is_written_once_it_is_over(small_followup_setting):
    s = small_followup_setting
    rapportor = user_with_role("rapp", "rapportor", s.unit)
    assert keys(rapportor, datetime.date(2023, 7, 30)) == []
    assert keys(fresh(rapportor), datetime.date(2023, 7, 31)) == [
        f"followup.write:{s.period.pk}:{s.unit.pk}:report"
    ]


def test_a_periodrapport_asks_only_units_with_something_in_its_scope(small_followup_setting):
    s = small_followup_setting
    april = ReportingPeriod.objects.create(
        organisation=s.period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport april 2023",
        ends_on=datetime.date(2023, 4, 30),
    )
    stab = Unit.objects.create(
        organisation=s.unit.organisation, parent=s.unit, slug="stab", name="Staben", kind="stab"
    )
    s.assignment.responsible = stab  # an uppdrag: in the delårsrapport, not a periodrapport
    s.assignment.save()
    board = user_with_role("styr", "rapportor", s.unit)  # styrelsen has a budget table
    rapportor = user_with_role("stabrapp", "rapportor", stab)
    assert f"followup.write:{april.pk}:{s.unit.pk}:report" in keys(board)
    mine = keys(rapportor)
    assert f"followup.write:{s.period.pk}:{stab.pk}:report" in mine
    assert f"followup.write:{april.pk}:{stab.pk}:report" not in mine
