"""A unit's report: submit, withdraw, approve, return; every illegal move refused by name."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup import queries as workflow_queries
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.actions.reports import (
    ACTION_LABELS,
    APPROVE,
    RETURN,
    SUBMIT,
    TRANSITIONS,
    WITHDRAW,
    approve_report,
    return_report,
    submit_report,
    withdraw_report,
)
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.periods.actions import close_period

from .builders import user_with_role
from .followup_setup import complete, small_setting

pytestmark = pytest.mark.django_db
State = UnitReport.State
DO = {
    SUBMIT: lambda s, actor: submit_report(s.unit, s.period, actor=actor),
    WITHDRAW: lambda s, actor: withdraw_report(s.unit, s.period, actor=actor),
    APPROVE: lambda s, actor: approve_report(s.unit, s.period, actor=actor),
    RETURN: lambda s, actor: return_report(s.unit, s.period, actor=actor, comment="Se över."),
}
ILLEGAL = [
    (state, action)
    for state, action in itertools.product(State.values, DO)
    if (state, action) not in TRANSITIONS
]


def test_the_table_of_moves_is_what_the_docs_say():
    assert {(s, a): t for (s, a), (t, _perm) in TRANSITIONS.items()} == {
        ("utkast", "submit"): "inlamnad",
        ("aterford", "submit"): "inlamnad",
        ("inlamnad", "withdraw"): "utkast",
        ("inlamnad", "approve"): "godkand",
        ("inlamnad", "return"): "aterford",
        ("godkand", "return"): "aterford",
    }
    assert len(ILLEGAL) == 4 * 4 - 6


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_move_is_refused_naming_the_state_and_the_action(state, action):
    setting = small_setting()
    complete(setting)
    UnitReport.objects.create(unit=setting.unit, period=setting.period, state=state)
    before = AuditEvent.objects.count()
    admin = user_with_role("chef", "administrator")
    with pytest.raises(ValidationError) as error:
        DO[action](setting, admin)
    expected = f"En rapport som är {State(state).label.lower()} kan inte {ACTION_LABELS[action]}."
    assert error.value.messages == [expected]
    assert UnitReport.objects.get().state == state
    assert AuditEvent.objects.count() == before


def test_submit_needs_every_entry_in_scope_klar_and_is_audited():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    entry = save_followup(setting.activity, setting.period, actor=planner, status="pagar")
    with pytest.raises(ValidationError, match=r"5 av 5 uppföljningar är inte klara"):
        submit_report(setting.unit, setting.period, actor=planner)
    assert not UnitReport.objects.exists()
    set_state(entry, "klar", actor=planner)
    with pytest.raises(ValidationError, match=r"4 av 5 uppföljningar är inte klara"):
        submit_report(setting.unit, setting.period, actor=planner)
    complete(setting, planner)
    report = submit_report(setting.unit, setting.period, actor=planner)
    assert (report.state, report.submitted_by) == ("inlamnad", planner)
    event = AuditEvent.objects.filter(action="report.submit").get()
    assert event.after == {"state": "inlamnad", "entries": 5}


def test_roles_decide_who_submits_and_who_reviews():
    setting = small_setting()
    complete(setting)
    reviewer = user_with_role("granskare", "granskare")
    reporter = user_with_role("rapportor", "rapportor")
    with pytest.raises(PermissionDenied):
        submit_report(setting.unit, setting.period, actor=reviewer)
    submit_report(setting.unit, setting.period, actor=reporter)
    with pytest.raises(PermissionDenied):
        approve_report(setting.unit, setting.period, actor=reporter)
    outsider = user_with_role("annan", "granskare", "fullmaktige")  # above styrelsen: inherits
    approve_report(setting.unit, setting.period, actor=outsider)
    assert UnitReport.objects.get().state == "godkand"


def test_approval_reviews_every_entry_and_locks_them():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    submit_report(setting.unit, setting.period, actor=planner)
    with pytest.raises(ValidationError, match="inlämnad"):
        save_followup(setting.activity, setting.period, actor=planner, comment="Ändrad")
    approve_report(setting.unit, setting.period, actor=user_with_role("g", "granskare"))
    assert set(FollowUp.objects.values_list("state", flat=True)) == {"granskad"}
    with pytest.raises(ValidationError):
        save_followup(setting.activity, setting.period, actor=planner, comment="Ändrad")
    event = AuditEvent.objects.get(action="report.approve")
    assert event.after["entries_reviewed"] == 5


def test_returning_needs_a_comment_and_sends_the_named_entries_back_to_utkast():
    setting = small_setting()
    planner, reviewer = user_with_role("planerare", "planerare"), user_with_role("g", "granskare")
    entries = complete(setting, planner)
    submit_report(setting.unit, setting.period, actor=planner)
    with pytest.raises(ValidationError) as error:
        return_report(setting.unit, setting.period, actor=reviewer, comment="  ")
    assert "comment" in error.value.message_dict
    assert UnitReport.objects.get().state == "inlamnad"
    return_report(
        setting.unit,
        setting.period,
        actor=reviewer,
        comment="Motivera budgetavvikelsen.",
        reopen=[entries[-1].pk],
    )
    report = UnitReport.objects.get()
    assert (report.state, report.review_comment) == ("aterford", "Motivera budgetavvikelsen.")
    states = dict(FollowUp.objects.values_list("pk", "state"))
    assert states.pop(entries[-1].pk) == "utkast"
    assert set(states.values()) == {"klar"}
    with pytest.raises(ValidationError, match="1 av 5"):
        submit_report(setting.unit, setting.period, actor=planner)
    set_state(entries[-1], "klar", actor=planner)
    assert submit_report(setting.unit, setting.period, actor=planner).state == "inlamnad"


def test_an_approved_report_can_be_returned_and_its_entries_become_klar_again():
    setting = small_setting()
    planner, reviewer = user_with_role("planerare", "planerare"), user_with_role("g", "granskare")
    complete(setting, planner)
    submit_report(setting.unit, setting.period, actor=planner)
    approve_report(setting.unit, setting.period, actor=reviewer)
    return_report(setting.unit, setting.period, actor=reviewer, comment="Fel år i tabellen.")
    assert set(FollowUp.objects.values_list("state", flat=True)) == {"klar"}


def test_a_closed_period_refuses_every_report_action():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    close_period(setting.period, actor=user_with_role("admin", "administrator"))
    for action in DO:
        with pytest.raises(ValidationError, match="stängt"):
            DO[action](setting, user_with_role(f"a-{action}", "administrator"))


ROLES = ["planerare", "rapportor", "granskare", "lasare"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(list(DO)), st.sampled_from(ROLES)), max_size=8))
def test_any_sequence_of_attempts_follows_the_table(steps):
    """Whatever people try, the report only ever moves along TRANSITIONS, with the right role."""
    from django.db import transaction

    with transaction.atomic():
        setting = small_setting()
        people = {role: user_with_role(f"u-{role}", role) for role in ROLES}
        complete(setting, people["planerare"])
        state = "utkast"
        for action, role in steps:
            move = TRANSITIONS.get((state, action))
            allowed = (
                move is not None
                and move[1]
                in {
                    "planerare": {"view", "plan", "report"},
                    "rapportor": {"view", "report"},
                    "granskare": {"view", "review"},
                    "lasare": {"view"},
                }[role]
            )
            try:
                DO[action](setting, people[role])
            except (ValidationError, PermissionDenied):
                assert not allowed, (state, action, role)
            else:
                assert allowed, (state, action, role)
                state = move[0]
            assert workflow_queries.report_for(setting.unit, setting.period).state == state
        transaction.set_rollback(True)
