"""Deadlines in the REST API: read by anyone, written by an organisation's administrator,
refusals answered 409 with a machine-readable code per field and nothing changed."""

import datetime

import pytest

from uppsikt.api.tokens import create_token
from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod, UnitDeadline

from .api_client import Caller
from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def api_deadline_period():
    load_minimal()
    return ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=D(2023, 7, 31),
        report_by=D(2023, 8, 14),
        review_by=D(2023, 8, 21),
    )


def _caller(client, role=None, unit=None):
    if role is None:
        return Caller(client)
    user = user_with_role(f"api-{role}", role, unit)
    return Caller(client, create_token(user, actor=user, name="test")[1])


def _state():
    return (
        list(ReportingPeriod.objects.values_list("report_by", "review_by")),
        list(UnitDeadline.objects.values_list("unit_id", "report_by", "review_by")),
        AuditEvent.objects.count(),
    )


def test_anyone_reads_a_periods_deadlines(client, api_deadline_period):
    api = _caller(client)
    listed = api.get("/reporting-periods").json()["items"][0]
    assert (listed["report_by"], listed["review_by"]) == ("2023-08-14", "2023-08-21")
    body = api.get(f"/reporting-periods/{api_deadline_period.pk}/deadlines").json()
    assert body == {
        "period_id": api_deadline_period.pk,
        "ends_on": "2023-07-31",
        "report_by": "2023-08-14",
        "review_by": "2023-08-21",
        "units": [],
    }
    assert api.get("/reporting-periods/999999/deadlines").status_code == 404


def test_an_administrator_sets_and_removes_deadlines(client, api_deadline_period):
    api = _caller(client, "administrator")
    base = f"/reporting-periods/{api_deadline_period.pk}/deadlines"
    answer = api.send("put", base, {"report_by": "2023-08-15", "review_by": "2023-08-25"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["report_by"] == "2023-08-15"
    unit = Unit.objects.get(slug="styrelsen")
    answer = api.send("put", f"{base}/units/{unit.pk}", {"report_by": "2023-08-08"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["units"] == [
        {
            "unit_id": unit.pk,
            "unit": "Regionstyrelsen",
            "report_by": "2023-08-08",
            "review_by": None,
        }
    ]
    assert api.send("delete", f"{base}/units/{unit.pk}").status_code == 204
    assert not UnitDeadline.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        ("", {"report_by": "2023-07-01"}, "report_by", "before_period_end"),
        (
            "",
            {"report_by": "2023-08-14", "review_by": "2023-08-01"},
            "review_by",
            "review_before_report",
        ),
        ("/units/{unit}", {"report_by": "2023-08-30"}, "report_by", "after_period_deadline"),
        ("/units/{unit}", {}, "report_by", "required"),
        ("/units/{other}", {"report_by": "2023-08-01"}, "unit", "other_organisation"),
    ],
)
def test_refusals_carry_a_code_and_change_nothing(
    client, api_deadline_period, path, body, field, code
):
    other = Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    stranger = Unit.objects.create(organisation=other, slug="annan", name="Annan", kind="styrelse")
    api = _caller(client, "administrator", Unit.objects.get(slug="fullmaktige"))
    unit = Unit.objects.get(slug="styrelsen")
    url = f"/reporting-periods/{api_deadline_period.pk}/deadlines" + path.format(
        unit=unit.pk, other=stranger.pk
    )
    before = _state()
    answer = api.send("put", url, body)
    assert answer.status_code == 409, answer.json()
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in answer.json()["errors"]
    ]
    assert _state() == before


def test_malformed_dates_are_422_and_others_are_refused(client, api_deadline_period):
    base = f"/reporting-periods/{api_deadline_period.pk}/deadlines"
    admin, planner = _caller(client, "administrator"), _caller(client, "planerare")
    before = _state()
    assert admin.send("put", base, {"report_by": "14/8 2023"}).status_code == 422
    assert admin.send("put", base, {"report_by": "2023-08-15", "extra": 1}).status_code == 422
    assert _caller(client).send("put", base, {"report_by": "2023-08-15"}).status_code == 401
    assert planner.send("put", base, {"report_by": "2023-08-15"}).status_code == 403
    assert _state() == before
