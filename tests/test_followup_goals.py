"""A goal's status in a follow-up is its assessment: one truth, decided in one place."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.followup.queries import entries_for, statuses_for
from uppsikt.followup.scope import in_scope
from uppsikt.followup.text import comment_as_markup, sanitise_comment
from uppsikt.indicators.actions import decide_assessment
from uppsikt.indicators.followup import assessment_for
from uppsikt.indicators.models import Assessment
from uppsikt.periods.actions import close_period

from .builders import user_with_role
from .followup_setup import small_setting

pytestmark = pytest.mark.django_db


def test_the_period_assesses_its_month_or_its_year():
    setting = small_setting()
    assert setting.period.assessment_period == "2023-07"
    setting.period.ends_on = setting.period.ends_on.replace(month=12, day=31)
    assert setting.period.assessment_period == "2023"


def test_a_goal_without_measurable_indicators_gets_a_proposal_that_says_so():
    setting = small_setting()
    assessment = assessment_for(setting.goals[0], setting.period)
    assert (assessment.period, assessment.proposed_status) == ("2023-07", "ej_bedombar")
    assert assessment.decided_status is None
    assert "Ingen av målets indikatorer är kopplad till mätvärden" in assessment.proposed_reason


def test_the_goal_status_is_decided_on_the_assessment_and_not_copied():
    setting = small_setting()
    goal = setting.goals[0]
    planner = user_with_role("planerare", "planerare")
    entry = save_followup(
        goal, setting.period, actor=planner, status="delvis_uppfyllt", comment="Hälften nådd."
    )
    assessment = Assessment.objects.get(goal=goal, period="2023-07")
    assert (assessment.decided_status, assessment.comment) == ("delvis_uppfyllt", "Hälften nådd.")
    assert entry.status == ""  # the entry keeps no copy
    assert AuditEvent.objects.filter(action="assessment.decide").count() == 1

    # Deciding on the assessment page changes what the follow-up shows: there is one truth.
    decide_assessment(assessment, actor=planner, status="uppfyllt", comment="Nytt utfall.")
    items = in_scope(setting.unit, setting.period)
    statuses = statuses_for(items, entries_for(setting.period, [setting.unit]), setting.period)
    assert statuses[items[0].key] == "uppfyllt"


def test_deviating_from_the_proposal_needs_the_comment_and_nothing_is_saved_without():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    with pytest.raises(ValidationError) as error:
        save_followup(setting.goals[0], setting.period, actor=planner, status="uppfyllt")
    assert "comment" in error.value.message_dict
    assert "avviker från förslaget (ej bedömbar)" in error.value.message_dict["comment"][0]
    assert not FollowUp.objects.exists()
    assert not Assessment.objects.filter(decided_status__isnull=False).exists()


def test_agreeing_with_the_proposal_needs_no_comment_and_klar_needs_a_decision():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    goal = setting.goals[0]
    entry = save_followup(goal, setting.period, actor=planner, comment="Inget att bedöma ännu.")
    with pytest.raises(ValidationError, match="Besluta målets bedömning"):
        set_state(entry, "klar", actor=planner)
    save_followup(goal, setting.period, actor=planner, status="ej_bedombar")
    assert set_state(entry, "klar", actor=planner).state == "klar"


def test_a_rapportor_writes_the_comment_but_a_planner_decides_the_status():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    reporter = user_with_role("rapportor", "rapportor")
    goal = setting.goals[0]
    save_followup(goal, setting.period, actor=planner, responsible=reporter)
    save_followup(goal, setting.period, actor=reporter, comment="Analys från verksamheten.")
    with pytest.raises(PermissionDenied, match="planerare"):
        save_followup(goal, setting.period, actor=reporter, status="ej_bedombar")
    assert FollowUp.objects.get().comment == "<p>Analys från verksamheten.</p>"


def test_a_closed_period_keeps_its_assessments_even_from_the_goal_page():
    setting = small_setting()
    planner = user_with_role("planerare", "planerare")
    save_followup(setting.goals[0], setting.period, actor=planner, status="ej_bedombar")
    close_period(setting.period, actor=user_with_role("admin", "administrator"))
    assessment = Assessment.objects.get(period="2023-07")
    with pytest.raises(ValidationError, match="stängt"):
        decide_assessment(assessment, actor=planner, status="uppfyllt", comment="Sent utfall.")
    assessment.refresh_from_db()
    assert assessment.decided_status == "ej_bedombar"


@pytest.mark.parametrize(
    "text",
    ["Klart.\n\n- HR\n- Ekonomi", "rad ett\nrad två", "1 < 2 & 3", "Ett stycke.\n\nEtt till."],
)
def test_a_comment_edited_again_comes_back_unchanged(text):
    stored = sanitise_comment(text)
    assert sanitise_comment(comment_as_markup(stored)) == stored


lines = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="<>\r\u2028\u2029"
    ),
    max_size=30,
)


@given(st.lists(st.one_of(lines, st.builds(lambda t: "- " + t, lines)), max_size=8))
def test_any_comment_survives_being_edited_again(parts):
    """What the form shows for editing is saved back to exactly the same comment."""
    stored = sanitise_comment("\n".join(parts))
    assert sanitise_comment(comment_as_markup(stored)) == stored


def test_a_goal_with_indicators_without_values_is_not_said_to_have_none():
    setting = small_setting()
    with_indicators, without = setting.goals[0], setting.goals[1]
    assert with_indicators.indicators.exists()
    without.indicators.all().delete()
    reason = assessment_for(with_indicators, setting.period).proposed_reason
    assert "inga indikatorer" not in reason and "Ingen av målets indikatorer" in reason
    reason = assessment_for(without, setting.period).proposed_reason
    assert reason == "Målet har inga indikatorer och bedöms utan förslag."


def test_demo_example_comments_never_speak_of_indicators_a_goal_cannot_measure():
    """Review #17: example follow-up copy must not contradict the goal it sits on."""
    from uppsikt.control.demo import ensure_periods
    from uppsikt.organisations.models import Organisation, Unit
    from uppsikt.reports.demo import example_for

    from .builders import load_demo

    load_demo()
    period = ensure_periods(Organisation.objects.get(code="0018"))["delarsrapport"]
    checked = 0
    for slug in ("regionstyrelsen", "regionkansliet"):
        unit = Unit.objects.get(organisation__code="0018", slug=slug)
        for item in in_scope(unit, period):
            if item.label != "plans.goal":
                continue
            _status, comment = example_for(item, period)
            proposal = assessment_for(item.target, period)
            if proposal.proposed_status == "ej_bedombar":
                checked += 1
                assert "ndikator" not in comment, (item.title, comment)
            if item.target.indicators.exists():
                assert "inga indikatorer" not in proposal.proposed_reason, item.title
    assert checked >= 3
