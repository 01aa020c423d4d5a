"""Two people with the same follow-up page open: the first save stands; the second person's
change to the same entry is refused and shown beside the saved text, and a change to another
entry goes through without emptying the first person's text."""

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.followup.actions.entries import save_followup
from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import EditConflict

from .builders import two_planner_clients, user_with_role
from .html_forms import form_data

pytestmark = pytest.mark.django_db
FORM = "/uppfoljning/0099/2023-delarsrapport/styrelsen/"


@pytest.fixture
def anna_and_bo_on_followup(small_followup_setting):
    """Anna and Bo with the page open, each in their own session."""
    return two_planner_clients()


def _open(client, field):
    return form_data(client.get(FORM).content.decode(), containing=field)


def _entry(target):
    return FollowUp.objects.get(object_id=target.pk, content_type__model=target._meta.model_name)


def test_the_second_save_of_the_same_entry_is_refused_and_shows_both_texts(
    anna_and_bo_on_followup, small_followup_setting
):
    first, second = anna_and_bo_on_followup
    comment = f"f-activity-{small_followup_setting.activity.pk}-comment"
    annas, bos = _open(first, comment), _open(second, comment)
    annas[comment] = "Annas text: startad i maj."
    assert first.post(FORM, annas).status_code == 302
    bos[comment] = "Bos text: inte påbörjad."
    response = second.post(FORM, bos)
    assert response.status_code == 200
    page = response.content.decode()
    assert "har skrivits av någon annan sedan du öppnade sidan" in page
    assert "Uppföljningen av Utbilda alla chefer i SAM." in page  # the item is named
    assert "Annas text: startad i maj." in page  # theirs, shown
    assert "Sparat av Anna Ek" in page  # by whom (and when)
    assert "Bos text: inte påbörjad.</textarea>" in page  # the user's own, kept in the form
    assert _entry(small_followup_setting.activity).comment == "<p>Annas text: startad i maj.</p>"
    # After merging, saving again goes through: the page now carries Anna's version.
    merged = form_data(page, containing=comment)
    merged[comment] = "Annas text: startad i maj. Bos tillägg."
    assert second.post(FORM, merged).status_code == 302
    assert (
        _entry(small_followup_setting.activity).comment
        == "<p>Annas text: startad i maj. Bos tillägg.</p>"
    )


def test_a_change_to_another_entry_goes_through_and_keeps_the_first_text(
    anna_and_bo_on_followup, small_followup_setting, django_user_model
):
    first, second = anna_and_bo_on_followup
    activity = f"f-activity-{small_followup_setting.activity.pk}-comment"
    assignment = f"f-assignment-{small_followup_setting.assignment.pk}-comment"
    save_followup(
        small_followup_setting.assignment,
        small_followup_setting.period,
        actor=django_user_model.objects.get(username="anna"),
        comment="Uppdraget är påbörjat.",
    )
    annas, bos = _open(first, activity), _open(second, activity)
    annas[activity] = "Annas text."
    annas[assignment] = "Uppdraget är klart till hälften."
    assert first.post(FORM, annas).status_code == 302
    events = AuditEvent.objects.count()
    bos[f"f-activity-{small_followup_setting.activity.pk}-status"] = ""  # unchanged
    bos[f"f-goal-{small_followup_setting.goals[1].pk}-comment"] = "Bos kommentar till målet."
    response = second.post(FORM, bos)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _entry(small_followup_setting.activity).comment == "<p>Annas text.</p>"
    assert (
        _entry(small_followup_setting.assignment).comment
        == "<p>Uppdraget är klart till hälften.</p>"
    )
    assert _entry(small_followup_setting.goals[1]).comment == "<p>Bos kommentar till målet.</p>"
    assert AuditEvent.objects.count() == events + 1  # only Bo's one entry was written


def test_the_action_refuses_a_stale_version_with_code_conflict(small_followup_setting):
    anna = user_with_role("anna", "planerare")
    entry = save_followup(
        small_followup_setting.activity, small_followup_setting.period, actor=anna, comment="Först."
    )
    assert entry.row_version == 1
    entry = save_followup(
        small_followup_setting.activity,
        small_followup_setting.period,
        actor=anna,
        comment="Sedan.",
        expected_version=1,
    )
    assert entry.row_version == 2
    with pytest.raises(EditConflict) as refused:
        save_followup(
            small_followup_setting.activity,
            small_followup_setting.period,
            actor=anna,
            comment="Gammal.",
            expected_version=1,
        )
    assert refused.value.code == "conflict"
    assert _entry(small_followup_setting.activity).comment == "<p>Sedan.</p>"
    with pytest.raises(EditConflict):  # 0: "there was no entry when I looked"
        save_followup(
            small_followup_setting.activity,
            small_followup_setting.period,
            actor=anna,
            comment="x",
            expected_version=0,
        )


def test_the_units_summary_is_guarded_too(anna_and_bo_on_followup, small_followup_setting):
    from uppsikt.followup.models import UnitReport

    first, second = anna_and_bo_on_followup
    annas = _open(first, "rapport-summary")
    bos = _open(second, "rapport-summary")
    annas["rapport-summary"] = "Annas sammanfattning."
    assert first.post(FORM, annas).status_code == 302
    bos[f"f-activity-{small_followup_setting.activity.pk}-comment"] = (
        "Bos kommentar."  # another item: fine
    )
    assert second.post(FORM, bos).status_code == 302
    assert UnitReport.objects.get().summary == "<p>Annas sammanfattning.</p>"
    bos = _open(second, "rapport-summary")
    annas = _open(first, "rapport-summary")
    annas["rapport-summary"] = "Annas andra sammanfattning."
    assert first.post(FORM, annas).status_code == 302
    bos["rapport-summary"] = "Bos sammanfattning."
    page = second.post(FORM, bos).content.decode()
    assert "”Sammanfattningen” har ändrats av någon annan" in page
    assert "Annas andra sammanfattning." in page and "Bos sammanfattning.</textarea>" in page
    assert UnitReport.objects.get().summary == "<p>Annas andra sammanfattning.</p>"
