"""Follow-up entries: validated, permission-checked, sanitised, audited, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.followup.text import comment_as_text, sanitise_comment
from uppsikt.organisations.models import Organisation
from uppsikt.periods.actions import close_period
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Activity, Plan

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity_and_period():
    load_minimal()
    plan = Plan.objects.get()
    activity = Activity.objects.create(plan=plan, text="Utbilda alla chefer i SAM.", position=99)
    period = ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
    )
    return activity, period


def test_a_planner_writes_an_entry_and_it_is_audited(activity_and_period):
    activity, period = activity_and_period
    planner = user_with_role("planerare")
    entry = save_followup(activity, period, actor=planner, status="pagar", comment="Start i maj.")
    assert (entry.status, entry.comment, entry.state) == ("pagar", "<p>Start i maj.</p>", "utkast")
    assert entry.status_label() == "Pågår"
    assert entry.unit == activity.plan.unit
    event = AuditEvent.objects.get(action="followup.create")
    assert event.after["status"] == "pagar"


def test_an_unknown_status_is_refused_and_nothing_is_saved(activity_and_period):
    activity, period = activity_and_period
    with pytest.raises(ValidationError) as error:
        save_followup(activity, period, actor=user_with_role("p"), status="uppfyllt")
    assert "status" in error.value.message_dict
    assert not FollowUp.objects.exists() and not AuditEvent.objects.exists()


def test_a_rapportor_writes_only_entries_assigned_to_them(activity_and_period):
    activity, period = activity_and_period
    planner = user_with_role("planerare")
    reporter = user_with_role("rapportor", "rapportor")
    other = user_with_role("annan", "rapportor")
    with pytest.raises(PermissionDenied):
        save_followup(activity, period, actor=reporter, status="pagar")
    save_followup(activity, period, actor=planner, responsible=reporter)
    with pytest.raises(PermissionDenied):
        save_followup(activity, period, actor=other, status="pagar")
    with pytest.raises(PermissionDenied):  # assigning is a planner's act
        save_followup(activity, period, actor=reporter, responsible=reporter)
    entry = save_followup(activity, period, actor=reporter, status="genomford")
    assert entry.status == "genomford" and entry.written_by == reporter


def test_the_workflow_refuses_illegal_moves_by_name(activity_and_period):
    activity, period = activity_and_period
    planner = user_with_role("planerare")
    reviewer = user_with_role("granskare", "granskare")
    entry = save_followup(activity, period, actor=planner)
    with pytest.raises(ValidationError, match="status eller kommentar"):
        set_state(entry, "klar", actor=planner)
    with pytest.raises(ValidationError, match="från utkast till granskad"):
        set_state(entry, "granskad", actor=reviewer)
    save_followup(activity, period, actor=planner, status="genomford")
    set_state(entry, "klar", actor=planner)
    with pytest.raises(PermissionDenied):
        set_state(entry, "granskad", actor=planner)
    set_state(entry, "granskad", actor=reviewer)
    with pytest.raises(ValidationError, match="granskad"):
        save_followup(activity, period, actor=planner, comment="Ändring i efterhand")
    entry.refresh_from_db()
    assert (entry.state, entry.comment) == ("granskad", "")


def test_a_closed_period_is_read_only(activity_and_period):
    activity, period = activity_and_period
    planner = user_with_role("planerare")
    entry = save_followup(activity, period, actor=planner, status="pagar")
    close_period(period, actor=user_with_role("admin", "administrator"))
    with pytest.raises(ValidationError, match="stängt"):
        save_followup(activity, period, actor=planner, status="genomford")
    with pytest.raises(ValidationError, match="stängt"):
        set_state(entry, "klar", actor=planner)
    entry.refresh_from_db()
    assert entry.status == "pagar"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Klart.\n\n- HR\n- Ekonomi", "<p>Klart.</p><ul><li>HR</li><li>Ekonomi</li></ul>"),
        ("rad ett\nrad två", "<p>rad ett<br>rad två</p>"),
        ('<p onclick="x()">Hej<script>alert(1)</script></p>', "<p>Hej</p>"),
        ('<a href="javascript:alert(1)">länk</a>', '<a rel="noopener noreferrer">länk</a>'),
        ("<b>fet</b> & <i>kursiv</i>", "fet &amp; kursiv"),
        ("   ", ""),
        ("1 < 2 och 3 > 2", "<p>1 &lt; 2 och 3 &gt; 2</p>"),
    ],
)
def test_comments_are_sanitised(written, stored):
    assert sanitise_comment(written) == stored


def test_comment_as_text_drops_markup():
    assert comment_as_text("<p>Klart &amp; gott.</p><ul><li>HR</li></ul>") == "Klart & gott.\n• HR"


def test_several_units_follow_up_the_same_object_each_on_their_own(activity_and_period):
    from uppsikt.organisations.models import Unit

    activity, period = activity_and_period
    admin = user_with_role("admin", "administrator")
    own = save_followup(activity, period, actor=admin, status="pagar")
    board = Unit.objects.get(slug="fullmaktige")
    other = save_followup(activity, period, actor=admin, unit=board, status="genomford")
    assert own.pk != other.pk
    assert [e.status for e in FollowUp.objects.order_by("unit__slug")] == ["genomford", "pagar"]


def _june(period) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        organisation=period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport juni 2023",
        ends_on=datetime.date(2023, 6, 30),
    )


def test_responsibility_carries_over_to_the_next_period(activity_and_period):
    activity, period = activity_and_period
    june = _june(period)
    planner = user_with_role("planerare")
    reporter = user_with_role("rapportor", "rapportor")
    other = user_with_role("annan", "rapportor")
    save_followup(activity, june, actor=planner, responsible=reporter)
    # No one has assigned anything in the delårsrapport: the rapportör still writes it.
    with pytest.raises(PermissionDenied):
        save_followup(activity, period, actor=other, status="pagar")
    entry = save_followup(activity, period, actor=reporter, status="pagar")
    assert entry.responsible == reporter and entry.period == period
    # An earlier period never takes over a later one's own choice.
    later = ReportingPeriod.objects.create(
        organisation=period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport september 2023",
        ends_on=datetime.date(2023, 9, 30),
    )
    save_followup(activity, later, actor=planner, responsible=other)
    assert FollowUp.objects.get(period=later).responsible == other
    assert FollowUp.objects.get(period=june).responsible == reporter


def test_the_latest_earlier_period_decides_and_a_planner_can_change_it(activity_and_period):
    activity, period = activity_and_period
    june = _june(period)
    may = ReportingPeriod.objects.create(
        organisation=period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport maj 2023",
        ends_on=datetime.date(2023, 5, 31),
    )
    planner = user_with_role("planerare")
    first = user_with_role("forsta", "rapportor")
    second = user_with_role("andra", "rapportor")
    save_followup(activity, june, actor=planner, responsible=second)
    save_followup(activity, may, actor=planner, responsible=first)
    with pytest.raises(PermissionDenied):
        save_followup(activity, period, actor=first, status="pagar")
    entry = save_followup(activity, period, actor=planner, responsible=first)
    assert entry.responsible == first


def test_the_follow_up_page_lets_the_carried_rapportor_write(client, activity_and_period):
    from django.urls import reverse

    activity, period = activity_and_period
    june = _june(period)
    reporter = user_with_role("rapportor", "rapportor")
    save_followup(activity, june, actor=user_with_role("planerare"), responsible=reporter)
    unit = activity.plan.unit
    client.force_login(reporter)
    url = reverse("followup:unit", args=[unit.organisation.code, period.slug, unit.slug])
    page = client.get(url).content.decode()
    assert "som förra perioden" in page
    assert "Spara" in page
