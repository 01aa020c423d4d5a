"""The REST API: tokens, reading scoped like the web, writing through the actions, errors."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from uppsikt.api.management.commands.api_schema import render_schema
from uppsikt.api.models import ApiToken
from uppsikt.api.tokens import authenticate, create_token, revoke_token
from uppsikt.audit.models import AuditEvent
from uppsikt.followup.models import FollowUp
from uppsikt.indicators.models import Measurement, MeasurementRevision
from uppsikt.plans.models import Goal, Plan

from .api_client import API, Caller
from .builders import ROOT

pytestmark = pytest.mark.django_db


# -- tokens ----------------------------------------------------------------------------------


def test_a_token_stands_for_its_user_until_revoked_and_is_stored_hashed(two_regions_with_roles):
    user = two_regions_with_roles.user("planerare_inne")
    token, key = create_token(user, actor=user, name="Power BI")
    assert key.startswith(f"upp_{token.prefix}_")
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert authenticate(key) == user
    assert authenticate(key + "x") is None
    assert authenticate(key.replace(token.prefix, "00000000")) is None
    revoke_token(token, actor=user)
    assert authenticate(key) is None
    events = AuditEvent.objects.filter(object_type="api.apitoken").order_by("sequence")
    assert [e.action for e in events] == ["apitoken.create", "apitoken.revoke"]
    assert key not in json.dumps([e.after for e in events])


def test_expired_tokens_and_inactive_users_are_refused(two_regions_with_roles):
    user = two_regions_with_roles.user("lasare_inne")
    token, key = create_token(user, actor=user, name="kort")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert authenticate(key) is None
    _token, other = create_token(user, actor=user, name="lång")
    assert authenticate(other) == user
    user.is_active = False
    user.save()
    assert authenticate(other) is None


def test_only_the_owner_makes_tokens_and_bad_input_is_named(two_regions_with_roles):
    from django.core.exceptions import PermissionDenied, ValidationError

    owner, other = (
        two_regions_with_roles.user("lasare_inne"),
        two_regions_with_roles.user("planerare_inne"),
    )
    with pytest.raises(PermissionDenied):
        create_token(owner, actor=other, name="x")
    with pytest.raises(ValidationError) as error:
        create_token(owner, actor=owner, name=" ", expires_on=datetime.date(2000, 1, 1))
    assert set(error.value.message_dict) == {"name", "expires_on"}
    assert not ApiToken.objects.exists()


def test_token_page_shows_the_key_once_and_revokes(client, two_regions_with_roles):
    user = two_regions_with_roles.user("lasare_inne")
    client.force_login(user)
    url = reverse("apikeys:tokens")
    page = client.post(url, {"name": "Rapportverktyg", "expires_on": ""}).content.decode()
    token = ApiToken.objects.get(user=user)
    shown = [word for word in page.split('"') if word.startswith(f"upp_{token.prefix}_")]
    assert len(shown) == 1 and authenticate(shown[0]) == user
    again = client.get(url).content.decode()
    assert shown[0] not in again and f"upp_{token.prefix}_…" in again
    # Someone else's token cannot be revoked through the page.
    stranger = two_regions_with_roles.user("planerare_inne")
    theirs, _key = create_token(stranger, actor=stranger, name="deras")
    assert client.post(reverse("apikeys:revoke", args=[theirs.pk])).status_code == 404
    client.post(reverse("apikeys:revoke", args=[token.pk]))
    token.refresh_from_db()
    theirs.refresh_from_db()
    assert token.revoked_at is not None and theirs.revoked_at is None


def test_a_bad_token_is_401_not_the_public(as_role, client):
    caller = Caller(client, "upp_deadbeef_not-a-real-key")
    response = caller.get("/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    basic = client.get(API + "/plans", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401


# -- reading ---------------------------------------------------------------------------------


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_reads_are_scoped_like_the_web(as_role, two_regions_with_roles):
    public, inside, outside = as_role(None), as_role("lasare_inne"), as_role("lasare_ute")
    assert ids(public.get("/plans")) == {two_regions_with_roles.decided.pk}
    assert ids(inside.get("/plans")) == {
        two_regions_with_roles.decided.pk,
        two_regions_with_roles.draft.pk,
    }
    assert ids(outside.get("/plans")) == {
        two_regions_with_roles.decided.pk,
        two_regions_with_roles.other_draft.pk,
    }
    for path in (
        f"/plans/{two_regions_with_roles.draft.pk}",
        f"/goals/{two_regions_with_roles.draft_goal.pk}",
    ):
        missing = public.get(path)
        assert missing.status_code == 404
        assert missing.json() == {"code": "not_found", "message": "Hittades inte.", "errors": []}
        assert outside.get(path).status_code == 404
        assert inside.get(path).status_code == 200
    assert public.get("/budget-tables").json()["count"] == 1
    assert public.get("/followups").json()["count"] == 0
    assert inside.get("/followups").json()["count"] == 1
    assert outside.get("/followups").json()["count"] == 0


def test_lists_filter_by_unit_year_and_period(as_role, two_regions_with_roles):
    reader = as_role("lasare_inne")
    assert ids(reader.get("/plans", year=2024)) == {two_regions_with_roles.draft.pk}
    assert ids(reader.get("/plans", unit=two_regions_with_roles.unit.pk, status="beslutad")) == {
        two_regions_with_roles.decided.pk
    }
    goals = reader.get("/goals", plan=two_regions_with_roles.decided.pk).json()
    assert [g["label"] for g in goals["items"]] == ["Effektmål 1", "Effektmål 2"]
    assert reader.get("/goals", year=2024, unit=two_regions_with_roles.unit.pk).json()["count"] == 2
    values = reader.get("/measurements", organisation="0099", period="2023").json()["items"]
    assert [(v["period"], v["value"]) for v in values] == [("2023", "63.2500")]
    assert reader.get("/measurements", year=2022).json()["count"] == 1
    assert (
        reader.get("/assessments", period="2023", plan=two_regions_with_roles.decided.pk).json()[
            "count"
        ]
        == 1
    )
    assert reader.get("/followups", period=two_regions_with_roles.period.pk).json()["count"] == 1


def test_pagination_has_a_documented_maximum(as_role, two_regions_with_roles):
    reader = as_role("lasare_inne")
    first = reader.get("/goals", limit=1).json()
    second = reader.get("/goals", limit=1, offset=1).json()
    assert first["count"] == second["count"] == 4
    assert first["items"][0]["id"] != second["items"][0]["id"]
    too_many = reader.get("/goals", limit=501)
    assert too_many.status_code == 422
    body = too_many.json()
    assert body["code"] == "invalid"
    assert body["errors"] == [
        {"field": "limit", "code": "less_than_equal", "message": "Värdet är för stort."}
    ]


def test_indicators_show_definition_and_rule(as_role, two_regions_with_roles):
    item = (
        as_role(None).get("/indicators", plan=two_regions_with_roles.decided.pk).json()["items"][0]
    )
    assert item["definition"]["key"] == "andel-nojda"
    assert item["rule"] == {"kind": "change", "direction": "increase"}
    assert item["rule_text"] == "Ska öka jämfört med föregående år"


def test_budget_figures_are_exact_decimal_strings(as_role, two_regions_with_roles):
    table = as_role(None).get(f"/budget-tables/{two_regions_with_roles.decided_table.pk}").json()
    assert [s["key"] for s in table["series"]] == ["budget-2023"]
    values = {row["label"]: row["values"]["budget-2023"] for row in table["rows"]}
    assert values == {"Intäkter": "1200000.50", "Kostnader": "-1000000.25", "Summa": "200000.25"}
    assert Decimal(values["Summa"]) == Decimal("1200000.50") + Decimal("-1000000.25")
    assert (
        as_role(None).get(f"/budget-tables/{two_regions_with_roles.draft_table.pk}").status_code
        == 404
    )


# -- writing ---------------------------------------------------------------------------------


def test_a_decided_plan_is_not_changed_through_the_api(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    response = planner.send(
        "patch", f"/goals/{two_regions_with_roles.goal.pk}", {"text": "Nytt mål"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "plan_decided"
    assert "beslutad" in response.json()["message"]
    two_regions_with_roles.goal.refresh_from_db()
    assert two_regions_with_roles.goal.text == "Effektmål nummer 1 år 2023"


def test_revise_then_edit_then_decide_through_the_api(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    refused = planner.send(
        "post", f"/plans/{two_regions_with_roles.decided.pk}/revisions", {"reason": ""}
    )
    assert refused.status_code == 422
    revision = planner.send(
        "post", f"/plans/{two_regions_with_roles.decided.pk}/revisions", {"reason": "Nytt"}
    )
    assert revision.status_code == 201, revision.content
    new = revision.json()
    assert (new["version"], new["status"]) == (2, "utkast")
    assert [v["version"] for v in new["versions"]] == [2, 1]
    goal = Goal.objects.get(plan_id=new["id"], number="1")
    indicator = goal.indicators.get()
    changed = planner.send(
        "patch",
        f"/goals/{goal.pk}",
        {
            "text": "Länets invånare har en god hälsa.",
            "indicators": [
                {"id": indicator.pk, "text": "Andelen nöjda ska öka"},
                {"text": "Ny indikator"},
            ],
        },
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["text"] == "Länets invånare har en god hälsa."
    assert body["indicators"][0] == {"id": indicator.pk, "text": "Andelen nöjda ska öka"}
    assert len(body["indicators"]) == 2
    event = AuditEvent.objects.filter(action="goal.update").get()
    assert event.before["text"] == "Effektmål nummer 1 år 2023"
    assert event.after["text"] == "Länets invånare har en god hälsa."
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    wrong = planner.send(
        "post",
        f"/plans/{new['id']}/decision",
        {"decided_by": two_regions_with_roles.unit.pk, "decided_on": future},
    )
    assert wrong.status_code == 409  # the date is well formed; today refuses it
    assert wrong.json()["errors"][0]["field"] == "decided_on"
    for not_a_date in (0, 20230613, 1686614400.0, "20230613", "2023-06-13T00:00:00", "2023-02-30"):
        refused = planner.send(
            "post",
            f"/plans/{new['id']}/decision",
            {"decided_by": two_regions_with_roles.unit.pk, "decided_on": not_a_date},
        )
        assert refused.status_code == 422, not_a_date
        assert refused.json()["errors"] == [
            {
                "field": "decided_on",
                "code": "date_format",
                "message": 'Ange datumet som text i formen ÅÅÅÅ-MM-DD, t.ex. "2023-06-13".',
            }
        ]
    before_previous = planner.send(
        "post",
        f"/plans/{new['id']}/decision",
        {"decided_by": two_regions_with_roles.unit.pk, "decided_on": "2022-01-01"},
    )
    assert before_previous.status_code == 409
    assert before_previous.json()["errors"][0]["field"] == "decided_on"
    assert "före beslutet om version 1" in before_previous.json()["errors"][0]["message"]
    decided = planner.send(
        "post",
        f"/plans/{new['id']}/decision",
        {"decided_by": two_regions_with_roles.unit.pk, "decided_on": "2023-06-13"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "reviderad"
    old = as_role(None).get(f"/plans/{two_regions_with_roles.decided.pk}").json()
    assert old["superseded"] is True


def test_invalid_goal_changes_name_the_field_and_change_nothing(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    before = (
        two_regions_with_roles.draft_goal.text,
        list(two_regions_with_roles.draft_goal.indicators.values_list("text")),
    )
    response = planner.send(
        "patch",
        f"/goals/{two_regions_with_roles.draft_goal.pk}",
        {"text": "ab", "number": "1a", "indicators": [{"text": " "}, {"id": 999999, "text": "x"}]},
    )
    assert response.status_code == 422
    fields = {(e["field"], e["message"]) for e in response.json()["errors"]}
    assert ("text", "Skriv målet med minst tre tecken.") in fields
    assert any(f == "number" for f, _m in fields)
    assert ("indicators.0.text", "Fältet måste fyllas i med text (utan tecknet NUL).") in fields
    # An indicator that is not the goal's is looked for once the body fits the schema.
    other = planner.send(
        "patch",
        f"/goals/{two_regions_with_roles.draft_goal.pk}",
        {"indicators": [{"id": 999999, "text": "x"}]},
    )
    assert other.status_code == 404
    assert other.json()["errors"] == [
        {
            "field": "indicators.0.id",
            "code": "unknown",
            "message": "Indikatorn hör inte till målet.",
        }
    ]
    unknown = planner.send(
        "patch", f"/goals/{two_regions_with_roles.draft_goal.pk}", {"txt": "stavfel"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0] == {
        "field": "txt",
        "code": "extra_forbidden",
        "message": "Okänt fält.",
    }
    two_regions_with_roles.draft_goal.refresh_from_db()
    assert (
        two_regions_with_roles.draft_goal.text,
        list(two_regions_with_roles.draft_goal.indicators.values_list("text")),
    ) == before
    assert not AuditEvent.objects.filter(action="goal.update").exists()


def test_body_values_are_the_json_types_the_schema_names(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    path = f"/plans/{two_regions_with_roles.draft.pk}/decision"
    for wrong in (
        {"decided_by": str(two_regions_with_roles.unit.pk)},
        {"decided_by": True},
        {"reason": 5},
    ):
        body = {"decided_by": two_regions_with_roles.unit.pk, "decided_on": "2023-12-12", **wrong}
        response = planner.send("post", path, body)
        assert response.status_code == 422, wrong
        assert response.json()["errors"][0]["field"] == next(iter(wrong))
    # A number without a fraction is an integer, as JSON Schema reads it.
    body = {"decided_by": float(two_regions_with_roles.unit.pk), "decided_on": "2023-12-12"}
    assert planner.send("post", path, body).status_code == 200


def test_writing_needs_a_token_and_the_right_role(as_role, two_regions_with_roles):
    path, body = f"/goals/{two_regions_with_roles.draft_goal.pk}", {"text": "Ändrat av fel person"}
    assert as_role(None).send("patch", path, body).status_code == 401
    assert as_role("lasare_inne").send("patch", path, body).status_code == 403
    assert as_role("planerare_ute").send("patch", path, body).status_code == 404
    assert as_role("planerare_inne").send("patch", path, body).status_code == 200


def test_malformed_json_and_huge_bodies_are_refused_cleanly(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    path = f"/goals/{two_regions_with_roles.draft_goal.pk}"
    broken = planner.send("patch", path, raw='{"text": "Halvt')
    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_json"
    not_object = planner.send("patch", path, raw="[1, 2]")
    assert not_object.status_code == 422
    not_json = planner.send("patch", path, raw='{"indicators": [{"id": NaN, "text": "x y z"}]}')
    assert not_json.status_code == 400  # NaN and Infinity are Python's, not JSON's
    with override_settings(API_MAX_BODY_BYTES=1000):
        huge = planner.send("patch", path, {"text": "x" * 2000})
    assert huge.status_code == 413
    assert huge.json()["code"] == "too_large"
    past_django = planner.send("patch", path, {"description": "y" * (6 * 1024 * 1024)})
    assert past_django.status_code == 413
    two_regions_with_roles.draft_goal.refresh_from_db()
    assert two_regions_with_roles.draft_goal.text == "Effektmål nummer 1 år 2024"


def test_measurements_are_recorded_corrected_and_audited(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    body = {"definition": "andel-nojda", "organisation": "0099", "period": "2024", "value": "64.1"}
    created = planner.send("post", "/measurements", body)
    assert created.status_code == 201, created.content
    assert created.json()["value"] == "64.1000"
    corrected = planner.send("post", "/measurements", {**body, "value": "64.15"})
    assert corrected.status_code == 200
    measurement = Measurement.objects.get(period="2024")
    assert measurement.value == Decimal("64.15")
    assert list(MeasurementRevision.objects.values_list("value", flat=True)) == [Decimal("64.1")]
    actions = ["measurement.record", "measurement.correct"]
    assert (
        list(
            AuditEvent.objects.filter(action__startswith="measurement.").values_list(
                "action", flat=True
            )
        )
        == actions
    )
    assert planner.send("post", "/measurements", {**body, "value": "64.15"}).status_code == 200
    assert (
        list(
            AuditEvent.objects.filter(action__startswith="measurement.").values_list(
                "action", flat=True
            )
        )
        == actions
    )  # unchanged

    bad = planner.send("post", "/measurements", {**body, "definition": "okand", "period": "24"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "period"
    unknown = planner.send("post", "/measurements", {**body, "definition": "okand"})
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [
        {"field": "definition", "code": "unknown", "message": "Okänd indikatordefinition."}
    ]
    assert as_role("rapportor_inne").send("post", "/measurements", body).status_code == 403
    assert as_role("planerare_ute").send("post", "/measurements", body).status_code == 403
    assert Measurement.objects.filter(period="2024").get().value == Decimal("64.15")


def test_assessment_decisions_go_through_the_action(as_role, two_regions_with_roles):
    planner = as_role("planerare_inne")
    path = f"/assessments/{two_regions_with_roles.assessment.pk}/decision"
    missing_reason = planner.send("post", path, {"status": "ej_uppfyllt"})
    assert missing_reason.status_code == 409  # it differs from the stored proposal
    assert missing_reason.json()["errors"][0]["field"] == "comment"
    # The steps are the organisation's (its styrmodell): refused by the data, not the schema.
    bad_status = planner.send("post", path, {"status": "typ_uppfyllt"})
    assert bad_status.status_code == 409
    assert [(e["field"], e["code"]) for e in bad_status.json()["errors"]] == [
        ("status", "unknown_step")
    ]
    done = planner.send("post", path, {"status": "ej_uppfyllt", "comment": "Mätningen brast."})
    assert done.status_code == 200
    assert done.json()["decided_status"] == "ej_uppfyllt"
    assert done.json()["decided_by"] == "planerare_inne"
    assert as_role("granskare_inne").send("post", path, {"status": "uppfyllt"}).status_code == 403


def test_followups_are_written_sanitised_and_moved_through_the_workflow(
    as_role, two_regions_with_roles
):
    reporter = as_role("rapportor_inne")
    body = {
        "period": two_regions_with_roles.period.pk,
        "object_type": "plans.activity",
        "object_id": two_regions_with_roles.activity.pk,
        "status": "forsenad",
        "comment": '<p onclick="steal()">Försenat<script>alert("x")</script></p><img src=x>',
    }
    response = reporter.send("post", "/followups", body)
    assert response.status_code == 200, response.content
    entry = response.json()
    assert entry["comment"] == "<p>Försenat</p>"
    assert entry["comment_text"] == "Försenat"
    assert FollowUp.objects.get().comment == "<p>Försenat</p>"
    as_text = reporter.send("post", "/followups", {**body, "comment": "a <script>x</script>"})
    assert as_text.json()["comment"] == "<p>a &lt;script&gt;x&lt;/script&gt;</p>"
    assert entry["status_label"] == "Försenad"
    wrong = reporter.send("post", "/followups", {**body, "status": "klar-ish"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "status"
    kind = reporter.send("post", "/followups", {**body, "object_type": "auth.user"})
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "object_type"
    moved = reporter.send("post", f"/followups/{entry['id']}/state", {"state": "klar"})
    assert moved.json()["state"] == "klar"
    skip = reporter.send("post", f"/followups/{entry['id']}/state", {"state": "granskad"})
    assert skip.status_code == 403
    reviewed = as_role("granskare_inne").send(
        "post", f"/followups/{entry['id']}/state", {"state": "granskad"}
    )
    assert reviewed.json()["state"] == "granskad"


def test_a_rejected_request_leaves_no_trace(as_role, two_regions_with_roles):
    """Whatever fails, the database and the audit trail are as they were."""
    planner = as_role("planerare_inne")
    counts = lambda: (  # noqa: E731
        Plan.objects.count(),
        Goal.objects.count(),
        AuditEvent.objects.count(),
        Measurement.objects.count(),
    )
    before = counts()
    planner.send(
        "post", f"/plans/{two_regions_with_roles.draft.pk}/revisions", {"reason": "Utkast"}
    )
    planner.send(
        "post", f"/plans/{two_regions_with_roles.decided.pk}/decision", {"decided_by": 1, "x": 1}
    )
    planner.send("post", "/measurements", {"definition": "andel-nojda"})
    planner.send("post", "/followups", {"period": 99999, "object_type": "x", "object_id": 1})
    assert counts() == before


# -- the schema --------------------------------------------------------------------------------


def test_the_committed_schema_is_the_served_schema(client):
    committed = (ROOT / "docs" / "api" / "openapi.json").read_text(encoding="utf-8")
    served = client.get(API + "/openapi.json")
    assert served.status_code == 200
    assert json.loads(committed) == served.json(), (
        "docs/api/openapi.json is out of date: run "
        "`.venv/bin/uppsikt api_schema -o docs/api/openapi.json` (make api-schema)"
    )
    assert committed == render_schema()


def test_the_schema_command_writes_the_file(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("api_schema", "-o", str(target))
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/plans/{plan_id}/revisions" in schema["paths"]
