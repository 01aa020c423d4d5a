"""ETag and If-Match on the API's edited resources: a stale If-Match is 412 and changes
nothing; the current ETag goes through and the answer carries the new one; without If-Match
a write behaves as before."""

import json

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.plans.models import Goal

from .api_client import API, key_for

pytestmark = pytest.mark.django_db


class Conditional:
    """The test client with a token, sending If-Match when told."""

    def __init__(self, client, key):
        self.client, self.key = client, key

    def get(self, path):
        return self.client.get(API + path, headers={"Authorization": f"Bearer {self.key}"})

    def send(self, method, path, body, if_match=None):
        headers = {"Authorization": f"Bearer {self.key}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        return getattr(self.client, method)(
            API + path, data=json.dumps(body), content_type="application/json", headers=headers
        )


@pytest.fixture
def conditional_planner(client, two_regions_with_roles):
    return Conditional(client, key_for(two_regions_with_roles, "planerare_inne"))


def _refused_unchanged(response, before_events):
    assert response.status_code == 412, response.content
    body = response.json()
    assert body["code"] == "precondition_failed"
    assert body["errors"][0]["field"] == "If-Match"
    assert AuditEvent.objects.count() == before_events
    return body


def test_a_goal_with_etag_and_if_match(conditional_planner, two_regions_with_roles):
    goal = two_regions_with_roles.draft_goal
    version = Goal.objects.get(pk=goal.pk).row_version  # its indicators' additions count
    path = f"/goals/{goal.pk}"
    read = conditional_planner.get(path)
    tag = read["ETag"]
    assert tag == f'"goal-{goal.pk}-{version}"'
    done = conditional_planner.send("patch", path, {"text": "Ett nytt mål."}, if_match=tag)
    assert done.status_code == 200, done.content
    assert done["ETag"] == f'"goal-{goal.pk}-{version + 1}"'
    events = AuditEvent.objects.count()
    stale = conditional_planner.send("patch", path, {"text": "Ett gammalt mål."}, if_match=tag)
    body = _refused_unchanged(stale, events)
    assert stale["ETag"] == done["ETag"]  # the current one, to read again
    assert done["ETag"] in body["errors"][1]["message"]
    assert Goal.objects.get(pk=two_regions_with_roles.draft_goal.pk).text == "Ett nytt mål."
    # A request that is wrong in itself is answered as without If-Match (here 422).
    assert conditional_planner.send("patch", path, {"text": 5}, if_match=tag).status_code == 422
    assert (
        conditional_planner.send("patch", path, {"text": "Med *."}, if_match="*").status_code == 200
    )
    assert conditional_planner.send("patch", path, {"text": "Utan villkor."}).status_code == 200


def test_a_plan_text_with_etag_and_if_match(conditional_planner, two_regions_with_roles):
    from uppsikt.plans.models import Section

    section = Section.objects.create(
        plan=two_regions_with_roles.draft, heading="Inledning", body="Gammal text."
    )
    path = f"/plans/{two_regions_with_roles.draft.pk}/sections/{section.pk}"
    tag = conditional_planner.get(path)["ETag"]
    assert tag == f'"section-{section.pk}-1"'
    done = conditional_planner.send("patch", path, {"body": "Ny text."}, if_match=tag)
    assert done.status_code == 200 and done["ETag"] == f'"section-{section.pk}-2"'
    events = AuditEvent.objects.count()
    _refused_unchanged(
        conditional_planner.send("patch", path, {"body": "Gammal."}, if_match=tag), events
    )
    assert Section.objects.get(pk=section.pk).body == "Ny text."


