"""Copy forward: a new period's entries start from the latest earlier text, marked as copied
until someone edits it; refused into a closed period or a locked report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.carry import copy_forward
from uppsikt.followup.actions.entries import followup_for, save_followup
from uppsikt.followup.actions.reports import submit_report
from uppsikt.followup.models import FollowUp
from uppsikt.followup.revisions import revisions_of
from uppsikt.periods.actions import close_period
from uppsikt.periods.models import ReportingPeriod

from .builders import user_with_role
from .followup_setup import complete, small_setting

pytestmark = pytest.mark.django_db
Kind = ReportingPeriod.Kind


def later_period(setting, kind=Kind.VERKSAMHETSBERATTELSE, ends_on=datetime.date(2023, 12, 31)):
    return ReportingPeriod.objects.create(
        organisation=setting.period.organisation,
        year=ends_on.year,
        kind=kind,
        name=f"{kind.label} {ends_on.year}",
        slug=f"{ends_on.year}-{kind}-{ends_on.month:02d}",
        ends_on=ends_on,
    )


def test_copy_forward_fills_entries_without_text_and_marks_them(small_followup_setting):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)  # every item has a text in the delårsrapport
    later = later_period(setting)
    own = save_followup(setting.activity, later, actor=planner, comment="Egen text.")
    result = copy_forward(setting.unit, later, actor=planner)
    assert len(result.copied) == len(setting.targets) - 1
    entries = list(FollowUp.objects.filter(period=later))
    own.refresh_from_db()
    assert (own.comment, own.copied_from) == ("<p>Egen text.</p>", None)
    assignment = followup_for(setting.assignment, later)
    assert assignment.comment == f"<p>Kommentar om {setting.assignment}.</p>"
    assert assignment.copied_from == setting.period and assignment.state == "utkast"
    assert assignment.status == ""  # only the text is copied
    events = AuditEvent.objects.filter(action="followup.copy")
    assert events.count() == len(result.copied)
    assert events.first().reason == "Texten hämtades från Delårsrapport 2023."
    assert [r.copied for r in revisions_of(assignment)] == [True]
    assert len(entries) == len(setting.targets)
    # Again: nothing left to copy.
    assert copy_forward(setting.unit, later, actor=planner).copied == []


def test_saving_a_changed_text_clears_the_mark_and_the_same_text_keeps_it(small_followup_setting):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    later = later_period(setting)
    copy_forward(setting.unit, later, actor=planner)
    target = setting.assignment
    text = f"Kommentar om {target}."
    save_followup(target, later, actor=planner, status="pagar", comment=text)
    entry = followup_for(target, later)
    assert entry.copied_from == setting.period  # saved, but the text is what was copied
    save_followup(target, later, actor=planner, comment="Nu skriven för året.")
    entry.refresh_from_db()
    assert entry.copied_from is None
    event = AuditEvent.objects.filter(action="followup.update").order_by("-sequence").first()
    assert (event.before["copied_from_id"], event.after["copied_from_id"]) == (
        setting.period.pk,
        None,
    )


def test_refusals_change_nothing(small_followup_setting):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    later = later_period(setting)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        copy_forward(setting.unit, later, actor=user_with_role("g", "granskare"))
    close_period(later, actor=user_with_role("admin", "administrator"))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        copy_forward(setting.unit, later, actor=planner)
    assert error.value.error_list[0].code == "period_closed"
    assert not FollowUp.objects.filter(period=later).exists()
    assert AuditEvent.objects.count() == before
    # A submitted report takes nothing either.
    third = later_period(setting, Kind.DELARSRAPPORT, datetime.date(2023, 8, 31))
    save_followup(setting.activity, third, actor=planner, comment="Egen.")
    complete_in(setting, third, planner)
    submit_report(setting.unit, third, actor=planner)
    FollowUp.objects.filter(pk=followup_for(setting.assignment, third).pk).update(comment="")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        copy_forward(setting.unit, third, actor=planner)
    assert error.value.error_list[0].code == "report_locked"
    assert AuditEvent.objects.count() == before


def complete_in(setting, period, actor):
    from uppsikt.followup.actions.entries import set_state

    for target in setting.targets:
        status = {"Goal": "uppfyllt", "BudgetTable": "risk"}.get(type(target).__name__, "pagar")
        entry = save_followup(target, period, actor=actor, status=status, comment="Skrivet.")
        if entry.state == "utkast":
            set_state(entry, "klar", actor=actor)


def test_a_rapportor_copies_only_the_entries_assigned_to_them(small_followup_setting):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    reporter = user_with_role("rapportor", "rapportor")
    complete(setting, planner)
    save_followup(setting.activity, setting.period, actor=planner, responsible=reporter)
    later = later_period(setting)
    result = copy_forward(setting.unit, later, actor=reporter)
    assert [e.pk for e in result.copied] == [followup_for(setting.activity, later).pk]
    assert result.not_yours == len(setting.targets) - 1


PERIODS = [
    (Kind.PERIODRAPPORT, datetime.date(2023, 3, 31)),
    (Kind.DELARSRAPPORT, datetime.date(2023, 7, 31)),
    (Kind.PERIODRAPPORT, datetime.date(2023, 10, 31)),
    (Kind.VERKSAMHETSBERATTELSE, datetime.date(2023, 12, 31)),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(st.sampled_from(["", "A", "B"]), min_size=3, max_size=3), last=st.booleans())
def test_the_text_comes_from_the_latest_earlier_period_that_has_one(texts, last):
    """Earlier periods (in order) hold the activity's text or none; the årsredovisning gets
    the latest one (its verksamhetsberättelse of the same date counts as earlier)."""
    from django.db import transaction

    with transaction.atomic():
        setting = small_setting()
        setting.period.delete()
        planner = user_with_role("planerare", "planerare")
        periods = [later_period(setting, kind, ends_on) for kind, ends_on in PERIODS]
        written = [*texts, "D" if last else ""]
        for period, text in zip(periods, written, strict=True):
            if text:
                save_followup(setting.activity, period, actor=planner, comment=text)
        target = later_period(setting, Kind.ARSREDOVISNING)
        copy_forward(setting.unit, target, actor=planner)
        entry = followup_for(setting.activity, target)
        expected = next(
            ((t, p) for t, p in zip(reversed(written), reversed(periods), strict=True) if t),
            None,
        )
        if expected is None:
            assert entry is None
        else:
            assert (entry.comment, entry.copied_from) == (f"<p>{expected[0]}</p>", expected[1])
        transaction.set_rollback(True)


def test_the_button_on_the_unit_page_copies_and_the_page_shows_the_mark(
    client, small_followup_setting
):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    later = later_period(setting)
    url = f"/uppfoljning/0099/{later.slug}/styrelsen/"
    client.force_login(user_with_role("g", "granskare"))
    assert "Hämta texter från förra perioden" not in client.get(url).content.decode()
    assert client.post(url + "hamta-texter/").status_code == 403
    client.force_login(planner)
    page = client.get(url).content.decode()
    assert "Hämta texter från förra perioden" in page
    assert f"{len(setting.targets)} uppföljningar saknar text" in page
    response = client.post(url + "hamta-texter/", follow=True)
    page = response.content.decode()
    assert f"{len(setting.targets)} texter hämtades från förra perioden." in page
    assert page.count("Kopierad från Delårsrapport 2023") == len(setting.targets)
    assert "Hämta texter från förra perioden" not in page  # nothing left to copy
    assert client.get(url + "hamta-texter/").status_code == 405
    close_period(later, actor=user_with_role("admin", "administrator"))
    response = client.post(url + "hamta-texter/", follow=True)
    assert "är stängt: inga texter kan hämtas dit." in response.content.decode()
