"""The review dialogue and copy forward in the REST API: threads listed and posted, refusals
with machine-readable codes, the copied mark on entries."""

import pytest

from uppsikt.api.tokens import create_token
from uppsikt.followup.actions.entries import followup_for, save_followup
from uppsikt.followup.actions.reports import return_report, submit_report
from uppsikt.followup.models import ReviewComment
from uppsikt.periods.actions import close_period

from .api_client import Caller
from .builders import user_with_role
from .followup_setup import complete
from .test_followup_carry import later_period
from .test_followup_dialogue import other_unit

pytestmark = pytest.mark.django_db


def as_user(client, user) -> Caller:
    return Caller(client, create_token(user, actor=user, name="test")[1])


def test_entry_threads_are_listed_and_posted_by_those_who_take_part(client, small_followup_setting):
    setting = small_followup_setting
    entry = save_followup(
        setting.activity, setting.period, actor=user_with_role("p", "planerare"), comment="Text."
    )
    reviewer = as_user(client, user_with_role("granskare", "granskare", setting.unit))
    reader = as_user(client, user_with_role("lasare", "lasare", setting.unit))
    outsider = as_user(client, user_with_role("ute", "granskare", other_unit(setting)))
    path = f"/followups/{entry.pk}/comments"
    response = reviewer.send("post", path, {"text": "Hur går det?"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["followup_id"], body["kind"], body["text"], body["report"]) == (
        entry.pk,
        "comment",
        "<p>Hur går det?</p>",
        False,
    )
    assert reader.get(path).json()["count"] == 1
    response = reader.send("post", path, {"text": "Jag med."})
    assert response.status_code == 403
    assert "får läsa uppföljningen men inte kommentera" in response.json()["message"]
    assert outsider.get(path).status_code == 404
    assert outsider.send("post", path, {"text": "Hej"}).status_code == 404
    response = reviewer.send("post", path, {"text": "   "})
    assert response.status_code == 422
    response = reviewer.send("post", path, {"text": "<p> </p>"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "empty_text"
    assert Caller(client).send("post", path, {"text": "Anonym"}).status_code == 401
    assert ReviewComment.objects.count() == 1


def test_a_report_thread_one_may_not_read_is_refused_with_a_swedish_message(
    client, small_followup_setting
):
    setting = small_followup_setting
    outsider = as_user(client, user_with_role("ute", "rapportor", other_unit(setting)))
    path = f"/reporting-periods/{setting.period.pk}/units/{setting.unit.pk}/comments"
    response = outsider.send("post", path, {"text": "Hej"})
    assert response.status_code == 404
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("unit_id", "not_readable")
    assert "får du inte läsa den" in error["message"]
    assert outsider.get(path).status_code == 404
    assert not ReviewComment.objects.exists()


def test_the_return_comment_is_in_the_report_thread_and_a_closed_period_takes_no_more(
    client, small_followup_setting
):
    setting = small_followup_setting
    planner, reviewer = user_with_role("planerare", "planerare"), user_with_role("g", "granskare")
    complete(setting, planner)
    submit_report(setting.unit, setting.period, actor=planner)
    return_report(setting.unit, setting.period, actor=reviewer, comment="Se över målen.")
    caller = as_user(client, planner)
    path = f"/reporting-periods/{setting.period.pk}/units/{setting.unit.pk}/comments"
    assert caller.send("post", path, {"text": "Ändrat."}).status_code == 201
    items = caller.get(path).json()["items"]
    assert [(i["kind"], i["text"], i["report"]) for i in items] == [
        ("return", "<p>Se över målen.</p>", True),
        ("comment", "<p>Ändrat.</p>", True),
    ]
    close_period(setting.period, actor=user_with_role("admin", "administrator"))
    response = caller.send("post", path, {"text": "Sent."})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "period_closed"
    assert ReviewComment.objects.count() == 2


def test_copy_forward_marks_entries_in_the_api_until_the_text_is_changed(
    client, small_followup_setting
):
    setting = small_followup_setting
    planner = user_with_role("planerare", "planerare")
    complete(setting, planner)
    later = later_period(setting)
    caller = as_user(client, planner)
    path = f"/reporting-periods/{later.pk}/units/{setting.unit.pk}/copy-forward"
    assert as_user(client, user_with_role("g", "granskare")).send("post", path).status_code == 403
    response = caller.send("post", path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["copied"]) == len(setting.targets)
    assert {item["copied_from_id"] for item in body["copied"]} == {setting.period.pk}
    entry = followup_for(setting.activity, later)
    response = caller.send(
        "post",
        "/followups",
        {
            "period": later.pk,
            "object_type": "plans.activity",
            "object_id": setting.activity.pk,
            "comment": "Ny text.",
        },
    )
    assert response.status_code == 200
    assert response.json()["copied_from_id"] is None
    assert caller.get(f"/followups/{entry.pk}").json()["copied_from_id"] is None
    close_period(later, actor=user_with_role("admin", "administrator"))
    response = caller.send("post", path)
    assert (response.status_code, response.json()["errors"][0]["code"]) == (409, "period_closed")