def test_a_follow_up_entry_with_etag_and_if_match(conditional_planner, two_regions_with_roles):
    from uppsikt.followup.models import FollowUp

    entry = two_regions_with_roles.followup
    tag = conditional_planner.get(f"/followups/{entry.pk}")["ETag"]
    body = {
        "period": entry.period_id,
        "object_type": "plans.activity",
        "object_id": entry.object_id,
        "comment": "Enligt plan.",
    }
    done = conditional_planner.send("post", "/followups", body, if_match=tag)
    assert done.status_code == 200, done.content
    assert done["ETag"] == f'"followup-{entry.pk}-{entry.row_version + 1}"'
    events = AuditEvent.objects.count()
    stale = conditional_planner.send(
        "post", "/followups", {**body, "comment": "Gammal."}, if_match=tag
    )
    _refused_unchanged(stale, events)
    assert FollowUp.objects.get(pk=entry.pk).comment == "<p>Enligt plan.</p>"
    state = conditional_planner.send(
        "post", f"/followups/{entry.pk}/state", {"state": "klar"}, if_match=tag
    )
    _refused_unchanged(state, events)
    state = conditional_planner.send(
        "post", f"/followups/{entry.pk}/state", {"state": "klar"}, if_match=done["ETag"]
    )
    assert state.status_code == 200, state.content
    assert FollowUp.objects.get(pk=entry.pk).state == "klar"
    # Without If-Match, as before: whatever the version.
    again = conditional_planner.send("post", f"/followups/{entry.pk}/state", {"state": "utkast"})
    assert again.status_code == 200


def test_a_budget_table_with_etag_and_if_match(conditional_planner, two_regions_with_roles):
    from uppsikt.budget.models import Figure

    table = two_regions_with_roles.decided_table
    path = f"/budget-tables/{table.pk}"
    tag = conditional_planner.get(path)["ETag"]
    body = {"series": "prognos-2023-06", "rows": [{"ref": "Intäkter", "amount": "1000"}]}
    done = conditional_planner.send("post", path + "/figures", body, if_match=tag)
    assert done.status_code == 200, done.content
    assert done["ETag"] == conditional_planner.get(path)["ETag"] != tag
    events = AuditEvent.objects.count()
    stale = {"series": "prognos-2023-06", "rows": [{"ref": "Intäkter", "amount": "2000"}]}
    _refused_unchanged(
        conditional_planner.send("post", path + "/figures", stale, if_match=tag), events
    )
    assert Figure.objects.get(kind="prognos").amount == 1000


def test_a_risk_with_etag_and_if_match(client, two_regions_with_roles):
    from .world import add_internal_control

    control = add_internal_control(two_regions_with_roles)
    conditional_planner = Conditional(client, key_for(two_regions_with_roles, "planerare_inne"))
    path = f"/risks/{control.risk.pk}"
    tag = conditional_planner.get(path)["ETag"]
    assessment = {"likelihood": 3, "consequence": 3, "decision": "ej_accepterad"}
    done = conditional_planner.send("post", path + "/assessments", assessment, if_match=tag)
    assert done.status_code == 200, done.content
    events = AuditEvent.objects.count()
    measure = {"text": "Ny åtgärd."}
    _refused_unchanged(
        conditional_planner.send("post", path + "/measures", measure, if_match=tag), events
    )
    added = conditional_planner.send("post", path + "/measures", measure, if_match=done["ETag"])
    assert added.status_code == 201, added.content
    assert conditional_planner.get(path)["ETag"] != done["ETag"]  # the risk moved with its åtgärd


def test_a_stale_or_foreign_tag_and_a_missing_object(conditional_planner, two_regions_with_roles):
    path = f"/goals/{two_regions_with_roles.draft_goal.pk}"
    events = AuditEvent.objects.count()
    for tag in ("W/" + conditional_planner.get(path)["ETag"], '"goal-999-1"', "nonsense"):
        _refused_unchanged(
            conditional_planner.send("patch", path, {"text": "Nej."}, if_match=tag), events
        )
    # What the caller may not see stays 404, If-Match or not.
    other = Goal.objects.filter(plan=two_regions_with_roles.other_draft).first()
    hidden = conditional_planner.send("patch", f"/goals/{other.pk}", {"text": "Nej."}, if_match="*")
    assert hidden.status_code == 404
